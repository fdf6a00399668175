#!/usr/bin/env bash
# Binarized MNIST, two tiers: the raster LSTM 2x256 under a row LSTM 1x512 (64 values per sub-pixel), with locked
# (variational) dropout 0.1, 60 minutes by the clock (--max-time 60m, cosine over the time budget), bf16, trained on
# train, keep-best on all of valid every 12,000 steps and at the end, scored once on test. Chosen from the previous
# two hours' curves (the large row tier overfitted in its last third) and an overfitting proxy: 8,000 steps on the
# first 5,000 training images, validated on the first 2,000 valid images, one regulariser at a time (proxy/).
set -euo pipefail
B=${B:-../shared/data/images/binarized-mnist}
ARKIT=${ARKIT:-arkit}
date -u +"start %FT%TZ" > times.txt
/usr/bin/time -v $ARKIT pixels train --amat $B/binarized_mnist_train.amat.gz --val $B/binarized_mnist_valid.amat.gz \
      --out bmnist-2x256-row512-locked.safetensors --tiers 2 --hidden 256 --layers 2 --frame-hidden 512 --cond 64 \
      --locked-dropout 0.1 --precision bf16 --max-time 60m --val-every 12000 2> train.log
date -u +"trained %FT%TZ" >> times.txt
$ARKIT pixels eval --model bmnist-2x256-row512-locked.safetensors --amat $B/binarized_mnist_test.amat.gz --json > test.eval.json
date -u +"exit %FT%TZ" >> times.txt
