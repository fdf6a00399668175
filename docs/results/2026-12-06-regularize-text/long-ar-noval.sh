#!/bin/bash
# The "nothing tuned on the last 10%" protocol with --ar 2: train on the first 90% of tiny-shakespeare with
# no validation split (--val-fraction 0: the final weights of a fixed cosine schedule, nothing selected), score the
# last 10% (111,540 characters) with text eval. 10,626 steps, as run.sh.
cd /tmp/ts
echo "start $(date -u +%FT%TZ) load $(uptime | sed 's/.*average: //')"
./arkit text train --input first90.txt --out ar-noval.safetensors --force --steps 10626 --batch 16 --dropout 0.2 \
   --decay cosine --final-lr 0.05 --val-fraction 0 --ar 2 --sample-length 0 > ar-noval.train.log 2>&1
echo "trained $(date -u +%FT%TZ) exit $? load $(uptime | sed 's/.*average: //')"
./arkit text eval --model ar-noval.safetensors --input last10.txt --json > ar-noval.eval.json
cat ar-noval.eval.json
