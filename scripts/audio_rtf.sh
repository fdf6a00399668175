#!/usr/bin/env bash
# Real-time factor of `arkit audio generate` for two binaries side by side:
# 1 and 32 streams at 8 and 16 kHz with the default model shape (`arkit audio
# train` defaults, 2 steps on --tones: speed does not depend on the weights),
# rounds alternating old and new so both see the same load; prints each run
# and the medians, with `uptime` before and after.
# With CPU=1 each run is limited to one thread (GOMAXPROCS=1) and the figure is
# seconds of audio per second of CPU time (user + system), which the load of
# other processes disturbs far less than the wall-clock real-time factor.
# Usage: [CPU=1] scripts/audio_rtf.sh OLD-BINARY NEW-BINARY [rounds]
set -euo pipefail
old=${1:?usage: scripts/audio_rtf.sh OLD NEW [rounds]}
new=${2:?usage: scripts/audio_rtf.sh OLD NEW [rounds]}
rounds=${3:-3}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
for rate in 8000 16000; do
  "$new" audio train --tones 8 --rate $rate --steps 2 --quiet --out "$dir/m$rate.safetensors" >/dev/null
done
echo "uptime before: $(uptime)"
rtf() { # binary rate n seconds
  if [ "${CPU:-0}" = 1 ]; then
    t=$( { GOMAXPROCS=1 /usr/bin/time -f "%U %S" "$1" audio generate --model "$dir/m$2.safetensors" --n "$3" \
      --seconds "$4" --seed 1 --out "$dir/g.wav" --quiet; } 2>&1 | tail -1)
    echo "$t" | awk -v a="$(echo "$3 * $4" | bc -l)" '{printf "%.2f\n", a / ($1 + $2)}'
    return
  fi
  "$1" audio generate --model "$dir/m$2.safetensors" --n "$3" --seconds "$4" --seed 1 --out "$dir/g.wav" 2>&1 |
    sed -n 's/.*real-time factor \([0-9.]*\).*/\1/p'
}
declare -A runs
for r in $(seq "$rounds"); do
  for rate in 8000 16000; do
    for n in 1 32; do
      secs=4; [ "$n" = 32 ] && secs=0.5
      for bin in old new; do
        b=$old; [ $bin = new ] && b=$new
        v=$(rtf "$b" $rate $n $secs)
        echo "round $r rate $rate n $n $bin rtf $v"
        runs[$bin.$rate.$n]+="$v "
      done
    done
  done
done
echo "uptime after: $(uptime)"
printf '%-6s %-8s %-8s %-8s %-8s\n' rate streams old new new/old
for rate in 8000 16000; do
  for n in 1 32; do
    o=$(echo ${runs[old.$rate.$n]} | tr ' ' '\n' | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    w=$(echo ${runs[new.$rate.$n]} | tr ' ' '\n' | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    printf '%-6s %-8s %-8s %-8s %-8.2f\n' $rate $n $o $w $(echo "$w / $o" | bc -l)
  done
done
