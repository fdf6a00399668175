#!/usr/bin/env bash
# Binarized MNIST, the learning rate (never tuned on this data: pixels' default 2e-3 came from the toy tests), one
# change at a time on the best hour's network and flags (two tiers, 2x256 under a row LSTM 1x256, 32 values; bf16;
# --ema 0.9995 --weight-decay 0.01, the average's decay warmed up). Trained on all of train for 4,000 steps (cosine
# over them), validated on the first 2,000 valid images every 1,000 steps; test is not read. The runs share the
# machine; step-limited, so the figures do not depend on it.
# Usage: B=... ARKIT=... ./lr.sh NAME LR
set -euo pipefail
n=$1 lr=$2
$ARKIT pixels train --amat $B/binarized_mnist_train.amat.gz --val valid2k.amat.gz --out $n.safetensors --force \
  --tiers 2 --hidden 256 --layers 2 --frame-hidden 256 --cond 32 --precision bf16 --ema 0.9995 --weight-decay 0.01 \
  --steps 4000 --val-every 1000 --lr $lr > $n.log 2>&1
