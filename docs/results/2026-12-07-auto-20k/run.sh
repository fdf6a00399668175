#!/usr/bin/env bash
# 20,000 monthly series of 120 points: ets against the default auto, one after the other.
set -u
BIN=${BIN:-/tmp/arkit}
CSV=${CSV:-/tmp/s20k/sorted.csv}
for m in ets auto; do
  echo "$m start $(date -u +%FT%TZ) load $(cut -d' ' -f1-3 /proc/loadavg)" >> times.txt
  /usr/bin/time -v $BIN series forecast --csv $CSV --horizon 12 --method $m --out $m.forecast.csv > $m.stdout 2> $m.stderr
  echo "$m exit $? end $(date -u +%FT%TZ) load $(cut -d' ' -f1-3 /proc/loadavg)" >> times.txt
done
