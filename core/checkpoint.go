// Model files: one safetensors file per model. The model's tensors carry
// PyTorch's state_dict names, so the file loads into the equivalent
// torch.nn module; the configuration is read back from the tensor shapes.
// Domain settings travel in the metadata under "arkit." keys. A training
// checkpoint adds the optimizer moments, the carried state and the best
// parameters under names starting with "_", which PyTorch users filter out.
// See docs/format.md.

package core

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Metadata keys written by core.
const (
	MetaFormat     = "arkit.format"
	MetaLikelihood = "arkit.likelihood"
	MetaDropout    = "arkit.dropout"
	MetaTrain      = "arkit.train"
	MetaDomain     = "arkit.domain"
)

// trainMeta is the trainer's scalar state, stored as JSON under arkit.train.
type trainMeta struct {
	Steps       int      `json:"steps"`
	LR          float32  `json:"lr"`
	Beta1       float32  `json:"beta1"`
	Beta2       float32  `json:"beta2"`
	Eps         float32  `json:"eps"`
	WeightDecay float32  `json:"weight_decay"`
	BestVal     *float64 `json:"best_val,omitempty"`
	SinceBest   int      `json:"since_best"`
	EndVal      *float64 `json:"end_val,omitempty"`
	AvgLoss     float64  `json:"avg_loss"`
	ElapsedNS   int64    `json:"elapsed_ns,omitempty"`
	CarryB      int      `json:"carry_batch"`
	CarryPos    int      `json:"carry_pos,omitempty"`
}

// Tensors returns the model's parameters and metadata as a Tensors set,
// adding the training state of tr when tr is not nil. meta holds the
// domain's "arkit." keys.
func (m *Model) Tensors(meta map[string]string, tr *Trainer) *Tensors {
	ts := &Tensors{Meta: map[string]string{}}
	for k, v := range meta {
		ts.Meta[k] = v
	}
	ts.Meta[MetaFormat] = "1"
	ts.Meta[MetaLikelihood] = m.lik.Name()
	ts.Meta[MetaDropout] = strconv.FormatFloat(float64(m.cfg.Dropout), 'g', -1, 32)
	appendParams(ts, m.params)
	appendTraining(ts, m.params, tr)
	return ts
}

func appendParams(ts *Tensors, p *Params) {
	for _, q := range p.List {
		ts.List = append(ts.List, Tensor{Name: q.Name, Shape: q.Shape, Data: q.W})
	}
}

// appendTraining adds the trainer's state (optimizer moments, best
// parameters, carried state, counters) to ts.
func appendTraining(ts *Tensors, params *Params, tr *Trainer) {
	if tr == nil || tr.Optimizer == nil {
		return
	}
	o := tr.Optimizer
	tm := trainMeta{Steps: o.Steps, LR: o.LR, Beta1: o.Beta1, Beta2: o.Beta2, Eps: o.Eps, WeightDecay: o.WeightDecay,
		SinceBest: tr.SinceBest, AvgLoss: tr.AvgLoss}
	if tr.Schedule.Duration > 0 {
		// Only a schedule over time needs the time trained; a run limited
		// by steps keeps files that depend on its seed alone.
		tm.ElapsedNS = int64(tr.Elapsed)
	}
	if !math.IsNaN(tr.BestVal) && (tr.BestVal != 0 || tr.Best != nil) {
		v := tr.BestVal
		tm.BestVal = &v
	}
	if !math.IsNaN(tr.EndVal) && tr.EndVal != 0 {
		v := tr.EndVal
		tm.EndVal = &v
	}
	off := 0
	for _, p := range params.List {
		n := len(p.W)
		if len(o.M) == len(params.W) {
			ts.List = append(ts.List,
				Tensor{Name: "_optim.m." + p.Name, Shape: p.Shape, Data: o.M[off : off+n]},
				Tensor{Name: "_optim.v." + p.Name, Shape: p.Shape, Data: o.V[off : off+n]})
		}
		if len(tr.Best) == len(params.W) {
			ts.List = append(ts.List, Tensor{Name: "_best." + p.Name, Shape: p.Shape, Data: tr.Best[off : off+n]})
		}
		if len(tr.Avg) == len(params.W) {
			ts.List = append(ts.List, Tensor{Name: "_ema." + p.Name, Shape: p.Shape, Data: tr.Avg[off : off+n]})
		}
		off += n
	}
	if c := tr.Carry; c != nil {
		tm.CarryB, tm.CarryPos = c.B, c.Pos
		row := func(x []float32) []int { return []int{c.B, len(x) / c.B} }
		for l := range c.H {
			k := strconv.Itoa(l)
			ts.List = append(ts.List,
				Tensor{Name: "_carry.h_l" + k, Shape: row(c.H[l]), Data: c.H[l]},
				Tensor{Name: "_carry.c_l" + k, Shape: row(c.C[l]), Data: c.C[l]})
		}
		if len(c.Buf) > 0 {
			ts.List = append(ts.List, Tensor{Name: "_carry.buf", Shape: row(c.Buf), Data: c.Buf})
		}
		if len(c.Cond) > 0 {
			ts.List = append(ts.List, Tensor{Name: "_carry.cond", Shape: row(c.Cond), Data: c.Cond})
		}
	}
	b, _ := json.Marshal(tm)
	ts.Meta[MetaTrain] = string(b)
}

// Save writes the model, its metadata and (with tr not nil) the training
// state to path atomically.
func (m *Model) Save(path string, meta map[string]string, tr *Trainer) error {
	return Save(path, m, meta, tr)
}

// Checkpoint is a loaded model file.
type Checkpoint struct {
	Net    Network // the network: Model or Tiered
	Model  *Model  // the network when it is a single Model
	Tiered *Tiered // the network when it is a Tiered one
	Meta   map[string]string

	// Training state, present when the file was saved during training.
	Optimizer *Adam
	Carry     *State
	BestVal   float64
	SinceBest int
	Best      []float32
	Avg       []float32 // the moving average of the parameters (Trainer.EMA)
	AvgLoss   float64
	Elapsed   time.Duration // training time of the saved run
	EndVal    float64       // validation loss of the saved parameters, off the schedule (NaN: none; see Trainer.EndVal)
}

// UseBest replaces the network's parameters with the best validated ones
// when the checkpoint holds them (for inference after training with
// Trainer.KeepBest), and reports whether it did. It keeps the saved (last)
// parameters when their own validation at the end of the run, EndVal, beat
// the best scheduled one.
//
// With a moving average of the parameters (Trainer.EMA), the validated
// weights are the average's: UseBest takes the best ones, or else the
// average.
func (c *Checkpoint) UseBest() bool {
	p := c.Net.Params()
	switch {
	case len(c.Best) == len(p.W) && !endBeatsBest(c.EndVal, c.BestVal):
		copy(p.W, c.Best)
	case len(c.Avg) == len(p.W):
		copy(p.W, c.Avg)
	default:
		return false
	}
	return true
}

// Resume copies the checkpoint's training state into tr, so that tr.Run
// continues the saved run. EndVal is not copied: the resumed run validates
// on the schedule, and at its own end.
func (c *Checkpoint) Resume(tr *Trainer) {
	tr.Model = c.Net
	if c.Optimizer != nil {
		tr.Optimizer = c.Optimizer
	}
	if c.Carry != nil && c.Carry.B == tr.B {
		tr.Carry = c.Carry
	}
	tr.BestVal, tr.SinceBest, tr.Best, tr.AvgLoss, tr.Elapsed = c.BestVal, c.SinceBest, c.Best, c.AvgLoss, c.Elapsed
	tr.Avg = c.Avg
}

// LoadModel reads a model file written by Save or by PyTorch (see
// docs/format.md). Errors name the file and wrap ErrFormat when the file is
// malformed.
func LoadModel(path string) (*Checkpoint, error) {
	ts, err := ReadTensorsFile(path)
	if err != nil {
		return nil, err
	}
	c, err := FromTensors(ts)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

func shapeIs(t Tensor, dims ...int) bool {
	if len(t.Shape) != len(dims) {
		return false
	}
	for i := range dims {
		if t.Shape[i] != dims[i] {
			return false
		}
	}
	return true
}

// FromTensors rebuilds a model (and any training state) from a tensor set,
// inferring the configuration from the tensor shapes.
func FromTensors(ts *Tensors) (*Checkpoint, error) {
	if _, ok := ts.Meta[MetaTiered]; ok {
		return tieredFromTensors(ts)
	}
	m, err := modelFromTensors(ts, "")
	if err != nil {
		return nil, err
	}
	c := &Checkpoint{Net: m, Model: m, Meta: ts.Meta, BestVal: math.NaN(), EndVal: math.NaN()}
	if s, ok := ts.Meta[MetaTrain]; ok {
		if err := c.loadTraining(ts, s); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// modelFromTensors builds a Model from the tensors whose names start with
// prefix (the prefix stripped), with the likelihood named in the metadata
// (or forced by prefix conventions of Tiered).
func modelFromTensors(all *Tensors, prefix string) (*Model, error) {
	ts := all
	if prefix != "" {
		ts = &Tensors{Meta: all.Meta}
		for _, t := range all.List {
			if strings.HasPrefix(t.Name, prefix) {
				t.Name = strings.TrimPrefix(t.Name, prefix)
				ts.List = append(ts.List, t)
			}
		}
	}
	get := func(name string) (Tensor, bool) { return ts.Get(name) }
	var cfg Config
	if e, ok := get("embedding.weight"); ok {
		if len(e.Shape) != 2 || e.Shape[0] == 0 || e.Shape[1] == 0 {
			return nil, formatErr("embedding.weight has shape %v, want [vocab, embed]", e.Shape)
		}
		cfg.Vocab, cfg.Embed = e.Shape[0], e.Shape[1]
	}
	if w, ok := get("input.weight"); ok {
		if len(w.Shape) != 2 || w.Shape[0] == 0 || w.Shape[1] == 0 {
			return nil, formatErr("input.weight has shape %v, want [proj, features]", w.Shape)
		}
		cfg.Proj, cfg.Features = w.Shape[0], w.Shape[1]
	}
	whh, ok := get("lstm.weight_hh_l0")
	if !ok {
		return nil, formatErr("no tensor lstm.weight_hh_l0: not an arkit LSTM model")
	}
	if len(whh.Shape) != 2 || whh.Shape[1] == 0 || whh.Shape[0] != 4*whh.Shape[1] {
		return nil, formatErr("lstm.weight_hh_l0 has shape %v, want [4H, H]", whh.Shape)
	}
	cfg.Hidden = whh.Shape[1]
	for {
		if _, ok := get("lstm.weight_ih_l" + strconv.Itoa(cfg.Layers)); !ok {
			break
		}
		cfg.Layers++
		if cfg.Layers > 64 {
			return nil, formatErr("more than 64 LSTM layers")
		}
	}
	wih, ok := get("lstm.weight_ih_l0")
	if !ok || len(wih.Shape) != 2 {
		return nil, formatErr("missing or malformed lstm.weight_ih_l0")
	}
	if cfg.Proj == 0 {
		cfg.Features = wih.Shape[1] - cfg.Embed
		if cfg.Features < 0 {
			return nil, formatErr("lstm.weight_ih_l0 has %d inputs, fewer than the embedding's %d", wih.Shape[1], cfg.Embed)
		}
	}
	head, ok := get("head.weight")
	if !ok || len(head.Shape) != 2 || head.Shape[0] == 0 {
		return nil, formatErr("missing or malformed head.weight")
	}
	likName := ts.Meta[MetaLikelihood]
	if prefix == tieredFramePrefix || prefix == tieredTopPrefix {
		likName = "raw"
	}
	lik, err := LikelihoodByName(likName, head.Shape[0])
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrFormat, err)
	}
	cfg.Likelihood = lik
	if d := ts.Meta[MetaDropout]; d != "" {
		v, err := strconv.ParseFloat(d, 32)
		if err != nil || v < 0 || v >= 1 {
			return nil, formatErr("%s = %q is not a dropout rate", MetaDropout, d)
		}
		cfg.Dropout = float32(v)
	}
	m, err := newModel(cfg)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrFormat, err)
	}
	known := map[string]bool{}
	for _, p := range m.params.List {
		t, ok := get(p.Name)
		if !ok {
			return nil, formatErr("missing tensor %s", p.Name)
		}
		if !shapeIs(t, p.Shape...) {
			return nil, formatErr("tensor %s has shape %v, want %v", p.Name, t.Shape, p.Shape)
		}
		copy(p.W, t.Data)
		known[p.Name] = true
	}
	if prefix == "" {
		for _, t := range ts.List {
			if !known[t.Name] && !strings.HasPrefix(t.Name, "_") {
				return nil, formatErr("unexpected tensor %s", t.Name)
			}
		}
	}
	return m, nil
}

func (c *Checkpoint) loadTraining(ts *Tensors, js string) error {
	var tm trainMeta
	if err := json.Unmarshal([]byte(js), &tm); err != nil {
		return formatErr("%s: %v", MetaTrain, err)
	}
	if tm.Steps < 0 || tm.CarryB < 0 || tm.CarryB > 1<<20 {
		return formatErr("%s holds impossible values", MetaTrain)
	}
	params := c.Net.Params()
	o := &Adam{LR: tm.LR, Beta1: tm.Beta1, Beta2: tm.Beta2, Eps: tm.Eps, WeightDecay: tm.WeightDecay, Steps: tm.Steps}
	gather := func(prefix string) ([]float32, error) {
		var out []float32
		for _, p := range params.List {
			t, ok := ts.Get(prefix + p.Name)
			if !ok {
				if len(out) == 0 && p == params.List[0] {
					return nil, nil
				}
				return nil, formatErr("missing tensor %s%s", prefix, p.Name)
			}
			if !shapeIs(t, p.Shape...) {
				return nil, formatErr("tensor %s%s has shape %v, want %v", prefix, p.Name, t.Shape, p.Shape)
			}
			out = append(out, t.Data...)
		}
		return out, nil
	}
	var err error
	if o.M, err = gather("_optim.m."); err != nil {
		return err
	}
	if o.V, err = gather("_optim.v."); err != nil {
		return err
	}
	if (o.M == nil) != (o.V == nil) {
		return formatErr("optimizer moments incomplete")
	}
	if c.Best, err = gather("_best."); err != nil {
		return err
	}
	if c.Avg, err = gather("_ema."); err != nil {
		return err
	}
	c.Optimizer = o
	if tm.BestVal != nil {
		c.BestVal = *tm.BestVal
	}
	if tm.ElapsedNS < 0 {
		return formatErr("%s holds a negative training time", MetaTrain)
	}
	c.SinceBest, c.AvgLoss, c.Elapsed = tm.SinceBest, tm.AvgLoss, time.Duration(tm.ElapsedNS)
	if tm.EndVal != nil {
		c.EndVal = *tm.EndVal
	}
	if tm.CarryB > 0 {
		st := c.Net.NewState(tm.CarryB)
		load := func(name string, dst []float32) error {
			t, ok := ts.Get(name)
			if !ok || !shapeIs(t, tm.CarryB, len(dst)/tm.CarryB) {
				return formatErr("carried state %s missing or misshapen", name)
			}
			copy(dst, t.Data)
			return nil
		}
		for l := range st.H {
			k := strconv.Itoa(l)
			if err := load("_carry.h_l"+k, st.H[l]); err != nil {
				return err
			}
			if err := load("_carry.c_l"+k, st.C[l]); err != nil {
				return err
			}
		}
		if len(st.Buf) > 0 {
			if err := load("_carry.buf", st.Buf); err != nil {
				return err
			}
		}
		if len(st.Cond) > 0 {
			if err := load("_carry.cond", st.Cond); err != nil {
				return err
			}
		}
		st.Pos = tm.CarryPos
		c.Carry = st
	}
	return nil
}
