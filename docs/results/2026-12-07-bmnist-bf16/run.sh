#!/usr/bin/env bash
# The bf16 hour of 2026-12-07 (session 6): 1x256, 130,000 steps (what an idle machine runs in about an hour at
# 39 steps/s), trained on train, keep-best on valid every 13,000 steps, scored on test.
set -euo pipefail
B=${B:-../shared/data/images/binarized-mnist}
arkit pixels train --amat $B/binarized_mnist_train.amat.gz --val $B/binarized_mnist_valid.amat.gz \
      --out bmnist-bf16.safetensors --hidden 256 --precision bf16 --steps 130000 --val-every 13000 | tee train.log
arkit pixels eval --model bmnist-bf16.safetensors --amat $B/binarized_mnist_test.amat.gz --json > test.eval.json
