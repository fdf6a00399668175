#!/usr/bin/env bash
# A/B/C on FSDD at equal steps: the FSDD hour's flags for 3000 steps (cosine over them), seed 1, bf16, trained on
# takes 5-49 (5% of their files held out for validation), scored on takes 0-4; the three runs at once (step-limited,
# so sharing the two cores changes their duration, not their figures). Twelfth session, 2026-12-07.
#   base:   as the hour
#   ema:    --ema 0.999 (a moving average of the weights; 0.999 suits 3,000 steps as 0.9995 suited bMNIST's 55,000)
#   emawd:  --ema 0.999 --weight-decay 0.01
set -uo pipefail
R=${R:-/work/shared/data/audio/fsdd/recordings}
A=${ARKIT:-arkit}
one() {
  v=$1; shift
  echo "start $v $(date -u +%T) load $(cut -d' ' -f1 /proc/loadavg)" >> times.txt
  /usr/bin/time -v $A audio train --wav $R --fsdd-split train --out $v.safetensors --steps 3000 --precision bf16 --seed 1 \
     --lr 8e-3 --warmup 100 --decay cosine --final-lr 0.03 --batch 16 --window 512 --val-every 1000 --val-samples 150000 \
     --force "$@" > $v.train.log 2> $v.time.txt
  $A audio eval --model $v.safetensors --wav $R --fsdd-split test --json > $v.test.json
  echo "end $v $(date -u +%T) load $(cut -d' ' -f1 /proc/loadavg)" >> times.txt
}
one base &
one ema --ema 0.999 &
one emawd --ema 0.999 --weight-decay 0.01 &
wait
echo exit >> times.txt
