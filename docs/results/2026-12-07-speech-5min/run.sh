#!/usr/bin/env bash
# Five minutes of training on about two minutes of speech, scored on other speakers (2026-12-07, session 7).
# Train: FSDD speakers george and jackson, takes 5-17 (260 files, 129 s); test: lucas, nicolas, theo and yweweler,
# takes 0-4 (200 files, 78 s). Validation (keep-best) is the default 5% carved from the training files.
set -euo pipefail
R=${R:-../shared/data/audio/fsdd/recordings}
mkdir -p sp/train sp/test
for s in george jackson; do for d in 0 1 2 3 4 5 6 7 8 9; do for k in $(seq 5 17); do ln -sf $PWD/$R/${d}_${s}_${k}.wav sp/train/; done; done; done
for s in lucas nicolas theo yweweler; do for d in 0 1 2 3 4 5 6 7 8 9; do for k in 0 1 2 3 4; do ln -sf $PWD/$R/${d}_${s}_${k}.wav sp/test/; done; done; done
go run ./scripts/audiongram -train sp/train -test sp/test > ngram.txt
arkit audio train --wav sp/train --out m5.safetensors --max-time 5m 2> train-fp32.log       # defaults (fp32, digit classes)
arkit audio eval --model m5.safetensors --wav sp/test --json > eval-fp32.json
arkit audio train --wav sp/train --out m5b.safetensors --max-time 5m --precision bf16 2> train-bf16.log
arkit audio eval --model m5b.safetensors --wav sp/test --json > eval-bf16.json
arkit audio train --wav sp/train --out m5n.safetensors --steps 1716 --classes=false 2> train-unconditioned.log
arkit audio eval --model m5n.safetensors --wav sp/test --json > eval-unconditioned.json
