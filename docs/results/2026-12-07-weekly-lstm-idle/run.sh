#!/usr/bin/env bash
# M4 Weekly, the global LSTM alone for 20 minutes on an idle machine, beside the baselines and AR. Settings fixed
# before the run (the Hourly command's width, a context of two years of weeks); trained on Weekly-train for a fixed
# time, nothing chosen: scored once on Weekly-test.
set -u
BIN=${BIN:-/tmp/arkit}
M=${M:-/work/shared/data/series/m4}
echo "start $(date -u +%FT%TZ) load $(cut -d' ' -f1-3 /proc/loadavg)" >> times.txt
/usr/bin/time -v $BIN series backtest --csv $M/Weekly-train.csv --test $M/Weekly-test.csv \
  --layout rows --horizon 13 --method lstm,naive2,theta,ar --json --hidden 128 --context 104 --max-time 20m --seed 1 \
  > weekly-lstm20.json 2> train.log
echo "exit $? end $(date -u +%FT%TZ) load $(cut -d' ' -f1-3 /proc/loadavg)" >> times.txt
