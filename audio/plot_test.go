// Tests of PlotClip's output files and of the spectrogram behind it.

package audio

import (
	"bytes"
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestPlotClipFormats(t *testing.T) {
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(9, 10))
	x := tone(8000, 440, 0.5, 0, 4000)
	for i := range x {
		x[i] += float32(rng.NormFloat64() * 0.01)
	}
	clip := &Clip{Rate: 8000, Samples: x}
	tests := []struct{ name, magic string }{
		{"clip.png", "\x89PNG"},
		{"clip.SVG", "<?xml"},
		{"clip.pdf", "%PDF"},
	}
	for _, tt := range tests {
		path := filepath.Join(dir, tt.name)
		if err := PlotClip(path, clip); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(b, []byte(tt.magic)) {
			t.Errorf("%s starts with %q, want %q", tt.name, b[:min(8, len(b))], tt.magic)
		}
		if strings.HasSuffix(tt.name, ".png") {
			img, err := png.Decode(bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			if size := img.Bounds().Size(); size.X != 960 || size.Y != 624 {
				t.Errorf("PNG of %v pixels, want 960x624", size)
			}
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != len(tests) {
		t.Errorf("folder holds %d entries, want %d: temporary files left behind", len(entries), len(tests))
	}
}

func TestPlotClipErrors(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name string
		clip *Clip
		want string
	}{
		{"clip.gif", &Clip{Rate: 8000, Samples: make([]float32, 100)}, `unknown image format ".gif"`},
		{"clip", &Clip{Rate: 8000, Samples: make([]float32, 100)}, `unknown image format ""`},
		{"one.png", &Clip{Rate: 8000, Samples: make([]float32, 1)}, "1 samples"},
		{"rate.png", &Clip{Rate: 0, Samples: make([]float32, 100)}, "sample rate 0"},
		{"nan.png", &Clip{Rate: 8000, Samples: []float32{0, float32(math.NaN()), 0}}, "sample 1 is NaN"},
		{"inf.svg", &Clip{Rate: 8000, Samples: []float32{0, 0, float32(math.Inf(-1))}}, "sample 2 is -Inf"},
	}
	for _, tt := range tests {
		path := filepath.Join(dir, tt.name)
		err := PlotClip(path, tt.clip)
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), path) {
			t.Errorf("PlotClip(%s): error %v, want one naming the path and %q", tt.name, err, tt.want)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("failed plots left %d files", len(entries))
	}
}

// TestPlotClipLong plots 20 seconds of noise (2500 spectrogram frames): the
// figure stays small.
func TestPlotClipLong(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	x := make([]float32, 20*8000)
	for i := range x {
		x[i] = float32(rng.NormFloat64() * 0.1)
	}
	path := filepath.Join(t.TempDir(), "long.png")
	if err := PlotClip(path, &Clip{Rate: 8000, Samples: x}); err != nil {
		t.Fatal(err)
	}
	s := newSpectrogram(x, 8000)
	if c, _ := s.Dims(); c > maxColumns {
		t.Errorf("%d spectrogram columns, want at most %d", c, maxColumns)
	}
	if n := len(waveformPoints(x, 8000)); n > 2*maxColumns {
		t.Errorf("%d waveform points, want at most %d", n, 2*maxColumns)
	}
}

// TestSpectrogramTone checks level and frequency on a tone that falls on a
// bin: 1000 Hz at 8000 Hz with a 256-point window is bin 32.
func TestSpectrogramTone(t *testing.T) {
	const amp = 0.5
	s := newSpectrogram(tone(8000, 1000, amp, 0.3, 8000), 8000)
	cols, rows := s.Dims()
	if s.n != 256 || rows != 129 || s.hop != 64 || cols != 125 {
		t.Fatalf("window %d, hop %d, grid %dx%d; want 256, 64, 125x129", s.n, s.hop, cols, rows)
	}
	if y := s.Y(32); y != 1 {
		t.Fatalf("row 32 is at %v kHz, want 1", y)
	}
	want := 20 * math.Log10(amp)
	for _, c := range []int{10, 60, 110} {
		if z := s.Z(c, 32); math.Abs(z-want) > 0.05 {
			t.Errorf("column %d: %.3f dB at 1 kHz, want %.3f", c, z, want)
		}
		for _, r := range []int{0, 20, 40, 100, 128} {
			if z := s.Z(c, r); z > want-60 {
				t.Errorf("column %d row %d: %.1f dB, want below %.1f", c, r, z, want-60)
			}
		}
	}
	if s.Max != 0 || s.Min != -dynamicDB {
		t.Errorf("colour range %v to %v dB, want %d to 0", s.Min, s.Max, -dynamicDB)
	}
	if xmin, xmax, _, _ := s.DataRange(); xmin != 0 || xmax != 1 {
		t.Errorf("time range %v to %v s, want 0 to 1", xmin, xmax)
	}

	silent := newSpectrogram(make([]float32, 100), 16000)
	if silent.Max <= silent.Min || silent.Z(0, 0) != floorDB {
		t.Errorf("silence: range %v to %v, level %v", silent.Min, silent.Max, silent.Z(0, 0))
	}
}
