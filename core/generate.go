// The generation loop: prime a batch of sequences with a context, then feed
// each drawn element back as the next input, for all sequences at once (100
// forecast paths or 16 images in one pass).

package core

import (
	"context"
	"math/rand/v2"
)

// Feeder connects a domain to the generation loop: it supplies each step's
// input and receives each step's draws.
type Feeder interface {
	// Input fills in for step t (in.Tokens has one entry per sequence,
	// in.Features B×Features).
	Input(t int, in *Input)
	// Emit receives the elements drawn at step t, one per sequence (class
	// indices for a categorical likelihood, values for a continuous one).
	// Returning false ends generation.
	Emit(t int, y []float32) bool
}

// Generator draws sequences from a Step.
type Generator struct {
	Step    Step
	Sampler Sampler    // token sampling (categorical likelihoods)
	Rand    *rand.Rand // nil means a fixed seed of 1
	// RepetitionWindow is how many recent input tokens the repetition
	// penalty sees (0 means 64).
	RepetitionWindow int

	in     Input
	out    []float32
	y      []float32
	recent [][]int32
	dims   [2]int
	draw   []float32 // Score's gradient scratch
}

func (g *Generator) setup(b int) {
	tokens, feat := g.Step.Inputs()
	if g.dims != [2]int{b, feat} || g.out == nil {
		g.dims = [2]int{b, feat}
		g.in = Input{}
		if tokens {
			g.in.Tokens = make([]int32, b)
		}
		if feat > 0 {
			g.in.Features = make([]float32, b*feat)
		}
		g.out = make([]float32, b*g.Step.OutSize())
		g.y = make([]float32, b)
		g.recent = make([][]int32, b)
	}
	if g.Rand == nil {
		g.Rand = rand.New(rand.NewPCG(1, 0))
	}
}

// session is implemented by Steps that cache work for the span of one Run or
// Prime, during which their weights do not change.
type session interface {
	beginGeneration()
	endGeneration()
}

func (g *Generator) begin() {
	if s, ok := g.Step.(session); ok {
		s.beginGeneration()
	}
}

func (g *Generator) end() {
	if s, ok := g.Step.(session); ok {
		s.endGeneration()
	}
}

// Prime advances st through steps inputs from f without drawing, to
// condition the sequences on a context. Emit is not called.
func (g *Generator) Prime(ctx context.Context, st *State, steps int, f Feeder) error {
	g.setup(st.B)
	g.begin()
	defer g.end()
	for t := 0; t < steps; t++ {
		if t%256 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		f.Input(t, &g.in)
		g.remember()
		g.Step.Next(st, g.in, g.out)
	}
	return nil
}

func (g *Generator) remember() {
	if g.Sampler.RepetitionPenalty == 0 || g.Sampler.RepetitionPenalty == 1 || g.in.Tokens == nil {
		return
	}
	w := g.RepetitionWindow
	if w <= 0 {
		w = 64
	}
	for r, tok := range g.in.Tokens {
		h := append(g.recent[r], tok)
		if len(h) > w {
			h = h[len(h)-w:]
		}
		g.recent[r] = h
	}
}

// Run generates up to steps elements for each sequence of st: at each step
// it asks f for the input, advances the state, draws one element per
// sequence and passes the draws to f.Emit. It stops early when Emit returns
// false or ctx is done (returning ctx.Err()).
func (g *Generator) Run(ctx context.Context, st *State, steps int, f Feeder) error {
	g.setup(st.B)
	g.begin()
	defer g.end()
	O := g.Step.OutSize()
	lik := g.Step.Likelihood()
	cont, isCont := lik.(Continuous)
	for t := 0; t < steps; t++ {
		if t%64 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		f.Input(t, &g.in)
		g.remember()
		g.Step.Next(st, g.in, g.out)
		for r := 0; r < st.B; r++ {
			raw := g.out[r*O : (r+1)*O]
			if isCont {
				g.y[r] = cont.Draw(raw, g.Sampler.Temperature, g.Rand)
			} else {
				g.y[r] = float32(g.Sampler.Sample(raw, g.recent[r], g.Rand))
			}
		}
		if !f.Emit(t, g.y) {
			return nil
		}
	}
	return nil
}

// Outputs returns the raw head outputs of the last step (B×OutSize), for
// callers that want the distribution rather than a draw.
func (g *Generator) Outputs() []float32 { return g.out }

// Score advances st through the T steps of b with Step.Next, as generation
// does (so with the precision SetWeights chose), and returns the summed
// negative log-likelihood of b's targets under each step's outputs and the
// summed mask weight, as Model.Forward does with the float32 weights. It
// stops early with ctx.Err() when ctx is done. It panics if b does not fit
// st or the step.
func (g *Generator) Score(ctx context.Context, st *State, b *Batch) (nll, weight float64, err error) {
	if b.B != st.B || len(b.Targets) != b.T*b.B {
		panic("core: Score batch does not fit the state")
	}
	g.setup(st.B)
	g.begin()
	defer g.end()
	O := g.Step.OutSize()
	lik := g.Step.Likelihood()
	_, feat := g.Step.Inputs()
	g.draw = grow(g.draw, O)
	B := st.B
	for t := 0; t < b.T; t++ {
		if t%64 == 0 && ctx.Err() != nil {
			return 0, 0, ctx.Err()
		}
		if g.in.Tokens != nil {
			copy(g.in.Tokens, b.Tokens[t*B:(t+1)*B])
		}
		if feat > 0 {
			copy(g.in.Features, b.Features[t*B*feat:(t+1)*B*feat])
		}
		g.Step.Next(st, g.in, g.out)
		for r := 0; r < B; r++ {
			w := float32(1)
			if b.Mask != nil {
				w = b.Mask[t*B+r]
			}
			if w == 0 {
				continue
			}
			nll += float64(w) * float64(lik.NLL(g.draw, g.out[r*O:(r+1)*O], b.Targets[t*B+r], w))
			weight += float64(w)
		}
	}
	return nll, weight, nil
}
