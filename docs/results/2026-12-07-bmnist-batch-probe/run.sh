#!/usr/bin/env bash
# Throughput of bMNIST configurations, 35 s each on an idle machine (2026-12-07 10:17 UTC, load 0.55), bf16.
# Trained on the valid file only to read the speed line; the losses say nothing.
B=${B:-../shared/data/images/binarized-mnist}
for cfg in "2 256 32" "2 256 64" "2 256 128" "3 256 64"; do set -- $cfg; rm -f p.safetensors
  timeout 80 arkit pixels train --amat $B/binarized_mnist_valid.amat.gz --out p.safetensors --layers $1 --hidden $2 \
    --batch $3 --precision bf16 --max-time 35s --val-every 100000 --val-images 200 > log-$1-$2-$3.txt 2>&1
done
