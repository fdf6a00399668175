// A two-tier network, SampleRNN's idea: a frame-level LSTM runs once every
// Frame steps over the inputs of the last Frame steps, and its output,
// projected to one conditioning vector per position in the frame, joins the
// features of a step-level Model. The frame tier gives long context at a
// fraction of the cost of running every step through a deep stack.
//
// Causality: the frame of steps [jF, jF+F) is conditioned on the frame
// inputs of steps jF-F+1 .. jF. Step t's input describes element t-1, so
// the frame tier never sees an element before the step level predicts it.
//
// Three tiers (TieredConfig.Top = K > 0) nest the same construction: the
// frame tier and a top tier above it form a two-tier network whose steps are
// frames. Frame j's input is the frame inputs of its F steps (those the
// frame tier reads); the top tier runs once every K frames over the inputs
// of the last K frames, and its output, projected to TopCond values per
// frame, joins the frame tier's input. The top step of frames [iK, iK+K)
// reads frames iK-K+1 .. iK, that is steps (iK-K)F+1 .. iKF, elements
// (iK-K)F .. iKF-1: again nothing the step level has not yet predicted.

package core

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/arkit-go/arkit/core/internal/kernel"
)

// MetaTiered holds a Tiered network's frame settings as JSON.
const MetaTiered = "arkit.tiered"

const (
	tieredTopPrefix   = "top."
	tieredFramePrefix = "frame."
	tieredStepPrefix  = "step."
)

// TieredConfig describes a Tiered network.
type TieredConfig struct {
	Frame       int // steps per frame
	FrameInputs int // real values per step the frame tier reads: the first FrameInputs features of each step
	FrameHidden int // frame LSTM width
	FrameLayers int // frame LSTM layers (0 means 1)
	Cond        int // conditioning values per step given to the step level

	// Codes is how many past tokens the step level embeds, SampleRNN's
	// learned embeddings of the previous samples: 0 or 1 the input token
	// alone (through the step model's embedding), K > 1 also the K-1
	// input tokens before it, each through the same embedding into its own
	// input columns. Tokens before the start of a sequence embed as zeros.
	Codes int

	// Top, when positive, adds a third tier above the frame tier,
	// SampleRNN's slowest: an LSTM of TopLayers (0 means 1) × TopHidden
	// that runs once every Top frames over the frame inputs of the last
	// Top frames, its output projected to TopCond conditioning values per
	// frame, which the frame tier reads after its frame inputs. 0: two
	// tiers (the Top* fields must then be 0).
	Top, TopHidden, TopLayers, TopCond int

	// Step is the step-level model. Its Features are the step's other
	// features, then (Codes-1)×Embed for the embedded past tokens, then
	// the Cond conditioning values; Proj must be 0.
	Step Config

	// shared makes the step level read the frame inputs as its other
	// features (the frame and top tiers of three, nested: the frame tier
	// reads its frame's inputs, as the top tier does).
	shared bool
}

// MaxCodes bounds TieredConfig.Codes.
const MaxCodes = 64

// pastCodes returns how many tokens before the input token the step level
// embeds.
func (c TieredConfig) pastCodes() int { return max(c.Codes, 1) - 1 }

// codeWidth returns the step features that hold the embedded past tokens.
func (c TieredConfig) codeWidth() int { return c.pastCodes() * c.Step.Embed }

// Validate reports whether the configuration describes a network that can
// be built (NewTiered panics otherwise).
func (c TieredConfig) Validate() error { return c.validate() }

func (c TieredConfig) validate() error {
	switch {
	case c.Frame <= 0 || c.FrameInputs <= 0 || c.FrameHidden <= 0 || c.Cond <= 0 || c.FrameLayers < 0:
		return fmt.Errorf("tiered: frame %d, frame inputs %d, frame hidden %d and cond %d must be positive",
			c.Frame, c.FrameInputs, c.FrameHidden, c.Cond)
	case c.Codes < 0 || c.Codes > MaxCodes:
		return fmt.Errorf("tiered: %d embedded codes outside 0 to %d", c.Codes, MaxCodes)
	case c.Codes > 1 && c.Step.Vocab == 0:
		return fmt.Errorf("tiered: %d embedded codes need a step model with a vocabulary", c.Codes)
	case c.Step.Features < c.Cond+c.codeWidth():
		return fmt.Errorf("tiered: step model has %d features, fewer than the %d conditioning values and %d of embedded codes", c.Step.Features, c.Cond, c.codeWidth())
	case c.Step.Proj != 0:
		return fmt.Errorf("tiered: the step model must take its features without projection")
	}
	switch {
	case c.Top < 0 || c.Top > 0 && (c.TopHidden <= 0 || c.TopCond <= 0 || c.TopLayers < 0):
		return fmt.Errorf("tiered: top %d, top hidden %d and top cond %d must be positive (or top 0: two tiers)", c.Top, c.TopHidden, c.TopCond)
	case c.Top == 0 && (c.TopHidden != 0 || c.TopLayers != 0 || c.TopCond != 0):
		return fmt.Errorf("tiered: top hidden %d, top layers %d and top cond %d without a top tier (top 0)", c.TopHidden, c.TopLayers, c.TopCond)
	}
	if err := c.frameConfig().validate(); err != nil {
		return fmt.Errorf("tiered: frame tier: %w", err)
	}
	n := c.frameConfig().paramCount()
	if c.Top > 0 {
		if err := c.topConfig().validate(); err != nil {
			return fmt.Errorf("tiered: top tier: %w", err)
		}
		n += c.topConfig().paramCount()
	}
	if err := c.Step.validate(); err != nil {
		return err
	}
	if n+c.Step.paramCount() > MaxParams {
		return fmt.Errorf("tiered: the frame tier (hidden %d, %d layers), the top tier (hidden %d) and the step tier (hidden %d, %d layers) have more than %d parameters together",
			c.FrameHidden, c.frameConfig().layers(), c.TopHidden, c.Step.Hidden, c.Step.layers(), MaxParams)
	}
	return nil
}

// Tiered is a frame-level LSTM conditioning a step-level Model, itself
// conditioned by a top tier when there are three. It is a Network
// (trainable) and a Step (drivable by a Generator). Training windows must
// span whole top steps (Span) and start at the beginning of one. A Tiered
// holds workspaces: it is not safe for concurrent use.
type Tiered struct {
	cfg         TieredConfig
	frame, step *Model
	params      *Params
	other       int // step features besides the conditioning

	// nest holds three tiers' top and frame tiers as a Tiered over
	// frames (nest.step is frame); nil for two tiers. ft is the frame
	// tier as the step level sees it: frame, or nest.
	nest *Tiered
	ft   frameTier
	rows int // rows of a State's H the frame tier (and nest's carry) takes

	fb       *Batch    // frame-tier window
	sb       *Batch    // step-tier window
	dRaw     []float32 // gradient w.r.t. the frame tier's outputs
	fst, sst State     // views of a State's frame and step layers
	ring     []float32 // view of a State's past tokens (see NewState)
	past     []int32   // T×B×pastCodes tokens embedded in the last Forward (-1: none)
	gen      tieredGen
}

// frameTier is what the step level needs of the tier above it: a Model
// (two tiers) or a Tiered over frames (three).
type frameTier interface {
	NewState(b int) *State
	forwardRaw(b *Batch, st *State, rng *rand.Rand) []float32
	backwardRaw(draw []float32)
	Next(st *State, in Input, out []float32)
	SetWeights(w Weights)
	SetPrecision(p Precision)
	SetRegularization(r Regularization) error
	beginGeneration()
	endGeneration()
}

var _ frameTier = (*Tiered)(nil)

// NewTiered builds a Tiered network initialised from rng. It panics if cfg
// is inconsistent.
func NewTiered(cfg TieredConfig, rng *rand.Rand) *Tiered {
	if err := cfg.validate(); err != nil {
		panic("core: " + err.Error())
	}
	frame := NewModel(cfg.frameConfig(), rng)
	step := NewModel(cfg.Step, rng)
	var top *Model
	if cfg.Top > 0 {
		top = NewModel(cfg.topConfig(), rng)
	}
	return assembleTiered(cfg, top, frame, step)
}

// frameConfig returns the frame tier's model: it reads a frame's inputs
// (and, under a top tier, the top tier's TopCond values for the frame).
func (c TieredConfig) frameConfig() Config {
	in := c.Frame * c.FrameInputs
	if c.Top > 0 {
		in += c.TopCond
	}
	return Config{Features: in, Hidden: c.FrameHidden, Layers: c.FrameLayers,
		Dropout: c.Step.Dropout, Likelihood: rawOutputs{c.Frame * c.Cond}}
}

// nested returns the configuration of three tiers' frame and top tiers as
// a two-tier network whose steps are frames.
func (c TieredConfig) nested() TieredConfig {
	return TieredConfig{Frame: c.Top, FrameInputs: c.Frame * c.FrameInputs, FrameHidden: c.TopHidden,
		FrameLayers: c.TopLayers, Cond: c.TopCond, Step: c.frameConfig(), shared: true}
}

// topConfig returns the top tier's model.
func (c TieredConfig) topConfig() Config { return c.nested().frameConfig() }

// assembleTiered joins the tiers' models (top nil for two tiers).
func assembleTiered(cfg TieredConfig, top, frame, step *Model) *Tiered {
	cfg.FrameLayers = frame.cfg.Layers
	cfg.Step = step.cfg
	step.inputGrad = true
	t := &Tiered{cfg: cfg, frame: frame, step: step, other: cfg.Step.Features - cfg.Cond - cfg.codeWidth(),
		ft: frame, rows: len(frame.layers)}
	if cfg.shared {
		t.other = cfg.Step.Features - cfg.Cond
	}
	if top == nil {
		t.params = joinParams([]*Params{frame.params, step.params}, []string{tieredFramePrefix, tieredStepPrefix})
		return t
	}
	t.cfg.TopLayers = top.cfg.Layers
	t.nest = assembleTiered(cfg.nested(), nil, top, frame)
	t.params = joinParams([]*Params{top.params, frame.params, step.params}, []string{tieredTopPrefix, tieredFramePrefix, tieredStepPrefix})
	// The nest's parameters are the first of the joint set (joinParams
	// moved them there from the nest's own joint set, now dropped).
	n, k := len(top.params.W)+len(frame.params.W), len(top.params.List)+len(frame.params.List)
	t.nest.params = &Params{W: t.params.W[:n:n], G: t.params.G[:n:n], List: t.params.List[:k:k]}
	t.ft = t.nest
	// The nest's rows, then its carried frame inputs and conditioning
	// (two more rows: see NewState).
	t.rows = len(top.layers) + len(frame.layers) + 2
	return t
}

// joinParams moves the parameters of several networks into one flat pair of
// slices (so that one optimizer and one clipping loop serve them all) and
// returns the joint set with prefixed names.
func joinParams(parts []*Params, prefixes []string) *Params {
	total := 0
	for _, p := range parts {
		total += len(p.W)
	}
	j := &Params{W: make([]float32, total), G: make([]float32, total)}
	off := 0
	for i, p := range parts {
		start := off
		for _, q := range p.List {
			n := len(q.W)
			copy(j.W[off:off+n], q.W)
			q.W, q.G = j.W[off:off+n:off+n], j.G[off:off+n:off+n]
			j.List = append(j.List, &Param{Name: prefixes[i] + q.Name, Shape: q.Shape, W: q.W, G: q.G, Decay: q.Decay})
			off += n
		}
		p.W, p.G = j.W[start:off:off], j.G[start:off:off]
	}
	return j
}

// Config returns the network's configuration.
func (t *Tiered) Config() TieredConfig { return t.cfg }

// Params returns the parameters of every tier, the slowest first.
func (t *Tiered) Params() *Params { return t.params }

// OutSize returns the step level's outputs per element.
func (t *Tiered) OutSize() int { return t.step.out }

// Likelihood returns the step level's likelihood.
func (t *Tiered) Likelihood() Likelihood { return t.step.lik }

// Inputs reports the step inputs: a token if the step level has a
// vocabulary, and FrameInputs plus the other features.
func (t *Tiered) Inputs() (bool, int) { return t.cfg.Step.Vocab > 0, t.width() }

// width returns the features of a step: the frame inputs, then the other
// features (the frame inputs themselves when shared).
func (t *Tiered) width() int {
	if t.cfg.shared {
		return t.cfg.FrameInputs
	}
	return t.cfg.FrameInputs + t.other
}

// otherAt returns where a step's other features start in its features.
func (t *Tiered) otherAt() int {
	if t.cfg.shared {
		return 0
	}
	return t.cfg.FrameInputs
}

// Span returns the steps of the slowest tier's step: a frame for two
// tiers, Top frames for three. Training windows are whole spans.
func (t *Tiered) Span() int { return t.cfg.Frame * max(t.cfg.Top, 1) }

// NewState returns the zero state for b sequences.
func (t *Tiered) NewState(b int) *State {
	f, s := t.ft.NewState(b), t.step.NewState(b)
	if t.nest != nil {
		// The nest's carried frame inputs and conditioning, kept as two
		// more rows of H (their twins in C unused) so that Reset,
		// ResetRow and checkpoints carry them.
		f.H = append(f.H, f.Buf, f.Cond)
		f.C = append(f.C, make([]float32, len(f.Buf)), make([]float32, len(f.Cond)))
	}
	st := &State{B: b, H: append(f.H, s.H...), C: append(f.C, s.C...),
		Buf:  make([]float32, b*t.cfg.Frame*t.cfg.FrameInputs),
		Cond: make([]float32, b*t.cfg.Frame*t.cfg.Cond)}
	if P := t.cfg.pastCodes(); P > 0 {
		// The last P input tokens of each sequence, oldest first, as
		// token+1 (0: none yet), kept as one more row of H (its twin in C
		// is unused) so that Reset, ResetRow and checkpoints carry it.
		st.H = append(st.H, make([]float32, b*P))
		st.C = append(st.C, make([]float32, b*P))
	}
	return st
}

func (t *Tiered) views(st *State) {
	fl, sl, P := t.rows, len(t.step.layers), t.cfg.pastCodes()
	rings := 0
	if P > 0 {
		rings = 1
	}
	if st.B <= 0 || len(st.H) != fl+sl+rings || len(st.Buf) != st.B*t.cfg.Frame*t.cfg.FrameInputs ||
		(P > 0 && len(st.H[fl+sl]) != st.B*P) {
		panic("core: state does not belong to this tiered network")
	}
	t.fst = State{B: st.B, H: st.H[:fl], C: st.C[:fl]}
	if t.nest != nil {
		// The nest steps once per frame; it checks its own rows.
		t.fst = State{B: st.B, H: st.H[:fl-2], C: st.C[:fl-2], Buf: st.H[fl-2], Cond: st.H[fl-1], Pos: st.Pos / t.cfg.Frame}
	}
	t.sst = State{B: st.B, H: st.H[fl : fl+sl], C: st.C[fl : fl+sl]}
	t.ring = nil
	if P > 0 {
		t.ring = st.H[fl+sl]
	}
}

// NewBatch allocates a window of steps for b sequences; steps must be a
// multiple of the frame.
func (t *Tiered) NewBatch(steps, b int) *Batch {
	bt := &Batch{T: steps, B: b, Targets: make([]float32, steps*b),
		Features: make([]float32, steps*b*(t.cfg.FrameInputs+t.other))}
	if t.cfg.Step.Vocab > 0 {
		bt.Tokens = make([]int32, steps*b)
	}
	return bt
}

// Forward runs a window (see Network). It panics unless the window spans
// whole spans (Span) from the start of one.
func (t *Tiered) Forward(b *Batch, st *State, rng *rand.Rand) (nll, weight float64) {
	t.forwardInputs(b, st, rng)
	return t.step.Forward(t.sb, &t.sst, rng)
}

// forwardRaw runs a window as Forward does and returns the step level's
// outputs (the nest of three tiers: the frame tier's conditioning).
func (t *Tiered) forwardRaw(b *Batch, st *State, rng *rand.Rand) []float32 {
	t.forwardInputs(b, st, rng)
	return t.step.forwardRaw(t.sb, &t.sst, rng)
}

// forwardInputs runs the tiers above the step level over the window and
// writes the step level's window to t.sb, then carries the state past it
// (but for the step level's, which its Forward carries).
func (t *Tiered) forwardInputs(b *Batch, st *State, rng *rand.Rand) {
	F, FI, C, Fo := t.cfg.Frame, t.cfg.FrameInputs, t.cfg.Cond, t.other
	P, X, E := t.cfg.pastCodes(), t.cfg.codeWidth(), t.cfg.Step.Embed
	if S := t.Span(); b.T%S != 0 || st.Pos%S != 0 {
		panic(fmt.Sprintf("core: tiered window of %d steps at position %d does not align with spans of %d", b.T, st.Pos, S))
	}
	W, off := t.width(), t.otherAt()
	if len(b.Features) != b.T*b.B*W {
		panic(fmt.Sprintf("core: %d features for a %d×%d tiered batch of width %d", len(b.Features), b.T, b.B, W))
	}
	t.views(st)
	n, B := b.T/F, b.B
	if t.fb == nil || t.fb.T != n || t.fb.B != B {
		t.fb = &Batch{T: n, B: B, Features: make([]float32, n*B*F*FI), Targets: make([]float32, n*B)}
		t.sb = &Batch{T: b.T, B: B, Features: make([]float32, b.T*B*(Fo+X+C))}
		t.past = make([]int32, b.T*B*P)
		t.dRaw = make([]float32, n*B*F*C)
	}
	// Frame inputs: frame j reads steps jF-F+1 .. jF; earlier steps come
	// from the carried buffer.
	for j := 0; j < n; j++ {
		for r := 0; r < B; r++ {
			dst := t.fb.Features[(j*B+r)*F*FI : (j*B+r+1)*F*FI]
			for s := 0; s < F; s++ {
				u := j*F - F + 1 + s
				if u >= 0 {
					copy(dst[s*FI:(s+1)*FI], b.Features[(u*B+r)*W:(u*B+r)*W+FI])
				} else {
					k := F + u
					copy(dst[s*FI:(s+1)*FI], st.Buf[(r*F+k)*FI:(r*F+k+1)*FI])
				}
			}
		}
	}
	raw := t.ft.forwardRaw(t.fb, &t.fst, rng)
	sb := t.sb
	sb.Tokens, sb.Targets, sb.Mask = b.Tokens, b.Targets, b.Mask
	for s := 0; s < b.T; s++ {
		j := s / F
		for r := 0; r < B; r++ {
			dst := sb.Features[(s*B+r)*(Fo+X+C) : (s*B+r+1)*(Fo+X+C)]
			copy(dst[:Fo], b.Features[(s*B+r)*W+off:(s*B+r)*W+off+Fo])
			// Embedded past tokens, newest first: block i-1 holds the
			// input token of step s-i.
			for i := 1; i <= P; i++ {
				tok := int32(-1)
				if u := s - i; u >= 0 {
					tok = b.Tokens[u*B+r]
				} else {
					tok = int32(t.ring[r*P+P+u]) - 1
				}
				t.past[(s*B+r)*P+i-1] = tok
				t.embedPast(dst[Fo+(i-1)*E:Fo+i*E], tok)
			}
			copy(dst[Fo+X:], raw[(j*B+r)*F*C+(s%F)*C:(j*B+r)*F*C+(s%F+1)*C])
		}
	}
	// Carry the last frame's inputs and conditioning.
	for r := 0; r < B; r++ {
		for s := 0; s < F; s++ {
			u := b.T - F + s
			copy(st.Buf[(r*F+s)*FI:(r*F+s+1)*FI], b.Features[(u*B+r)*W:(u*B+r)*W+FI])
		}
		copy(st.Cond[r*F*C:(r+1)*F*C], raw[((n-1)*B+r)*F*C:((n-1)*B+r+1)*F*C])
		// Carry the last P input tokens (reading ahead of the writes).
		for k := 0; k < P; k++ {
			if u := b.T - P + k; u >= 0 {
				t.ring[r*P+k] = float32(b.Tokens[u*B+r] + 1)
			} else {
				t.ring[r*P+k] = t.ring[r*P+P+u]
			}
		}
	}
	st.Pos += b.T
}

var _ Regularizer = (*Tiered)(nil)

// SetRegularization sets the regularisers of the training passes that
// follow: all of r on the step level, whose outputs are the network's (its
// embedding, its AR and TAR), and r's weight drop and locked dropout on
// each tier above it, where locked dropout masks a tier's frame inputs and
// the outputs its conditioning is projected from. The zero value turns
// them off.
func (t *Tiered) SetRegularization(r Regularization) error {
	if err := r.Validate(); err != nil {
		return err
	}
	if err := t.step.SetRegularization(r); err != nil {
		return err
	}
	return t.ft.SetRegularization(Regularization{WeightDrop: r.WeightDrop, LockedDropout: r.LockedDropout})
}

// regLoss returns the AR and TAR penalty of the last training Forward.
func (t *Tiered) regLoss() float64 { return t.step.regLoss() }

// Backward adds the gradient of the last Forward's mean loss to every tier.
func (t *Tiered) Backward() {
	t.step.Backward()
	t.backwardInputs()
}

// backwardRaw adds the gradient flowing from draw, the gradient w.r.t. the
// outputs of the last forwardRaw, to every tier.
func (t *Tiered) backwardRaw(draw []float32) {
	t.step.backwardRaw(draw)
	t.backwardInputs()
}

// backwardInputs takes the gradient w.r.t. the step level's inputs (left by
// its backward pass) to the embedded past tokens and the tiers above.
func (t *Tiered) backwardInputs() {
	F, C, Fo := t.cfg.Frame, t.cfg.Cond, t.other
	E := 0
	if t.cfg.Step.Vocab > 0 {
		E = t.cfg.Step.Embed
	}
	in := t.cfg.Step.InputSize()
	dx := t.step.tr.stack.dx
	T, B := t.sb.T, t.sb.B
	P, X := t.cfg.pastCodes(), t.cfg.codeWidth()
	emb := t.step.emb
	for s := 0; s < T; s++ {
		j := s / F
		for r := 0; r < B; r++ {
			row := dx[(s*B+r)*in : (s*B+r+1)*in]
			copy(t.dRaw[(j*B+r)*F*C+(s%F)*C:(j*B+r)*F*C+(s%F+1)*C], row[E+Fo+X:E+Fo+X+C])
			for i := 0; i < P; i++ {
				if tok := int(t.past[(s*B+r)*P+i]); tok >= 0 {
					kernel.Axpy(1, row[E+Fo+i*E:E+Fo+(i+1)*E], emb.G[tok*E:(tok+1)*E])
				}
			}
		}
	}
	t.ft.backwardRaw(t.dRaw)
}

// embedPast writes the step model's embedding of tok to dst, or zeros for
// tok < 0 (no token: before the start of the sequence). It panics on a
// token outside the vocabulary.
func (t *Tiered) embedPast(dst []float32, tok int32) {
	if tok < 0 {
		clear(dst)
		return
	}
	m := t.step
	if int(tok) >= m.cfg.Vocab {
		panic(fmt.Sprintf("core: token %d outside vocabulary of %d", tok, m.cfg.Vocab))
	}
	E := m.cfg.Embed
	copy(dst, m.emb.W[int(tok)*E:(int(tok)+1)*E])
}

// Next advances the state by one step (see Step). in.Features holds, per
// sequence, the FrameInputs values then the other features.
//
// The step level's first layer is computed here, not by the step Model's
// Next, so that its input product splits by what changes when:
//
//	z = (b_ih + b_hh + W_ih[:, cond]·cond_k)   once per frame, k = 0..F-1 (one Gemm)
//	  + W_ih[:, emb]·e(token)                   a table row per code, kept for a Generator's run
//	  + W_ih[:, other]·other + W_hh·h           every step (Gemv, or Gemm for B > 1)
//
// The sum is the same as the step Model's up to rounding (TestTieredNextMatchesReference).
func (t *Tiered) Next(st *State, in Input, out []float32) {
	F, FI, Fo := t.cfg.Frame, t.cfg.FrameInputs, t.other
	W, off := t.width(), t.otherAt()
	B := st.B
	if len(in.Features) != B*W {
		panic(fmt.Sprintf("core: %d features for %d sequences of width %d", len(in.Features), B, W))
	}
	m := t.step
	if len(out) != B*m.out {
		panic(fmt.Sprintf("core: output of %d for %d sequences of %d", len(out), B, m.out))
	}
	if m.cfg.Vocab > 0 && len(in.Tokens) != B {
		panic(fmt.Sprintf("core: %d tokens for %d sequences", len(in.Tokens), B))
	}
	t.views(st)
	for r := 0; r < B; r++ {
		buf := st.Buf[r*F*FI : (r+1)*F*FI]
		copy(buf, buf[FI:])
		copy(buf[(F-1)*FI:], in.Features[r*W:r*W+FI])
	}
	g := &t.gen
	g.ensure(t, B)
	k := st.Pos % F
	if k == 0 {
		t.ft.Next(&t.fst, Input{Features: st.Buf}, st.Cond)
		g.condOf = nil
	}
	cw := &g.compact
	switch {
	case cw.cond:
		// The conditioning goes through the compact W_ih with the
		// other features, every step (tieredCompact).
	case g.session > 0:
		// The frame's conditioning products, for all its positions at once.
		if g.condOf != st || g.condFrame != st.Pos/F {
			t.frameProducts(st, 0, F)
			g.condOf, g.condFrame = st, st.Pos/F
		} else if t.condChanged(st, k) {
			// The state's conditioning changed since (State.ResetRow):
			// this position's products again.
			t.frameProducts(st, k, k+1)
		}
	default:
		// Outside a Generator's run the weights may change between
		// calls: this position's products only.
		t.frameProducts(st, k, k+1)
	}
	l0 := &m.layers[0]
	H, G, E, in0 := m.cfg.Hidden, 4*m.cfg.Hidden, 0, m.cfg.InputSize()
	if m.cfg.Vocab > 0 {
		E = m.cfg.Embed
	}
	P := t.cfg.pastCodes()
	Fx := Fo + t.cfg.codeWidth() // the features W_ih reads every step
	z := g.z
	for r := 0; r < B; r++ {
		zr := z[r*G : (r+1)*G]
		if cw.cond {
			copy(zr, cw.bias)
		} else {
			copy(zr, g.cond[(r*F+k)*G:(r*F+k+1)*G])
		}
		if E > 0 {
			tok := in.Tokens[r]
			if tok < 0 || int(tok) >= m.cfg.Vocab {
				panic(fmt.Sprintf("core: token %d outside vocabulary of %d", tok, m.cfg.Vocab))
			}
			if row := t.tokenRow(tok); row != nil {
				kernel.Axpy(1, row, zr)
			} else {
				kernel.Gemv(false, G, E, 1, l0.wih.W, in0, m.emb.W[int(tok)*E:(int(tok)+1)*E], 1, zr)
			}
		}
		other := g.other[r*Fx : (r+1)*Fx]
		copy(other[:Fo], in.Features[r*W+off:r*W+off+Fo])
		if P > 0 {
			ring := t.ring[r*P : (r+1)*P]
			for i := 1; i <= P; i++ {
				t.embedPast(other[Fo+(i-1)*E:Fo+i*E], int32(ring[P-i])-1)
			}
			copy(ring, ring[1:])
			ring[P-1] = float32(in.Tokens[r] + 1)
		}
		if cw.cond {
			C, X := t.cfg.Cond, cw.pad+t.cfg.Cond
			if len(g.xin) != B*X {
				g.xin = make([]float32, B*X)
			}
			xr := g.xin[r*X : (r+1)*X]
			copy(xr, other) // then zeros up to pad
			copy(xr[cw.pad:], st.Cond[(r*F+k)*C:(r*F+k+1)*C])
		}
	}
	h0 := t.sst.H[0]
	switch {
	case cw.cond:
		cw.ih0.mulRowsAdd(z, g.xin, B, cw.pad+t.cfg.Cond)
		m.gen.compact.hh[0].mulRowsAdd(z, h0, B, H)
	case cw.w != "":
		if cw.n0 > 0 {
			cw.ih0.mulRowsAdd(z, g.other, B, Fx)
		}
		if n := Fx - cw.n0; n > 0 && B == 1 {
			kernel.Gemv(false, G, n, 1, l0.wih.W[E+cw.n0:], in0, g.other[cw.n0:], 1, z)
		} else if n > 0 {
			kernel.Gemm(false, true, B, G, n, 1, g.other[cw.n0:], Fx, l0.wih.W[E+cw.n0:], in0, 1, z, G)
		}
		m.gen.compact.hh[0].mulRowsAdd(z, h0, B, H)
	case B == 1 && Fx > 0:
		kernel.GemvPair(G, Fx, H, l0.wih.W[E:], in0, g.other, l0.whh.W, H, h0, 1, z)
	case B == 1:
		kernel.Gemv(false, G, H, 1, l0.whh.W, H, h0, 1, z)
	default:
		if Fx > 0 {
			kernel.Gemm(false, true, B, G, Fx, 1, g.other, Fx, l0.wih.W[E:], in0, 1, z, G)
		}
		kernel.Gemm(false, true, B, G, H, 1, h0, H, l0.whh.W, H, 1, z, G)
	}
	kernel.LSTMCell(z, t.sst.C[0], t.sst.C[0], g.tc, h0, B, H)
	x := h0
	for l := 1; l < len(m.layers); l++ {
		if cw.w != "" {
			m.compactStep(l, x, nil, t.sst.H[l], t.sst.C[l], z, g.tc, B)
		} else {
			m.layers[l].step(x, nil, t.sst.H[l], t.sst.C[l], z, g.tc, B)
		}
		x = t.sst.H[l]
	}
	O := m.out
	for r := 0; r < B; r++ {
		copy(out[r*O:(r+1)*O], m.headB.W)
	}
	switch {
	case cw.w != "":
		m.gen.compact.head.mulRowsAdd(out, x, B, H)
	case B == 1:
		kernel.Gemv(false, O, H, 1, m.headW.W, H, x, 1, out)
	default:
		kernel.Gemm(false, true, B, O, H, 1, x, H, m.headW.W, H, 1, out, O)
	}
	st.Pos++
}

// tieredCompact holds the step level's first-layer weights Next reads every
// step, W_ih[:, other and embedded past codes], in a compact precision: the
// first n0 of those columns: all of them for int8 where its kernel takes a
// partial block as fast as a whole one (kernel.Q8TailFast), else whole
// blocks of kernel.Q8Block (the compact kernels' assembly covers whole
// blocks; the few columns left, fewer than a block, stay float32). The
// step and frame Models hold their own copies (Model.SetWeights).
//
// Where int8 products are integer ones (kernel.Q8Integer), ih0 holds the
// conditioning's columns too (cond): every step reads x = [other, embedded
// past codes, zeros up to pad (a whole number of blocks), cond_k] through
// it, from bias = b_ih + b_hh, in place of the float32 products once per
// frame (a Gemm that took about as long as this; docs/benchmarks.md, Audio).
type tieredCompact struct {
	w    Weights // "" for none (float32)
	ih0  compactMat
	n0   int
	cond bool
	pad  int
	bias []float32
}

// SetWeights makes Next (and so generation and Generator.Score) read the
// weight matrices it streams in precision w, from copies made now of the
// current float32 weights: every step, the step level's W_hh, the columns
// of its first layer's W_ih for the other features and embedded past codes,
// its deeper layers and its output layer; every frame, the frame tier's
// (Model.SetWeights; with three tiers, the frame and top tiers' through
// their nest's SetWeights, so the top tier's are compact too). The
// conditioning products (once per frame, one matrix product over the
// frame's positions), the code embedding's table and the biases stay
// float32. The compact matrices are read by
// matrix-vector products, once per sequence: without integer int8
// products (kernel.Q8Integer) they pay for one sequence or a few, and for
// many the float32 matrix products (each weight read once for all) are
// faster; with them int8 measured faster for 32 sequences too
// (docs/benchmarks.md, Audio). Call it after loading a network for
// generation, and again if the weights change (training and Forward always
// use the float32 weights). It panics if w is not one of the Weights
// constants.
func (t *Tiered) SetWeights(w Weights) {
	if w == WeightsAuto { // the sample level decides: it steps every sample
		w = t.step.autoWeights()
	}
	t.step.SetWeights(w)
	t.ft.SetWeights(w)
	cw := &t.gen.compact
	*cw = tieredCompact{}
	if t.step.Weights() == WeightsFP32 {
		return
	}
	m := t.step
	cw.w = w
	E := 0
	if m.cfg.Vocab > 0 {
		E = m.cfg.Embed
	}
	Fx := t.other + t.cfg.codeWidth()
	cw.n0 = Fx &^ (kernel.Q8Block - 1)
	if w == WeightsInt8 && kernel.Q8Integer() {
		l0 := &m.layers[0]
		in0, C := m.cfg.InputSize(), t.cfg.Cond
		cw.cond, cw.n0 = true, Fx
		cw.pad = (Fx + kernel.Q8Block - 1) / kernel.Q8Block * kernel.Q8Block
		n := cw.pad + C
		sub := make([]float32, 4*m.cfg.Hidden*n)
		for r := 0; r < 4*m.cfg.Hidden; r++ {
			copy(sub[r*n:r*n+Fx], l0.wih.W[r*in0+E:r*in0+E+Fx])
			copy(sub[r*n+cw.pad:(r+1)*n], l0.wih.W[r*in0+in0-C:(r+1)*in0])
		}
		cw.ih0 = newCompactMat(w, sub, 4*m.cfg.Hidden, n)
		cw.bias = slices.Clone(l0.sumBias())
		return
	}
	if w == WeightsInt8 && kernel.Q8TailFast() {
		cw.n0 = Fx
	}
	if cw.n0 > 0 {
		cw.ih0 = newCompactCols(w, m.layers[0].wih.W, 4*m.cfg.Hidden, m.cfg.InputSize(), E, E+cw.n0)
	}
}

// Weights returns the precision of the weights Next reads.
func (t *Tiered) Weights() Weights { return t.step.Weights() }

// tieredGen is a Tiered network's generation workspace.
type tieredGen struct {
	b       int
	cond    []float32 // B×F×4H: b_ih + b_hh + W_ih[:, cond]·cond_k of the step level's first layer
	condSrc []float32 // B×F×Cond: the conditioning values cond was computed from
	z       []float32 // B×4H
	tc      []float32 // B×H
	other   []float32 // B×(step features besides the conditioning, with the embedded past tokens)

	// cond holds the products of frame condFrame of state condOf (during
	// a Generator's run; nil: none).
	condOf    *State
	condFrame int

	// During a Generator's run (session > 0) the first layer's input
	// products W_ih[:, emb]·e(token) of the codes seen are kept, as
	// Model's input table does.
	session int
	tab     []float32 // Vocab×4H
	have    []bool

	compact tieredCompact // SetWeights
	xin     []float32     // B×(compact.pad+Cond): the compact W_ih's input (tieredCompact)
}

func (g *tieredGen) ensure(t *Tiered, b int) {
	if g.b == b {
		return
	}
	G := 4 * t.cfg.Step.Hidden
	g.b = b
	g.cond = make([]float32, b*t.cfg.Frame*G)
	g.condSrc = make([]float32, b*t.cfg.Frame*t.cfg.Cond)
	g.z = make([]float32, b*G)
	g.tc = make([]float32, b*t.cfg.Step.Hidden)
	g.other = make([]float32, b*(t.other+t.cfg.codeWidth()))
	g.condOf = nil
	g.xin = nil
}

// condChanged reports whether the conditioning of position k of any
// sequence differs from the values g.cond was computed from.
func (t *Tiered) condChanged(st *State, k int) bool {
	g := &t.gen
	F, C := t.cfg.Frame, t.cfg.Cond
	for r := 0; r < st.B; r++ {
		i := (r*F + k) * C
		if !slices.Equal(st.Cond[i:i+C], g.condSrc[i:i+C]) {
			return true
		}
	}
	return false
}

// frameProducts writes g.cond for the positions [k0, k1) of the current
// frame of every sequence from st.Cond.
func (t *Tiered) frameProducts(st *State, k0, k1 int) {
	g := &t.gen
	m := t.step
	F, C, B := t.cfg.Frame, t.cfg.Cond, st.B
	l0 := &m.layers[0]
	G, in0 := 4*m.cfg.Hidden, m.cfg.InputSize()
	off := in0 - C // the conditioning comes last in the step's input
	bias := l0.sumBias()
	for r := 0; r < B; r++ {
		for k := k0; k < k1; k++ {
			copy(g.cond[(r*F+k)*G:(r*F+k+1)*G], bias)
			copy(g.condSrc[(r*F+k)*C:(r*F+k+1)*C], st.Cond[(r*F+k)*C:(r*F+k+1)*C])
		}
	}
	n := k1 - k0
	if n == F {
		// All B×F positions in one product: each weight is read once.
		kernel.Gemm(false, true, B*F, G, C, 1, st.Cond, C, l0.wih.W[off:], in0, 1, g.cond, G)
		return
	}
	for r := 0; r < B; r++ {
		kernel.Gemm(false, true, n, G, C, 1, st.Cond[(r*F+k0)*C:], C, l0.wih.W[off:], in0, 1, g.cond[(r*F+k0)*G:], G)
	}
}

// tokenRow returns W_ih[:, emb]·e(tok) of the step level's first layer from
// the table, computing it on first use; nil outside a Generator's run or
// when the table would be too large.
func (t *Tiered) tokenRow(tok int32) []float32 {
	g := &t.gen
	m := t.step
	G, E := 4*m.cfg.Hidden, m.cfg.Embed
	if g.session == 0 || m.cfg.Vocab*G > maxInputTable {
		return nil
	}
	if g.tab == nil {
		g.tab = make([]float32, m.cfg.Vocab*G)
		g.have = make([]bool, m.cfg.Vocab)
	}
	row := g.tab[int(tok)*G : (int(tok)+1)*G]
	if !g.have[tok] {
		kernel.Gemv(false, G, E, 1, m.layers[0].wih.W, m.cfg.InputSize(), m.emb.W[int(tok)*E:(int(tok)+1)*E], 0, row)
		g.have[tok] = true
	}
	return row
}

// beginGeneration and endGeneration bracket a Generator's run, during which
// the weights do not change (see tieredGen).
func (t *Tiered) beginGeneration() {
	g := &t.gen
	g.session++
	if g.session == 1 {
		clear(g.have)
		g.condOf = nil
	}
	t.ft.beginGeneration()
}

func (t *Tiered) endGeneration() {
	t.gen.session--
	t.ft.endGeneration()
}

var _ session = (*Tiered)(nil)

type tieredMeta struct {
	Frame       int `json:"frame"`
	FrameInputs int `json:"frame_inputs"`
	Cond        int `json:"cond"`
	Codes       int `json:"codes,omitempty"`
	Top         int `json:"top,omitempty"`
	TopCond     int `json:"top_cond,omitempty"`
}

// Tensors returns the tiers' parameters (named top.*, frame.* and step.*),
// the metadata and, with tr not nil, the training state.
func (t *Tiered) Tensors(meta map[string]string, tr *Trainer) *Tensors {
	ts := t.step.Tensors(meta, nil)
	ts.List = nil
	b, _ := json.Marshal(tieredMeta{t.cfg.Frame, t.cfg.FrameInputs, t.cfg.Cond, t.cfg.Codes, t.cfg.Top, t.cfg.TopCond})
	ts.Meta[MetaTiered] = string(b)
	appendParams(ts, t.params)
	appendTraining(ts, t.params, tr)
	return ts
}

// Save writes the network (and, with tr not nil, the training state) to
// path atomically.
func (t *Tiered) Save(path string, meta map[string]string, tr *Trainer) error {
	return Save(path, t, meta, tr)
}

func tieredFromTensors(ts *Tensors) (*Checkpoint, error) {
	var tm tieredMeta
	if err := json.Unmarshal([]byte(ts.Meta[MetaTiered]), &tm); err != nil {
		return nil, formatErr("%s: %v", MetaTiered, err)
	}
	frame, err := modelFromTensors(ts, tieredFramePrefix)
	if err != nil {
		return nil, fmt.Errorf("frame tier: %w", err)
	}
	step, err := modelFromTensors(ts, tieredStepPrefix)
	if err != nil {
		return nil, fmt.Errorf("step tier: %w", err)
	}
	cfg := TieredConfig{Frame: tm.Frame, FrameInputs: tm.FrameInputs, FrameHidden: frame.cfg.Hidden,
		FrameLayers: frame.cfg.Layers, Cond: tm.Cond, Codes: tm.Codes, Step: step.cfg}
	var top *Model
	if tm.Top != 0 {
		if top, err = modelFromTensors(ts, tieredTopPrefix); err != nil {
			return nil, fmt.Errorf("top tier: %w", err)
		}
		cfg.Top, cfg.TopHidden, cfg.TopLayers, cfg.TopCond = tm.Top, top.cfg.Hidden, top.cfg.Layers, tm.TopCond
	}
	if err := cfg.validate(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrFormat, err)
	}
	if fc := cfg.frameConfig(); frame.cfg.Features != fc.Features || frame.cfg.Vocab != 0 || frame.out != tm.Frame*tm.Cond {
		return nil, formatErr("frame tier shapes do not match %s", ts.Meta[MetaTiered])
	}
	if tc := cfg.topConfig(); top != nil && (top.cfg.Features != tc.Features || top.cfg.Vocab != 0 || top.out != tc.likelihood().Size()) {
		return nil, formatErr("top tier shapes do not match %s", ts.Meta[MetaTiered])
	}
	t := assembleTiered(cfg, top, frame, step)
	count := 0
	for _, x := range ts.List {
		if !strings.HasPrefix(x.Name, "_") {
			count++
		}
	}
	if count != len(t.params.List) {
		return nil, formatErr("%d model tensors, a tiered network of this shape has %d", count, len(t.params.List))
	}
	c := &Checkpoint{Net: t, Tiered: t, Meta: ts.Meta, BestVal: math.NaN(), EndVal: math.NaN()}
	if s, ok := ts.Meta[MetaTrain]; ok {
		if err := c.loadTraining(ts, s); err != nil {
			return nil, err
		}
	}
	return c, nil
}
