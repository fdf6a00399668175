#!/usr/bin/env bash
# FSDD, 60 minutes, bf16, the sample tier twice as wide (--hidden 512; 2026-12-07, ninth session): otherwise the
# flags of the session-7 hour (docs/results/2026-12-07-fsdd-bf16/run.sh, test 3.612 bits): trained on takes 5-49
# with 5% of their files held out for keep-best, scored once on takes 0-4. Run alone on an idle machine.
set -uo pipefail
R=${R:-/work/shared/data/audio/fsdd/recordings}
A=${A:-/tmp/arkit-main}
echo "start $(date -u +%T) load $(cut -d' ' -f1 /proc/loadavg)" >> times.txt
/usr/bin/time -v $A audio train --wav $R --fsdd-split train --out fsdd-h512.safetensors --max-time 60m --precision bf16 \
      --hidden 512 --lr 8e-3 --warmup 100 --decay cosine --final-lr 0.03 --batch 16 --window 512 --val-every 500 \
      --val-samples 150000 --force > train.log 2> time.txt
$A audio eval --model fsdd-h512.safetensors --wav $R --fsdd-split test --json > test.eval.json
echo "end $(date -u +%T) load $(cut -d' ' -f1 /proc/loadavg)" >> times.txt
echo exit >> times.txt
