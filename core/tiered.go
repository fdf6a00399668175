// A two-tier network, SampleRNN's idea: a frame-level LSTM runs once every
// Frame steps over the inputs of the last Frame steps, and its output,
// projected to one conditioning vector per position in the frame, joins the
// features of a step-level Model. The frame tier gives long context at a
// fraction of the cost of running every step through a deep stack.
//
// Causality: the frame of steps [jF, jF+F) is conditioned on the frame
// inputs of steps jF-F+1 .. jF. Step t's input describes element t-1, so
// the frame tier never sees an element before the step level predicts it.

package core

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
)

// MetaTiered holds a Tiered network's frame settings as JSON.
const MetaTiered = "arkit.tiered"

const (
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

	// Step is the step-level model. Its Features are the step's other
	// features followed by the Cond conditioning values; Proj must be 0.
	Step Config
}

// Validate reports whether the configuration describes a network that can
// be built (NewTiered panics otherwise).
func (c TieredConfig) Validate() error { return c.validate() }

func (c TieredConfig) validate() error {
	switch {
	case c.Frame <= 0 || c.FrameInputs <= 0 || c.FrameHidden <= 0 || c.Cond <= 0 || c.FrameLayers < 0:
		return fmt.Errorf("tiered: frame %d, frame inputs %d, frame hidden %d and cond %d must be positive",
			c.Frame, c.FrameInputs, c.FrameHidden, c.Cond)
	case c.Step.Features < c.Cond:
		return fmt.Errorf("tiered: step model has %d features, fewer than the %d conditioning values", c.Step.Features, c.Cond)
	case c.Step.Proj != 0:
		return fmt.Errorf("tiered: the step model must take its features without projection")
	}
	if err := c.frameConfig().validate(); err != nil {
		return fmt.Errorf("tiered: frame tier: %w", err)
	}
	if err := c.Step.validate(); err != nil {
		return err
	}
	if c.frameConfig().paramCount()+c.Step.paramCount() > MaxParams {
		return fmt.Errorf("tiered: the frame tier (hidden %d, %d layers) and the step tier (hidden %d, %d layers) have more than %d parameters together",
			c.FrameHidden, c.frameConfig().layers(), c.Step.Hidden, c.Step.layers(), MaxParams)
	}
	return nil
}

// Tiered is a frame-level LSTM conditioning a step-level Model. It is a
// Network (trainable) and a Step (drivable by a Generator). Training
// windows must span whole frames and start at a frame boundary. A Tiered
// holds workspaces: it is not safe for concurrent use.
type Tiered struct {
	cfg         TieredConfig
	frame, step *Model
	params      *Params
	other       int // step features besides the conditioning

	fb       *Batch    // frame-tier window
	sb       *Batch    // step-tier window
	dRaw     []float32 // gradient w.r.t. the frame tier's outputs
	fst, sst State     // views of a State's frame and step layers
	stepIn   Input
}

// NewTiered builds a Tiered network initialised from rng. It panics if cfg
// is inconsistent.
func NewTiered(cfg TieredConfig, rng *rand.Rand) *Tiered {
	if err := cfg.validate(); err != nil {
		panic("core: " + err.Error())
	}
	frame := NewModel(cfg.frameConfig(), rng)
	step := NewModel(cfg.Step, rng)
	return assembleTiered(cfg, frame, step)
}

func (c TieredConfig) frameConfig() Config {
	return Config{Features: c.Frame * c.FrameInputs, Hidden: c.FrameHidden, Layers: c.FrameLayers,
		Dropout: c.Step.Dropout, Likelihood: rawOutputs{c.Frame * c.Cond}}
}

func assembleTiered(cfg TieredConfig, frame, step *Model) *Tiered {
	cfg.FrameLayers = frame.cfg.Layers
	cfg.Step = step.cfg
	step.inputGrad = true
	return &Tiered{cfg: cfg, frame: frame, step: step, other: cfg.Step.Features - cfg.Cond,
		params: joinParams([]*Params{frame.params, step.params}, []string{tieredFramePrefix, tieredStepPrefix})}
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

// Params returns the parameters of both tiers, frame tier first.
func (t *Tiered) Params() *Params { return t.params }

// OutSize returns the step level's outputs per element.
func (t *Tiered) OutSize() int { return t.step.out }

// Likelihood returns the step level's likelihood.
func (t *Tiered) Likelihood() Likelihood { return t.step.lik }

// Inputs reports the step inputs: a token if the step level has a
// vocabulary, and FrameInputs plus the other features.
func (t *Tiered) Inputs() (bool, int) { return t.cfg.Step.Vocab > 0, t.cfg.FrameInputs + t.other }

// NewState returns the zero state for b sequences.
func (t *Tiered) NewState(b int) *State {
	f, s := t.frame.NewState(b), t.step.NewState(b)
	return &State{B: b, H: append(f.H, s.H...), C: append(f.C, s.C...),
		Buf:  make([]float32, b*t.cfg.Frame*t.cfg.FrameInputs),
		Cond: make([]float32, b*t.cfg.Frame*t.cfg.Cond)}
}

func (t *Tiered) views(st *State) {
	fl := len(t.frame.layers)
	if st.B <= 0 || len(st.H) != fl+len(t.step.layers) || len(st.Buf) != st.B*t.cfg.Frame*t.cfg.FrameInputs {
		panic("core: state does not belong to this tiered network")
	}
	t.fst = State{B: st.B, H: st.H[:fl], C: st.C[:fl]}
	t.sst = State{B: st.B, H: st.H[fl:], C: st.C[fl:]}
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
// whole frames from a frame boundary.
func (t *Tiered) Forward(b *Batch, st *State, rng *rand.Rand) (nll, weight float64) {
	F, FI, C, Fo := t.cfg.Frame, t.cfg.FrameInputs, t.cfg.Cond, t.other
	if b.T%F != 0 || st.Pos%F != 0 {
		panic(fmt.Sprintf("core: tiered window of %d steps at position %d does not align with frames of %d", b.T, st.Pos, F))
	}
	W := FI + Fo
	if len(b.Features) != b.T*b.B*W {
		panic(fmt.Sprintf("core: %d features for a %d×%d tiered batch of width %d", len(b.Features), b.T, b.B, W))
	}
	t.views(st)
	n, B := b.T/F, b.B
	if t.fb == nil || t.fb.T != n || t.fb.B != B {
		t.fb = &Batch{T: n, B: B, Features: make([]float32, n*B*F*FI), Targets: make([]float32, n*B)}
		t.sb = &Batch{T: b.T, B: B, Features: make([]float32, b.T*B*(Fo+C))}
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
	raw := t.frame.forwardRaw(t.fb, &t.fst, rng)
	sb := t.sb
	sb.Tokens, sb.Targets, sb.Mask = b.Tokens, b.Targets, b.Mask
	for s := 0; s < b.T; s++ {
		j := s / F
		for r := 0; r < B; r++ {
			dst := sb.Features[(s*B+r)*(Fo+C) : (s*B+r+1)*(Fo+C)]
			copy(dst[:Fo], b.Features[(s*B+r)*W+FI:(s*B+r+1)*W])
			copy(dst[Fo:], raw[(j*B+r)*F*C+(s%F)*C:(j*B+r)*F*C+(s%F+1)*C])
		}
	}
	nll, weight = t.step.Forward(sb, &t.sst, rng)
	// Carry the last frame's inputs and conditioning.
	for r := 0; r < B; r++ {
		for s := 0; s < F; s++ {
			u := b.T - F + s
			copy(st.Buf[(r*F+s)*FI:(r*F+s+1)*FI], b.Features[(u*B+r)*W:(u*B+r)*W+FI])
		}
		copy(st.Cond[r*F*C:(r+1)*F*C], raw[((n-1)*B+r)*F*C:((n-1)*B+r+1)*F*C])
	}
	st.Pos += b.T
	return nll, weight
}

// Backward adds the gradient of the last Forward's mean loss to both tiers.
func (t *Tiered) Backward() {
	t.step.Backward()
	F, C, Fo := t.cfg.Frame, t.cfg.Cond, t.other
	E := 0
	if t.cfg.Step.Vocab > 0 {
		E = t.cfg.Step.Embed
	}
	in := t.cfg.Step.InputSize()
	dx := t.step.tr.stack.dx
	T, B := t.sb.T, t.sb.B
	for s := 0; s < T; s++ {
		j := s / F
		for r := 0; r < B; r++ {
			copy(t.dRaw[(j*B+r)*F*C+(s%F)*C:(j*B+r)*F*C+(s%F+1)*C], dx[(s*B+r)*in+E+Fo:(s*B+r)*in+E+Fo+C])
		}
	}
	t.frame.backwardRaw(t.dRaw)
}

// Next advances the state by one step (see Step). in.Features holds, per
// sequence, the FrameInputs values then the other features.
func (t *Tiered) Next(st *State, in Input, out []float32) {
	F, FI, C, Fo := t.cfg.Frame, t.cfg.FrameInputs, t.cfg.Cond, t.other
	W := FI + Fo
	B := st.B
	if len(in.Features) != B*W {
		panic(fmt.Sprintf("core: %d features for %d sequences of width %d", len(in.Features), B, W))
	}
	t.views(st)
	for r := 0; r < B; r++ {
		buf := st.Buf[r*F*FI : (r+1)*F*FI]
		copy(buf, buf[FI:])
		copy(buf[(F-1)*FI:], in.Features[r*W:r*W+FI])
	}
	if st.Pos%F == 0 {
		t.frame.Next(&t.fst, Input{Features: st.Buf}, st.Cond)
	}
	if len(t.stepIn.Features) != B*(Fo+C) {
		t.stepIn.Features = make([]float32, B*(Fo+C))
	}
	k := st.Pos % F
	for r := 0; r < B; r++ {
		dst := t.stepIn.Features[r*(Fo+C) : (r+1)*(Fo+C)]
		copy(dst[:Fo], in.Features[r*W+FI:(r+1)*W])
		copy(dst[Fo:], st.Cond[r*F*C+k*C:r*F*C+(k+1)*C])
	}
	t.stepIn.Tokens = in.Tokens
	t.step.Next(&t.sst, t.stepIn, out)
	st.Pos++
}

type tieredMeta struct {
	Frame       int `json:"frame"`
	FrameInputs int `json:"frame_inputs"`
	Cond        int `json:"cond"`
}

// Tensors returns both tiers' parameters (named frame.* and step.*), the
// metadata and, with tr not nil, the training state.
func (t *Tiered) Tensors(meta map[string]string, tr *Trainer) *Tensors {
	ts := t.step.Tensors(meta, nil)
	ts.List = nil
	b, _ := json.Marshal(tieredMeta{t.cfg.Frame, t.cfg.FrameInputs, t.cfg.Cond})
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
		FrameLayers: frame.cfg.Layers, Cond: tm.Cond, Step: step.cfg}
	if err := cfg.validate(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrFormat, err)
	}
	if frame.cfg.Features != tm.Frame*tm.FrameInputs || frame.cfg.Vocab != 0 || frame.out != tm.Frame*tm.Cond {
		return nil, formatErr("frame tier shapes do not match %s", ts.Meta[MetaTiered])
	}
	t := assembleTiered(cfg, frame, step)
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
