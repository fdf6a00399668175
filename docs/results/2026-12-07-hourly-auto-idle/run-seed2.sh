#!/usr/bin/env bash
# M4 Hourly, --method auto (second seed, 2026-12-07 ninth session; otherwise the eighth session's run.sh) with the global LSTM, the whole run inside 30 minutes on an idle machine:
# 21 minutes of network training (on every series cut before auto's first origin), then the network's
# forecasts and the local candidates' fits at three origins and the end. Trained and chosen on Hourly-train
# only (auto's cross-validation on the series' own history), scored on Hourly-test.
set -u
BIN=${BIN:-/tmp/arkit}
M=${M:-/work/shared/data/series/m4}
echo "start $(date -u +%FT%TZ) load $(cut -d' ' -f1-3 /proc/loadavg)" >> times.txt
/usr/bin/time -v $BIN series backtest --csv $M/Hourly-train.csv --test $M/Hourly-test.csv \
  --layout rows --horizon 48 --method auto --json --hidden 128 --context 168 --max-time 21m --seed 2 \
  --report hourly-auto.html > hourly-auto.json 2> train.log
echo "exit $? end $(date -u +%FT%TZ) load $(cut -d' ' -f1-3 /proc/loadavg)" >> times.txt
