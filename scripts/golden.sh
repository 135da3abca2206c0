#!/usr/bin/env bash
# Golden CLI outputs: runs the CLI over every program in programs/, the acceptance cases in
# test/cases/ and bench/programs/, and writes each command's stdout, stderr and exit code to
# OUT/. Used around refactors that must change no output: run it before and after and diff
# the two folders (`diff -r before after`).
# Usage: scripts/golden.sh OUT [BIN]   (BIN defaults to this checkout's bin/interleave.js)
set -u
out=${1:?usage: scripts/golden.sh OUT [BIN]}
here=$(cd "$(dirname "$0")/.." && pwd)
bin=${2:-$here/bin/interleave.js}
mkdir -p "$out"
cd "$here"
n=0
go() { # name, args...
  local name=$1; shift
  node "$bin" "$@" >"$out/$name.out" 2>"$out/$name.err"
  echo "exit $?" >>"$out/$name.out"
  n=$((n + 1))
}
for f in programs/*.py test/cases/*.py bench/programs/*.py; do
  b=$(echo "$f" | tr '/' '_')
  sets=()
  case "$f" in
    programs/counter_race.py|test/cases/seed_counter.py) sets=(--set nthread=2 --set nloop=3) ;;
    programs/counter_lock.py) sets=(--set NTHREADS=2 --set ITERATIONS=2) ;;
    bench/programs/lastzero.py) sets=(--set n=3) ;;
  esac
  go "$b.dis" dis "$f"
  go "$b.run" run "$f" "${sets[@]}"
  go "$b.run-uniform-json" run "$f" "${sets[@]}" --scheduler uniform --seed 7 --json
  go "$b.run-rr-trace" run "$f" "${sets[@]}" --scheduler round-robin --trace --max-steps 400
  go "$b.run-slice1" run "$f" "${sets[@]}" --slice 1 --seed 3
  go "$b.explore" explore "$f" "${sets[@]}" --max-executions 1500 --time-limit 600
  go "$b.explore-json" explore "$f" "${sets[@]}" --max-executions 1500 --time-limit 600 --json
  go "$b.explore-pb1" explore "$f" "${sets[@]}" --max-executions 1500 --time-limit 600 --preemption-bound 1
  go "$b.explore-pct" explore "$f" "${sets[@]}" --strategy pct --runs 60 --json
  go "$b.explore-random" explore "$f" "${sets[@]}" --strategy random --runs 60
  go "$b.check" check "$f" "${sets[@]}"
  go "$b.check-json" check "$f" "${sets[@]}" --json
done
go counter-full-run run programs/counter_race.py
go counter-full-json run programs/counter_race.py --seed 5 --json
go check-all check $(ls programs/*.py test/cases/*.py | grep -v counter_lock)
go bad-file run does-not-exist.py
go bad-sched run programs/counter_race.py --schedule 'v1:00000000:0*3'
go bad-sched2 run programs/counter_race.py --set nthread=2 --set nloop=3 --schedule 'v1:32139642:0*15,1*5,9'
go replay-ok run programs/counter_race.py --set nthread=2 --set nloop=3 --schedule 'v1:32139642:0*15,1,2*4,1*2,2,1*4,2*2'
echo "$n commands written to $out"
