#!/bin/bash
# at-scale measurements: wall and peak RSS of arkit (in memory, --sorted) and arkit-beam (prism)
set -u
W=/tmp/beamwork; A=$W/arkit; B=$W/arkit-beam; R=$W/runs
cd /work/wt/beam
t() { # name cmd...
  local name=$1; shift
  echo "== $name: $* (load: $(uptime | sed 's/.*load average: //'))" >> $R/summary.txt
  /usr/bin/time -v "$@" > $R/$name.out 2> $R/$name.err
  local rc=$?
  grep -E "Elapsed \(wall|Maximum resident|User time|System time" $R/$name.err | sed 's/^\s*/   /' >> $R/summary.txt
  echo "   exit $rc" >> $R/summary.txt
}
# 1. equality on 2,000 series over 4 shuffled files
go run ./scripts/genseries -n 2000 -len 120 -out $W/s2k -parts 4
t eq-ets-cli $A series forecast --csv $W/s2k/sorted.csv --horizon 18 --method ets --out $W/eq-ets-cli.csv
t eq-ets-beam $B series forecast --csv "$W/s2k/part-*.csv" --horizon 18 --method ets --out $W/eq-ets-beam --shards 4
t eq-lstm-train $A series forecast --csv $W/s2k/sorted.csv --horizon 18 --method lstm --save $W/net2k.safetensors --steps 200 --max-time 0 --hidden 16 --out /dev/null --quiet
t eq-lstm-cli $A series forecast --csv $W/s2k/sorted.csv --horizon 18 --method lstm --model $W/net2k.safetensors --seed 7 --out $W/eq-lstm-cli.csv
t eq-lstm-beam $B series forecast --csv "$W/s2k/part-*.csv" --horizon 18 --model $W/net2k.safetensors --seed 7 --out $W/eq-lstm-beam --shards 4
t eq-bt-cli $A series backtest --csv $W/s2k/sorted.csv --horizon 18 --method ets,lstm --model $W/net2k.safetensors --seed 7 --json
t eq-bt-beam $B series backtest --csv "$W/s2k/part-*.csv" --horizon 18 --method ets,lstm --model $W/net2k.safetensors --seed 7 --json
for m in ets lstm; do
  a=$(tail -n +2 $W/eq-$m-cli.csv | sort | sha256sum); b=$(cat $W/eq-$m-beam-*.csv | grep -v '^id,' | sort | sha256sum)
  echo "   $m rows: cli $(tail -n +2 $W/eq-$m-cli.csv | wc -l) beam $(cat $W/eq-$m-beam-*.csv | grep -v '^id,' | wc -l); sorted sha256 cli $a beam $b" >> $R/summary.txt
done
# 2. 20,000 series
for m in ets snaive; do
  t s20k-$m-cli-memory $A series forecast --csv $W/s20k/sorted.csv --horizon 18 --method $m --out $W/f.csv
  t s20k-$m-cli-sorted $A series forecast --csv $W/s20k/sorted.csv --horizon 18 --method $m --sorted --out $W/g.csv
  echo "   same output: $(cmp -s $W/f.csv $W/g.csv && echo yes || echo NO)" >> $R/summary.txt
  t s20k-$m-beam-prism $B series forecast --csv "$W/s20k/part-*.csv" --horizon 18 --method $m --out $W/b20k --shards 4
done
echo "== done 20k" >> $R/summary.txt
