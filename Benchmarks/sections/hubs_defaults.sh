#!/usr/bin/env bash
# `make bench` section: what `chiiki hubs` answers by default (--solver auto) against PySAL spopt
# + CBC on the same instance, four models; and the prefecture-scale MCLP. Prints Markdown on
# stdout, progress on stderr; exits non-zero when a default answer is worse than spopt's optimum.
#
# City instance: the populated small areas of 鳥取市 (Tottori City, 31201; e-Stat 2015), weight
# population, candidates = the demand points, straight line in the plane zone: LSCP 3 km, MCLP
# p = 10 within 2 km, p-median p = 10, p-center p = 10. Prefecture instance: every 500 m square of
# the prefecture meeting a small area, population apportioned by area, MCLP p = 30 within 2 km.
#
# Env (from Benchmarks/run.sh): OUT, RUNS, PY, QUICK (1: no prefecture instance). Optional:
# SPOPT_TIMEOUT (s, default PEER_TIMEOUT of lib.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${OUT:?set by Benchmarks/run.sh}" "${RUNS:?}" "${PY:?}"
source Benchmarks/lib.sh
SPOPT_TIMEOUT=${SPOPT_TIMEOUT:-$PEER_TIMEOUT}
QUICK=${QUICK:-0}
CHIIKI=.build/release/chiiki
H="$OUT/hubs_defaults"
mkdir -p "$H"
if ! "$PY" -c 'import spopt, pulp' 2>/dev/null; then
  "$PY" -m pip install --quiet spopt==0.7.0 pulp==3.3.2 >&2
fi
json() { "$PY" -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"; }

echo "== hubs defaults: writing the instances" >&2
"$CHIIKI" hubs --demand geodata/tottori/h27ka31.shp --city 31201 --weight population --model p-median -p 10 \
  -o "$H/city" -q >"$H/city.log"
if [[ $QUICK != 1 ]]; then
  "$CHIIKI" hubs --demand geodata/tottori/h27ka31.shp --weight population --mesh 500m --model mclp -p 30 --radius 2000 \
    --solver heuristic -o "$H/prefecture" -q >"$H/prefecture.log"
fi
EPSG=$(json "$H/city/hubs_summary.json" "d['distance_crs'].split(':')[1]")
N=$(json "$H/city/hubs_summary.json" "d['demand']['points']")
PN=0; PM=0
[[ $QUICK == 1 ]] || PN=$(json "$H/prefecture/hubs_summary.json" "d['demand']['points']")
[[ $QUICK == 1 ]] || PM=$(json "$H/prefecture/hubs_summary.json" "d['candidates']['count']")

# spopt NAME ARGS...: one run under a time-out; the time (or "> N") and the objective (or "none").
spopt() {
  local name=$1; shift
  if timeout "$SPOPT_TIMEOUT" /usr/bin/time -f "%e %M" -o "$OUT/$name.time1" "$PY" Benchmarks/spopt_hubs.py "$@" \
      >"$OUT/$name.log" 2>"$OUT/$name.err"; then
    cp "$OUT/$name.time1" "$OUT/$name.times"
    json "$OUT/$name.log" "d['objective']" >"$OUT/$name.objective"
  else
    echo "> $SPOPT_TIMEOUT 0" >"$OUT/$name.times"
    echo none >"$OUT/$name.objective"
  fi
  echo "== $name: $(cat "$OUT/$name.times") objective $(cat "$OUT/$name.objective")" >&2
}

ROWS=""
CHECKS=""
RC=0
row() {  # row LABEL NAME MODEL-ARGS SPOPT-ARGS (demand/candidates from the city instance)
  local label=$1 name=$2 model=$3 peer=$4
  # shellcheck disable=SC2086
  bench "hd_$name" "$CHIIKI" hubs --demand "$H/city/hub_assignments.geojson" --weight weight --zone 5 \
    --candidates "$H/city/hub_candidates.geojson" $model -o "$H/$name" -q
  # shellcheck disable=SC2086
  spopt "hd_${name}_spopt" "$H/city/hub_assignments.geojson" "$H/city/hub_candidates.geojson" "$EPSG" $peer
  local obj how peer_obj
  obj=$(json "$H/$name/hubs_summary.json" "d['solver']['objective']")
  how=$(json "$H/$name/hubs_summary.json" "d['solver']['how'].split(' — ')[0]")
  peer_obj=$(cat "$OUT/hd_${name}_spopt.objective")
  local t m pt pm
  t=$(median 1 "$OUT/hd_$name.times"); m=$(( $(median 2 "$OUT/hd_$name.times" | cut -d. -f1) / 1024 ))
  pt=$(cut -d' ' -f1-2 "$OUT/hd_${name}_spopt.times" | awk '{print ($1 == ">") ? "> " $2 : $1}')
  pm=$(awk '{print ($1 == ">") ? "–" : int($2 / 1024)}' "$OUT/hd_${name}_spopt.times")
  local verdict
  verdict=$("$PY" - "$obj" "$peer_obj" "$label" <<'PYEOF'
import sys
obj, peer, label = sys.argv[1:4]
if peer == "none":
    print(f"{label}: spopt gave no answer in time; chiiki {float(obj):.3f}"); sys.exit(0)
maximise = label.startswith("MCLP")
o, p = float(obj), float(peer)
ok = o >= p * (1 - 1e-9) if maximise else o <= p * (1 + 1e-9)
print(f"{'same or better' if ok else 'WORSE'}: {label} chiiki {o:.3f}, spopt {p:.3f}"); sys.exit(0 if ok else 1)
PYEOF
  ) || RC=1
  CHECKS+="$verdict"$'\n'
  ROWS+="| $label | $t | $m | $obj | $pt | $pm | $peer_obj | $how |"$'\n'
}
row "LSCP 3 km" lscp "--model lscp --radius 3000" "lscp 0 3000"
row "MCLP p = 10, 2 km" mclp "--model mclp -p 10 --radius 2000" "mclp 10 2000"
row "p-median p = 10" pmedian "--model p-median -p 10" "p-median 10"
row "p-center p = 10" pcenter "--model p-center -p 10" "p-center 10"

# speedup NAME LABEL: "LABEL N×" from the medians, or "LABEL: spopt timed out".
speedup() {
  local peer chiiki
  peer=$(cut -d' ' -f1 "$OUT/hd_${1}_spopt.times"); chiiki=$(median 1 "$OUT/hd_$1.times")
  [[ $peer == ">" ]] && { echo "$2: spopt timed out"; return; }
  echo "$2 **$(ratio "$peer" "$chiiki")×**"
}

PREF_ROWS=""
PREF_TEXT="Prefecture instance: not run (a quick look)."
if [[ $QUICK != 1 ]]; then
  PREF_TEXT="Prefecture instance: **$PN populated 500 m squares** of Tottori
  (population apportioned by area), $PM candidate squares: MCLP p = 30 within 2 km, and p-median p = 30."
  echo "== hubs defaults: prefecture MCLP" >&2
  PREF=("$CHIIKI" hubs --demand "$H/prefecture/hub_assignments.geojson" --weight weight --zone 5
        --candidates "$H/prefecture/hub_candidates.geojson" -q)
  bench hd_pref_mclp "${PREF[@]}" --model mclp -p 30 --radius 2000 -o "$H/pref_mclp"
  spopt hd_pref_mclp_spopt "$H/prefecture/hub_assignments.geojson" "$H/prefecture/hub_candidates.geojson" "$EPSG" mclp 30 2000
  PT=$(median 1 "$OUT/hd_pref_mclp.times"); PMEM=$(( $(median 2 "$OUT/hd_pref_mclp.times" | cut -d. -f1) / 1024 ))
  POBJ=$(json "$H/pref_mclp/hubs_summary.json" "d['solver']['objective']")
  PGAP=$(json "$H/pref_mclp/hubs_summary.json" "'%.4f%%' % (100 * (d['solver']['gap'] or 0))")
  PREF_ROWS+="| MCLP p = 30, 2 km, prefecture | $PT | $PMEM | $POBJ (gap $PGAP) | $(awk '{print ($1 == ">") ? "> " $2 : $1}' "$OUT/hd_pref_mclp_spopt.times") | $(awk '{print ($1 == ">") ? "–" : int($2 / 1024)}' "$OUT/hd_pref_mclp_spopt.times") | $(cat "$OUT/hd_pref_mclp_spopt.objective") | |"$'\n'
  # p-median on the prefecture: too many pairs for a complete matrix (each point keeps its nearest
  # candidates, ListPMedian). One timed run. spopt is not run: its dense model would hold one
  # PuLP variable per pair (about 190 million), far beyond this machine's memory.
  echo "== hubs defaults: prefecture p-median" >&2
  /usr/bin/time -f "%e %M" -o "$OUT/hd_pref_pm.times" "${PREF[@]}" --model p-median -p 30 -o "$H/pref_pmedian" >"$OUT/hd_pref_pm.log" 2>&1
  PMOBJ=$(json "$H/pref_pmedian/hubs_summary.json" "d['solver']['objective']")
  PMGAP=$(json "$H/pref_pmedian/hubs_summary.json" "'%.2f%%' % (100 * (d['solver']['gap'] or 0))")
  PREF_ROWS+="| p-median p = 30, prefecture | $(cut -d' ' -f1 "$OUT/hd_pref_pm.times") (1 run) | $(( $(cut -d' ' -f2 "$OUT/hd_pref_pm.times") / 1024 )) | $PMOBJ (gap $PMGAP) | not run | – | – | nearest candidates, Lagrangian bound |"$'\n'
fi

cat <<MD

## \`chiiki hubs\` by default (\`--solver auto\`) vs PySAL spopt

- City instance: the **$N populated small areas of 鳥取市** (e-Stat 2015, weight population), candidates the
  same points, straight line in EPSG:$EPSG. $PREF_TEXT chiiki wrote each instance
  once; every run reads those GeoJSON files and builds its own matrix. chiiki: 1 warm-up + $RUNS timed runs,
  default options; spopt (0.7.0, PuLP's CBC): one run, time-out $SPOPT_TIMEOUT s. Whole processes,
  \`/usr/bin/time\`.

| model | chiiki median wall (s) | chiiki peak RSS (MiB) | chiiki objective | spopt wall (s) | spopt peak RSS (MiB) | spopt objective | what chiiki's auto ran |
|---|---:|---:|---:|---:|---:|---:|---|
$ROWS$PREF_ROWS

Speed-up, spopt wall time / chiiki's default wall time: $(speedup lscp LSCP), $(speedup mclp MCLP) (target ≥ 20× for both).

\`\`\`
$CHECKS\`\`\`
MD
exit "$RC"
