#!/usr/bin/env bash
# FSDD, 60 minutes, bf16, with the moving average of the weights and weight decay (2026-12-08, thirteenth session):
# the 2026-12-07 hour's flags (../2026-12-07-fsdd-bf16/run.sh: trained on takes 5-49 with 5% of their files held out
# for keep-best, scored on takes 0-4) plus --ema 0.999 --weight-decay 0.01, the pair that took binarized MNIST's hour
# from 80.30 to 79.93. The average's decay warms up (core at 738fa9b). Chosen from the 3,000-step probe on the same
# protocol (../2026-12-08-audio-ema-warm/): its validation, ahead of the base run at 1,000 and 2,000 steps; its test
# score was not read before this run started.
set -euo pipefail
R=${R:-../shared/data/audio/fsdd/recordings}
ARKIT=${ARKIT:-arkit}
date -u +"start %FT%TZ" > times.txt
/usr/bin/time -v $ARKIT audio train --wav $R --fsdd-split train --out fsdd-ema-wd.safetensors --max-time 60m --precision bf16 \
      --lr 8e-3 --warmup 100 --decay cosine --final-lr 0.03 --batch 16 --window 512 --val-every 500 --val-samples 150000 \
      --ema 0.999 --weight-decay 0.01 2> train.log
date -u +"trained %FT%TZ" >> times.txt
$ARKIT audio eval --model fsdd-ema-wd.safetensors --wav $R --fsdd-split test --json > test.eval.json
date -u +"exit %FT%TZ" >> times.txt
