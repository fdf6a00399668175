#!/usr/bin/env bash
# Real-time factor of `arkit audio generate` side by side: 1 and 32 streams
# at 8 and 16 kHz (RATES) with the default model shape (`arkit audio train`
# defaults, 2 steps on --tones: speed does not depend on the weights'
# values), rounds alternating the variants so all see the same load; prints
# each run and the medians, with `uptime` before and after.
# Variants: two binaries OLD and NEW; or, with WEIGHTS (e.g. "fp32 bf16
# int8"), one binary run with each --weights (the first is the reference of
# the ratios).
# With CPU=1 each run is limited to one thread (GOMAXPROCS=1) and the figure is
# seconds of audio per second of CPU time (user + system), which the load of
# other processes disturbs far less than the wall-clock real-time factor.
# SECS and SECS32 (default 4 and 0.5) are the seconds per clip with 1 and 32 streams.
# FLAGS (e.g. "--weights int8") is passed to both binaries of an OLD NEW run.
# Usage: [CPU=1] [RATES="8000 16000"] scripts/audio_rtf.sh OLD-BINARY NEW-BINARY [rounds]
#        [CPU=1] [RATES=...] WEIGHTS="fp32 bf16 int8" scripts/audio_rtf.sh BINARY [rounds]
set -euo pipefail
rates=${RATES:-8000 16000}
names=() bins=() flags=()
if [ -n "${WEIGHTS:-}" ]; then
  bin=${1:?usage: WEIGHTS=\"fp32 int8\" scripts/audio_rtf.sh BINARY [rounds]}
  rounds=${2:-3}
  for w in $WEIGHTS; do names+=("$w") bins+=("$bin") flags+=("--weights $w"); done
else
  names=(old new) bins=("${1:?usage: scripts/audio_rtf.sh OLD NEW [rounds]}" "${2:?usage: scripts/audio_rtf.sh OLD NEW [rounds]}") flags=("${FLAGS:-}" "${FLAGS:-}")
  rounds=${3:-3}
fi
gen=${bins[-1]}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
for rate in $rates; do
  "$gen" audio train --tones 8 --rate $rate --steps 2 --quiet --out "$dir/m$rate.safetensors" >/dev/null
done
echo "uptime before: $(uptime)"
rtf() { # binary flags rate n seconds
  # shellcheck disable=SC2086
  if [ "${CPU:-0}" = 1 ]; then
    t=$( { GOMAXPROCS=1 /usr/bin/time -f "%U %S" "$1" audio generate --model "$dir/m$3.safetensors" --n "$4" \
      --seconds "$5" --seed 1 --out "$dir/g.wav" --quiet $2; } 2>&1 | tail -1)
    echo "$t" | awk -v a="$(echo "$4 * $5" | bc -l)" '{printf "%.2f\n", a / ($1 + $2)}'
    return
  fi
  # shellcheck disable=SC2086
  "$1" audio generate --model "$dir/m$3.safetensors" --n "$4" --seconds "$5" --seed 1 --out "$dir/g.wav" $2 2>&1 |
    sed -n 's/.*real-time factor \([0-9.]*\).*/\1/p'
}
declare -A runs
for r in $(seq "$rounds"); do
  for rate in $rates; do
    for n in 1 32; do
      secs=${SECS:-4}; [ "$n" = 32 ] && secs=${SECS32:-0.5}
      for i in "${!names[@]}"; do
        v=$(rtf "${bins[$i]}" "${flags[$i]}" $rate $n $secs)
        echo "round $r rate $rate n $n ${names[$i]} rtf $v"
        runs[${names[$i]}.$rate.$n]+="$v "
      done
    done
  done
done
echo "uptime after: $(uptime)"
median() { echo "$1" | tr ' ' '\n' | sed '/^$/d' | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
printf '%-6s %-8s' rate streams
for x in "${names[@]}"; do printf ' %-8s' "$x"; done
for x in "${names[@]:1}"; do printf ' %-10s' "$x/${names[0]}"; done
echo
for rate in $rates; do
  for n in 1 32; do
    printf '%-6s %-8s' $rate $n
    ref=$(median "${runs[${names[0]}.$rate.$n]}")
    for x in "${names[@]}"; do printf ' %-8s' "$(median "${runs[$x.$rate.$n]}")"; done
    for x in "${names[@]:1}"; do printf ' %-10.2f' "$(echo "$(median "${runs[$x.$rate.$n]}") / $ref" | bc -l)"; done
    echo
  done
done
