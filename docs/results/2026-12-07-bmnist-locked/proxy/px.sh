#!/usr/bin/env bash
# Overfitting proxy: 1x256 + row 512/64 on 5,000 training images, 8,000 steps (7.3 epochs), val on 2,000 valid images.
set -euo pipefail
n=$1; shift
/tmp/ab/arkit pixels train --amat /tmp/ab/train5k.amat.gz --val /tmp/ab/valid2k.amat.gz \
  --out /tmp/ab/$n.safetensors --force --tiers 2 --hidden 256 --layers 1 --frame-hidden 512 --cond 64 \
  --precision bf16 --steps 8000 --val-every 2000 "$@" > /tmp/ab/$n.log 2>&1
