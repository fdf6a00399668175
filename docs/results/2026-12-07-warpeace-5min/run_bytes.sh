#!/bin/bash
# War and Peace bits per byte: a byte-level model and a BPE model, 5 minutes each with default flags otherwise,
# trained on the first 90% (validation for keep-best carved from it by --val-fraction's default), scored on the
# last 10% with text eval; bits per byte = bits_per_symbol * symbols / bytes predicted.
cd /tmp/wp
for tok in byte bpe; do
  echo "$tok start $(date -u +%FT%TZ) load $(uptime | sed 's/.*average: //')"
  /tmp/ts/arkit text train --input first90.txt --out wp-$tok.safetensors --force --max-time 5m --tokenizer $tok --sample-length 0 > $tok.train.log 2>&1
  echo "$tok trained $(date -u +%FT%TZ) exit $? load $(uptime | sed 's/.*average: //')"
  /tmp/ts/arkit text eval --model wp-$tok.safetensors --input last10.txt --json > $tok.eval.json
  cat $tok.eval.json
done
echo "last10.txt bytes: $(stat -c %s last10.txt)"
