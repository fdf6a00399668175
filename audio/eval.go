// Evaluation: the negative log-likelihood of every code of every recording
// given all the codes before it, from the zero state, with the state carried
// through the whole recording (Forward over consecutive windows with a nil
// rng; with compact weights, Net.SetWeights, step by step through Next as
// generation reads them: core.Generator.Score). Recordings are scored side by side, several per batch, to use the
// matrix kernels well; rows are independent, so batching changes only speed.

package audio

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/arkit-go/arkit/core"
)

// Score is how well a model predicts recordings.
type Score struct {
	NatsPerSample float64 `json:"nats_per_sample"` // mean negative log-likelihood, natural log
	BitsPerSample float64 `json:"bits_per_sample"` // the same in bits
	Samples       int     `json:"samples"`         // codes predicted: every sample of every recording
	Files         int     `json:"files"`
}

// String formats the score on one line.
func (s Score) String() string {
	return fmt.Sprintf("%.4f bits/sample (%.4f nats) over %d samples of %d recordings",
		s.BitsPerSample, s.NatsPerSample, s.Samples, s.Files)
}

// Evaluation batching: recordings per batch and steps per Forward call.
const (
	evalBatch  = 32
	evalWindow = 512
)

// Evaluate scores every sample of every recording of d, the first one given
// the silence input. It returns an error if d's rate differs from the
// model's, a recording has a label the model does not know (or none, for a
// conditioned model), d has no samples, or ctx is canceled.
func (m *Model) Evaluate(ctx context.Context, d *Dataset) (Score, error) {
	if d.Rate != m.Rate {
		return Score{}, fmt.Errorf("audio: recordings at %d Hz for a %d Hz model", d.Rate, m.Rate)
	}
	return m.evaluate(ctx, d.Seqs)
}

func (m *Model) evaluate(ctx context.Context, seqs []Sequence) (Score, error) {
	classes := make([]int, len(seqs))
	for i, s := range seqs {
		k, err := m.labelIndex(s.Label)
		if err != nil {
			return Score{}, fmt.Errorf("audio: recording %s: %w", s.Path, err)
		}
		classes[i] = k
	}
	// Longest first, so that the recordings of a batch have similar
	// lengths and little padding.
	order := make([]int, len(seqs))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return len(seqs[b].Codes) - len(seqs[a].Codes) })
	T := evalWindow
	if f := m.frame(); T%f != 0 {
		T += f - T%f
	}
	F := m.features()
	var nll float64
	var n int
	var err error
	for lo := 0; lo < len(order); lo += evalBatch {
		group := order[lo:min(lo+evalBatch, len(order))]
		B := len(group)
		longest := len(seqs[group[0]].Codes)
		if longest == 0 {
			continue
		}
		st := m.Net.NewState(B)
		b := m.Net.NewBatch(T, B)
		b.Mask = make([]float32, T*B)
		for start := 0; start < longest; start += T {
			if err = ctx.Err(); err != nil {
				return Score{}, err
			}
			for t := 0; t < T; t++ {
				for r, i := range group {
					k := t*B + r
					codes := seqs[i].Codes
					pos := start + t
					m.setInput(&b.Tokens[k], b.Features[k*F:(k+1)*F], codes, pos, classes[i])
					if pos < len(codes) {
						b.Targets[k], b.Mask[k] = float32(codes[pos]), 1
					} else {
						b.Targets[k], b.Mask[k] = float32(silence), 0
					}
				}
			}
			sum, w, err := core.Score(ctx, m.Net, st, b)
			if err != nil {
				return Score{}, err
			}
			nll += sum
			n += int(w)
		}
	}
	if n == 0 {
		return Score{}, fmt.Errorf("audio: %w to evaluate", ErrNoAudio)
	}
	nats := nll / float64(n)
	return Score{NatsPerSample: nats, BitsPerSample: nats / math.Ln2, Samples: n, Files: len(seqs)}, nil
}
