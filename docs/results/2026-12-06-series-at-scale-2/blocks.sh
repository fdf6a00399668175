#!/bin/sh
# arkit-beam before and after reading rows into blocks per series and file
# (issue #15). Old: main at 7de41be; new: branch beam2. Run from the repository root.
set -e
B=/tmp/beam2
cd cmd/arkit-beam && go build -o $B/arkit-beam-new . && cd ../..
go build -o $B/arkit ./cmd/arkit
go run ./scripts/genseries -n 20000 -len 120 -out $B/s20k -parts 4
go run ./scripts/genseries -n 200000 -len 120 -out $B/s200k -parts 4
run() { # name binary dir out
	(uptime; /usr/bin/time -v $B/$2 series forecast --csv "$B/$3/part-*.csv" --horizon 18 --method snaive --out $B/$4/f --shards 4; uptime) > $B/$1.txt 2>&1
}
run old20k arkit-beam-old s20k out-old
run new20k arkit-beam-new s20k out-new
run new20k-2 arkit-beam-new s20k out-new-2
run old20k-2 arkit-beam-old s20k out-old-2
run new200k arkit-beam-new s200k out200k
(uptime; /usr/bin/time -v $B/arkit series forecast --csv $B/s200k/sorted.csv --sorted --horizon 18 --method snaive --out $B/arkit200k.csv; uptime) > $B/arkit200k.txt 2>&1
for d in out-old out-new; do cat $B/$d/f-*.csv | grep -v '^id,' | sort | sha256sum; done
grep -hv '^id,' $B/arkit200k.csv | sort | sha256sum
cat $B/out200k/f-*.csv | grep -v '^id,' | sort | sha256sum
# Diagnosis only, not committed: the same with a 256 MB read buffer
# (defaultBuffer = 256 << 20 in seriesbeam/rows.go), built as arkit-beam-256.
run buf256-200k arkit-beam-256 s200k out200k-256
