// Generation: draw audio one sample at a time, each code from the model's
// categorical distribution given all the codes before it, for several clips
// at once. core.Generator runs the loop and the sampler; the feeder here
// turns each drawn code into the next step's input.

package audio

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"strings"

	"github.com/arkit-go/arkit/core"
)

// MaxGenerateSeconds bounds GenerateOptions.Seconds.
const MaxGenerateSeconds = 3600

// GenerateOptions configures Generate. The zero value of each field is the
// documented default.
type GenerateOptions struct {
	Seconds float64 // audio to draw per clip after the prime; required
	N       int     // clips drawn side by side; 0 means 1

	// Label asks a class-conditioned model for a class. Empty gives clip i
	// the model's i-th class in turn (clip 0 the first class, and so on).
	// An unconditioned model ignores it.
	Label string

	// Prime is a recording the clips continue; it is resampled to the
	// model's rate and heads every output clip. nil starts from silence.
	Prime *Clip

	// Sampling, as core.Sampler, except that Temperature 0 means 1 (the
	// model's own distribution): greedy decoding turns speech into a hum.
	// TopK 1 is greedy.
	Temperature float32
	TopK        int
	TopP        float32

	Seed uint64 // seeds the draws
}

// Generate draws opts.N clips of opts.Seconds at the model's rate, after
// opts.Prime when it is set. It returns an error for a non-positive or
// excessive duration, an unknown class, a prime that cannot be resampled or
// is empty, or a canceled ctx.
func (m *Model) Generate(ctx context.Context, opts GenerateOptions) ([]*Clip, error) {
	n := opts.N
	if n == 0 {
		n = 1
	}
	temp := opts.Temperature
	if temp == 0 {
		temp = 1
	}
	switch {
	case !(opts.Seconds > 0) || opts.Seconds > MaxGenerateSeconds:
		return nil, fmt.Errorf("audio: %g seconds to generate; want more than 0 and at most %d", opts.Seconds, MaxGenerateSeconds)
	case n < 0 || n > 1024:
		return nil, fmt.Errorf("audio: %d clips to generate; want 1 to 1024", n)
	case !(temp > 0) || math.IsInf(float64(temp), 0):
		return nil, fmt.Errorf("audio: temperature %g must be positive", opts.Temperature)
	case opts.TopK < 0:
		return nil, fmt.Errorf("audio: top-k %d is negative", opts.TopK)
	case !(opts.TopP >= 0 && opts.TopP <= 1):
		return nil, fmt.Errorf("audio: top-p %g outside [0, 1]", opts.TopP)
	}
	steps := int(math.Round(opts.Seconds * float64(m.Rate)))
	if steps < 1 {
		return nil, fmt.Errorf("audio: %g seconds is less than one sample at %d Hz", opts.Seconds, m.Rate)
	}
	f := &feeder{m: m, class: make([]int, n), codes: make([][]int32, n)}
	var prime []int32
	if opts.Prime != nil {
		var err error
		if prime, err = encodeClip(opts.Prime, m.Rate); err != nil {
			return nil, fmt.Errorf("audio: prime: %w", err)
		}
	}
	for r := range f.class {
		label := opts.Label
		if label == "" && len(m.Labels) > 0 {
			label = m.Labels[r%len(m.Labels)]
		}
		k, err := m.labelIndex(label)
		if err != nil {
			return nil, fmt.Errorf("audio: %w", err)
		}
		f.class[r] = k
		f.codes[r] = make([]int32, len(prime), len(prime)+steps)
		copy(f.codes[r], prime)
	}
	g := &core.Generator{
		Step:    m.Net,
		Sampler: core.Sampler{Temperature: temp, TopK: opts.TopK, TopP: opts.TopP},
		Rand:    rand.New(rand.NewPCG(opts.Seed, 0x5a3d)),
	}
	st := m.Net.NewState(n)
	if len(prime) > 0 {
		// Step t of the prime predicts its code t; the last code is the
		// input of the first drawn step.
		f.priming = true
		if err := g.Prime(ctx, st, len(prime), f); err != nil {
			return nil, err
		}
		f.priming = false
	}
	if err := g.Run(ctx, st, steps, f); err != nil {
		return nil, err
	}
	clips := make([]*Clip, n)
	for r, codes := range f.codes {
		x := make([]float32, len(codes))
		MuLaw{}.DecodeAll(x, codes)
		clips[r] = &Clip{Rate: m.Rate, Samples: x}
	}
	return clips, nil
}

// feeder gives each step its input from the codes of each clip so far: the
// prime's codes while priming (step t reads those before code t), then the
// prime followed by the codes drawn.
type feeder struct {
	m       *Model
	priming bool
	class   []int
	codes   [][]int32
}

var _ core.Feeder = (*feeder)(nil)

func (f *feeder) Input(t int, in *core.Input) {
	F := f.m.features()
	for r, codes := range f.codes {
		pos := len(codes)
		if f.priming {
			pos = t
		}
		f.m.setInput(&in.Tokens[r], in.Features[r*F:(r+1)*F], codes, pos, f.class[r])
	}
}

func (f *feeder) Emit(t int, y []float32) bool {
	for r, v := range y {
		f.codes[r] = append(f.codes[r], int32(v))
	}
	return true
}

// ClipPaths returns the file names of n clips written to path: path itself
// for one clip; for several, path with -1, -2, ... before its extension
// (out.wav: out-1.wav, out-2.wav).
func ClipPaths(path string, n int) []string {
	if n == 1 {
		return []string{path}
	}
	ext := filepath.Ext(path)
	stem := strings.TrimSuffix(path, ext)
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s-%d%s", stem, i+1, ext)
	}
	return out
}
