#!/usr/bin/env bash
# bf16 against fp32 on this CPU (AMD EPYC, family 26, AVX-512 BF16, no AMX), alternating, 3 rounds.
set -euo pipefail
R=/work/shared/data/audio/fsdd/recordings
B=/work/shared/data/images/binarized-mnist
date -u +"start %FT%TZ" > times.txt
for round in 1 2 3; do
  for p in fp32 bf16; do
    ./arkit bench --json --seconds 5 --only train_char,word_train,train_series --precision $p > bench-$p-$round.json
    ./arkit audio train --wav $R --fsdd-split train --out /tmp/prec/a.safetensors --force --max-time 20s \
        --val-every 100000 --precision $p 2> audio-$p-$round.log || true
    ./arkit pixels train --amat $B/binarized_mnist_train.amat.gz --out /tmp/prec/p.safetensors --force --max-time 20s \
        --val-images 0 --tiers 2 --hidden 256 --layers 2 --precision $p 2> pixels-$p-$round.log || true
  done
done
date -u +"exit %FT%TZ" >> times.txt
