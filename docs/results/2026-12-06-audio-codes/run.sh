#!/usr/bin/env bash
set -x
R=/work/shared/data/audio/fsdd/recordings
cd /tmp/aud/fsdd
for k in 1 4; do
  /tmp/arkit-new audio train --wav $R --fsdd-split train --out k$k.safetensors --steps 300 --val-every 1000 --embed-codes $k --seed 1 --force 2>&1 | tail -5
done
for k in 1 4; do
  /tmp/arkit-new audio eval --model k$k.safetensors --wav $R --fsdd-split test --json
done
uptime
