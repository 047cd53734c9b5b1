#!/usr/bin/env bash
# `make bench` section: `chiiki hubs` (heuristic and exact) against PySAL spopt + CBC (through
# PuLP) on the same instance, same machine, same run. Prints Markdown on stdout, progress on
# stderr; exits non-zero when the objectives disagree.
#
# Instance: 米子市 (Yonago, 31202) as JIS X 0410 500 m squares, population apportioned by area
# from the real e-Stat 2015 small areas (geodata/tottori), candidates = the squares, p = 10.
# chiiki writes the instance once (demand points with weights, candidate points); then every
# timed run, chiiki's and spopt's, reads those two GeoJSON files and builds its own matrix.
#
# Env (from Benchmarks/run.sh): OUT, RUNS, PY. Optional: EXACT_RUNS (default 1) for chiiki's exact
# p-median, timed once without a warm-up (the fast runs' warm-up has read the inputs into the page
# cache); spopt's p-median (minutes: 557 s in the run of 2026-12-07) runs once under PEER_TIMEOUT.
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${OUT:?set by Benchmarks/run.sh}" "${RUNS:?}" "${PY:?}"
source Benchmarks/lib.sh
EXACT_RUNS=${EXACT_RUNS:-1}
P=10
RADIUS=1000
CHIIKI=.build/release/chiiki
H="$OUT/hubs"
mkdir -p "$H"

# Pinned peer: the versions the fixtures in Tests/PlanningTests/Fixtures were made with.
if ! "$PY" -c 'import spopt, pulp' 2>/dev/null; then
  echo "== installing spopt and pulp into the benchmark venv" >&2
  "$PY" -m pip install --quiet spopt==0.7.0 pulp==3.3.2 >&2
fi
if [[ ! -x $CHIIKI ]]; then
  echo "== building chiiki" >&2
  swift build -c release --product chiiki >"$H/build.log" 2>&1 || { cat "$H/build.log" >&2; exit 1; }
fi

echo "== hubs: writing the instance (Yonago, 500 m mesh)" >&2
"$CHIIKI" hubs --demand geodata/tottori/h27ka31.shp --city 31202 --weight population --mesh 500m \
  --model p-median -p "$P" -o "$H/instance" -q >"$H/instance.log"
DEMAND="$H/instance/hub_assignments.geojson"
CANDIDATES="$H/instance/hub_candidates.geojson"

json() { "$PY" -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"; }
EPSG=$(json "$H/instance/hubs_summary.json" "d['distance_crs'].split(':')[1]")
N=$(json "$H/instance/hubs_summary.json" "d['demand']['points']")
M=$(json "$H/instance/hubs_summary.json" "d['candidates']['count']")
WEIGHT=$(json "$H/instance/hubs_summary.json" "int(d['demand']['total_weight'])")

# once NAME CMD...: one timed run, no warm-up; "seconds KiB" to $OUT/NAME.times, stdout to NAME.log.
once() {
  local name=$1; shift
  : >"$OUT/$name.times"
  for _ in $(seq 1 "$RUNS_ONCE"); do
    if ! /usr/bin/time -f "%e %M" -o "$OUT/$name.time1" "$@" >"$OUT/$name.log" 2>"$OUT/$name.err"; then
      echo "!! $name failed: $*" >&2; cat "$OUT/$name.err" >&2; exit 1
    fi
    cat "$OUT/$name.time1" >>"$OUT/$name.times"
  done
  echo "== $name: $(cat "$OUT/$name.times" | tr '\n' ' ')" >&2
}

# chiiki on the instance files (the squares' ids are mesh codes, not municipality codes: zone V given).
CH=("$CHIIKI" hubs --demand "$DEMAND" --weight weight --zone 5 --candidates "$CANDIDATES" -q)

echo "== hubs: p-median, p = $P" >&2
bench hubs_pm_heuristic "${CH[@]}" --model p-median -p "$P" --solver heuristic -o "$H/pm_heuristic"
RUNS_ONCE=$EXACT_RUNS once hubs_pm_exact "${CH[@]}" --model p-median -p "$P" --solver exact --time-limit 3600 -o "$H/pm_exact"
peer_once hubs_pm_spopt "$PY" Benchmarks/spopt_hubs.py "$DEMAND" "$CANDIDATES" "$EPSG" p-median "$P"

echo "== hubs: MCLP, p = $P, radius $RADIUS m" >&2
bench hubs_mclp_heuristic "${CH[@]}" --model mclp -p "$P" --radius "$RADIUS" --solver heuristic -o "$H/mclp_heuristic"
RUNS_ONCE=$RUNS once hubs_mclp_exact "${CH[@]}" --model mclp -p "$P" --radius "$RADIUS" --solver exact -o "$H/mclp_exact"
RUNS_ONCE=$RUNS once hubs_mclp_spopt "$PY" Benchmarks/spopt_hubs.py "$DEMAND" "$CANDIDATES" "$EPSG" mclp "$P" "$RADIUS"

t() { median 1 "$OUT/$1.times"; }
mem() { echo $(( $(median 2 "$OUT/$1.times" | cut -d. -f1) / 1024 )); }
OBJ_PMH=$(json "$H/pm_heuristic/hubs_summary.json" "d['solver']['objective']")
GAP_PMH=$(json "$H/pm_heuristic/hubs_summary.json" "'%.4f%%' % (100 * d['solver']['gap'])")
OBJ_PME=$(json "$H/pm_exact/hubs_summary.json" "d['solver']['objective']")
OPT_PME=$(json "$H/pm_exact/hubs_summary.json" "d['solver']['proven_optimal']")
if timed_out hubs_pm_spopt; then
  OBJ_PMS=none; SOLVE_PMS="–"
else
  OBJ_PMS=$(json "$OUT/hubs_pm_spopt.log" "d['objective']")
  SOLVE_PMS=$(json "$OUT/hubs_pm_spopt.log" "d['seconds']['solve']")
fi
OBJ_MH=$(json "$H/mclp_heuristic/hubs_summary.json" "d['solver']['objective']")
GAP_MH=$(json "$H/mclp_heuristic/hubs_summary.json" "'%.4f%%' % (100 * d['solver']['gap'])")
OBJ_ME=$(json "$H/mclp_exact/hubs_summary.json" "d['solver']['objective']")
OBJ_MS=$(json "$OUT/hubs_mclp_spopt.log" "d['objective']")
SOLVE_MS=$(json "$OUT/hubs_mclp_spopt.log" "d['seconds']['solve']")

# Agreement: the exact objectives equal spopt's (1e-9 relative); the heuristic within 0.1 %
# (p-median) and equal (MCLP).
CHECK=$("$PY" - "$OBJ_PMH" "$OBJ_PME" "$OBJ_PMS" "$OBJ_MH" "$OBJ_ME" "$OBJ_MS" <<'EOF'
import sys
pmh, pme, pms, mh, me, ms = (float(a) if a != "none" else None for a in sys.argv[1:])
rel = lambda a, b: abs(a - b) / max(abs(b), 1)
checks = [] if pms is None else [
    ("p-median exact = spopt", rel(pme, pms) <= 1e-9, f"{pme:.3f} vs {pms:.3f}"),
    ("p-median heuristic within 0.1 % of spopt", pmh <= pms * 1.001, f"{100 * (pmh / pms - 1):+.5f} %"),
]
if pms is None:
    print("p-median: spopt gave no answer within its time-out; chiiki's exact and heuristic objectives "
          + ("agree" if rel(pmh, pme) <= 1e-9 else "differ") + f" ({pmh:.3f} vs {pme:.3f})")
checks += [
    ("MCLP exact = spopt", rel(me, ms) <= 1e-9, f"{me:.0f} vs {ms:.0f}"),
    ("MCLP heuristic = spopt", rel(mh, ms) <= 1e-9, f"{mh:.0f} vs {ms:.0f}"),
]
for name, ok, detail in checks:
    print(f"{'agree' if ok else 'DISAGREE'}: {name} ({detail})")
sys.exit(0 if all(ok for _, ok, _ in checks) else 1)
EOF
) && RC=0 || RC=$?
echo "$CHECK" >&2
target() { awk -v r="${1#> }" -v t="$2" 'BEGIN { print (r >= t) ? "met" : "**not met**" }'; }
# After a time-out the ratio is a lower bound: "> N".
pm_ratio() { if timed_out hubs_pm_spopt; then echo "> $(ratio "$PEER_TIMEOUT" "$(t "$1")")"; else ratio "$(t hubs_pm_spopt)" "$(t "$1")"; fi; }
R_PM=$(pm_ratio hubs_pm_heuristic)
R_PME=$(pm_ratio hubs_pm_exact)
R_M=$(ratio "$(t hubs_mclp_spopt)" "$(t hubs_mclp_heuristic)")
R_ME=$(ratio "$(t hubs_mclp_spopt)" "$(t hubs_mclp_exact)")
LIBS=$("$PY" -c 'import spopt, pulp; print(f"spopt {spopt.__version__}, PuLP {pulp.__version__} (its bundled CBC)")')

cat <<EOF

## \`chiiki hubs\` vs PySAL spopt

- Instance: 米子市 (Yonago, 31202) as 500 m JIS X 0410 squares: **$N demand squares** (population above 0,
  $WEIGHT people apportioned by area from the e-Stat 2015 small areas) and **$M candidate squares**; p = $P;
  MCLP radius $RADIUS m; straight-line distances in EPSG:$EPSG. chiiki wrote the instance once
  (\`$DEMAND\`, \`$CANDIDATES\`); every run below reads those two files, builds its own distance matrix and
  solves. Whole process timed with \`/usr/bin/time\` (Python start-up and imports included; chiiki's outputs
  written). Heuristic runs: 1 warm-up + $RUNS timed; chiiki exact: $EXACT_RUNS (p-median), $RUNS (MCLP) timed
  runs, no warm-up; spopt: 1 run (p-median, time-out $PEER_TIMEOUT s), $RUNS (MCLP).
- Peer: $LIBS; chiiki's exact path calls the system CBC $(pkg-config --modversion cbc 2>/dev/null || echo "?") through its C API.

| run | median wall (s) | peak RSS (MiB) | objective | notes |
|---|---:|---:|---:|---|
| chiiki p-median heuristic | $(t hubs_pm_heuristic) | $(mem hubs_pm_heuristic) | $OBJ_PMH | own bound: gap $GAP_PMH |
| chiiki p-median exact (CBC) | $(t hubs_pm_exact) | $(mem hubs_pm_exact) | $OBJ_PME | proven optimal: $OPT_PME |
| spopt p-median (CBC) | $(timed_out hubs_pm_spopt && echo "> $PEER_TIMEOUT (time-out)" || t hubs_pm_spopt) | $(timed_out hubs_pm_spopt && echo "–" || mem hubs_pm_spopt) | $OBJ_PMS | of which CBC solve $SOLVE_PMS s |
| chiiki MCLP heuristic | $(t hubs_mclp_heuristic) | $(mem hubs_mclp_heuristic) | $OBJ_MH | own bound: gap $GAP_MH |
| chiiki MCLP exact (CBC) | $(t hubs_mclp_exact) | $(mem hubs_mclp_exact) | $OBJ_ME | |
| spopt MCLP (CBC) | $(t hubs_mclp_spopt) | $(mem hubs_mclp_spopt) | $OBJ_MS | of which CBC solve $SOLVE_MS s |

Speed-up, spopt wall time / chiiki wall time: p-median heuristic **${R_PM}×** (target ≥ 300×: $(target "$R_PM" 300)),
p-median exact ${R_PME}×; MCLP heuristic **${R_M}×** (target ≥ 20×: $(target "$R_M" 20)), MCLP exact ${R_ME}×.
p-median objective: total weighted distance (person-metres); MCLP: people within $RADIUS m.

\`\`\`
$CHECK
\`\`\`
EOF
exit "$RC"
