#!/usr/bin/env bash
# PostGIS: the whole-Japan districts (the input of scale.sh) written to the local server and read
# back. chiiki writes through GDAL's PostgreSQL driver, which loads a table it has just created
# with COPY (not one INSERT per row), inside one transaction. Run by Benchmarks/run.sh with OUT,
# RUNS and PY set; prints its Markdown on stdout, progress on stderr. The server is the tests'
# (Tests/start-postgis.sh: Debian's PostgreSQL + PostGIS, loopback, role chiiki).
set -euo pipefail
cd "$(dirname "$0")/../.."
source Benchmarks/lib.sh
COPIES="${COPIES:-$([[ ${QUICK:-0} == 1 ]] && echo 3 || echo 90)}"
SCALE_RUNS="${SCALE_RUNS:-1}"  # runs on the big input, as in scale.sh
DIR="$OUT/scale"
mkdir -p "$DIR"
CHIIKI=.build/release/chiiki
[[ -x $CHIIKI ]] || swift build -c release --product chiiki >&2
japan_input "$DIR" "$COPIES"

echo "== postgis: starting the local server" >&2
bash Tests/start-postgis.sh >"$OUT/postgis_server.log" 2>&1 || { cat "$OUT/postgis_server.log" >&2; exit 1; }
export PGPASSWORD=chiiki
ADMIN=postgresql://chiiki@127.0.0.1/postgres
psql -X -q "$ADMIN" -c "DROP DATABASE IF EXISTS chiiki_bench" -c "CREATE DATABASE chiiki_bench" >&2
TABLE="postgresql://chiiki@127.0.0.1/chiiki_bench#public.districts"
sql() { psql -X -q -t -A "postgresql://chiiki@127.0.0.1/chiiki_bench" -c "$1"; }

# Progress stamps (elapsed seconds) give the time of the write itself: from "writing" to "done".
stamp() { grep -m1 -E "\] $2" "$1" | sed -E 's/^chiiki \[ *([0-9.]+)s\].*/\1/'; }
: >"$OUT/postgis_write.times"; : >"$OUT/postgis_read.times"; : >"$OUT/postgis_phase.times"
for _ in $(seq "$SCALE_RUNS"); do
  /usr/bin/time -f "%e %M" -o "$OUT/postgis_write.time1" $CHIIKI districts "$DIR/japan$COPIES.shp" -o "$TABLE" --overwrite \
    >"$OUT/postgis_write.out" 2>"$OUT/postgis_write.err" || { cat "$OUT/postgis_write.err" >&2; exit 1; }
  cat "$OUT/postgis_write.time1" >>"$OUT/postgis_write.times"
  awk -v a="$(stamp "$OUT/postgis_write.err" writing)" -v b="$(stamp "$OUT/postgis_write.err" done)" 'BEGIN {printf "%.1f\n", b - a}' \
    >>"$OUT/postgis_phase.times"
  # Read back: every row and geometry through the same driver, validity checked (chiiki info).
  /usr/bin/time -f "%e %M" -o "$OUT/postgis_read.time1" $CHIIKI info "$TABLE" >"$OUT/postgis_read.out" 2>"$OUT/postgis_read.err" \
    || { cat "$OUT/postgis_read.err" >&2; exit 1; }
  cat "$OUT/postgis_read.time1" >>"$OUT/postgis_read.times"
done
W=$(median 1 "$OUT/postgis_phase.times"); WT=$(median 1 "$OUT/postgis_write.times"); WM=$(median 2 "$OUT/postgis_write.times")
R=$(median 1 "$OUT/postgis_read.times"); RM=$(median 2 "$OUT/postgis_read.times")
echo "== postgis: write ${W} s (whole process ${WT} s), read back ${R} s" >&2

# Checks against chiiki's own summary of the same run: rows, distinct KEY_CODEs, the area sum
# (printed in km² to 0.01: equal to that rounding) and what info read back; and that the rows went
# by COPY, which GDAL's debug output names (one short run on the 1× input).
japan_input "$DIR" 1
DISTRICTS=$(grep -m1 -oE '[0-9]+ KEY_CODEs' "$OUT/postgis_write.out" | cut -d' ' -f1)
AREA_KM2=$(grep -m1 -E '^  area ' "$OUT/postgis_write.out" | grep -oE '[0-9.]+ km²' | head -n1 | cut -d' ' -f1)
ROWS=$(sql 'SELECT count(*) FROM districts')
KEYS=$(sql 'SELECT count(DISTINCT "KEY_CODE") FROM districts')
DB_AREA=$(sql 'SELECT sum(area_m2) / 1e6 FROM districts')
READ_ROWS=$(grep -m1 -E '^  features ' "$OUT/postgis_read.out" | awk '{print $2}')
INVALID=$(grep -m1 -E '^  invalid ' "$OUT/postgis_read.out" | awk '{print $2}')
COPY_USED=$(CPL_DEBUG=ON $CHIIKI districts "$DIR/japan1.shp" -o "postgresql://chiiki@127.0.0.1/chiiki_bench#public.copy_check" \
  --overwrite -q 2>&1 | grep -c 'PQputCopyEnd' || true)
RC=0
CHECK=$("$PY" - "$DISTRICTS" "$ROWS" "$KEYS" "$READ_ROWS" "$INVALID" "$AREA_KM2" "$DB_AREA" "$COPY_USED" <<'PYEOF'
import sys
districts, rows, keys, read, invalid = map(int, sys.argv[1:6])
area, db_area, copies = float(sys.argv[6]), float(sys.argv[7]), int(sys.argv[8])
rel = abs(area - db_area) / area
ok = districts == rows == keys == read and invalid == 0 and abs(area - db_area) <= 0.005 and copies > 0
print(f"{districts} districts in the summary; {rows} rows in the table, {keys} distinct KEY_CODEs, {read} features read "
      f"back ({invalid} invalid); area {area:.2f} km² in the summary, {db_area:.4f} km² summed in the table "
      f"(equal to the summary's 0.01 km²: relative difference {rel:.1g}); COPY used: {'yes' if copies else 'NO'}")
print("table agrees" if ok else "table DIFFERS")
sys.exit(0 if ok else 1)
PYEOF
) || RC=1
echo "$CHECK" >&2

cat <<MD

## PostGIS: the whole-Japan districts written and read back

\`chiiki districts\` on the ${COPIES}× input of the scale section, written to the local PostgreSQL
$(psql -X -t -A "$ADMIN" -c 'SHOW server_version' | cut -d' ' -f1) with PostGIS $(sql 'SELECT postgis_lib_version()') (\`Tests/start-postgis.sh\`, loopback) as
\`$TABLE\` with \`--overwrite\`, then read back by \`chiiki info\` (every row and geometry, validity
checked). $SCALE_RUNS run(s), median. The write is the time from the "writing" step to "done" in chiiki's
progress (the table dropped and created, every row loaded by COPY, the GiST index built, one
commit); the read-back is the whole \`chiiki info\` process.

| step | wall (s) | peak RSS (MiB) |
|---|---:|---:|
| write (COPY, index, commit) | $W | – |
| whole \`chiiki districts\` process writing to PostGIS | $WT | $((WM / 1024)) |
| read back (\`chiiki info\`, whole process) | $R | $((RM / 1024)) |

Write and read back: **$(awk -v a="$W" -v b="$R" 'BEGIN {printf "%.1f", a + b}') s** (target ≤ 30 s).

\`\`\`
$CHECK
\`\`\`
MD
exit "$RC"
