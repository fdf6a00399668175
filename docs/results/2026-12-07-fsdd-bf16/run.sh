#!/usr/bin/env bash
# FSDD, 60 minutes, bf16 (2026-12-07, session 7): the recorded 3.91 run's flags (trained on takes 5-49 with 5% of
# their files held out for keep-best, scored on takes 0-4) with --precision bf16 and validation every 500 steps.
set -euo pipefail
R=${R:-../shared/data/audio/fsdd/recordings}
arkit audio train --wav $R --fsdd-split train --out fsdd-bf16.safetensors --max-time 60m --precision bf16 \
      --lr 8e-3 --warmup 100 --decay cosine --final-lr 0.03 --batch 16 --window 512 --val-every 500 --val-samples 150000 2>&1 | tee train.log
arkit audio eval --model fsdd-bf16.safetensors --wav $R --fsdd-split test --json > test.eval.json
