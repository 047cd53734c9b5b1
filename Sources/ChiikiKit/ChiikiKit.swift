// One import for the whole toolkit: `import ChiikiKit` brings the values (GeoCore), the GEOS
// and PROJ engine (GeoEngine), files and databases (GeoIO), districts, census and aging
// (Demography), the planning studies (Planning) and the report (Report).
@_exported import Demography
@_exported import GeoCore
@_exported import GeoEngine
@_exported import GeoIO
@_exported import Planning
@_exported import Report
