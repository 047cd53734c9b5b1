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
