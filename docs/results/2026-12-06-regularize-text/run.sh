#!/bin/bash
# One change at a time on tiny-shakespeare: train on first90.txt (validation for keep-best carved from its last
# tenth by --val-fraction's default), score last10.txt (the last 111,540 characters) with text eval.
# Same 1,000 steps for every row, so machine load changes the seconds only.
# first90.txt = head -c $((size-111540)) input.txt; last10.txt = tail -c 111540 input.txt
cd /tmp/reg
base="--steps 1000 --batch 16 --dropout 0.2 --decay cosine --final-lr 0.05 --val-every 200 --quiet --sample-length 0"
for row in "$@"; do
  name=${row%%:*}; flags=${row#*:}
  start=$(date +%s)
  nice -n 10 ./arkit text train --input first90.txt --out $name.safetensors --force $base $flags > $name.train.log 2>&1
  ./arkit text eval --model $name.safetensors --input last10.txt --json > $name.eval.json
  echo "$name [$flags] seconds=$(( $(date +%s) - start )) load=\"$(uptime | sed 's/.*average: //')\" $(cat $name.eval.json)" >> results.txt
done
