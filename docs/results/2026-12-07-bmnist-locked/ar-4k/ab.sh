#!/usr/bin/env bash
# usage: ab.sh NAME [extra flags]
set -euo pipefail
B=/work/shared/data/images/binarized-mnist
n=$1; shift
/tmp/ab/arkit pixels train --amat $B/binarized_mnist_train.amat.gz --val $B/binarized_mnist_valid.amat.gz \
  --out /tmp/ab/$n.safetensors --force --tiers 2 --hidden 256 --layers 2 --frame-hidden 256 --cond 32 \
  --precision bf16 --steps 4000 --val-every 4000 "$@" > /tmp/ab/$n.log 2>&1
