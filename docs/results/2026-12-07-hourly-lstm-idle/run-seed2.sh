#!/usr/bin/env bash
# M4 Hourly, the global LSTM alone for 30 minutes on an idle machine, second seed (2026-12-07, ninth session): the README's command of 2026-11-29
# (which ran on 72% of one core under load), unchanged. Trained on Hourly-train, scored on Hourly-test;
# a fixed time budget, nothing chosen on the test.
set -u
BIN=${BIN:-/tmp/arkit}
M=${M:-/work/shared/data/series/m4}
echo "start $(date -u +%FT%TZ) load $(cut -d' ' -f1-3 /proc/loadavg)" >> times.txt
/usr/bin/time -v $BIN series backtest --csv $M/Hourly-train.csv --test $M/Hourly-test.csv \
  --layout rows --horizon 48 --method lstm,snaive,naive2 --json --hidden 128 --context 168 --max-time 30m --seed 2 \
  > hourly-lstm30.json 2> train.log
echo "exit $? end $(date -u +%FT%TZ) load $(cut -d' ' -f1-3 /proc/loadavg)" >> times.txt
