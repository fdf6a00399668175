#!/usr/bin/env bash
# Binarized MNIST, the tenth session's best hour (two tiers: a row-level LSTM 1x256 conditioning the raster LSTM
# 2x256, 32 values per sub-pixel; 60 minutes by the clock, cosine over the time budget, bf16) with one change:
# --ema 0.9995, an exponential moving average of the weights (PixelCNN++'s decay), which validation, keep-best and
# the model file use. Trained on train, keep-best on all of valid every 12,000 steps and at the end, scored once on
# test.
set -euo pipefail
B=${B:-../shared/data/images/binarized-mnist}
ARKIT=${ARKIT:-arkit}
date -u +"start %FT%TZ" > times.txt
/usr/bin/time -v $ARKIT pixels train --amat $B/binarized_mnist_train.amat.gz --val $B/binarized_mnist_valid.amat.gz \
      --out bmnist-ema.safetensors --tiers 2 --hidden 256 --layers 2 --frame-hidden 256 --cond 32 \
      --precision bf16 --max-time 60m --val-every 12000 --ema 0.9995 2> train.log
date -u +"trained %FT%TZ" >> times.txt
$ARKIT pixels eval --model bmnist-ema.safetensors --amat $B/binarized_mnist_test.amat.gz --json > test.eval.json
date -u +"exit %FT%TZ" >> times.txt
