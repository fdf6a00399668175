#!/bin/bash
# 3 alternating rounds of arkit bench at fp32 and bf16 (built at f1ed140)
for r in 1 2 3; do
  for p in fp32 bf16; do
    echo "# round $r precision $p $(date -u +%H:%M:%S) $(uptime | sed 's/.*load/load/')"
    /tmp/arkit-prec bench --json --seconds 4 --only train_char,train_series,word_train --precision $p
  done
done
