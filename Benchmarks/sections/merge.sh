#!/usr/bin/env bash
# Section of `make bench` (run by Benchmarks/run.sh with OUT, RUNS and PY set): `chiiki merge
# --regions` against PySAL spopt's MaxPHeuristic (Benchmarks/maxp_spopt.py) on the instances of
# the fixtures Tests/PlanningTests/Fixtures/maxp_{nagato_hamlets,tottori}.json (same layer, same
# floor), both timed as whole processes in the same run. Benchmarks/compare_regions.py then checks
# both partitions against the fixture's libpysal graph (every unit once, regions contiguous, floor
# met) and p_chiiki >= p_spopt.
# stdout: one Markdown section; progress on stderr. Exits non-zero on a violation, or when chiiki
# has no `merge --regions` (MAXP_PEER_ONLY=1 times spopt alone and exits 0).
# Env: MAXP_SLOW_RUNS (spopt runs on Tottori, default 1, no warm-up: one takes minutes).
set -euo pipefail

cd "$(dirname "$0")/../.."
: "${OUT:?set by Benchmarks/run.sh}" "${PY:?set by Benchmarks/run.sh}"
RUNS="${RUNS:-3}"
SLOW_RUNS="${MAXP_SLOW_RUNS:-1}"
export PYTHONDONTWRITEBYTECODE=1  # the scripts import each other; leave no __pycache__ behind
source Benchmarks/lib.sh
CHIIKI="${CHIIKI:-.build/release/chiiki}"  # overridable to test this script without the real one
FIXTURES=Tests/PlanningTests/Fixtures

# The fixtures were made with these; pip freeze as constraints keeps the venv's other pins.
SPOPT_PINS=(spopt==0.7.0 libpysal==4.14.1)
if ! "$PY" -c 'import spopt, libpysal, sys; sys.exit(not (spopt.__version__, libpysal.__version__) == ("0.7.0", "4.14.1"))' 2>/dev/null; then
  echo "== installing ${SPOPT_PINS[*]} into the benchmark venv" >&2
  "$PY" -m pip freeze | grep -v -e '^spopt==' -e '^libpysal==' >"$OUT/merge-constraints.txt"
  "$PY" -m pip install --quiet -c "$OUT/merge-constraints.txt" "${SPOPT_PINS[@]}" >&2
fi

# bench_cold NAME N CMD...: N timed runs and no warm-up (for a run of minutes, a warm-up only
# doubles the wait); same files as lib.sh's bench. A failing run stops the script.
bench_cold() {
  local name=$1 n=$2; shift 2
  : >"$OUT/$name.times"
  for i in $(seq 1 "$n"); do
    if ! /usr/bin/time -f "%e %M" -o "$OUT/$name.time1" "$@" >"$OUT/$name.log" 2>&1; then
      echo "!! $name failed (run $i): $*" >&2; cat "$OUT/$name.log" >&2; exit 1
    fi
    cat "$OUT/$name.time1" >>"$OUT/$name.times"
  done
  echo "== $name: $(tail -n 1 "$OUT/$name.log")" >&2
}

fixture_floor() { "$PY" -c 'import json, sys; f = json.load(open(sys.argv[1]))["floor"]; print(f["attribute"] + ":" + str(f["value"]))' "$1"; }
summary_field() { "$PY" -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"; }

HAS_CHIIKI=0
if [[ "${MAXP_PEER_ONLY:-0}" != 1 ]] && [[ -x $CHIIKI ]] && $CHIIKI merge --help 2>/dev/null | grep -e '--regions' >/dev/null; then
  HAS_CHIIKI=1
fi

# name | fixture | layer | spopt timing (warm: lib.sh's bench, RUNS; cold: SLOW_RUNS) |
# the layer's field options (both tools) | spopt's extra options
INSTANCES=(
  "nagato|$FIXTURES/maxp_nagato_hamlets.json|geodata/nagato/hamlets_2014_synthetic.geojson|cold||--aged aged_65_plus --epsg 6671"
  "tottori|$FIXTURES/maxp_tottori.json|geodata/tottori/h27ka31.shp|cold|--id KEY_CODE --households SETAI --population JINKO|--encoding cp932 --epsg 2447"
)

# A quick look: Nagato only (spopt takes minutes on Tottori).
[[ ${QUICK:-0} == 1 ]] && INSTANCES=("${INSTANCES[0]}")
RC=0
ROWS=""
CHECKS=""
for spec in "${INSTANCES[@]}"; do
  IFS='|' read -r name fixture layer timing fields spopt_extra <<<"$spec"
  spopt_runs=$([[ $timing == warm ]] && echo "$RUNS" || echo "$SLOW_RUNS")
  floor=$(fixture_floor "$fixture")
  dir="$OUT/merge/$name"
  rm -rf "$dir"; mkdir -p "$dir/spopt" "$dir/chiiki"
  echo "== merge: spopt on $name ($spopt_runs runs, floor $floor)" >&2
  # shellcheck disable=SC2086 # the option lists are meant to split
  if [[ $timing == warm ]]; then
    bench "spopt_$name" "$PY" Benchmarks/maxp_spopt.py "$layer" -o "$dir/spopt" $fields $spopt_extra --floor "$floor" --seed 0
  else
    bench_cold "spopt_$name" "$spopt_runs" "$PY" Benchmarks/maxp_spopt.py "$layer" -o "$dir/spopt" $fields $spopt_extra --floor "$floor" --seed 0
  fi
  SP_T=$(median 1 "$OUT/spopt_$name.times"); SP_M=$(median 2 "$OUT/spopt_$name.times")
  SP_P=$(summary_field "$dir/spopt/regions_summary.json" regions)
  SP_C=$(summary_field "$dir/spopt/regions_summary.json" construction_seconds)
  units=$("$PY" -c 'import json, sys; i = json.load(open(sys.argv[1]))["instance"]; print("{:,} units, {:,} edges".format(len(i["ids"]), len(i["edges"])))' "$fixture")

  CH_T="–"; CH_M=""; CH_P="–"; TIME_RATIO="–"; P_RATIO="–"
  if [[ $HAS_CHIIKI == 1 ]]; then
    echo "== merge: chiiki on $name" >&2
    # A subshell, so a failing run (bench exits) is recorded instead of ending the section.
    # shellcheck disable=SC2086
    if (bench "chiiki_$name" $CHIIKI merge "$layer" --regions $fields --floor "$floor" -o "$dir/chiiki" --quiet); then
      CH_T=$(median 1 "$OUT/chiiki_$name.times"); CH_M=$(median 2 "$OUT/chiiki_$name.times")
      TIME_RATIO="**$(ratio "$SP_T" "$CH_T")×**"
    else
      RC=1
      CHECKS+="chiiki failed on $name: $(tail -n 1 "$OUT/chiiki_$name.log")"$'\n'
    fi
  fi
  COMPARE_RC=0
  chiiki_dir=$([[ $HAS_CHIIKI == 1 ]] && echo "$dir/chiiki" || echo -)
  COMPARE=$("$PY" Benchmarks/compare_regions.py "$fixture" "$chiiki_dir" "$dir/spopt") || COMPARE_RC=$?
  [[ $COMPARE_RC == 0 ]] || RC=1
  CH_P=$(sed -n 's/^chiiki: p = \([0-9][0-9]*\).*/\1/p' <<<"$COMPARE")
  if [[ -n $CH_P ]]; then P_RATIO=$(ratio "$CH_P" "$SP_P"); else CH_P="–"; fi
  echo "$COMPARE" >&2
  ROWS+="| $name ($units) | $floor | $SP_P | $CH_P | $P_RATIO | $SP_T ($spopt_runs) | $SP_C | $CH_T | $TIME_RATIO | $((SP_M / 1024)) | ${CH_M:+$((CH_M / 1024))} |"$'\n'
  CHECKS+="$COMPARE"$'\n\n'
done

NOTE=""
if [[ $HAS_CHIIKI == 0 ]]; then
  echo "!! chiiki not timed (MAXP_PEER_ONLY=1, or $CHIIKI has no merge --regions)" >&2
  NOTE=$'\n'"**chiiki was not timed** (\`MAXP_PEER_ONLY=1\`, or \`$CHIIKI merge --regions\` is not in this build)."
  [[ "${MAXP_PEER_ONLY:-0}" == 1 ]] || RC=1
fi
VERSIONS=$("$PY" -c 'import sys; sys.path.insert(0, "Benchmarks"); import maxp_spopt; print(maxp_spopt.library_versions())')
cat <<EOF

## \`chiiki merge --regions\` vs PySAL spopt MaxP

Max-p regionalization: the most contiguous regions each meeting a floor. Same layer and floor for
both tools, in the same run: the instances of the fixtures \`$FIXTURES/maxp_nagato_hamlets.json\`
and \`maxp_tottori.json\` (Tottori: 2,504 records dissolved by KEY_CODE into 2,487 units, with a
floor of about one community council's households). spopt side (\`Benchmarks/maxp_spopt.py\`, $VERSIONS):
read, dissolve, libpysal Rook contiguity, islands linked to the nearest polygon,
\`MaxPHeuristic\` with its defaults (top_n 2, 99 construction iterations, 10 annealing rounds
per best construction, policy single), NumPy seed 0, write \`regions.csv\`. Whole processes,
\`/usr/bin/time -f "%e %M"\`: median of $RUNS runs after a warm-up, except spopt on Tottori
(the runs in brackets, no warm-up). "construction" is spopt's construction phase alone (last
run): the part that fixes p; the annealing after it only moves units between regions.
$NOTE

| instance | floor | p spopt | p chiiki | p chiiki / spopt | spopt wall (s) | spopt construction (s) | chiiki wall (s) | time spopt / chiiki | spopt RSS (MiB) | chiiki RSS (MiB) |
|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|
$ROWS
Checks (\`Benchmarks/compare_regions.py\`: every unit in one region, each region connected in
the fixture's libpysal graph, floor met, p chiiki ≥ p spopt):

\`\`\`
$CHECKS\`\`\`
EOF
exit "$RC"
