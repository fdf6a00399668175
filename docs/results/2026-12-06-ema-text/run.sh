#!/bin/bash
cd /tmp/ema
for cfg in "none:0" "ema:0.995"; do
  name=${cfg%%:*}; ema=${cfg##*:}
  start=$(date +%s)
  nice -n 10 ./arkit text train --input first90.txt --out $name.safetensors --force --steps 2000 --batch 16 --dropout 0.2 --decay cosine --final-lr 0.05 --val-every 200 --ema $ema --quiet --sample-length 0
  ./arkit text eval --model $name.safetensors --input last10.txt --json > $name.eval.json
  echo "$name ema=$ema seconds=$(( $(date +%s) - start )) $(cat $name.eval.json)" >> results.txt
done
