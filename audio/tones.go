// Synthetic sounds: steady tones, chirps and plucked notes with envelopes,
// made from a seed. Tests, examples and demos train on them because a small
// model learns them in seconds and every run sees the same data.

package audio

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"
)

// Kinds of synthetic sound made by Tones, which label its clips.
const (
	KindTone  = "tone"  // a sine at a fixed pitch, faded in and out
	KindChirp = "chirp" // a sine whose pitch glides linearly between two values
	KindNote  = "note"  // a pitch with two overtones, struck and decaying
)

// Tone is one synthetic clip and its kind.
type Tone struct {
	Kind string
	Clip *Clip
}

// Tones returns n synthetic clips of the given length at rate, drawn from
// seed: the kinds KindTone, KindChirp and KindNote in turn, with pitches
// between 150 and 900 Hz (at low rates, between 20% and 40% of the rate)
// and peak amplitudes between 0.3 and 0.8. The same arguments always give
// the same clips.
//
// Tones panics if n is negative, rate is below 100 Hz or above MaxRate, or
// length is shorter than one sample.
func Tones(n, rate int, length time.Duration, seed uint64) []Tone {
	samples := int(length.Seconds() * float64(rate))
	if n < 0 || rate < 100 || rate > MaxRate || samples < 1 {
		panic(fmt.Sprintf("audio: Tones(%d, %d, %v): want n >= 0, a rate of 100 to %d Hz and at least one sample", n, rate, length, MaxRate))
	}
	rng := rand.New(rand.NewPCG(seed, 0x70e5))
	low, top := ToneBand(rate)
	pitch := func() float64 { return low + rng.Float64()*(top-low) }
	kinds := []string{KindTone, KindChirp, KindNote}
	out := make([]Tone, n)
	for i := range out {
		kind := kinds[i%len(kinds)]
		amp := 0.3 + 0.5*rng.Float64()
		f0, f1 := pitch(), pitch()
		phase := 2 * math.Pi * rng.Float64()
		x := make([]float32, samples)
		dt := 1 / float64(rate)
		fade := math.Max(1, 0.01*float64(rate)) // 10 ms ramps avoid clicks
		for k := range x {
			t := float64(k) * dt
			var v float64
			switch kind {
			case KindTone:
				v = math.Sin(2*math.Pi*f0*t + phase)
			case KindChirp:
				// The phase integrates the pitch, which moves from f0 to f1.
				dur := float64(samples) * dt
				v = math.Sin(2*math.Pi*(f0*t+(f1-f0)*t*t/(2*dur)) + phase)
			case KindNote:
				w := 2 * math.Pi * f0 * t
				v = (math.Sin(w+phase) + 0.5*math.Sin(2*w) + 0.25*math.Sin(3*w)) / 1.75
				v *= math.Exp(-4 * t) // the pluck decays over a quarter second
			}
			env := math.Min(1, math.Min(float64(k)+1, float64(samples-k))/fade)
			x[k] = float32(amp * env * v)
		}
		out[i] = Tone{Kind: kind, Clip: &Clip{Rate: rate, Samples: x}}
	}
	return out
}

// ToneDataset returns n clips of Tones (length each, from seed) as a
// Dataset at rate, labelled by their kind. It returns an error, rather than
// panicking as Tones does, for arguments that come from users: n below 1 or
// above 100000, a rate outside MinRate..MaxModelRate, or a length outside
// 10 ms to 10 minutes.
func ToneDataset(n, rate int, length time.Duration, seed uint64) (*Dataset, error) {
	switch {
	case n < 1 || n > 100_000:
		return nil, fmt.Errorf("audio: %d synthetic sounds; want 1 to 100000", n)
	case length < 10*time.Millisecond || length > 10*time.Minute:
		return nil, fmt.Errorf("audio: synthetic sounds of %v; want 10ms to 10m", length)
	}
	if err := CheckRate(rate); err != nil {
		return nil, err
	}
	tones := Tones(n, rate, length, seed)
	clips, labels := make([]*Clip, n), make([]string, n)
	for i, t := range tones {
		clips[i], labels[i] = t.Clip, t.Kind
	}
	return NewDataset(clips, labels, rate)
}
