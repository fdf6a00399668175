#!/usr/bin/env bash
# The 2x256 bf16 hour of 2026-12-07 (session 7): 66,000 steps (an idle machine runs 2x256 in bf16 at 20.5 steps/s once running (17.7 in a 40-second probe):
# 54 minutes of steps, plus six validations), trained on train, keep-best on valid every 11,000 steps, scored on test.
set -euo pipefail
B=${B:-../shared/data/images/binarized-mnist}
arkit pixels train --amat $B/binarized_mnist_train.amat.gz --val $B/binarized_mnist_valid.amat.gz \
      --out bmnist-2x256.safetensors --hidden 256 --layers 2 --precision bf16 --steps 66000 --val-every 11000 2>&1 | tee train.log
arkit pixels eval --model bmnist-2x256.safetensors --amat $B/binarized_mnist_test.amat.gz --json > test.eval.json
