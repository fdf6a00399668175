// Band-limited sample-rate conversion: a Kaiser-windowed sinc low-pass
// filter evaluated on a polyphase table, for any pair of integer rates.

package audio

import (
	"fmt"
	"math"
	"slices"
)

// Filter design of every Resampler.
const (
	// resampleStopDB is the stopband attenuation of the Kaiser design.
	resampleStopDB = 80
	// resamplePass is the passband edge as a fraction of the lower Nyquist
	// frequency; the stopband starts at the lower Nyquist frequency itself,
	// so nothing above the output's Nyquist frequency folds back.
	resamplePass = 0.9
	// maxPhases and maxTable bound the polyphase table. Rate pairs with more
	// phases (rates whose ratio reduces to a large fraction) interpolate
	// linearly between neighbouring phases instead.
	maxPhases = 1024
	maxTable  = 1 << 22
)

// Resampler converts audio from one sample rate to another. It low-pass
// filters with a Kaiser-windowed sinc whose passband reaches 90% of the lower
// of the two Nyquist frequencies and whose stopband, attenuated by 80 dB,
// starts at that Nyquist frequency: downsampling removes what would alias,
// upsampling removes the images. The filter is symmetric, so the output is
// not delayed, and its gain at 0 Hz is exactly 1. Samples before the start
// and after the end of the input are taken as zero.
//
// Build one Resampler per rate pair and reuse it: NewResampler computes the
// filter table, Resample only reads it, so a Resampler is safe for
// concurrent use.
type Resampler struct {
	from, to int
	up, down int // to/gcd, from/gcd: output sample n sits at input time n*down/up

	half   int       // input samples used on each side of the output time
	phases int       // rows of table minus one; rows are fractional offsets p/phases
	table  []float32 // (phases+1) rows of 2*half coefficients
}

// MaxDownsample is the largest ratio from/to that NewResampler accepts: the
// filter needs about 100*from/to taps, so its size is bounded too.
const MaxDownsample = 1000

// NewResampler returns a Resampler from rate from to rate to, in Hz.
//
// NewResampler panics if a rate is outside 1..MaxRate or if from exceeds
// MaxDownsample*to; check rates that come from users first.
func NewResampler(from, to int) *Resampler {
	if from < 1 || to < 1 || from > MaxRate || to > MaxRate || from > MaxDownsample*to {
		panic(fmt.Sprintf("audio: NewResampler(%d, %d): want rates in 1..%d and from/to at most %d", from, to, MaxRate, MaxDownsample))
	}
	g := gcd(from, to)
	r := &Resampler{from: from, to: to, up: to / g, down: from / g}
	if from == to {
		return r
	}

	// Kaiser's design formulas, with frequencies in cycles per input sample.
	nyquist := float64(min(from, to)) / 2 / float64(from)
	pass, stop := resamplePass*nyquist, nyquist
	cutoff := (pass + stop) / 2
	order := (resampleStopDB - 7.95) / (2.285 * 2 * math.Pi * (stop - pass))
	width := order / 2 // the window covers |t| <= width input samples
	beta := 0.1102 * (resampleStopDB - 8.7)

	r.half = int(math.Ceil(width))
	taps := 2 * r.half
	r.phases = r.up
	if r.phases > maxPhases || (r.phases+1)*taps > maxTable {
		r.phases = min(r.up, max(16, min(maxPhases, maxTable/taps-1)))
	}

	r.table = make([]float32, (r.phases+1)*taps)
	coef := make([]float64, taps)
	i0beta := besselI0(beta)
	for p := 0; p <= r.phases; p++ {
		frac := float64(p) / float64(r.phases)
		var sum float64
		for i := range coef {
			t := float64(i-r.half+1) - frac // input sample i-half+1 relative to the output time
			c := 0.0
			if u := t / width; math.Abs(u) < 1 {
				c = 2 * cutoff * sinc(2*cutoff*t) * besselI0(beta*math.Sqrt(1-u*u)) / i0beta
			}
			coef[i] = c
			sum += c
		}
		row := r.table[p*taps : (p+1)*taps]
		for i, c := range coef {
			row[i] = float32(c / sum)
		}
	}
	return r
}

// Rates returns the input and output rates of r.
func (r *Resampler) Rates() (from, to int) { return r.from, r.to }

// Resample returns x resampled; it holds ceil(len(x)*to/from) samples. If the
// two rates are equal it returns a copy of x.
func (r *Resampler) Resample(x []float32) []float32 {
	if r.from == r.to {
		return slices.Clone(x)
	}
	up, down := int64(r.up), int64(r.down)
	y := make([]float32, (int64(len(x))*up+down-1)/down)
	taps := 2 * r.half
	for n := range y {
		t := int64(n) * down
		k := int(t / up)
		lo := k - r.half + 1
		rem := t % up
		if r.phases == r.up {
			y[n] = dotAt(r.table[int(rem)*taps:int(rem+1)*taps], x, lo)
			continue
		}
		f := float64(rem) * float64(r.phases) / float64(up)
		p := int(f)
		a := float32(f - float64(p))
		y0 := dotAt(r.table[p*taps:(p+1)*taps], x, lo)
		y1 := dotAt(r.table[(p+1)*taps:(p+2)*taps], x, lo)
		y[n] = y0 + a*(y1-y0)
	}
	return y
}

// Resample returns x, sampled at rate from, resampled to rate to. It builds a
// new Resampler on each call; reuse one for many signals.
//
// Resample panics where NewResampler does.
func Resample(x []float32, from, to int) []float32 {
	return NewResampler(from, to).Resample(x)
}

// dotAt returns the sum of coef[i]*x[lo+i], with x taken as zero outside its
// bounds.
func dotAt(coef, x []float32, lo int) float32 {
	if lo < 0 {
		if -lo >= len(coef) {
			return 0
		}
		coef, lo = coef[-lo:], 0
	}
	if lo >= len(x) {
		return 0
	}
	if lo+len(coef) > len(x) {
		coef = coef[:len(x)-lo]
	}
	x = x[lo : lo+len(coef)]
	var s0, s1, s2, s3 float32
	i := 0
	for ; i+4 <= len(coef); i += 4 {
		s0 += coef[i] * x[i]
		s1 += coef[i+1] * x[i+1]
		s2 += coef[i+2] * x[i+2]
		s3 += coef[i+3] * x[i+3]
	}
	for ; i < len(coef); i++ {
		s0 += coef[i] * x[i]
	}
	return (s0 + s1) + (s2 + s3)
}

// sinc is the normalised sinc, sin(pi x)/(pi x).
func sinc(x float64) float64 {
	if x == 0 {
		return 1
	}
	return math.Sin(math.Pi*x) / (math.Pi * x)
}

// besselI0 is the modified Bessel function of the first kind of order zero,
// summed from its power series, which converges quickly for the arguments
// of a Kaiser window (0 to about 20).
func besselI0(x float64) float64 {
	sum, term := 1.0, 1.0
	q := x * x / 4
	for k := 1; term > 1e-17*sum; k++ {
		term *= q / float64(k*k)
		sum += term
	}
	return sum
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}
