// Long-term spectra: how a set of clips spreads its energy over frequency,
// averaged over time (Welch's method: Hann-windowed frames of about 32 ms,
// half overlapping, power averaged). Two such spectra are compared by their
// overlap, and a spectrum's energy near given frequencies by its share in a
// band: together they tell whether generated audio has the spectral make-up
// of what the model learned or is noise.

package audio

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/dsp/fourier"
	"gonum.org/v1/gonum/dsp/window"
)

// Spectrum is the long-term power spectrum of one or more clips at one
// rate: Power[k] is the share of the energy in the bin centred on
// k*Rate/Size Hz, k from 0 to Size/2, and the shares sum to 1.
type Spectrum struct {
	Rate  int
	Size  int // frame length of the transform in samples
	Power []float64
}

// LongTermSpectrum returns the average power spectrum of clips, all at one
// rate: every clip is cut into Hann-windowed frames of the power of two
// nearest 32 ms (256 samples at 8 kHz), overlapping by half (a clip shorter
// than a frame is zero-padded to one), and the power of every frame of every
// clip is summed, so longer clips weigh more; the sum is normalised to 1.
//
// It returns an error if clips is empty, their rates differ or are not
// positive, a sample is NaN or infinite, or all samples are zero.
func LongTermSpectrum(clips []*Clip) (Spectrum, error) {
	if len(clips) == 0 {
		return Spectrum{}, fmt.Errorf("audio: spectrum of %w", ErrNoAudio)
	}
	rate := clips[0].Rate
	if rate <= 0 {
		return Spectrum{}, fmt.Errorf("audio: spectrum of a clip at %d Hz", rate)
	}
	n := 1 << max(2, int(math.Round(math.Log2(0.032*float64(rate)))))
	hop := n / 2
	win := window.NewValues(window.Hann, n)
	fft := fourier.NewFFT(n)
	frame := make([]float64, n)
	coef := make([]complex128, n/2+1)
	power := make([]float64, n/2+1)
	for i, c := range clips {
		if c.Rate != rate {
			return Spectrum{}, fmt.Errorf("audio: spectrum of clips at %d and %d Hz (clip %d)", rate, c.Rate, i+1)
		}
		x := c.Samples
		for start := 0; start == 0 || start+n <= len(x); start += hop {
			for j := range frame {
				frame[j] = 0
				if k := start + j; k < len(x) {
					v := float64(x[k])
					if math.IsNaN(v) || math.IsInf(v, 0) {
						return Spectrum{}, fmt.Errorf("audio: spectrum: sample %d of clip %d is %g", k, i+1, v)
					}
					frame[j] = v * win[j]
				}
			}
			fft.Coefficients(coef, frame)
			for k, z := range coef {
				power[k] += real(z)*real(z) + imag(z)*imag(z)
			}
		}
	}
	var sum float64
	for _, p := range power {
		sum += p
	}
	if !(sum > 0) {
		return Spectrum{}, errors.New("audio: spectrum of silence: every sample is zero")
	}
	for k := range power {
		power[k] /= sum
	}
	return Spectrum{Rate: rate, Size: n, Power: power}, nil
}

// Freq returns the centre frequency of bin k in Hz.
func (s Spectrum) Freq(k int) float64 { return float64(k) * float64(s.Rate) / float64(s.Size) }

// BandShare returns the share of s's energy in the bins whose centres lie
// between lo and hi Hz, both included: 0 to 1.
func (s Spectrum) BandShare(lo, hi float64) float64 {
	var share float64
	for k, p := range s.Power {
		if f := s.Freq(k); f >= lo && f <= hi {
			share += p
		}
	}
	return share
}

// Floor returns the level of s's median bin in dB relative to its
// strongest bin: near 0 for white noise, whose energy is spread evenly, and
// far below for tones, whose energy sits in a few bins (the rest is the
// leakage of the Hann window and whatever noise there is). It is -Inf if
// more than half of the bins hold no energy.
func (s Spectrum) Floor() float64 {
	sorted := slices.Clone(s.Power)
	slices.Sort(sorted)
	return 10 * math.Log10(sorted[len(sorted)/2]/sorted[len(sorted)-1])
}

// Overlap returns the Bhattacharyya coefficient of two spectra, the sum over
// bins of the square root of the product of their shares: 1 for spectra of
// the same shape, 0 for spectra with no energy in common. It is the cosine
// similarity of their magnitude spectra. It returns an error if their rates
// or frame sizes differ.
func Overlap(a, b Spectrum) (float64, error) {
	if a.Rate != b.Rate || a.Size != b.Size || len(a.Power) != len(b.Power) {
		return 0, fmt.Errorf("audio: spectra at %d Hz (%d-sample frames) and %d Hz (%d-sample frames)", a.Rate, a.Size, b.Rate, b.Size)
	}
	var bc float64
	for k, p := range a.Power {
		bc += math.Sqrt(p * b.Power[k])
	}
	return min(bc, 1), nil
}

// ToneBand returns the lowest and highest pitch in Hz of the sounds Tones
// makes at rate: their fundamentals, and the glides of their chirps, lie
// between the two (the notes' two overtones at twice and three times the
// fundamental lie above).
func ToneBand(rate int) (lo, hi float64) {
	hi = math.Min(900, 0.4*float64(rate))
	lo = math.Min(150, hi/2)
	return lo, hi
}
