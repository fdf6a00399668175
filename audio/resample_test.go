// Tests of the resampler: tones in the passband keep their frequency,
// amplitude and phase; tones above the lower Nyquist frequency vanish.

package audio

import (
	"fmt"
	"math"
	"testing"
)

// tone returns n samples of amp*cos(2 pi freq t + phase) at rate.
func tone(rate int, freq, amp, phase float64, n int) []float32 {
	x := make([]float32, n)
	for i := range x {
		x[i] = float32(amp * math.Cos(2*math.Pi*freq*float64(i)/float64(rate)+phase))
	}
	return x
}

// fitTone fits a*cos(w t) + b*sin(w t) to y[lo:hi] by least squares and
// returns a, b and the RMS of what the fit leaves.
func fitTone(y []float32, rate int, freq float64, lo, hi int) (a, b, residual float64) {
	var cc, ss, cs, yc, ys float64
	w := 2 * math.Pi * freq / float64(rate)
	for i := lo; i < hi; i++ {
		c, s := math.Cos(w*float64(i)), math.Sin(w*float64(i))
		cc, ss, cs = cc+c*c, ss+s*s, cs+c*s
		yc, ys = yc+float64(y[i])*c, ys+float64(y[i])*s
	}
	det := cc*ss - cs*cs
	a, b = (yc*ss-ys*cs)/det, (ys*cc-yc*cs)/det
	var sum float64
	for i := lo; i < hi; i++ {
		c, s := math.Cos(w*float64(i)), math.Sin(w*float64(i))
		d := float64(y[i]) - a*c - b*s
		sum += d * d
	}
	return a, b, math.Sqrt(sum / float64(hi-lo))
}

func rms(y []float32) float64 {
	var sum float64
	for _, v := range y {
		sum += float64(v) * float64(v)
	}
	return math.Sqrt(sum / float64(len(y)))
}

func TestResampleTones(t *testing.T) {
	tests := []struct {
		from, to int
		freq     float64
		pass     bool
	}{
		{16000, 8000, 1000, true},
		{16000, 8000, 3500, true},
		{16000, 8000, 4000, false}, // the new Nyquist frequency itself
		{16000, 8000, 4500, false},
		{16000, 8000, 7000, false},
		{44100, 8000, 440, true},
		{44100, 8000, 3000, true},
		{44100, 8000, 5000, false},
		{44100, 8000, 15000, false},
		{8000, 16000, 1000, true},
		{8000, 16000, 3500, true},
		{8000, 44100, 2000, true},
		{48000, 44100, 15000, true},
		{44100, 48000, 19000, true},
		{22050, 16000, 9000, false},
		{8001, 8000, 3000, true}, // 8000 phases: interpolated between table rows
		{8000, 8001, 3000, true},
		{96000, 8000, 2000, true},
		{96000, 8000, 30000, false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d-%d-%g", tt.from, tt.to, tt.freq), func(t *testing.T) {
			const amp, phase = 0.5, 0.7
			x := tone(tt.from, tt.freq, amp, phase, tt.from) // one second
			y := Resample(x, tt.from, tt.to)
			if len(y) != tt.to {
				t.Fatalf("%d samples, want %d", len(y), tt.to)
			}
			lo, hi := len(y)/10, len(y)*9/10 // away from the zero padding at the ends
			if !tt.pass {
				db := 20 * math.Log10(rms(y[lo:hi])/(amp/math.Sqrt2))
				t.Logf("%g Hz at %d -> %d Hz: %.1f dB", tt.freq, tt.from, tt.to, db)
				if db > -40 {
					t.Errorf("%g Hz is attenuated by only %.1f dB", tt.freq, -db)
				}
				return
			}
			a, b, res := fitTone(y, tt.to, tt.freq, lo, hi)
			// amp cos(wt + phase) = amp cos(phase) cos(wt) - amp sin(phase) sin(wt)
			wantA, wantB := amp*math.Cos(phase), -amp*math.Sin(phase)
			if math.Abs(a-wantA) > 1e-3*amp || math.Abs(b-wantB) > 1e-3*amp {
				t.Errorf("fitted %.5f cos + %.5f sin, want %.5f cos + %.5f sin (amplitude %.5f, want %g)", a, b, wantA, wantB, math.Hypot(a, b), amp)
			}
			db := 20 * math.Log10(res/(amp/math.Sqrt2))
			t.Logf("%g Hz at %d -> %d Hz: gain %.5f, residual %.1f dB", tt.freq, tt.from, tt.to, math.Hypot(a, b)/amp, db)
			if db > -60 {
				t.Errorf("residual after the fitted tone is %.1f dB, want below -60 dB", db)
			}
		})
	}
}

func TestResampleLengthAndDC(t *testing.T) {
	tests := []struct{ n, from, to, want int }{
		{0, 16000, 8000, 0},
		{1, 16000, 8000, 1},
		{3, 16000, 8000, 2},
		{4, 16000, 8000, 2},
		{3, 8000, 16000, 6},
		{441, 44100, 8000, 80},
		{442, 44100, 8000, 81},
		{1000, 8000, 8000, 1000},
		{10, 3, 7, 24},
	}
	for _, tt := range tests {
		x := make([]float32, tt.n)
		for i := range x {
			x[i] = 0.25
		}
		y := Resample(x, tt.from, tt.to)
		if len(y) != tt.want {
			t.Errorf("%d samples %d -> %d Hz: %d samples, want %d", tt.n, tt.from, tt.to, len(y), tt.want)
		}
	}
	// A constant stays constant away from the ends: the gain at 0 Hz is 1.
	for _, rates := range [][2]int{{16000, 8000}, {8000, 16000}, {44100, 8000}, {8001, 8000}, {8000, 44100}} {
		x := make([]float32, 20000)
		for i := range x {
			x[i] = 0.25
		}
		y := Resample(x, rates[0], rates[1])
		for i := len(y) / 4; i < len(y)*3/4; i++ {
			if math.Abs(float64(y[i])-0.25) > 1e-6 {
				t.Fatalf("%d -> %d Hz: sample %d of a constant 0.25 is %v", rates[0], rates[1], i, y[i])
			}
		}
	}
}

func TestResampleSameRateCopies(t *testing.T) {
	x := []float32{1, -0.5, 0.25}
	y := Resample(x, 8000, 8000)
	if !equalFloat32s(x, y) {
		t.Fatalf("Resample at the same rate gives %v, want %v", y, x)
	}
	y[0] = 0
	if x[0] != 1 {
		t.Error("Resample at the same rate returns its input, not a copy")
	}
	c := (&Clip{Rate: 16000, Samples: tone(16000, 500, 0.5, 0, 1600)}).Resample(8000)
	if c.Rate != 8000 || len(c.Samples) != 800 {
		t.Errorf("Clip.Resample gives %d samples at %d Hz, want 800 at 8000", len(c.Samples), c.Rate)
	}
}

func TestNewResamplerPanics(t *testing.T) {
	for _, rates := range [][2]int{{0, 8000}, {8000, 0}, {-1, 8000}, {MaxRate + 1, 8000}, {8000, MaxRate + 1}, {768000, 700}} {
		func() {
			defer func() {
				if r, ok := recover().(string); !ok || r[:7] != "audio: " {
					t.Errorf("NewResampler(%d, %d): recovered %v, want an \"audio: \" panic", rates[0], rates[1], r)
				}
			}()
			NewResampler(rates[0], rates[1])
		}()
	}
	// The extremes that are allowed build a filter of bounded size.
	r := NewResampler(768000, 768)
	if from, to := r.Rates(); from != 768000 || to != 768 || len(r.table) > 2*maxTable {
		t.Errorf("768000 -> 768 Hz: rates %d, %d and %d coefficients", from, to, len(r.table))
	}
}

func BenchmarkResample(b *testing.B) {
	for _, rates := range [][2]int{{16000, 8000}, {44100, 8000}, {8000, 16000}, {44100, 48000}} {
		b.Run(fmt.Sprintf("%d-%d", rates[0], rates[1]), func(b *testing.B) {
			r := NewResampler(rates[0], rates[1])
			x := tone(rates[0], 440, 0.5, 0, rates[0]) // one second
			b.SetBytes(int64(4 * len(x)))
			for b.Loop() {
				r.Resample(x)
			}
		})
	}
}
