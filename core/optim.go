// Optimisation: Adam and AdamW, global-norm gradient clipping and
// learning-rate schedules (constant, warmup then cosine or linear decay).

package core

import (
	"math"
	"time"

	"github.com/arkit-go/arkit/core/internal/kernel"
)

// Adam is the Adam optimiser, AdamW when WeightDecay is set (decoupled decay
// of weight matrices only, as torch.optim.AdamW applied to the usual
// parameter groups). The zero value uses PyTorch's defaults.
type Adam struct {
	LR          float32 // base learning rate; 0 means 1e-3
	Beta1       float32 // 0 means 0.9
	Beta2       float32 // 0 means 0.999
	Eps         float32 // 0 means 1e-8
	WeightDecay float32 // AdamW decay; 0 is plain Adam

	// Steps counts the updates made; it is saved in checkpoints so that a
	// resumed run continues the bias correction and the schedule.
	Steps int
	M, V  []float32 // moment estimates, one per parameter
}

func orDefault(v, d float32) float32 {
	if v == 0 {
		return d
	}
	return v
}

// BaseLR returns the learning rate before any schedule.
func (a *Adam) BaseLR() float32 { return orDefault(a.LR, 1e-3) }

// Update applies one step with learning rate lr to every parameter of p.
func (a *Adam) Update(p *Params, lr float32) {
	if len(a.M) != len(p.W) {
		a.M = make([]float32, len(p.W))
		a.V = make([]float32, len(p.W))
	}
	a.Steps++
	b1, b2 := orDefault(a.Beta1, 0.9), orDefault(a.Beta2, 0.999)
	bc1 := float32(1 - math.Pow(float64(b1), float64(a.Steps)))
	bc2 := float32(1 - math.Pow(float64(b2), float64(a.Steps)))
	eps := orDefault(a.Eps, 1e-8)
	off := 0
	for _, q := range p.List {
		n := len(q.W)
		wd := float32(0)
		if q.Decay {
			wd = a.WeightDecay
		}
		kernel.Adam(q.W, q.G, a.M[off:off+n], a.V[off:off+n], lr, b1, b2, eps, wd, bc1, bc2)
		off += n
	}
}

// ClipGradNorm scales the gradients so that their global L2 norm is at most
// maxNorm (as torch.nn.utils.clip_grad_norm_) and returns the norm before
// clipping. maxNorm <= 0 only measures.
func ClipGradNorm(p *Params, maxNorm float32) float64 {
	norm := math.Sqrt(kernel.SumSquares(p.G))
	if maxNorm > 0 && norm > float64(maxNorm) {
		kernel.Scale(float32(float64(maxNorm)/(norm+1e-6)), p.G)
	}
	return norm
}

// Schedule gives the learning-rate factor of each step. The zero value is
// constant.
type Schedule struct {
	Warmup int    // steps of linear warmup from 0
	Decay  string // "" or "constant", "cosine", "linear"
	Steps  int    // step at which the decay ends (needed by cosine and linear)
	Final  float32
	// Final is the factor reached at the end of the decay (0 decays to 0).

	// Duration, when Steps is 0, spans the decay over training time
	// instead of steps: it ends when the run has trained this long (see
	// Trainer.Elapsed). Warmup still counts steps.
	Duration time.Duration
}

// Factor returns the multiplier of the base learning rate at step (0-based)
// of a schedule over steps.
func (s Schedule) Factor(step int) float32 { return s.At(step, 0) }

// At returns the multiplier of the base learning rate at step (0-based),
// after elapsed training time (read only by a schedule over time: Steps 0,
// Duration set).
func (s Schedule) At(step int, elapsed time.Duration) float32 {
	if s.Warmup > 0 && step < s.Warmup {
		return float32(step+1) / float32(s.Warmup)
	}
	if s.Decay == "" || s.Decay == DecayConstant {
		return 1
	}
	var p float64
	switch {
	case s.Steps > s.Warmup:
		p = float64(step-s.Warmup) / float64(s.Steps-s.Warmup)
	case s.Steps == 0 && s.Duration > 0:
		p = float64(elapsed) / float64(s.Duration)
	default:
		return 1
	}
	p = math.Min(math.Max(p, 0), 1)
	var f float64
	switch s.Decay {
	case "cosine":
		f = 0.5 * (1 + math.Cos(math.Pi*p))
	case "linear":
		f = 1 - p
	default:
		panic("core: unknown decay " + s.Decay)
	}
	return s.Final + (1-s.Final)*float32(f)
}
