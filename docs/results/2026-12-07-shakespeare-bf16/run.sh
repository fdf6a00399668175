#!/usr/bin/env bash
# tiny-shakespeare at today's defaults (bf16 on AMX), the same steps and protocol as the fp32 figure 1.4375:
# trained on the first 90%, nothing selected (--val-fraction 0, final weights), scored on the last 10%.
set -euo pipefail
T=${T:-../shared/data/text/tinyshakespeare/input.txt}
head -c -111540 $T > first90.txt
tail -c 111540 $T > last10.txt
arkit text train --input first90.txt --out ts-bf16.safetensors --steps 10626 --val-fraction 0 2>&1 | tee train.log
arkit text eval --model ts-bf16.safetensors --input last10.txt --json > last10.eval.json
