// Clip is the package's in-memory sound: mono float32 samples at one rate.

package audio

import "time"

// Clip is a mono recording. Samples hold the waveform in [-1, 1] (full scale
// is 1), sampled Rate times per second.
type Clip struct {
	Rate    int
	Samples []float32
}

// Duration returns the length of the clip. It returns 0 if Rate is not
// positive.
func (c *Clip) Duration() time.Duration {
	if c.Rate <= 0 {
		return 0
	}
	return time.Duration(float64(len(c.Samples)) / float64(c.Rate) * float64(time.Second))
}

// Resample returns a new clip holding c resampled to rate with the package's
// band-limited resampler (see Resampler). If rate equals c.Rate the samples
// are copied.
//
// Resample panics where NewResampler does.
func (c *Clip) Resample(rate int) *Clip {
	return &Clip{Rate: rate, Samples: NewResampler(c.Rate, rate).Resample(c.Samples)}
}
