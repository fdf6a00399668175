// Tests of Read and Decode over every format: the same tone as 16-bit WAV,
// float WAV (written here), FLAC and MP3 (made once with sox, see
// testdata/formats/SOURCE.md) decodes to nearly the same samples, and
// hostile or damaged files of each kind fail with an error.

package audio

import (
	"bytes"
	"errors"
	"flag"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var writeFixtures = flag.Bool("write-fixtures", false, "rewrite testdata/formats with sox")

// fixtureTone is the clip of testdata/formats: a quarter of a second at
// 16 kHz (go-mp3 reads no MPEG-2.5, so no 8 kHz MP3) of a 440 Hz tone with
// two harmonics and a swell, peaking below 0.6.
func fixtureTone() *Clip {
	const rate = 16000
	x := make([]float32, rate/4)
	for i := range x {
		t := float64(i) / rate
		env := 0.3 + 0.2*math.Sin(2*math.Pi*4*t)
		x[i] = float32(env * (math.Sin(2*math.Pi*440*t) + 0.3*math.Sin(2*math.Pi*880*t) + 0.1*math.Sin(2*math.Pi*1320*t)))
	}
	// Quantise to 16 bits, so that the 16-bit WAV is this clip exactly.
	for i, v := range x {
		x[i] = float32(pcm16(v)) / 32768
	}
	return &Clip{Rate: rate, Samples: x}
}

// TestWriteFormatFixtures rewrites the FLAC and MP3 fixtures from the
// fixture tone with sox, when run with -write-fixtures.
func TestWriteFormatFixtures(t *testing.T) {
	if !*writeFixtures {
		t.Skip("run with -write-fixtures to rewrite testdata/formats")
	}
	wav := filepath.Join(t.TempDir(), "tone.wav")
	if err := WriteWAV(wav, fixtureTone()); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{wav, "testdata/formats/tone.flac"},
		{wav, "-C", "48", "testdata/formats/tone.mp3"},
		{wav, "-c", "2", "testdata/formats/tone-stereo.flac"},
	} {
		if out, err := exec.Command("sox", args...).CombinedOutput(); err != nil {
			t.Fatalf("sox %v: %v\n%s", args, err, out)
		}
	}
}

// fixture returns a file of testdata/formats.
func fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "formats", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// rmsDiff returns the root mean square difference of a and b over the length of
// the shorter, after shifting b left by lag samples.
func rmsDiff(a, b []float32, lag int) float64 {
	b = b[lag:]
	n := min(len(a), len(b))
	var s float64
	for i := range n {
		d := float64(a[i] - b[i])
		s += d * d
	}
	return math.Sqrt(s / float64(n))
}

func TestDecodeFormats(t *testing.T) {
	tone := fixtureTone()
	f32 := make([]float64, len(tone.Samples))
	for i, v := range tone.Samples {
		f32[i] = float64(v)
	}
	tests := []struct {
		name    string
		file    []byte
		maxRMS  float64 // against the tone
		maxLag  int     // decoder delay searched for (MP3)
		longest int     // most samples expected
	}{
		{"float32 WAV", riffWAVE(chunk("fmt ", fmtBody(formatFloat, 1, 16000, 32)), chunk("data", floats(32, f32...))), 0, 0, len(f32)},
		{"float64 extensible WAV", riffWAVE(chunk("fmt ", extBody(formatFloat, 1, 16000, 64, 64)), chunk("data", floats(64, f32...))), 0, 0, len(f32)},
		{"FLAC", fixture(t, "tone.flac"), 0, 0, len(f32)},
		{"stereo FLAC", fixture(t, "tone-stereo.flac"), 0, 0, len(f32)},
		{"MP3", fixture(t, "tone.mp3"), 0.05, 2000, len(f32) + 3000},
		{"FLAC after an ID3 tag", append([]byte("ID3\x04\x00\x00\x00\x00\x00\x02\x00\x00"), fixture(t, "tone.flac")...), 0, 0, len(f32)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clip, err := Decode(bytes.NewReader(tt.file), ReadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if clip.Rate != tone.Rate || len(clip.Samples) < len(tone.Samples) || len(clip.Samples) > tt.longest {
				t.Fatalf("%d samples at %d Hz, want %d to %d at %d Hz", len(clip.Samples), clip.Rate, len(tone.Samples), tt.longest, tone.Rate)
			}
			best, lag := math.Inf(1), 0
			for l := 0; l <= tt.maxLag && l < len(clip.Samples)-len(tone.Samples)/2; l++ {
				if e := rmsDiff(tone.Samples, clip.Samples, l); e < best {
					best, lag = e, l
				}
			}
			if best > tt.maxRMS {
				t.Errorf("RMS difference %.4f from the tone (lag %d), want at most %g", best, lag, tt.maxRMS)
			}
			t.Logf("%d samples, lag %d, RMS difference %.5f", len(clip.Samples), lag, best)
		})
	}
}

func TestDecodeFormatErrors(t *testing.T) {
	flacFile, mp3File := fixture(t, "tone.flac"), fixture(t, "tone.mp3")
	hugeID3 := append([]byte("ID3\x04\x00\x00\x7f\x7f\x7f\x7f"), mp3File[:200]...)
	// A FLAC STREAMINFO declaring 2^36-1 samples at 8 kHz (99 days).
	longFLAC := bytes.Clone(flacFile)
	longFLAC[8+13] |= 0x0F
	copy(longFLAC[8+14:8+18], []byte{0xFF, 0xFF, 0xFF, 0xFF})
	damaged := bytes.Clone(flacFile)
	copy(damaged[len(damaged)/2:], bytes.Repeat([]byte{0x55}, 100))
	badRate := bytes.Clone(flacFile)
	badRate[8+10], badRate[8+11], badRate[8+12] = 0, 0, badRate[8+12]&0x0F
	tests := []struct {
		name    string
		file    []byte
		opts    ReadOptions
		want    error
		message string
	}{
		{"empty", nil, ReadOptions{}, ErrNotAudio, "empty"},
		{"text", []byte("hello, this is text"), ReadOptions{}, ErrNotAudio, `"hell"`},
		{"Ogg", []byte("OggS\x00\x02\x00\x00"), ReadOptions{}, ErrNotAudio, `"OggS"`},
		{"truncated WAV", floatWAV(1, 8000, 32, 0.5, 0.25)[:50], ReadOptions{}, ErrTruncated, "truncated WAV file"},
		{"FLAC signature only", []byte("fLaC"), ReadOptions{}, ErrTruncated, "truncated FLAC file"},
		{"FLAC header cut", flacFile[:30], ReadOptions{}, ErrTruncated, "truncated FLAC file"},
		{"FLAC frame cut", flacFile[:len(flacFile)-100], ReadOptions{}, ErrTruncated, "truncated FLAC file"},
		{"FLAC frame damaged", damaged, ReadOptions{}, nil, " FLAC file: "}, // malformed or truncated, as the damage reads
		{"FLAC absurd length", longFLAC, ReadOptions{}, ErrTooLong, "over the 1h0m0s limit"},
		{"FLAC rate 0", badRate, ReadOptions{}, ErrMalformed, "invalid sample rate (0)"},
		{"FLAC too long", flacFile, ReadOptions{MaxDuration: 100 * time.Millisecond}, ErrTooLong, "0.2 s at 16000 Hz"},
		{"MP3 absurd ID3 size", hugeID3, ReadOptions{}, ErrTruncated, "ID3 tag declares 268435465 bytes"},
		{"MP3 ID3 not sync-safe", []byte("ID3\x04\x00\x00\xff\xff\xff\xff\x00\x00"), ReadOptions{}, ErrMalformed, "sync-safe"},
		{"MP3 frame cut", mp3File[:len(mp3File)-50], ReadOptions{}, ErrTruncated, "truncated MP3 file"},
		{"MP3 header only", mp3File[:4], ReadOptions{}, ErrTruncated, "MP3 file"},
		{"MP3 sync then garbage", append([]byte{0xFF, 0xFB, 0x90, 0x00}, bytes.Repeat([]byte{0xAA}, 50)...), ReadOptions{}, ErrTruncated, "MP3 file"},
		{"MP3 too long", mp3File, ReadOptions{MaxDuration: 100 * time.Millisecond}, ErrTooLong, "at 16000 Hz is over the 100ms limit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clip, err := Decode(bytes.NewReader(tt.file), tt.opts)
			if err == nil {
				t.Fatalf("got a clip of %d samples, want an error", len(clip.Samples))
			}
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("error %q does not wrap %q", err, tt.want)
			}
			if !strings.HasPrefix(err.Error(), "audio: ") || !strings.Contains(err.Error(), tt.message) || strings.Contains(err.Error(), "\n") {
				t.Errorf("error %q, want one line with the prefix \"audio: \" and %q", err, tt.message)
			}
		})
	}
}

// FuzzDecode feeds arbitrary bytes, seeded with the FLAC and MP3 fixtures
// and their damaged forms, to Decode: no panic, no clip with an error, and
// an accepted clip is sane and within the one-minute limit.
func FuzzDecode(f *testing.F) {
	for _, name := range []string{"tone.flac", "tone.mp3"} {
		b, err := os.ReadFile(filepath.Join("testdata", "formats", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
		f.Add(b[:len(b)/2])
		f.Add(append([]byte("ID3\x04\x00\x00\x00\x00\x00\x00"), b[:300]...))
	}
	f.Add([]byte("fLaC"))
	f.Add([]byte{0xFF, 0xF3, 0x68, 0xC4, 0, 0, 0, 0})
	f.Add(floatWAV(1, 8000, 32, 0.1, -0.2))
	f.Fuzz(func(t *testing.T, data []byte) {
		clip, err := Decode(bytes.NewReader(data), ReadOptions{MaxDuration: time.Minute})
		if err != nil {
			if clip != nil || !strings.HasPrefix(err.Error(), "audio: ") {
				t.Fatalf("clip %v with error %q", clip, err)
			}
			return
		}
		if clip.Rate < 1 || clip.Rate > MaxRate || len(clip.Samples) == 0 || len(clip.Samples) > clip.Rate*60 {
			t.Fatalf("%d samples at %d Hz from %d bytes", len(clip.Samples), clip.Rate, len(data))
		}
		for i, v := range clip.Samples {
			if !(v >= -1 && v <= 1) {
				t.Fatalf("sample %d is %v", i, v)
			}
		}
	})
}
