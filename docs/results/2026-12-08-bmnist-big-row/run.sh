#!/usr/bin/env bash
# Binarized MNIST, the large row tier with the average and the decay: the weight-decay hour (../hour-wd: two tiers,
# raster LSTM 2x256, bf16, 60 minutes by the clock, --ema 0.9995 --weight-decay 0.01) with one change: the row tier
# 1x512 with 64 values per sub-pixel (--frame-hidden 512 --cond 64) instead of 1x256 with 32. Chosen from the
# weight-decay hour's curves (no overfitting, validation still improving at the end: capacity is the lever) and the
# ninth session's measurement that the large row tier costs no speed on 2x256, before this run. Trained on train,
# keep-best on all of valid every 12,000 steps and at the end, scored once on test.
set -euo pipefail
B=${B:-../shared/data/images/binarized-mnist}
ARKIT=${ARKIT:-arkit}
date -u +"start %FT%TZ" > times.txt
/usr/bin/time -v $ARKIT pixels train --amat $B/binarized_mnist_train.amat.gz --val $B/binarized_mnist_valid.amat.gz \
      --out bmnist-big-ema-wd.safetensors --tiers 2 --hidden 256 --layers 2 --frame-hidden 512 --cond 64 \
      --precision bf16 --max-time 60m --val-every 12000 --ema 0.9995 --weight-decay 0.01 2> train.log
date -u +"trained %FT%TZ" >> times.txt
$ARKIT pixels eval --model bmnist-big-ema-wd.safetensors --amat $B/binarized_mnist_test.amat.gz --json > test.eval.json
date -u +"exit %FT%TZ" >> times.txt
