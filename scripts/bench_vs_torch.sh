#!/usr/bin/env bash
# Side-by-side speed comparison with PyTorch: alternates rounds of
# ../shared/bench/torch_lstm.py (PyTorch's fastest setting here: 1 torch
# thread, OpenBLAS on both cores) and `arkit bench --json`, so both see the
# same machine load, and prints the median of each figure and the ratios.
# Usage: scripts/bench_vs_torch.sh [rounds] [seconds-per-workload]
# Needs: apt-get install -y python3-torch libopenblas0-pthread
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
secs=${2:-5}
out=$(mktemp -d)
go build -o "$out/arkit" ./cmd/arkit
for r in $(seq "$rounds"); do
  /usr/bin/python3 ../shared/bench/torch_lstm.py 1 "$secs" > "$out/torch.$r"
  "$out/arkit" bench --json --seconds "$secs" > "$out/arkit.$r"
done
python3 - "$out" "$rounds" <<'PY'
import json, statistics, sys
out, rounds = sys.argv[1], int(sys.argv[2])
keys = {"train_char": "symbols_per_s", "sample_char": "tokens_per_s", "train_series": "values_per_s"}
def load(kind):
    rows = {}
    for r in range(1, rounds + 1):
        for line in open(f"{out}/{kind}.{r}"):
            d = json.loads(line)
            w = d.get("workload")
            if w:
                for k, v in d.items():
                    if isinstance(v, (int, float)) and k not in ("hidden", "layers", "batch", "seq"):
                        rows.setdefault((w, k), []).append(v)
    return {k: statistics.median(v) for k, v in rows.items()}
t, a = load("torch"), load("arkit")
print(f"{'workload':14s} {'figure':22s} {'PyTorch':>10s} {'arkit':>10s} {'ratio':>7s}")
for (w, k) in sorted(t):
    if (w, k) in a and (k in keys.values() or w == "gemm"):
        print(f"{w:14s} {k:22s} {t[(w,k)]:10.1f} {a[(w,k)]:10.1f} {a[(w,k)]/t[(w,k)]:7.2f}")
PY
