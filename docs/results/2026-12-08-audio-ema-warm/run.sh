#!/usr/bin/env bash
# FSDD at 3,000 steps again, with the moving average's decay warmed up (core at 738fa9b: min(d, (1+n)/(10+n))): the
# twelfth session's emawd run (../2026-12-07-audio-ema/run.sh: the FSDD hour's flags for 3000 steps, cosine over
# them, seed 1, bf16, trained on takes 5-49 with 5% of their files held out for validation, scored on takes 0-4) with
# the new binary. The base run is not repeated: nothing it runs changed since (3.996). Thirteenth session,
# 2026-12-08; step-limited, and it shared the machine with three step-limited pixels probes.
#   emawd-warm:  --ema 0.999 --weight-decay 0.01
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


one emawd-warm --ema 0.999 --weight-decay 0.01 &
wait
echo exit >> times.txt
