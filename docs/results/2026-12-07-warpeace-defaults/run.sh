#!/bin/bash
# War and Peace, 5 minutes, the new text defaults (batch 16, dropout 0.2, cosine decay to 5%, AR 2, bf16 on AMX)
# against the old ones (batch 32, no dropout, constant rate, fp32: given as flags), one after the other on an idle
# machine; the same split as 2026-12-07-warpeace-5min (first 90% / last 10% of the code points, as
# torch_char_quality.py makes it); keep-best on the validation split carved from the first 90% by --val-fraction's
# default; text eval on the last 10%. PyTorch's figure (1.4614) is that earlier run's.
# Usage: run.sh ARKIT_BINARY
set -u
A=$1
cd /tmp/wp
for cfg in ${CFGS:-new old}; do
  flags=""
  [ $cfg = old ] && flags="--batch 32 --dropout 0 --decay constant --ar 0 --precision fp32"
  echo "$cfg start $(date -u +%FT%TZ) load $(uptime | sed 's/.*average: //')"
  $A text train --input first90.txt --out wp-$cfg.safetensors --force --max-time 5m --sample-length 0 $flags > $cfg.train.log 2>&1
  echo "$cfg trained $(date -u +%FT%TZ) exit $? load $(uptime | sed 's/.*average: //')"
  $A text eval --model wp-$cfg.safetensors --input last10.txt --json > $cfg.eval.json
  cat $cfg.eval.json
done
