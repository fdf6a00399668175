#!/usr/bin/env bash
# Side-by-side speed comparison with PyTorch: alternates rounds of
# ../shared/bench/torch_lstm.py and torch_word.py (PyTorch's fastest setting
# here: 1 torch thread, OpenBLAS on both cores) with `arkit bench --json`,
# so both see the same machine load, and prints the median of each figure
# and the ratios (arkit / PyTorch: above 1 means arkit is faster).
# Usage: scripts/bench_vs_torch.sh [rounds=3] [seconds-per-workload=5] [raw-output-dir]
# WEIGHTS=fp32|bf16|int8 sets the weights arkit samples with (default: arkit's own, int8 for generation);
# PRECISION=fp32|bf16|auto sets the precision arkit trains in (default: each workload's domain default: auto for the text models, fp32 for the series model).
# Needs: apt-get install -y python3-torch libopenblas0-pthread
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
secs=${2:-5}
out=${3:-$(mktemp -d)}
mkdir -p "$out"
bench=../shared/bench
[ -d "$bench" ] || bench=/work/shared/bench
go build -o "$out/arkit" ./cmd/arkit
echo "load before: $(uptime)" >&2
for r in $(seq "$rounds"); do
  /usr/bin/python3 "$bench/torch_lstm.py" 1 "$secs" > "$out/torch.$r"
  /usr/bin/python3 "$bench/torch_word.py" 1 "$secs" >> "$out/torch.$r"
  "$out/arkit" bench --json --seconds "$secs" --only train_char,sample_char,train_series,word_train,word_sample \
    ${WEIGHTS:+--weights "$WEIGHTS"} ${PRECISION:+--precision "$PRECISION"} > "$out/arkit.$r"
  echo "round $r done: $(uptime)" >&2
done
rm -f "$out/arkit"
python3 - "$out" "$rounds" <<'PY'
import json, statistics, sys
out, rounds = sys.argv[1], int(sys.argv[2])
figure = {"word_train": "symbols_per_s", "word_sample": "tokens_per_s", "train_char": "symbols_per_s",
          "sample_char": "tokens_per_s", "train_series": "values_per_s"}
def load(kind):
    rows = {}
    for r in range(1, rounds + 1):
        for line in open(f"{out}/{kind}.{r}"):
            d = json.loads(line)
            w = d.get("workload")
            if w in figure:
                rows.setdefault(w, []).append(d[figure[w]])
    return {w: (statistics.median(v), v) for w, v in rows.items()}
t, a = load("torch"), load("arkit")
print(f"{'workload':14s} {'figure':14s} {'PyTorch':>10s} {'arkit':>10s} {'ratio':>7s}   (medians of {rounds} rounds)")
for w in figure:
    if w in t and w in a:
        print(f"{w:14s} {figure[w]:14s} {t[w][0]:10.1f} {a[w][0]:10.1f} {a[w][0]/t[w][0]:7.2f}")
PY
