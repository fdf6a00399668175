#!/usr/bin/env bash
# M4 Weekly, --method auto with the global LSTM (359 series: at least 10, so the network is a candidate), on an idle
# machine: 12 minutes of network training, then auto's three-origin cross-validation on each series' own history.
# Settings fixed before the run (the Weekly LSTM run's width and context); scored once on Weekly-test.
set -u
BIN=${BIN:-/tmp/arkit}
M=${M:-/work/shared/data/series/m4}
echo "start $(date -u +%FT%TZ) load $(cut -d' ' -f1-3 /proc/loadavg)" >> times-seed2.txt
/usr/bin/time -v $BIN series backtest --csv $M/Weekly-train.csv --test $M/Weekly-test.csv \
  --layout rows --horizon 13 --method auto --json --hidden 128 --context 104 --max-time 12m --seed 2 \
  --report weekly-auto-seed2.html > weekly-auto-seed2.json 2> train-seed2.log
echo "exit $? end $(date -u +%FT%TZ) load $(cut -d' ' -f1-3 /proc/loadavg)" >> times-seed2.txt
