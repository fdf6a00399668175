#!/bin/bash
# The honest protocol with --ar 2: train on the first 90% of tiny-shakespeare (validation for keep-best carved
# from its last tenth by --val-fraction's default), score the last 10% (111,540 characters) with text eval.
# 10,626 steps: the step count the README's 30-minute run reached under load 8-11.
cd /tmp/ts
echo "start $(date -u +%FT%TZ) load $(uptime | sed 's/.*average: //')"
./arkit text train --input first90.txt --out ar.safetensors --force --steps 10626 --batch 16 --dropout 0.2 \
   --decay cosine --final-lr 0.05 --val-every 400 --ar 2 --sample-length 0 > ar.train.log 2>&1
echo "trained $(date -u +%FT%TZ) exit $? load $(uptime | sed 's/.*average: //')"
./arkit text eval --model ar.safetensors --input last10.txt --json > ar.eval.json
cat ar.eval.json
