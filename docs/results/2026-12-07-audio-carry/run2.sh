#!/usr/bin/env bash
# Second A/B run: --carry with the layout of branch exp/audio-carry (76d93d9): each epoch shuffles the recordings,
# sorts blocks of 16x16 of them by length and cuts them into batches of 16 (run.sh measured fixed length-sorted groups).
set -uo pipefail
R=/work/shared/data/audio/fsdd/recordings
A=/tmp/arkit-carry2
for v in carry2; do
  extra=""; [ $v = carry2 ] && extra="--carry"
  echo "start $v $(date -u +%T) load $(cut -d' ' -f1 /proc/loadavg)" >> times.txt
  /usr/bin/time -v $A audio train --wav $R --fsdd-split train --out $v.safetensors --steps 3000 --precision bf16 --seed 1 \
     --lr 8e-3 --warmup 100 --decay cosine --final-lr 0.03 --batch 16 --window 512 --val-every 1000 --val-samples 150000 --force $extra \
     > $v.train.log 2> $v.time.txt
  $A audio eval --model $v.safetensors --wav $R --fsdd-split test --json > $v.test.json
  echo "end $v $(date -u +%T) load $(cut -d' ' -f1 /proc/loadavg)" >> times.txt
done
echo exit >> times.txt
