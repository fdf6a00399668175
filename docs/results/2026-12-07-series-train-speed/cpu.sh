#!/bin/bash
# usage: cpu.sh rounds bench benchtime bin... : user+sys CPU seconds per run at GOMAXPROCS=1
n=$1; bench=$2; bt=$3; shift 3
for i in $(seq $n); do for bin in "$@"; do
  t=$( { GOMAXPROCS=1 /usr/bin/time -f "%U %S" $bin -test.run xxx -test.bench "$bench" -test.benchtime $bt >/dev/null; } 2>&1 | tail -1)
  echo "$bin $t"
done; done | python3 -c '
import sys,statistics,collections
d=collections.defaultdict(list)
for l in sys.stdin:
    k,u,s=l.split(); d[k].append(float(u)+float(s))
for k,v in d.items(): print(k, "median cpu s %.2f" % statistics.median(v), " ".join("%.2f"%x for x in v))
'
