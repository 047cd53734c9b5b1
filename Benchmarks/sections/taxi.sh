#!/usr/bin/env bash
# `make bench` section: `chiiki taxi`. Prints Markdown on stdout, progress on stderr; exits
# non-zero when chiiki and its peer disagree or a route breaks a rule.
#
# 1. Transit gap on a prefecture: the 2,504 real Tottori small areas (geodata/tottori) under
#    SYNTHETIC stops (Benchmarks/taxi_synthetic_stops.py: one bus stop per 120 residents at
#    random points of their small area, stations in the 70 most populous areas; seeded), chiiki
#    against the same method in GeoPandas/shapely (Benchmarks/geopandas_taxi_gap.py).
# 2. Routing the 100-stop, two-hub instance of Tests/PlanningTests/Fixtures/taxi_ortools_100.json:
#    chiiki against Google OR-Tools (guided local search), chiiki's routes re-checked in Python.
#
# Env (from Benchmarks/run.sh): OUT, RUNS, PY.
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${OUT:?set by Benchmarks/run.sh}" "${RUNS:?}" "${PY:?}"
source Benchmarks/lib.sh
CHIIKI=.build/release/chiiki
T="$OUT/taxi"
FIXTURE=Tests/PlanningTests/Fixtures/taxi_ortools_100.json
mkdir -p "$T"

# Pinned peer: the OR-Tools the fixture was made with.
if ! "$PY" -c 'import ortools' 2>/dev/null; then
  echo "== installing ortools into the benchmark venv" >&2
  "$PY" -m pip install --quiet ortools==9.15.6755 >&2
fi
if [[ ! -x $CHIIKI ]]; then
  echo "== building chiiki" >&2
  swift build -c release --product chiiki >"$T/build.log" 2>&1 || { cat "$T/build.log" >&2; exit 1; }
fi
json() { "$PY" -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"; }

# --- 1. transit gap, Tottori --------------------------------------------------------------
echo "== taxi: synthetic stops for Tottori" >&2
STOPS_INFO=$("$PY" Benchmarks/taxi_synthetic_stops.py geodata/tottori/h27ka31.shp "$T/stops")
bench taxi_gap "$CHIIKI" taxi --demand geodata/tottori/h27ka31.shp --bus-stops "$T/stops/bus_stops_synthetic.geojson" \
  --stations "$T/stops/stations_synthetic.geojson" -o "$T/gap" -q
bench taxi_gap_geopandas "$PY" Benchmarks/geopandas_taxi_gap.py geodata/tottori/h27ka31.shp \
  "$T/stops/bus_stops_synthetic.geojson" "$T/stops/stations_synthetic.geojson" "$T/gap_geopandas.csv"
# One more run of each keeps chiiki's progress timestamps and the peer's totals.
"$CHIIKI" taxi --demand geodata/tottori/h27ka31.shp --bus-stops "$T/stops/bus_stops_synthetic.geojson" \
  --stations "$T/stops/stations_synthetic.geojson" -o "$T/gap" >"$T/gap.summary" 2>"$T/gap.progress"
PEER=$(tail -n 1 "$OUT/taxi_gap_geopandas.log")

GAP_RC=0
GAP_COMPARE=$("$PY" - "$T/gap/gap.csv" "$T/gap_geopandas.csv" <<'EOF'
import csv, sys
def rows(path, key):
    with open(path, encoding="utf-8-sig") as f:
        return {r[key]: r for r in csv.DictReader(f)}
ours, theirs = rows(sys.argv[1], "id"), rows(sys.argv[2], "KEY_CODE")
assert set(ours) == set(theirs), "different districts"
worst_area = max(abs(float(ours[k]["gap_area_m2"]) - float(theirs[k]["gap_area_m2"])) / max(float(theirs[k]["area_m2"]), 1) for k in ours)
worst_people = max(abs(float(ours[k]["population_in_gap"]) - float(theirs[k]["population_in_gap"])) for k in ours)
gap = sum(float(r["gap_area_m2"]) for r in ours.values()), sum(float(r["gap_area_m2"]) for r in theirs.values())
people = sum(float(r["population_in_gap"]) for r in ours.values()), sum(float(r["population_in_gap"]) for r in theirs.values())
print(f"{len(ours)} districts; gap area chiiki {gap[0]:.1f} m², GeoPandas {gap[1]:.1f} m²; "
      f"people in the gap chiiki {people[0]:.2f}, GeoPandas {people[1]:.2f}; "
      f"largest per-district difference: gap area {worst_area:.2e} of the district's area, people {worst_people:.2e}")
# chiiki writes people to 2 decimals: up to 0.005 apart from rounding alone.
sys.exit(0 if worst_area <= 1e-6 and worst_people <= 0.0051 else 1)
EOF
) || GAP_RC=$?
echo "== taxi gap: $GAP_COMPARE" >&2

# --- 2. routing, 100 stops ------------------------------------------------------------------
echo "== taxi: routing 100 stops" >&2
SETTINGS=$("$PY" Benchmarks/taxi_routing.py instance "$FIXTURE" "$T/route_instance")
ROUTE=("$CHIIKI" taxi --hubs "$T/route_instance/hubs.geojson" --route-stops "$T/route_instance/stops.geojson" --zone 3
  --seats 9 --speed 30 --max-ride 40 --dwell 30 --detour 1.3)
bench taxi_route "${ROUTE[@]}" -o "$T/route" -q
"${ROUTE[@]}" -o "$T/route" >"$T/route.summary" 2>"$T/route.progress"
SOLVE_S=$(grep -o 'routes found in [0-9.]* s' "$T/route.progress" | grep -o '[0-9.]*' | head -n 1)
ROUTE_RC=0
CHECK=$("$PY" Benchmarks/taxi_routing.py check "$FIXTURE" "$T/route/routes_summary.json") || ROUTE_RC=$?
OURS=$(echo "$CHECK" | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["length_m"])')
FIXTURE_LEN=$(json "$FIXTURE" "d['ortools']['length_m']")
FIXTURE_SEARCH=$(json "$FIXTURE" "d['ortools']['search']")
FIXTURE_TIME=$(json "$FIXTURE" "d['ortools']['search'].split(', ')[-1]")
echo "== taxi: OR-Tools for 1 s and 10 s" >&2
OR1=$("$PY" Benchmarks/taxi_routing.py ortools "$FIXTURE" 1)
OR10=$("$PY" Benchmarks/taxi_routing.py ortools "$FIXTURE" 10)
orl() { echo "$1" | "$PY" -c 'import json,sys; print("%.1f" % json.load(sys.stdin)["length_m"])'; }
RATIO=$(ratio "$OURS" "$FIXTURE_LEN")
if awk -v r="$RATIO" 'BEGIN { exit !(r > 1.02) }'; then ROUTE_RC=1; fi
ORV=$("$PY" -c 'import ortools; print(ortools.__version__)')

t() { median 1 "$OUT/$1.times"; }
mem() { echo $(( $(median 2 "$OUT/$1.times" | cut -d. -f1) / 1024 )); }
cat <<EOF

## \`chiiki taxi\`

### Transit gap on a prefecture (Tottori, synthetic stops)

Input: the 2,504 Tottori small areas of \`geodata/tottori\` (2,487 KEY_CODEs) and SYNTHETIC stops
from \`Benchmarks/taxi_synthetic_stops.py\` (seeded: one bus stop per 120 residents at random points of
their small area, stations in the 70 most populous; $STOPS_INFO). Bus stops 300 m, stations 800 m,
straight line; people in the gap apportioned by area. Peer: the same method in GeoPandas/shapely
(\`Benchmarks/geopandas_taxi_gap.py\`). Whole process, 1 warm-up then $RUNS timed runs.

| tool | median wall time (s) | median peak RSS (MiB) |
|---|---:|---:|
| chiiki taxi (gap) | $(t taxi_gap) | $(mem taxi_gap) |
| GeoPandas | $(t taxi_gap_geopandas) | $(mem taxi_gap_geopandas) |

Agreement: $GAP_COMPARE.

\`\`\`
$(cat "$T/gap.progress")
$(grep -E '^  (stops|gap|people) ' "$T/gap.summary")
\`\`\`

### Routing 100 stops from two hubs

Instance \`$FIXTURE\` (seeded; two hubs with 15 vehicles each, $SETTINGS; straight line × detour).
chiiki's routes are re-measured and checked in Python (\`Benchmarks/taxi_routing.py check\`): $CHECK.

| solver | time | total length (m) |
|---|---:|---:|
| chiiki taxi (whole process, median of $RUNS) | $(t taxi_route) s | $(printf '%.1f' "$OURS") |
| chiiki's route search alone | ${SOLVE_S} s | |
| OR-Tools $ORV, $FIXTURE_SEARCH (the test fixture) | $FIXTURE_TIME | $FIXTURE_LEN |
| OR-Tools, same model, 10 s | 10 s | $(orl "$OR10") |
| OR-Tools, same model, 1 s | 1 s | $(orl "$OR1") |

chiiki / OR-Tools ($FIXTURE_TIME) = **$RATIO** (the tests require at most 1.02).
EOF
[[ $GAP_RC == 0 && $ROUTE_RC == 0 ]]
