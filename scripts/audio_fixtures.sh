#!/usr/bin/env bash
# Rewrites audio/testdata/formats: the tone of fixtureTone (audio/read_test.go;
# a quarter second at 32 kHz, quantised to 16 bits) as FLAC with sox and as
# MP3 with lame (tagged MPEG-1 at 256 kbit/s, the same without the Xing/LAME
# tag, tagged MPEG-2 resampled to 16 kHz). See audio/testdata/formats/SOURCE.md.
# Needs sox (with libFLAC) and lame on PATH.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v sox >/dev/null || { echo "sox not found" >&2; exit 1; }
command -v lame >/dev/null || { echo "lame not found" >&2; exit 1; }
go test -count=1 ./audio -run '^TestWriteFormatFixtures$' -write-fixtures
ls -l audio/testdata/formats
