#!/usr/bin/env bash
# A/B on FSDD: random windows from a zero state (the default) against whole recordings walked in consecutive
# windows with the state carried (--carry, first layout: fixed groups of 16 recordings sorted by length). The FSDD
# hour's flags, 3000 steps each, one run after the other on an idle machine (2026-12-07, ninth session).
set -uo pipefail
R=/work/shared/data/audio/fsdd/recordings
A=/tmp/arkit-carry
for v in random carry; do
  extra=""; [ $v = carry ] && extra="--carry"
  echo "start $v $(date -u +%T) load $(cut -d' ' -f1 /proc/loadavg)" >> times.txt
  /usr/bin/time -v $A audio train --wav $R --fsdd-split train --out $v.safetensors --steps 3000 --precision bf16 --seed 1 \
     --lr 8e-3 --warmup 100 --decay cosine --final-lr 0.03 --batch 16 --window 512 --val-every 1000 --val-samples 150000 --force $extra \
     > $v.train.log 2> $v.time.txt
  $A audio eval --model $v.safetensors --wav $R --fsdd-split test --json > $v.test.json
  echo "end $v $(date -u +%T) load $(cut -d' ' -f1 /proc/loadavg)" >> times.txt
done
echo exit >> times.txt
