#!/usr/bin/env bash
# Side-by-side speed of two revisions of arkit: builds `arkit` at REV (in a
# temporary git worktree) and at the working tree, alternates rounds of
# `arkit bench --json` of the two so that both see the same machine load,
# and prints the median of each figure and the ratio new/old.
# Usage: scripts/bench_old_new.sh REV [rounds] [seconds-per-workload] [raw-output-dir]
# ONLY=sample_char,... limits the workloads (arkit bench --only).
set -euo pipefail
cd "$(dirname "$0")/.."
rev=${1:?usage: scripts/bench_old_new.sh REV [rounds] [seconds] [raw-dir]}
rounds=${2:-5}
secs=${3:-4}
out=${4:-$(mktemp -d)}
mkdir -p "$out"
out=$(cd "$out" && pwd)
tree=$(mktemp -d)
bin=$(mktemp -d)
trap 'git worktree remove --force "$tree" >/dev/null 2>&1 || true; rm -rf "$bin"' EXIT
git worktree add -q --detach "$tree" "$rev"
(cd "$tree" && go build -o "$bin/arkit-old" ./cmd/arkit)
go build -o "$bin/arkit-new" ./cmd/arkit
for r in $(seq "$rounds"); do
  "$bin/arkit-old" bench --json --seconds "$secs" ${ONLY:+--only "$ONLY"} > "$out/old.$r.jsonl"
  "$bin/arkit-new" bench --json --seconds "$secs" ${ONLY:+--only "$ONLY"} > "$out/new.$r.jsonl"
done
python3 - "$out" "$rounds" <<'PY'
import json, statistics, sys
out, rounds = sys.argv[1], int(sys.argv[2])
def load(kind):
    rows = {}
    for r in range(1, rounds + 1):
        for line in open(f"{out}/{kind}.{r}.jsonl"):
            d = json.loads(line)
            w = d.get("workload")
            for k, v in d.items():
                if k.endswith("_per_s") or k.startswith("gflops"):
                    rows.setdefault((w, k), []).append(v)
    return {k: statistics.median(v) for k, v in rows.items()}
o, n = load("old"), load("new")
print(f"{'workload':22s} {'figure':14s} {'old':>10s} {'new':>10s} {'new/old':>8s}")
for key in sorted(o):
    if key in n:
        print(f"{key[0]:22s} {key[1]:14s} {o[key]:10.1f} {n[key]:10.1f} {n[key]/o[key]:8.3f}")
PY
