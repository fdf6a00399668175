#!/bin/bash
# LSTM vs snaive on k evenly spaced M4 Hourly series, 200 steps each
D=/work/shared/data/series/m4
for k in 3 10 30; do
  for f in train test; do
    awk -v k=$k 'NR==1{print; next} { i=NR-2; if (int(i*k/414) != int((i-1)*k/414) || i==0) { if (c<k) {print; c++} } }' $D/Hourly-$f.csv > H$k-$f.csv
  done
  echo "== k=$k $(date -u +%T) $(uptime)"
  /usr/bin/time -f "%e s wall" /tmp/autolstm-base series backtest --csv H$k-train.csv --test H$k-test.csv --layout rows --freq 1h --horizon 48 \
    --method lstm,snaive --json --hidden 128 --context 168 --steps 200 --max-time 0 --seed 1 --quiet 2>&1
done
echo "== end $(date -u +%T)"
