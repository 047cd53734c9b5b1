#!/usr/bin/env bash
# Whole-Japan scale: `chiiki districts` and `chiiki aging` on Tottori replicated 90 times
# (Benchmarks/make_japan.py, ~225,000 records in 47 prefecture codes and 13 plane zones) and
# once, against the same districts pipeline in GeoPandas (geopandas_scale.py), in the same run.
# Run by Benchmarks/run.sh with OUT, RUNS and PY set; prints its Markdown on stdout, progress on
# stderr. Env: COPIES (default 90), SCALE_RUNS (runs on the big input, default 1).
set -euo pipefail
cd "$(dirname "$0")/../.."
source Benchmarks/lib.sh
COPIES="${COPIES:-$([[ ${QUICK:-0} == 1 ]] && echo 3 || echo 90)}"
SCALE_RUNS="${SCALE_RUNS:-1}"
DIR="$OUT/scale"
mkdir -p "$DIR"
CHIIKI=.build/release/chiiki
[[ -x $CHIIKI ]] || swift build -c release --product chiiki >&2

for n in 1 "$COPIES"; do japan_input "$DIR" "$n"; done

# timed NAME RUNS CMD...: RUNS runs, no warm-up (the generator just read and wrote the files), each after a sync;
# "wall_s peak_KiB user_s sys_s" per run in $DIR/NAME.times, the last run's stdout/stderr kept.
timed() {
  local name=$1 runs=$2; shift 2
  : >"$DIR/$name.times"
  for _ in $(seq "$runs"); do
    # The previous run's output (600 MB at 90×) is flushed first, so no run pays for the
    # write-back of another's.
    sync
    if ! /usr/bin/time -f "%e %M %U %S" -o "$DIR/$name.time1" "$@" >"$DIR/$name.out" 2>"$DIR/$name.err"; then
      echo "!! $name failed: $*" >&2; cat "$DIR/$name.err" >&2; exit 1
    fi
    cat "$DIR/$name.time1" >>"$DIR/$name.times"
  done
  echo "== $name: $(median 1 "$DIR/$name.times") s, $(( $(median 2 "$DIR/$name.times") / 1024 )) MiB" >&2
}

for n in 1 "$COPIES"; do
  runs=$RUNS; [[ $n == 1 ]] || runs=$SCALE_RUNS
  timed "chiiki_districts_$n" "$runs" $CHIIKI districts "$DIR/japan$n.shp" -o "$DIR/chiiki_districts_$n.geojson"
  timed "chiiki_aging_$n" "$runs" $CHIIKI aging --boundaries "$DIR/japan$n.shp" --census "$DIR/japan$n.csv" \
    -o "$DIR/chiiki_aging_$n.geojson"
  timed "geopandas_$n" "$runs" "$PY" Benchmarks/geopandas_scale.py "$DIR/japan$n.shp" "$DIR/geopandas_$n.geojson"
done

# Attributes only (pyogrio, no geometry): the big GeoJSONs are too large for json.load.
COMPARE_RC=0
COMPARE=$("$PY" - "$DIR/chiiki_districts_$COPIES.geojson" "$DIR/geopandas_$COPIES.geojson" <<'PY'
import sys
import pyogrio
a, b = (pyogrio.read_dataframe(p, read_geometry=False, columns=["KEY_CODE", "JINKO", "area_m2"]).set_index("KEY_CODE")
        for p in sys.argv[1:])
ok = a.index.is_unique and b.index.is_unique and set(a.index) == set(b.index)
rel = ((a.area_m2 - b.area_m2.reindex(a.index)).abs() / a.area_m2.abs().clip(lower=1e-300)).fillna(float("inf"))
ok = ok and rel.max() <= 1e-6 and int(a.JINKO.sum()) == int(b.JINKO.sum())
print(f"{len(a)} vs {len(b)} KEY_CODEs; max relative area_m2 difference {rel.max():.3g} (KEY_CODE {rel.idxmax()}); "
      f"JINKO sums {int(a.JINKO.sum())} / {int(b.JINKO.sum())}")
print("outputs agree" if ok else "outputs DIFFER")
sys.exit(0 if ok else 1)
PY
) || COMPARE_RC=$?
echo "$COMPARE" >&2

records() { grep -m1 -oE '[0-9]+ records' "$DIR/chiiki_districts_$1.out" | cut -d' ' -f1; }
R1=$(records 1); RN=$(records "$COPIES")
col() { median "$2" "$DIR/$1.times"; }
cpu() { awk '{print $3 + $4}' "$DIR/$1.times" | sort -g | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
row() {  # NAME N TOOL-LABEL
  local t m c r
  t=$(col "$1_$2" 1); m=$(col "$1_$2" 2); c=$(cpu "$1_$2"); r=$R1; [[ $2 == 1 ]] || r=$RN
  echo "| $3 | $2× ($r records) | $t | $c | $((m / 1024)) | $(awk -v t="$t" -v r="$r" 'BEGIN {printf "%.1f", t / r * 1e6}') |"
}
per() { awk -v a="$(col "$1_$COPIES" "$2")" -v b="$(col "$1_1" "$2")" -v ra="$RN" -v rb="$R1" 'BEGIN {printf "%.2f", (a / ra) / (b / rb)}'; }
percpu() { awk -v a="$(cpu "$1_$COPIES")" -v b="$(cpu "$1_1")" -v ra="$RN" -v rb="$R1" 'BEGIN {printf "%.2f", (a / ra) / (b / rb)}'; }

cat <<EOF

## Whole-Japan scale: \`chiiki districts\` and \`chiiki aging\` vs GeoPandas

Input: \`Benchmarks/make_japan.py\` replicates the Tottori small areas ${COPIES} times into prefecture
codes 01–47 (KEY_CODEs distinct), each copy shifted into its own plane-rectangular zone, as one CP932
Shapefile of $RN records (and a census CSV for \`aging\`); the 1× input is one copy. Pipeline as
above, with the zone chosen per record (\`geopandas_scale.py\` ports chiiki's rule). Runs: $RUNS at 1×,
$SCALE_RUNS at ${COPIES}× (median), whole process, \`/usr/bin/time\`; CPU is user + system time.

| tool | input | wall (s) | CPU (s) | peak RSS (MiB) | wall µs per record |
|---|---|---:|---:|---:|---:|
$(row chiiki_districts 1 "chiiki districts")
$(row chiiki_districts "$COPIES" "chiiki districts")
$(row chiiki_aging 1 "chiiki aging")
$(row chiiki_aging "$COPIES" "chiiki aging")
$(row geopandas 1 "GeoPandas districts")
$(row geopandas "$COPIES" "GeoPandas districts")

Per-record cost at ${COPIES}× over 1× (1.00 = linear; the target is ≤ 1.2): \`districts\` wall
**$(per chiiki_districts 1)**, CPU $(percpu chiiki_districts), memory $(per chiiki_districts 2); \`aging\` wall
**$(per chiiki_aging 1)**, CPU $(percpu chiiki_aging), memory $(per chiiki_aging 2). GeoPandas wall $(per geopandas 1).
At ${COPIES}×: time GeoPandas / chiiki districts = **$(ratio "$(col geopandas_"$COPIES" 1)" "$(col chiiki_districts_"$COPIES" 1)")×**;
memory chiiki / GeoPandas = **$(ratio "$(col chiiki_districts_"$COPIES" 2)" "$(col geopandas_"$COPIES" 2)")×**.
CPU over wall for chiiki districts at ${COPIES}×: $(awk -v c="$(cpu chiiki_districts_"$COPIES")" -v t="$(col chiiki_districts_"$COPIES" 1)" 'BEGIN {printf "%.2f", c / t}') (2 would be both cores busy throughout).

Progress of \`chiiki districts\` at ${COPIES}× (elapsed seconds at the start of each step):

\`\`\`
$(cat "$DIR/chiiki_districts_$COPIES.err")
\`\`\`

Outputs at ${COPIES}× (KEY_CODEs, area_m2 within 1e-6 relative, JINKO sums; attributes read with pyogrio):

\`\`\`
$COMPARE
\`\`\`
EOF
exit "$COMPARE_RC"
