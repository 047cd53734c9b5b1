#!/usr/bin/env bash
# `make bench` section: dial-a-ride (`chiiki taxi --trips`) against Google OR-Tools on seeded
# instances after Cordeau's 'a' set (Benchmarks/darp_ortools.py: 16–96 requests, 3 seats,
# 30-minute rides, 15-minute windows, 60 km/h). Cordeau's published instances and optima are not
# on this machine, so the peer is OR-Tools' pick-up-and-delivery model with the same windows,
# ride limits (cumul constraints) and route duration, given chiiki's search time and 30 s.
# chiiki's schedules are re-checked in Python. Prints Markdown on stdout; exits non-zero when a
# schedule breaks a rule.
#
# Env (from Benchmarks/run.sh): OUT, RUNS, PY.
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${OUT:?set by Benchmarks/run.sh}" "${RUNS:?}" "${PY:?}"
source Benchmarks/lib.sh
CHIIKI=.build/release/chiiki
D="$OUT/darp"
mkdir -p "$D"
if ! "$PY" -c 'import ortools' 2>/dev/null; then
  echo "== installing ortools into the benchmark venv" >&2
  "$PY" -m pip install --quiet ortools==9.15.6755 >&2
fi
num() { "$PY" -c "import json,sys; v=json.loads(sys.argv[1]).get('$2'); print('–' if v is None else v)" "$1"; }
km() { "$PY" -c "import json,sys; v=json.loads(sys.argv[1]).get('length_m'); print('–' if v is None else '%.1f' % (v / 1000))" "$1"; }

RC=0
ROWS=""
SPECS=("16 2" "32 4" "48 5" "72 6" "96 8")
[[ ${QUICK:-0} == 1 ]] && SPECS=("16 2" "32 4")
for spec in "${SPECS[@]}"; do
  set -- $spec
  N=$1; V=$2; I="$D/a$V-$N"
  INFO=$("$PY" Benchmarks/darp_ortools.py instance "$N" "$V" 1 "$I")
  echo "== darp: $INFO" >&2
  RUN=("$CHIIKI" taxi --zone 3 --hubs "$I/hub.geojson" --trips "$I/trips.csv" --seats 3 --max-ride 30 --speed 60 --detour 1
       --dwell 180 --shift 08:00-18:00 --max-duration 480)
  bench "darp_$N" "${RUN[@]}" -o "$I/out" -q
  "${RUN[@]}" -o "$I/out" >"$I/summary" 2>"$I/progress"
  SEARCH=$(grep -o 'trips routed in [0-9.]* s' "$I/progress" | grep -o '[0-9.]*' | head -n 1)
  CHECK=$("$PY" Benchmarks/darp_ortools.py check "$N" "$V" 1 "$I/out/schedule.csv") || RC=1
  SAME=$(awk -v s="$SEARCH" 'BEGIN { printf "%.1f", (s < 1 ? 1 : s) }')
  OR_SAME=$("$PY" Benchmarks/darp_ortools.py ortools "$N" "$V" 1 "$SAME")
  OR_LONG=$("$PY" Benchmarks/darp_ortools.py ortools "$N" "$V" 1 30)
  ROWS+="| a$V-$N | $(num "$CHECK" served)/$N | $(km "$CHECK") | $(median 1 "$OUT/darp_$N.times") s ($SEARCH s search) "
  ROWS+="| $(num "$OR_SAME" served)/$N | $(km "$OR_SAME") in $SAME s | $(num "$OR_LONG" served)/$N | $(km "$OR_LONG") | $(num "$CHECK" errors) |"$'\n'
done
ORV=$("$PY" -c 'import ortools; print(ortools.__version__)')
cat <<MD

## Dial-a-ride: \`chiiki taxi --trips\` against OR-Tools

Instances from \`Benchmarks/darp_ortools.py\` (seed 1), after Cordeau (2006)'s 'a' set: one depot,
requests uniform in a 20 km square, half with an appointment (drop-off window) and half with a
pick-up window of 15 minutes, 3 seats, rides ≤ 30 minutes, 3-minute dwell, 60 km/h, routes ≤ 480
minutes within 08:00–18:00. Cordeau's own instances and optima could not be fetched here, so the
peer is OR-Tools $ORV (pick-up and delivery, the same windows, ride limits as cumul constraints,
guided local search), given chiiki's search time (at least 1 s) and 30 s. chiiki's schedules are
re-measured and checked with nothing of chiiki's (\`darp_ortools.py check\`: windows, rides, seats,
route duration, driving time between calls). chiiki: default settings (seed 0), whole process
median of $RUNS runs.

| instance | chiiki served | chiiki km | chiiki time | OR-Tools served (same time) | OR-Tools km (same time) | OR-Tools served (30 s) | OR-Tools km (30 s) | schedule check (errors) |
|---|---:|---:|---:|---:|---:|---:|---:|---|
$ROWS
MD
exit $RC
