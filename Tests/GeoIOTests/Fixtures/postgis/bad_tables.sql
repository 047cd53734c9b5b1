-- Bad PostGIS inputs, one table each, loaded into a test's own database (PostGISTests.swift).
-- Coordinates are a corner of Nagato (長門市) in JGD2000 / JGD2011 lon/lat.

-- A table without any geometry column: 集落 names only.
CREATE TABLE no_geometry (id integer PRIMARY KEY, name text);
INSERT INTO no_geometry VALUES (1, '仙崎'), (2, '油谷');

-- One untyped geometry column holding rows in two SRIDs (JGD2000 and JGD2011).
CREATE TABLE mixed_srids (id integer PRIMARY KEY, name text, geom geometry);
INSERT INTO mixed_srids VALUES
  (1, '仙崎', ST_SetSRID(ST_MakeEnvelope(131.15, 34.36, 131.16, 34.37), 4612)),
  (2, '油谷', ST_SetSRID(ST_MakeEnvelope(131.00, 34.35, 131.01, 34.36), 6668));

-- A polygon column without an SRID (0): no coordinate reference system at all.
CREATE TABLE no_srid (id integer PRIMARY KEY, name text, geom geometry(Polygon));
INSERT INTO no_srid VALUES (1, '仙崎', ST_MakeEnvelope(131.15, 34.36, 131.16, 34.37));

-- A good table, for the queries and the no-overwrite case.
CREATE TABLE good (id integer PRIMARY KEY, name text, geom geometry(Polygon, 4612));
INSERT INTO good VALUES
  (1, '仙崎', ST_SetSRID(ST_MakeEnvelope(131.15, 34.36, 131.16, 34.37), 4612)),
  (2, '油谷', ST_SetSRID(ST_MakeEnvelope(131.00, 34.35, 131.01, 34.36), 4612));
