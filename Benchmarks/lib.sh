# Shared by Benchmarks/run.sh and the sections in Benchmarks/sections/ (sourced, not run).
# Expects OUT and RUNS to be set. Progress goes to stderr: a section's stdout is its Markdown.
# GNU time gives peak RSS (%M, KiB); the shell builtin cannot.
if [[ ! -x /usr/bin/time ]]; then
  echo "== installing GNU time" >&2
  apt-get update -qq && apt-get install -y -qq time
fi

# bench NAME CMD...: 1 warm-up, then $RUNS timed runs; "seconds KiB" lines go to $OUT/NAME.times.
# A failing run prints its log and stops the script with a non-zero status.
bench() {
  local name=$1; shift
  : >"$OUT/$name.times"
  for i in $(seq 0 "$RUNS"); do
    if ! /usr/bin/time -f "%e %M" -o "$OUT/$name.time1" "$@" >"$OUT/$name.log" 2>&1; then
      echo "!! $name failed (run $i): $*" >&2
      cat "$OUT/$name.log" >&2
      exit 1
    fi
    ((i > 0)) && cat "$OUT/$name.time1" >>"$OUT/$name.times"
  done
  echo "== $name: $(tail -n 1 "$OUT/$name.log")" >&2
}

# median COLUMN FILE
median() { sort -g -k"$1","$1" "$2" | awk -v c="$1" '{v[NR]=$c} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }


# ratio A B: A / B to two decimals
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }

# peer_once NAME CMD...: one run of a peer (no warm-up) under `timeout $PEER_TIMEOUT` (s, default
# 120), so that `make bench` ends in about half an hour: "seconds KiB" to $OUT/NAME.times and
# stdout to NAME.log, or "> PEER_TIMEOUT 0" and an empty log when it ran out of time.
PEER_TIMEOUT=${PEER_TIMEOUT:-120}
peer_once() {
  local name=$1 rc=0; shift
  timeout "$PEER_TIMEOUT" /usr/bin/time -f "%e %M" -o "$OUT/$name.time1" "$@" >"$OUT/$name.log" 2>"$OUT/$name.err" || rc=$?
  if [[ $rc == 0 ]]; then
    cp "$OUT/$name.time1" "$OUT/$name.times"
  elif [[ $rc == 124 ]]; then
    echo "> $PEER_TIMEOUT 0" >"$OUT/$name.times"; : >"$OUT/$name.log"
  else
    echo "!! $name failed: $*" >&2; cat "$OUT/$name.err" >&2; exit 1
  fi
  echo "== $name: $(cat "$OUT/$name.times")" >&2
}

# timed_out NAME: whether peer_once ran out of time.
timed_out() { [[ $(cut -d' ' -f1 "$OUT/$1.times") == ">" ]]; }

# japan_input DIR N: DIR/japanN.shp (+ .csv census), Tottori replicated N times by make_japan.py.
# Generated, never committed; kept between runs (same script, same bytes). Needs PY.
japan_input() {
  local dir=$1 n=$2
  if [[ ! -s "$dir/japan$n.shp" || ! -s "$dir/japan$n.csv" || Benchmarks/make_japan.py -nt "$dir/japan$n.shp" ]]; then
    echo "== generating $dir/japan$n.shp ($n copies)" >&2
    "$PY" Benchmarks/make_japan.py --copies "$n" --census "$dir/japan$n.csv" geodata/tottori/h27ka31.shp "$dir/japan$n.shp" >&2
  fi
}
