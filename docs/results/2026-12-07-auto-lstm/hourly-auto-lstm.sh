#!/bin/bash
D=/work/shared/data/series/m4
echo "start $(date -u +%FT%TZ) $(uptime)"
/usr/bin/time -v /tmp/autolstm-final series backtest --csv $D/Hourly-train.csv --test $D/Hourly-test.csv \
  --layout rows --horizon 48 --method auto --json --hidden 128 --context 168 --steps 4200 --max-time 0 --seed 1 \
  --report /tmp/final/hourly-auto-lstm.html > hourly-auto-lstm.json 2> hourly-auto-lstm.stderr
echo "end $(date -u +%FT%TZ) $(uptime) rc=$?"
