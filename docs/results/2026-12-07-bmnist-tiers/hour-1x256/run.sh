#!/usr/bin/env bash
# Binarized MNIST, two tiers (a row-level LSTM 1x512 conditioning the raster LSTM 1x256, 64 values per sub-pixel),
# 60 minutes by the clock (--max-time 60m, cosine over the time budget), bf16, trained on train, keep-best on all of
# valid every 20,000 steps and at the end, scored once on test. Nothing else chose the model: the settings are the
# defaults of --tiers 2 and the 1x256 width of the earlier hours, fixed before the run.
set -euo pipefail
B=${B:-../shared/data/images/binarized-mnist}
ARKIT=${ARKIT:-arkit}
date -u +"start %FT%TZ" > times.txt
/usr/bin/time -v $ARKIT pixels train --amat $B/binarized_mnist_train.amat.gz --val $B/binarized_mnist_valid.amat.gz \
      --out bmnist-tiers2.safetensors --tiers 2 --hidden 256 --precision bf16 --max-time 60m --val-every 20000 2> train.log
date -u +"trained %FT%TZ" >> times.txt
$ARKIT pixels eval --model bmnist-tiers2.safetensors --amat $B/binarized_mnist_test.amat.gz --json > test.eval.json
date -u +"exit %FT%TZ" >> times.txt
