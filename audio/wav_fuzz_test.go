// Fuzz test of the WAV reader: arbitrary bytes never panic, and what is
// accepted is a sane clip no larger than its input.

package audio

import (
	"bytes"
	"math"
	"strings"
	"testing"
	"time"
)

func FuzzDecodeWAV(f *testing.F) {
	fmt16 := chunk("fmt ", fmtBody(formatPCM, 1, 8000, 16))
	seeds := [][]byte{
		pcmWAV(1, 8000, 8, 0, 128, 255),
		pcmWAV(1, 16000, 16, -32768, 0, 32767),
		pcmWAV(2, 44100, 24, 1, -1, 1<<23-1, -1<<23),
		pcmWAV(3, 48000, 32, 1, 2, 3),
		pcmWAV(1, 8000, 12, 0x7ff0),
		riffWAVE(chunk("fmt ", extBody(formatPCM, 2, 96000, 32, 24)), chunk("data", pcm(4, 1, 2))),
		riffWAVE(chunk("fmt ", extBody(3, 1, 8000, 32, 32)), chunk("data", floats(32, 0.5))),
		riffWAVE(chunk("fmt ", extBody(3, 2, 8000, 64, 64)), chunk("data", floats(64, 0.5, -2))),
		floatWAV(1, 8000, 32, 0.1, -0.2, 0.3),
		floatWAV(2, 44100, 64, 0.1, math.NaN()),
		riffWAVE(chunk("data", pcm(2, 5, 6)), chunk("LIST", []byte("INFO")), fmt16),
		riffWAVE(fmt16, []byte("data\xff\xff\xff\xff\x00\x00")),
		riffWAVE(chunk("fmt ", fmtBody(formatPCM, 65535, 768000, 32)), chunk("data", make([]byte, 16))),
		pcmWAV(1, 8000, 16, 1, 2, 3)[:40],
		[]byte("RIFF\x00\x00\x00\x00WAVEfmt \x10\x00\x00\x00"),
		[]byte("RIFF"),
		{},
	}
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		clip, err := DecodeWAV(bytes.NewReader(data), ReadOptions{MaxDuration: time.Minute})
		if err != nil {
			if clip != nil || !strings.HasPrefix(err.Error(), "audio: ") {
				t.Fatalf("clip %v with error %q", clip, err)
			}
			return
		}
		if clip.Rate < 1 || clip.Rate > MaxRate {
			t.Fatalf("rate %d", clip.Rate)
		}
		if len(clip.Samples) == 0 || len(clip.Samples) > len(data) || len(clip.Samples) > clip.Rate*60 {
			t.Fatalf("%d samples at %d Hz from %d bytes", len(clip.Samples), clip.Rate, len(data))
		}
		for i, v := range clip.Samples {
			if !(v >= -1 && v <= 1) || math.IsNaN(float64(v)) {
				t.Fatalf("sample %d is %v", i, v)
			}
		}
	})
}
