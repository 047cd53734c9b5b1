#!/usr/bin/env bash
# Peer benchmark: `chiiki districts` vs the same pipeline in GeoPandas, on Tottori
# (2,504 records). Run as `make bench` from the repository root.
#   --peer-only   time only GeoPandas (print the numbers, leave RESULTS.md alone)
# Env: RUNS (timed runs per tool, default 3), PEER_TIMEOUT (s, a slow peer's single run, default 120),
# PYTHON (to create the venv, default python3), QUICK=1 (`make bench-quick`: one run each, small
# sizes, peers cut at 30 s; writes Benchmarks/out/RESULTS-quick.md and leaves RESULTS.md alone).
set -euo pipefail

cd "$(dirname "$0")/.."
STARTED=$(date +%s)
PEER_ONLY=0
[[ "${1:-}" == "--peer-only" ]] && PEER_ONLY=1
RUNS="${RUNS:-3}"
QUICK="${QUICK:-0}"
RESULTS=Benchmarks/RESULTS.md
if [[ $QUICK == 1 ]]; then
  RUNS=1; export PEER_TIMEOUT="${PEER_TIMEOUT:-30}"; RESULTS=Benchmarks/out/RESULTS-quick.md
fi
INPUT=geodata/tottori/h27ka31.shp
OUT=Benchmarks/out
VENV=Benchmarks/.venv
# Pinned to the versions the fixtures and RESULTS.md were made with.
PINS=(geopandas==1.2.0 pyogrio==0.13.0 shapely==2.2.0 pyproj==3.7.2 pandas==3.1.1 numpy==2.4.6)
mkdir -p "$OUT"

if [[ ! -x "$VENV/bin/python" ]]; then
  echo "== creating $VENV"
  "${PYTHON:-python3}" -m venv "$VENV"
  "$VENV/bin/pip" install --quiet "${PINS[@]}"
fi
PY="$VENV/bin/python"

source Benchmarks/lib.sh

bench geopandas "$PY" Benchmarks/geopandas_districts.py "$INPUT" "$OUT/geopandas.geojson"
GP_T=$(median 1 "$OUT/geopandas.times"); GP_M=$(median 2 "$OUT/geopandas.times")
echo "GeoPandas: median wall ${GP_T} s, median peak RSS $((GP_M / 1024)) MiB over $RUNS runs"
[[ $PEER_ONLY == 1 ]] && exit 0

echo "== building chiiki"
if ! swift build -c release --product chiiki >"$OUT/build.log" 2>&1; then
  echo "!! swift build failed" >&2; cat "$OUT/build.log" >&2; exit 1
fi
bench chiiki .build/release/chiiki districts "$INPUT" -o "$OUT/chiiki.geojson" --quiet
CH_T=$(median 1 "$OUT/chiiki.times"); CH_M=$(median 2 "$OUT/chiiki.times")
# The floor: starting a process linked to Debian's GDAL (and its ~130 libraries), doing nothing.
bench startup .build/release/chiiki --help
ST_T=$(median 1 "$OUT/startup.times"); ST_M=$(median 2 "$OUT/startup.times")

# Coverage and plan on the whole prefecture (no peer: spopt has no such model); councils are four
# municipalities (Benchmarks/tottori_councils.json). One extra run keeps its progress timestamps.
mkdir -p "$OUT/coverage"
bench coverage .build/release/chiiki coverage --districts "$INPUT" --councils Benchmarks/tottori_councils.json -o "$OUT/coverage" --quiet
CV_T=$(median 1 "$OUT/coverage.times"); CV_M=$(median 2 "$OUT/coverage.times")
.build/release/chiiki coverage --districts "$INPUT" --councils Benchmarks/tottori_councils.json -o "$OUT/coverage" \
  >"$OUT/coverage.summary" 2>"$OUT/coverage.progress"
CV_PLAN=$(grep -E '^  (covered|plan|contiguity) ' "$OUT/coverage.summary" | sed 's/^  //')

# Keep going on a mismatch so RESULTS.md records it; exit non-zero at the end.
COMPARE_RC=0
COMPARE=$("$PY" Benchmarks/compare_outputs.py "$OUT/chiiki.geojson" "$OUT/geopandas.geojson") || COMPARE_RC=$?
echo "$COMPARE"

LIBS=$("$PY" -c 'import geopandas, shapely, pyproj, pyogrio; print(f"geopandas {geopandas.__version__}, shapely {shapely.__version__} (GEOS {shapely.geos_version_string}), pyproj {pyproj.__version__} (PROJ {pyproj.proj_version_str}), pyogrio {pyogrio.__version__} (GDAL {pyogrio.__gdal_version_string__})")')
pc() { pkg-config --modversion "$1" 2>/dev/null || echo "?"; }
cat >"$RESULTS" <<EOF
# Benchmark: \`chiiki districts\` vs GeoPandas

- Date: $(date -u +"%Y-%m-%d %H:%M UTC"), commit $(git rev-parse --short HEAD 2>/dev/null || echo "?")$(git diff --quiet HEAD -- . ':!Benchmarks/RESULTS.md' 2>/dev/null || echo " (with uncommitted changes)")
- Machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(uname -sm)
- chiiki links the system libraries: GEOS $(pc geos), PROJ $(pc proj), GDAL $(pc gdal); $(swift --version 2>&1 | head -n 1)
- GeoPandas side (wheels bundle their own libraries): $LIBS
- Command: \`make bench\` (Benchmarks/run.sh): input \`$INPUT\` (2,504 records, 2,487 KEY_CODEs);
  1 warm-up then $RUNS timed runs per tool with \`/usr/bin/time -f "%e %M"\`, whole process
  (interpreter start-up and imports included for GeoPandas). Pipeline: read CP932 shapefile →
  make_valid → JGD2000 plane zone V (EPSG:2447) → area → dissolve by KEY_CODE → by CITY → union →
  write the KEY_CODE layer as GeoJSON (EPSG:4326).

| tool | median wall time (s) | median peak RSS (MiB) |
|---|---:|---:|
| chiiki | $CH_T | $((CH_M / 1024)) |
| GeoPandas | $GP_T | $((GP_M / 1024)) |
| \`chiiki --help\` (start-up only) | $ST_T | $((ST_M / 1024)) |

Ratios: time GeoPandas / chiiki = **$(ratio "$GP_T" "$CH_T")×**; memory chiiki / GeoPandas = **$(ratio "$CH_M" "$GP_M")×**.
The last row is the floor of any chiiki run: loading the $(ldd .build/release/chiiki | wc -l) shared libraries that the
system GDAL, PROJ, GEOS and CBC bring in, before any work.

Output comparison (\`Benchmarks/compare_outputs.py\`, same KEY_CODEs, area_m2 within 1e-6 relative, equal JINKO sum):

\`\`\`
$COMPARE
\`\`\`

## \`chiiki coverage\` on the prefecture

Same input, councils from \`Benchmarks/tottori_councils.json\`, target 85 %: median wall time
**${CV_T} s**, median peak RSS $((CV_M / 1024)) MiB over $RUNS runs (whole process: read, repair,
measure, contiguity graph of all districts, CBC plan, the five outputs). Progress of one run (elapsed
seconds at the start of each step):

\`\`\`
$(cat "$OUT/coverage.progress")
$CV_PLAN
\`\`\`
EOF
# Further peers (spopt, ...): each section script appends its own Markdown to RESULTS.md and
# fails the run (non-zero) when its outputs disagree with the peer's.
SECTIONS_RC=0
for section in Benchmarks/sections/*.sh; do
  [[ -e "$section" ]] || continue
  echo "== section $section"
  OUT="$OUT" RUNS="$RUNS" PY="$PY" QUICK="$QUICK" bash "$section" >>"$RESULTS" || SECTIONS_RC=$?
done
ELAPSED=$(( $(date +%s) - STARTED ))
printf '\n---\n\nThe whole `make %s` took %d min %02d s.\n' "$([[ $QUICK == 1 ]] && echo bench-quick || echo bench)" \
  $((ELAPSED / 60)) $((ELAPSED % 60)) >>"$RESULTS"
echo "== wrote $RESULTS ($((ELAPSED / 60)) min)"
[[ $COMPARE_RC == 0 ]] && COMPARE_RC=$SECTIONS_RC
exit "$COMPARE_RC"
