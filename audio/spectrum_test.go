package audio

import (
	"context"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

func sine(rate int, hz float64, n int) *Clip {
	x := make([]float32, n)
	for i := range x {
		x[i] = float32(0.5 * math.Sin(2*math.Pi*hz*float64(i)/float64(rate)))
	}
	return &Clip{Rate: rate, Samples: x}
}

func whiteNoise(rate, n int, seed uint64) *Clip {
	rng := rand.New(rand.NewPCG(seed, 1))
	x := make([]float32, n)
	for i := range x {
		x[i] = float32(0.3 * rng.NormFloat64())
	}
	return &Clip{Rate: rate, Samples: x}
}

func spectrum(t *testing.T, clips ...*Clip) Spectrum {
	t.Helper()
	s, err := LongTermSpectrum(clips)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestLongTermSpectrum(t *testing.T) {
	const rate = 8000
	tone, noise := spectrum(t, sine(rate, 500, rate)), spectrum(t, whiteNoise(rate, rate, 1))
	if tone.Size != 256 || len(tone.Power) != 129 {
		t.Fatalf("frame of %d samples and %d bins at 8 kHz, want 256 and 129", tone.Size, len(tone.Power))
	}
	var sum float64
	for _, p := range noise.Power {
		sum += p
	}
	if math.Abs(sum-1) > 1e-9 {
		t.Errorf("shares sum to %g", sum)
	}
	// A sine's energy sits within the Hann window's main lobe (two bins
	// either side); white noise's spreads with the band's width.
	if got := tone.BandShare(430, 570); got < 0.999 {
		t.Errorf("a 500 Hz sine has %.4f of its energy in 430-570 Hz", got)
	}
	if got := noise.BandShare(1000, 2000); math.Abs(got-0.25) > 0.03 {
		t.Errorf("white noise has %.4f of its energy in 1-2 kHz, want about 0.25", got)
	}
	if f := tone.Floor(); f > -60 {
		t.Errorf("a sine's floor is %.1f dB", f)
	}
	if f := noise.Floor(); f < -3 {
		t.Errorf("white noise's floor is %.1f dB, want near 0", f)
	}
	same, err := Overlap(tone, spectrum(t, sine(rate, 500, rate/2)))
	if err != nil || math.Abs(same-1) > 1e-6 {
		t.Errorf("overlap of two 500 Hz sines is %v, %v; want 1", same, err)
	}
	if apart, _ := Overlap(tone, spectrum(t, sine(rate, 2000, rate))); apart > 0.01 {
		t.Errorf("overlap of 500 and 2000 Hz sines is %.4f", apart)
	}
	if lo, hi := ToneBand(rate); lo != 150 || hi != 900 {
		t.Errorf("ToneBand(8000) = %v, %v; want 150, 900", lo, hi)
	}
	// Every tone Tones makes has its fundamental in ToneBand.
	lo, hi := ToneBand(rate)
	for i, tn := range Tones(3, rate, 250e6, 4) {
		if tn.Kind == KindTone {
			if got := spectrum(t, tn.Clip).BandShare(lo-50, hi+50); got < 0.99 {
				t.Errorf("tone %d has %.3f of its energy in %v-%v Hz", i, got, lo-50, hi+50)
			}
		}
	}

	short := spectrum(t, whiteNoise(rate, 100, 3)) // zero-padded to a frame
	if len(short.Power) != 129 {
		t.Errorf("a one-sample clip has %d bins", len(short.Power))
	}
	for _, c := range []struct {
		clips []*Clip
		want  string
	}{
		{nil, "no recordings"},
		{[]*Clip{sine(rate, 500, 300), sine(rate/2, 500, 300)}, "8000 and 4000 Hz"},
		{[]*Clip{{Rate: rate, Samples: []float32{0, float32(math.NaN())}}}, "sample 1 of clip 1 is NaN"},
		{[]*Clip{{Rate: rate, Samples: make([]float32, 10)}}, "silence"},
		{[]*Clip{{Rate: 0, Samples: make([]float32, 10)}}, "0 Hz"},
	} {
		if _, err := LongTermSpectrum(c.clips); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("got %v, want an error with %q", err, c.want)
		}
	}
	if _, err := Overlap(tone, spectrum(t, sine(rate/2, 500, rate))); err == nil {
		t.Error("overlap of spectra at 8000 and 4000 Hz: no error")
	}
}

// A model trained briefly (300 steps, about a second) on tones, chirps and
// notes generates clips whose energy lies at the tones' pitches, not spread
// as noise's is.
func TestGeneratedClipsSoundLikeTones(t *testing.T) {
	train := toneData(t, 60, 1)
	opts := tinyOptions(2)
	opts.Steps = 300
	m, _, err := Train(context.Background(), train, nil, opts)
	if err != nil {
		t.Fatal(err)
	}
	clips, err := m.Generate(context.Background(), GenerateOptions{Seconds: 0.5, N: 4, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	lo, hi := ToneBand(m.Rate)
	lo, hi = lo/1.2, hi*1.2
	noise := spectrum(t, whiteNoise(m.Rate, len(clips[0].Samples), 2))
	ns, nf := noise.BandShare(lo, hi), noise.Floor()
	for i, c := range clips {
		s := spectrum(t, c)
		share, floor := s.BandShare(lo, hi), s.Floor()
		t.Logf("clip %d: %.3f of the energy in %.0f-%.0f Hz, floor %.1f dB; white noise %.3f, %.1f dB", i+1, share, lo, hi, floor, ns, nf)
		// At 4 kHz the band is half the spectrum, so white noise puts
		// half its energy there; 300 steps give clips with 0.85 to 0.9
		// there and a floor 10 to 15 dB below noise's.
		if share < ns+0.25 || floor > nf-6 {
			t.Errorf("clip %d is noise-like: %.3f of its energy in %.0f-%.0f Hz and a floor of %.1f dB (white noise: %.3f and %.1f dB)",
				i+1, share, lo, hi, floor, ns, nf)
		}
	}
}
