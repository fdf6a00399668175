#!/usr/bin/env bash
# Equal time, FSDD: the default two-tier network against one larger knob at a time, 6 minutes each with the FSDD
# hour's other flags (bf16, cosine over the time budget), one run after the other on an idle machine; each scored
# on the test split (takes 0-4). 2026-12-07, ninth session.
set -uo pipefail
R=/work/shared/data/audio/fsdd/recordings
A=/tmp/arkit-main
run() {
  v=$1; shift
  echo "start $v $(date -u +%T) load $(cut -d' ' -f1 /proc/loadavg)" >> times.txt
  /usr/bin/time -v $A audio train --wav $R --fsdd-split train --out $v.safetensors --max-time 6m --precision bf16 --seed 1 \
     --lr 8e-3 --warmup 100 --decay cosine --final-lr 0.03 --batch 16 --val-every 1000 --val-samples 150000 --force "$@" \
     > $v.train.log 2> $v.time.txt
  $A audio eval --model $v.safetensors --wav $R --fsdd-split test --json > $v.test.json
  echo "end $v $(date -u +%T) load $(cut -d' ' -f1 /proc/loadavg)" >> times.txt
}
run base --window 512
run window1024 --window 1024
run framehidden1024 --window 512 --frame-hidden 1024
run hidden512 --window 512 --hidden 512
echo exit >> times.txt
