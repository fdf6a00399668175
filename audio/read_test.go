// Tests of Read and Decode over every format: the same tone as 16-bit WAV,
// float WAV (written here), FLAC (made once with sox) and MP3 (with lame, see
// testdata/formats/SOURCE.md) decodes to nearly the same samples, and
// hostile or damaged files of each kind fail with an error.

package audio

import (
	"bytes"
	"context"
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

var writeFixtures = flag.Bool("write-fixtures", false, "rewrite testdata/formats with sox and lame")

// fixtureTone is the clip of testdata/formats: a quarter of a second at
// 32 kHz (MPEG-1 layer III, which LAME encodes at its input's level; its
// MPEG-2 streams at 16 kHz come out about 5% quieter) of a 440 Hz tone with
// two harmonics and a swell, peaking below 0.6.
func fixtureTone() *Clip {
	const rate = 32000
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
// fixture tone with sox and lame, when run with -write-fixtures
// (scripts/audio_fixtures.sh).
func TestWriteFormatFixtures(t *testing.T) {
	if !*writeFixtures {
		t.Skip("run with -write-fixtures to rewrite testdata/formats")
	}
	wav := filepath.Join(t.TempDir(), "tone.wav")
	if err := WriteWAV(wav, fixtureTone()); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"sox", wav, "testdata/formats/tone.flac"},
		{"sox", wav, "-c", "2", "testdata/formats/tone-stereo.flac"},
		// MPEG-1 layer III at 256 kbit/s with the Xing/Info frame and
		// its LAME tag (encoder delay and padding), and without (-t);
		// MPEG-2 at 16 kHz, tagged.
		{"lame", "--quiet", "-b", "256", wav, "testdata/formats/tone.mp3"},
		{"lame", "--quiet", "-t", "-b", "256", wav, "testdata/formats/tone-notag.mp3"},
		{"lame", "--quiet", "--resample", "16", "-b", "160", wav, "testdata/formats/tone-mpeg2.mp3"},
	} {
		if out, err := exec.Command(args[0], args[1:]...).CombinedOutput(); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, out)
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
		{"float32 WAV", riffWAVE(chunk("fmt ", fmtBody(formatFloat, 1, 32000, 32)), chunk("data", floats(32, f32...))), 0, 0, len(f32)},
		{"float64 extensible WAV", riffWAVE(chunk("fmt ", extBody(formatFloat, 1, 32000, 64, 64)), chunk("data", floats(64, f32...))), 0, 0, len(f32)},
		{"FLAC", fixture(t, "tone.flac"), 0, 0, len(f32)},
		{"stereo FLAC", fixture(t, "tone-stereo.flac"), 0, 0, len(f32)},
		// The LAME tag's delay and padding trimmed: the clip itself.
		{"MP3", fixture(t, "tone.mp3"), 0.02, 0, len(f32)},
		// Without the tag, only the decoder's delay is trimmed: the
		// encoder's delay (576 with LAME) heads the clip and its
		// padding ends it.
		{"MP3 without LAME tag", fixture(t, "tone-notag.mp3"), 0.02, 2000, len(f32) + 2000},
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
		{"FLAC too long", flacFile, ReadOptions{MaxDuration: 100 * time.Millisecond}, ErrTooLong, "0.2 s at 32000 Hz"},
		{"MP3 absurd ID3 size", hugeID3, ReadOptions{}, ErrTruncated, "ID3 tag declares 268435465 bytes"},
		{"MP3 ID3 not sync-safe", []byte("ID3\x04\x00\x00\xff\xff\xff\xff\x00\x00"), ReadOptions{}, ErrMalformed, "sync-safe"},
		{"MP3 frame cut", mp3File[:len(mp3File)-50], ReadOptions{}, ErrTruncated, "truncated MP3 file"},
		{"MP3 header only", mp3File[:4], ReadOptions{}, ErrTruncated, "MP3 file"},
		{"MP3 sync then garbage", append([]byte{0xFF, 0xFB, 0x90, 0x00}, bytes.Repeat([]byte{0xAA}, 50)...), ReadOptions{}, ErrTruncated, "MP3 file"},
		{"MPEG-2.5", withHeader(mp3File, 1, 0x18, 0x00), ReadOptions{}, ErrUnsupportedFormat, "unsupported MP3 file: MPEG-2.5"},
		{"MPEG layer II", withHeader(mp3File, 1, 0x06, 0x04), ReadOptions{}, ErrUnsupportedFormat, "MPEG layer 2"},
		{"MP3 delay over the stream", lameDelay(t, fixture(t, "tone-mpeg2.mp3"), 4095, 4095), ReadOptions{}, ErrEmpty, "no samples after"},
		{"MP3 too long", mp3File, ReadOptions{MaxDuration: 100 * time.Millisecond}, ErrTooLong, "at 32000 Hz is over the 100ms limit"},
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

// withHeader returns a copy of b with b[i] = b[i]&^mask | set.
func withHeader(b []byte, i int, mask, set byte) []byte {
	c := bytes.Clone(b)
	c[i] = c[i]&^mask | set
	return c
}

// lameDelay returns a copy of the tagged MP3 fixture b whose LAME tag
// declares the given encoder delay and padding.
func lameDelay(t *testing.T, b []byte, delay, padding int) []byte {
	t.Helper()
	c := bytes.Clone(b)
	i := bytes.Index(c, []byte("LAME"))
	if i < 0 {
		t.Fatal("no LAME tag in the fixture")
	}
	c[i+21], c[i+22], c[i+23] = byte(delay>>4), byte(delay<<4|padding>>8), byte(padding)
	return c
}

// FuzzDecode feeds arbitrary bytes, seeded with the FLAC and MP3 fixtures
// and their damaged forms, to Decode: no panic, no clip with an error, and
// an accepted clip is sane and within the one-minute limit.
func FuzzDecode(f *testing.F) {
	for _, name := range []string{"tone.flac", "tone.mp3", "tone-notag.mp3", "tone-mpeg2.mp3"} {
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

// TestMP3Gapless checks the trimming on the MPEG-2 fixture (576 samples per
// frame, a shorter side information before the Xing/Info frame's fields):
// LAME resampled the tone to 16 kHz; the decoded clip has the length of the
// tone at 16 kHz and lines up with it without a lag.
func TestMP3Gapless(t *testing.T) {
	tone := fixtureTone().Resample(16000)
	clip, err := Decode(bytes.NewReader(fixture(t, "tone-mpeg2.mp3")), ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if clip.Rate != 16000 || len(clip.Samples) != len(tone.Samples) {
		t.Fatalf("%d samples at %d Hz, want %d at 16000 Hz", len(clip.Samples), clip.Rate, len(tone.Samples))
	}
	best, lag := math.Inf(1), 0
	for l := -50; l <= 50; l++ {
		a, b := tone.Samples, clip.Samples
		if l < 0 {
			a, b = b, a
		}
		if e := rmsDiff(a, b, max(l, -l)); e < best {
			best, lag = e, l
		}
	}
	t.Logf("lag %d, RMS difference %.4f", lag, best)
	if lag != 0 || best > 0.03 {
		t.Errorf("the clip lines up with the tone at lag %d (RMS difference %.4f), want 0", lag, best)
	}
}

// TestEvalFormatsAgree scores the fixture tone, read from each format, under
// a model trained on other synthetic sounds at 8 kHz (each file resampled
// to it, as eval does): the float WAV, the
// FLAC and the LAME-tagged MP3 (its delays trimmed) score within 0.05 bits
// per sample of the 16-bit WAV.
func TestEvalFormatsAgree(t *testing.T) {
	tone := fixtureTone()
	wav := filepath.Join(t.TempDir(), "tone.wav")
	if err := WriteWAV(wav, tone); err != nil {
		t.Fatal(err)
	}
	ref, err := os.ReadFile(wav)
	if err != nil {
		t.Fatal(err)
	}
	f32 := make([]float64, len(tone.Samples))
	for i, v := range tone.Samples {
		f32[i] = float64(v)
	}
	dataset := func(file []byte) *Dataset {
		t.Helper()
		clip, err := Decode(bytes.NewReader(file), ReadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		d, err := NewDataset([]*Clip{clip}, nil, 8000)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	train, err := ToneDataset(40, 8000, 250*time.Millisecond, 5)
	if err != nil {
		t.Fatal(err)
	}
	opts := tinyOptions(1)
	opts.Steps = 100
	m, _, err := Train(context.Background(), train, nil, opts)
	if err != nil {
		t.Fatal(err)
	}
	score := func(file []byte) float64 {
		t.Helper()
		s, err := m.Evaluate(context.Background(), dataset(file))
		if err != nil {
			t.Fatal(err)
		}
		return s.BitsPerSample
	}
	want := score(ref)
	if want > 6 {
		t.Fatalf("16-bit WAV: %.3f bits per sample: the model learned too little for the comparison to mean anything", want)
	}
	t.Logf("16-bit WAV: %.4f bits per sample", want)
	for _, tt := range []struct {
		name string
		file []byte
	}{
		{"float32 WAV", riffWAVE(chunk("fmt ", fmtBody(formatFloat, 1, 32000, 32)), chunk("data", floats(32, f32...)))},
		{"FLAC", fixture(t, "tone.flac")},
		{"MP3", fixture(t, "tone.mp3")},
	} {
		got := score(tt.file)
		t.Logf("%s: %.4f bits per sample (%+.4f)", tt.name, got, got-want)
		if math.Abs(got-want) > 0.05 {
			t.Errorf("%s: %.4f bits per sample, the 16-bit WAV %.4f: more than 0.05 apart", tt.name, got, want)
		}
	}
	// Without the LAME tag the encoder's delay and padding stay: logged
	// to show what the trimming is worth.
	t.Logf("MP3 without LAME tag: %.4f bits per sample (%+.4f)", score(fixture(t, "tone-notag.mp3")), score(fixture(t, "tone-notag.mp3"))-want)
}
