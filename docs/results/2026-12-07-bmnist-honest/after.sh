#!/bin/bash
# after the run: score test, keep outputs, redraw the gallery
set -e
B=/work/shared/data/images/binarized-mnist
R=/work/main/docs/results/2026-12-07-bmnist-honest
mkdir -p $R
cd /tmp/bm
echo "eval start $(date -u +%FT%TZ) load $(uptime | sed 's/.*average: //')" > $R/eval.out
/tmp/arkit pixels eval --model bmnist256.safetensors --amat $B/binarized_mnist_test.amat.gz --json > $R/test.eval.json
/tmp/arkit pixels eval --model bmnist256.safetensors --amat $B/binarized_mnist_valid.amat.gz --json > $R/valid.eval.json
echo "eval done $(date -u +%FT%TZ)" >> $R/eval.out
tr '\r' '\n' < bmnist256.log > $R/train.log
grep -a -o "[0-9]*/70000  loss [0-9.]*  val [0-9.]*" bmnist256.log | awk '{print $1, $3, $5}' | uniq -f2 > $R/val-curve.txt
/tmp/arkit-head pixels sample --model bmnist256.safetensors --n 32 --cols 16 --out /work/main/docs/img/pixels-samples.png --seed 1
/tmp/arkit-head pixels complete --model bmnist256.safetensors --amat $B/binarized_mnist_test.amat.gz --keep-rows 14 --n 6 --out /work/main/docs/img/pixels-completions.png --seed 1
cat $R/test.eval.json $R/valid.eval.json
