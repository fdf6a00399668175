#!/bin/bash
set -u
W=/tmp/beamwork; A=$W/arkit; B=$W/arkit-beam; R=$W/runs
cd /work/wt/beam
while ! grep -q "done 20k" $R/summary.txt; do sleep 5; done
t() {
  local name=$1; shift
  echo "== $name: $* (load: $(uptime | sed 's/.*load average: //'); available memory $(free -g | awk '/Mem:/{print $7}') GB)" >> $R/summary.txt
  /usr/bin/time -v "$@" > $R/$name.out 2> $R/$name.err
  local rc=$?
  grep -E "Elapsed \(wall|Maximum resident|User time|System time" $R/$name.err | sed 's/^\s*/   /' >> $R/summary.txt
  echo "   exit $rc" >> $R/summary.txt
}
t s20k-ets-cli-sorted-batched $A series forecast --csv $W/s20k/sorted.csv --horizon 18 --method ets --sorted --out $W/g.csv
echo "   same output: $(cmp -s $W/ets-memory.csv $W/g.csv && echo yes || echo NO)" >> $R/summary.txt
rm -rf $W/s20k
t gen200k go run ./scripts/genseries -n 200000 -len 120 -out $W/s200k
ls -la $W/s200k >> $R/summary.txt
t s200k-snaive-cli-sorted $A series forecast --csv $W/s200k/sorted.csv --horizon 18 --method snaive --sorted --out $W/g.csv
t s200k-naive-cli-sorted $A series forecast --csv $W/s200k/sorted.csv --horizon 18 --method naive --sorted --out $W/g2.csv
if [ "$(free -g | awk '/Mem:/{print $7}')" -ge 14 ]; then
  t s200k-snaive-cli-memory $A series forecast --csv $W/s200k/sorted.csv --horizon 18 --method snaive --out $W/f.csv
  echo "   same output: $(cmp -s $W/f.csv $W/g.csv && echo yes || echo NO)" >> $R/summary.txt
else
  echo "== s200k-snaive-cli-memory skipped: less than 14 GB available" >> $R/summary.txt
fi
echo "== done 200k" >> $R/summary.txt
