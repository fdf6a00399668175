#!/bin/bash
# War and Peace, 5 minutes each, one after the other: arkit text train with default flags (validation for keep-best
# carved from the first 90% by --val-fraction's default) then text eval on the last 10%; PyTorch's 2x256 reference
# (torch_char_quality.py: trains on the first 90%, prints the last 10%'s loss each minute; 1 torch thread, its
# fastest setting here). The split is by code points, as torch_char_quality.py makes it.
cd /tmp/wp
echo "arkit start $(date -u +%FT%TZ) load $(uptime | sed 's/.*average: //')"
/tmp/ts/arkit text train --input first90.txt --out wp.safetensors --force --max-time 5m --sample-length 0 > arkit.train.log 2>&1
echo "arkit trained $(date -u +%FT%TZ) exit $? load $(uptime | sed 's/.*average: //')"
/tmp/ts/arkit text eval --model wp.safetensors --input last10.txt --json > arkit.eval.json
cat arkit.eval.json
echo "torch start $(date -u +%FT%TZ) load $(uptime | sed 's/.*average: //')"
/usr/bin/python3 /work/shared/bench/torch_char_quality.py /work/shared/data/text/warpeace/warpeace_input.txt 5 > torch.jsonl 2> torch.err
echo "torch done $(date -u +%FT%TZ) exit $? load $(uptime | sed 's/.*average: //')"
cat torch.jsonl
