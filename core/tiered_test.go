// Tests of the two-tier network: gradients through both tiers, agreement
// of step-by-step generation with windowed training across windows, file
// round trips and exact resumption.

package core

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func tinyTiered(seed uint64) *Tiered { return tinyTieredCodes(seed, 0) }

// tinyTieredCodes is tinyTiered whose step level embeds codes past tokens
// (TieredConfig.Codes).
func tinyTieredCodes(seed uint64, codes int) *Tiered {
	c := TieredConfig{Frame: 4, FrameInputs: 1, FrameHidden: 5, Cond: 3, Codes: codes,
		Step: Config{Vocab: 5, Embed: 3, Features: 1 + 3, Hidden: 6, Layers: 2}}
	c.Step.Features += c.codeWidth()
	return NewTiered(c, rng(seed))
}

// TestTieredConfigValidate: every configuration NewTiered would panic on
// is an error of Validate, including two tiers that each fit MaxParams but
// not together.
func TestTieredConfigValidate(t *testing.T) {
	step := Config{Vocab: 256, Embed: 32, Features: 16 + 64, Hidden: 64, Layers: 1}
	ok := TieredConfig{Frame: 16, FrameInputs: 1, FrameHidden: 64, Cond: 64, Step: step}
	if err := ok.Validate(); err != nil {
		t.Fatalf("a small network: %v", err)
	}
	big := step
	big.Hidden, big.Layers = 16384, 16
	wide := step
	wide.Hidden, wide.Layers = 4000, 2 // about 1.9e8 parameters
	for _, tc := range []struct {
		name string
		edit func(*TieredConfig)
		want string
	}{
		{"zero frame", func(c *TieredConfig) { c.Frame = 0 }, "must be positive"},
		{"few features", func(c *TieredConfig) { c.Step.Features = 10 }, "fewer than the 64 conditioning"},
		{"projection", func(c *TieredConfig) { c.Step.Proj = 8 }, "without projection"},
		{"huge step tier", func(c *TieredConfig) { c.Step = big }, "more than 268435456 parameters"},
		{"huge frame tier", func(c *TieredConfig) { c.FrameHidden, c.FrameLayers = 16384, 16 }, "frame tier: a model of hidden 16384"},
		{"huge frame head", func(c *TieredConfig) { c.Frame, c.Cond, c.Step.Features = 16384, 16384, 16384+16 }, "frame tier"},
		{"two tiers together", func(c *TieredConfig) { c.Step, c.FrameHidden, c.FrameLayers = wide, 4000, 2 }, "parameters together"},
	} {
		c := ok
		tc.edit(&c)
		err := c.Validate()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
			continue
		}
		func() {
			defer func() {
				if r := recover(); r == nil || !strings.Contains(r.(string), tc.want) {
					t.Errorf("%s: NewTiered panicked with %v, want %q", tc.name, r, tc.want)
				}
			}()
			NewTiered(c, rng(1))
		}()
	}
}

func tieredBatch(tt *Tiered, T, B int, seed uint64) *Batch {
	r := rng(seed)
	b := tt.NewBatch(T, B)
	for i := range b.Tokens {
		b.Tokens[i] = int32(r.IntN(5))
		b.Targets[i] = float32(r.IntN(5))
	}
	for i := range b.Features {
		b.Features[i] = float32(r.NormFloat64())
	}
	return b
}

func TestTieredGradientCheck(t *testing.T) {
	for _, codes := range []int{0, 3} {
		t.Run(fmt.Sprintf("codes %d", codes), func(t *testing.T) { tieredGradientCheck(t, codes) })
	}
}

// tieredGradientCheck compares every gradient with central differences
// over two windows, the second starting from the state the first carried
// (its past tokens, with codes > 1).
func tieredGradientCheck(t *testing.T, codes int) {
	tt := tinyTieredCodes(3, codes)
	start := tt.NewState(2)
	for i := range start.Buf {
		start.Buf[i] = float32(i%5) * 0.3
	}
	if codes > 1 {
		// Past tokens carried in from an earlier window: one row has
		// them all, the other one.
		ring := start.H[len(start.H)-1]
		copy(ring, []float32{3, 5, 0, 2})
	}
	checked := checkTieredGradients(t, tt, 8, start)
	if checked["frame.lstm.weight_ih_l0"] == 0 || checked["step.head.weight"] == 0 || checked["step.embedding.weight"] == 0 {
		t.Fatalf("not all tiers checked: %v", checked)
	}
}

// checkTieredGradients compares the gradients of tt's loss over a window
// of T steps for 2 sequences from a copy of start with central differences
// (the weights doubled first, for larger activations) and returns how many
// entries of each tensor it checked.
func checkTieredGradients(t *testing.T, tt *Tiered, T int, start *State) map[string]int {
	for i := range tt.params.W {
		tt.params.W[i] *= 2
	}
	b := tieredBatch(tt, T, 2, 4)
	loss := func() float64 {
		st := tt.NewState(2)
		copy(st.Buf, start.Buf)
		copy(st.Cond, start.Cond)
		for l := range st.H {
			copy(st.H[l], start.H[l])
			copy(st.C[l], start.C[l])
		}
		nll, w := tt.Forward(b, st, nil)
		return nll / w
	}
	tt.params.ZeroGrad()
	loss()
	tt.Backward()
	return checkGradients(t, tt.params, 9, loss)
}

func TestTieredNextMatchesForward(t *testing.T) {
	for _, codes := range []int{0, 3, 6} {
		for _, B := range []int{1, 2} {
			T := 8
			if codes == 6 {
				T = 4
			}
			t.Run(fmt.Sprintf("codes %d B %d", codes, B), func(t *testing.T) { tieredNextMatchesForward(t, tinyTieredCodes(5, codes), T, B) })
		}
	}
}

// tieredNextMatchesForward: three windows through Forward and the same steps
// through Next give the same outputs; with codes 6 the past tokens reach
// back across the window boundary, into the window before the last
// (windows of 4 steps, 5 past tokens).
func tieredNextMatchesForward(t *testing.T, tt *Tiered, T, B int) {
	batches := []*Batch{tieredBatch(tt, T, B, 6), tieredBatch(tt, T, B, 7), tieredBatch(tt, T, B, 8)}
	st := tt.NewState(B)
	tt.step.tr.keepRaw = true
	var want []float32
	for _, b := range batches {
		tt.Forward(b, st, nil)
		want = append(want, tt.step.tr.raw...)
	}
	gs := tt.NewState(B)
	out := make([]float32, B*tt.OutSize())
	var got []float32
	W := 2
	for _, b := range batches {
		for s := 0; s < T; s++ {
			tt.Next(gs, Input{Tokens: b.Tokens[s*B : (s+1)*B], Features: b.Features[s*B*W : (s+1)*B*W]}, out)
			got = append(got, out...)
		}
	}
	closeTo(t, "tiered step outputs", got, want, 1e-5)
}

// frameData serves fresh windows whose next token is the token F steps
// back: the step level alone (with small memory) must lean on the frame
// tier's view of the previous frame.
type tieredCopyData struct{ tt *Tiered }

func (d tieredCopyData) Batch(step int, b *Batch) (bool, error) {
	r := rng(uint64(step) + 1)
	B, T := b.B, b.T
	seq := make([]int32, T+1)
	for k := 0; k < B; k++ {
		for i := range seq {
			if i < 4 {
				seq[i] = int32(r.IntN(5))
			} else {
				seq[i] = seq[i-4]
			}
		}
		for s := 0; s < T; s++ {
			b.Tokens[s*B+k] = seq[s]
			b.Targets[s*B+k] = float32(seq[s+1])
			b.Features[(s*B+k)*2] = float32(seq[s])/2 - 1
		}
	}
	return true, nil
}

func TestTieredLearnsAndResumes(t *testing.T) {
	for _, codes := range []int{0, 3} {
		t.Run(fmt.Sprintf("codes %d", codes), func(t *testing.T) { tieredLearnsAndResumes(t, codes, 2) })
	}
	t.Run("three tiers", func(t *testing.T) { tieredLearnsAndResumes(t, 2, 3) })
}

// tieredLearnsAndResumes: the copy task is learned, and a run stopped,
// saved, loaded and resumed ends with the parameters of the uninterrupted
// run (with codes > 1, the past tokens travel in the carried state; with
// three tiers, the nest's carried frames and conditioning); the loaded
// network has the saved one's configuration and outputs.
func tieredLearnsAndResumes(t *testing.T, codes, tiers int) {
	cfg := TieredConfig{Frame: 4, FrameInputs: 1, FrameHidden: 16, Cond: 8, Codes: codes,
		Step: Config{Vocab: 5, Embed: 4, Features: 1 + 8, Hidden: 16}}
	if tiers == 3 { // top steps of 8: two in a window of 16
		cfg.Frame, cfg.Top, cfg.TopHidden, cfg.TopCond = 2, 4, 8, 4
	}
	cfg.Step.Features += cfg.codeWidth()
	newTr := func(n Network, steps int) *Trainer {
		return &Trainer{Model: n, Optimizer: &Adam{LR: 1e-2}, T: 16, B: 8, Steps: steps, Clip: 5}
	}
	full := newTr(NewTiered(cfg, rng(1)), 400)
	res, err := full.Run(context.Background(), tieredCopyData{})
	if err != nil {
		t.Fatal(err)
	}
	// After the first frame every token is determined: the loss falls far
	// below log 5 = 1.61 (the first 4 of 16 steps stay random: ≥ 0.40).
	if res.Loss > 0.6 {
		t.Fatalf("tiered loss %.3f: the copy task was not learned", res.Loss)
	}
	// Stop at 150, save, load, resume: identical parameters at 400.
	half := newTr(NewTiered(cfg, rng(1)), 150)
	if _, err := half.Run(context.Background(), tieredCopyData{}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "tiered.safetensors")
	if err := Save(path, half.Model, map[string]string{"arkit.domain": "test"}, half); err != nil {
		t.Fatal(err)
	}
	ck, err := LoadModel(path)
	if err != nil {
		t.Fatal(err)
	}
	if ck.Tiered == nil || ck.Model != nil {
		t.Fatalf("loaded %+v", ck)
	}
	got, want := ck.Tiered.Config(), half.Model.(*Tiered).Config()
	got.Step.Likelihood, want.Step.Likelihood = nil, nil // Categorical{5} and the default
	if got != want {
		t.Fatalf("loaded %+v, saved %+v", got, want)
	}
	saved, loaded := half.Model.(*Tiered), ck.Tiered
	b := tieredBatch(saved, 8, 2, 3)
	saved.step.tr.keepRaw, loaded.step.tr.keepRaw = true, true
	saved.Forward(b, saved.NewState(2), nil)
	loaded.Forward(b, loaded.NewState(2), nil)
	if !slices.Equal(saved.step.tr.raw, loaded.step.tr.raw) {
		t.Error("the loaded network's outputs differ from the saved one's")
	}
	resumed := newTr(nil, 400)
	ck.Resume(resumed)
	if _, err := resumed.Run(context.Background(), tieredCopyData{}); err != nil {
		t.Fatal(err)
	}
	for i, w := range full.Model.Params().W {
		if resumed.Model.Params().W[i] != w {
			t.Fatalf("parameter %d differs after resume", i)
		}
	}
}

// tieredReference is the straightforward two-tier step: the step level's
// whole input (other features, then the conditioning) through the step
// Model's own Next at every step; for three tiers the frame and top tiers
// step through the same reference (over frames). Tiered.Next must agree
// with it.
type tieredReference struct {
	t      *Tiered
	stepIn Input
}

func (r *tieredReference) NewState(b int) *State  { return r.t.NewState(b) }
func (r *tieredReference) OutSize() int           { return r.t.OutSize() }
func (r *tieredReference) Likelihood() Likelihood { return r.t.Likelihood() }
func (r *tieredReference) Inputs() (bool, int)    { return r.t.Inputs() }
func (r *tieredReference) Next(st *State, in Input, out []float32) {
	t := r.t
	F, FI, C, Fo := t.cfg.Frame, t.cfg.FrameInputs, t.cfg.Cond, t.other
	W, off, B := t.width(), t.otherAt(), st.B
	t.views(st)
	for q := 0; q < B; q++ {
		buf := st.Buf[q*F*FI : (q+1)*F*FI]
		copy(buf, buf[FI:])
		copy(buf[(F-1)*FI:], in.Features[q*W:q*W+FI])
	}
	if st.Pos%F == 0 && t.nest != nil {
		(&tieredReference{t: t.nest}).Next(&t.fst, Input{Features: st.Buf}, st.Cond)
	} else if st.Pos%F == 0 {
		t.frame.Next(&t.fst, Input{Features: st.Buf}, st.Cond)
	}
	r.stepIn.Features = make([]float32, B*(Fo+C))
	k := st.Pos % F
	for q := 0; q < B; q++ {
		dst := r.stepIn.Features[q*(Fo+C) : (q+1)*(Fo+C)]
		copy(dst[:Fo], in.Features[q*W+off:q*W+off+Fo])
		copy(dst[Fo:], st.Cond[q*F*C+k*C:q*F*C+(k+1)*C])
	}
	r.stepIn.Tokens = in.Tokens
	t.step.Next(&t.sst, r.stepIn, out)
	st.Pos++
}

// tieredFeeder feeds each drawn token back as the next token and, scaled,
// as the frame input, with a second feature that follows the step.
type tieredFeeder struct {
	last  []int32
	drawn []int32
	outs  []float32
	gen   *Generator
}

func (f *tieredFeeder) Input(t int, in *Input) {
	for r, tok := range f.last {
		in.Tokens[r] = tok
		in.Features[2*r] = float32(tok)*0.4 - 1
		in.Features[2*r+1] = float32(math.Sin(float64(t)))
	}
}

func (f *tieredFeeder) Emit(t int, y []float32) bool {
	for r, v := range y {
		f.last[r] = int32(v)
		f.drawn = append(f.drawn, int32(v))
	}
	f.outs = append(f.outs, f.gen.Outputs()...)
	return true
}

// TestTieredNextMatchesReference: generation through Tiered.Next (the
// frame's conditioning products once per frame, the token table) draws the
// same codes as the straightforward step, with the same outputs up to
// rounding, for one sequence and for several, primed and not.
func TestTieredNextMatchesReference(t *testing.T) {
	for _, tiers := range []int{2, 3} {
		t.Run(fmt.Sprintf("%d tiers", tiers), func(t *testing.T) { tieredNextMatchesReference(t, tiers) })
	}
}

func tieredNextMatchesReference(t *testing.T, tiers int) {
	net := tinyTiered
	if tiers == 3 {
		net = func(seed uint64) *Tiered { return tinyTiered3(seed, 0) }
	}
	for _, B := range []int{1, 3} {
		run := func(step Step) *tieredFeeder {
			g := &Generator{Step: step, Sampler: Sampler{Temperature: 1}, Rand: rng(9)}
			f := &tieredFeeder{last: make([]int32, B), gen: g}
			st := step.NewState(B)
			if err := g.Prime(context.Background(), st, 6, f); err != nil {
				t.Fatal(err)
			}
			if err := g.Run(context.Background(), st, 60, f); err != nil {
				t.Fatal(err)
			}
			return f
		}
		fast, ref := run(net(11)), run(&tieredReference{t: net(11)})
		if !slices.Equal(fast.drawn, ref.drawn) {
			t.Errorf("B=%d: codes %v, the reference step draws %v", B, fast.drawn, ref.drawn)
		}
		closeTo(t, "generation outputs", fast.outs, ref.outs, 1e-5)
	}
}

// TestTieredCompactWeights: with bf16 or int8 weights, Next's logits stay
// within 2% of the largest float32 logit over 80 steps of a Generator's
// run fed the same inputs, and a draw from each step's distribution with
// the same uniform number gives the same code on at least 90% of the steps;
// Generator.Score's loss moves by under 0.5%; fp32 restores the float32
// outputs exactly. The bound: bf16 rounds each weight by at most 2^-9 of
// itself, int8 by at most 1/254 of the largest weight of its block of 32;
// a sum of such errors of either sign stays well under 1% of a logit, and
// 2% leaves room for the recurrence to carry them over 80 steps (the
// same bound as core.Model's TestCompactWeights).
//
// With three tiers, the top tier's weights are compact too (it runs once
// every Top frames, so this is for the memory, not the speed).
func TestTieredCompactWeights(t *testing.T) {
	for _, tiers := range []int{2, 3} {
		t.Run(fmt.Sprintf("%d tiers", tiers), func(t *testing.T) { tieredCompactWeights(t, tiers) })
	}
}

func tieredCompactWeights(t *testing.T, tiers int) {
	c := TieredConfig{Frame: 4, FrameInputs: 1, FrameHidden: 40, Cond: 8, Codes: 3,
		Step: Config{Vocab: 64, Embed: 16, Features: 1 + 8, Hidden: 48, Layers: 2}}
	if tiers == 3 {
		c.Top, c.TopHidden, c.TopCond = 2, 24, 6
	}
	c.Step.Features += c.codeWidth()
	tt := NewTiered(c, rng(21))
	const T = 80
	for _, B := range []int{1, 3} {
		r := rng(22)
		b := tt.NewBatch(T, B)
		for i := range b.Tokens {
			b.Tokens[i] = int32(r.IntN(64))
			b.Targets[i] = float32(r.IntN(64))
		}
		for i := range b.Features {
			b.Features[i] = float32(r.NormFloat64())
		}
		us := make([]float64, T*B)
		for i := range us {
			us[i] = r.Float64()
		}
		run := func() (outs []float32, codes []int32, nll float64) {
			st := tt.NewState(B)
			out := make([]float32, B*tt.OutSize())
			tt.beginGeneration()
			for s := 0; s < T; s++ {
				tt.Next(st, Input{Tokens: b.Tokens[s*B : (s+1)*B], Features: b.Features[s*B*2 : (s+1)*B*2]}, out)
				outs = append(outs, out...)
				for q := 0; q < B; q++ {
					codes = append(codes, drawWith(out[q*64:(q+1)*64], us[s*B+q]))
				}
			}
			tt.endGeneration()
			nll, w, err := (&Generator{Step: tt}).Score(context.Background(), tt.NewState(B), b)
			if err != nil {
				t.Fatal(err)
			}
			return outs, codes, nll / w
		}
		tt.SetWeights(WeightsFP32)
		want, wantCodes, wantNLL := run()
		for _, w := range []Weights{WeightsBF16, WeightsInt8, WeightsFP32} {
			tt.SetWeights(w)
			if tt.Weights() != w {
				t.Fatalf("Weights() = %q after SetWeights(%q)", tt.Weights(), w)
			}
			got, codes, nll := run()
			var mx, e float64
			for i := range want {
				mx = max(mx, math.Abs(float64(want[i])))
				e = max(e, math.Abs(float64(got[i]-want[i])))
			}
			same := 0
			for i := range codes {
				if codes[i] == wantCodes[i] {
					same++
				}
			}
			t.Logf("B=%d %s: largest logit error %.3g of %.3g, %d/%d codes the same, loss %.5f (fp32 %.5f)", B, w, e, mx, same, len(codes), nll, wantNLL)
			switch {
			case w == WeightsFP32 && (e != 0 || nll != wantNLL):
				t.Errorf("B=%d fp32 after compact weights: output error %g, loss %v, want %v", B, e, nll, wantNLL)
			case w != WeightsFP32 && e == 0:
				t.Errorf("B=%d %s: outputs identical to float32's: copies not used", B, w)
			case e > 0.02*mx:
				t.Errorf("B=%d %s: logit error %g, largest logit %g", B, w, e, mx)
			case 10*same < 9*len(codes):
				t.Errorf("B=%d %s: %d of %d codes as float32's", B, w, same, len(codes))
			case math.Abs(nll-wantNLL) > 5e-3*wantNLL:
				t.Errorf("B=%d %s: loss %v, float32 %v", B, w, nll, wantNLL)
			}
		}
	}
}

// drawWith returns the code whose softmax(logits) cumulative interval holds u.
func drawWith(logits []float32, u float64) int32 {
	mx := float64(slices.Max(logits))
	var sum float64
	for _, v := range logits {
		sum += math.Exp(float64(v) - mx)
	}
	acc := 0.0
	for i, v := range logits {
		acc += math.Exp(float64(v)-mx) / sum
		if u < acc {
			return int32(i)
		}
	}
	return int32(len(logits) - 1)
}

// benchmarkTieredNext times one step of generation at the audio domain's
// default size (frame 16, frame tier 512 wide, conditioning 64, step level
// 256 wide over a 64-wide code embedding and 16 past values) for b
// sequences, through Tiered.Next or the straightforward reference step.
func benchmarkTieredNext(bm *testing.B, b int, reference bool) {
	benchmarkTieredNextWeights(bm, b, reference, WeightsFP32)
}

func benchmarkTieredNextWeights(bm *testing.B, b int, reference bool, w Weights) {
	tt := NewTiered(TieredConfig{Frame: 16, FrameInputs: 1, FrameHidden: 512, Cond: 64,
		Step: Config{Vocab: 256, Embed: 64, Features: 16 + 64, Hidden: 256, Layers: 1}}, rng(1))
	tt.SetWeights(w)
	var step Step = tt
	if reference {
		step = &tieredReference{t: tt}
	}
	st := step.NewState(b)
	_, F := step.Inputs()
	r := rng(2)
	in := Input{Tokens: make([]int32, b), Features: make([]float32, b*F)}
	for i := range in.Features {
		in.Features[i] = float32(r.NormFloat64()) * 0.3
	}
	out := make([]float32, b*step.OutSize())
	tt.beginGeneration()
	defer tt.endGeneration()
	bm.ResetTimer()
	for i := range bm.N {
		for q := range in.Tokens {
			in.Tokens[q] = int32((i*7 + q*13) % 256)
		}
		step.Next(st, in, out)
	}
	bm.ReportMetric(float64(bm.N*b)/bm.Elapsed().Seconds(), "samples/s")
}

func BenchmarkTieredNext1(b *testing.B)           { benchmarkTieredNext(b, 1, false) }
func BenchmarkTieredNext1Reference(b *testing.B)  { benchmarkTieredNext(b, 1, true) }
func BenchmarkTieredNext32(b *testing.B)          { benchmarkTieredNext(b, 32, false) }
func BenchmarkTieredNext32Reference(b *testing.B) { benchmarkTieredNext(b, 32, true) }
func BenchmarkTieredNext1BF16(b *testing.B)       { benchmarkTieredNextWeights(b, 1, false, WeightsBF16) }
func BenchmarkTieredNext1Int8(b *testing.B)       { benchmarkTieredNextWeights(b, 1, false, WeightsInt8) }
func BenchmarkTieredNext32BF16(b *testing.B)      { benchmarkTieredNextWeights(b, 32, false, WeightsBF16) }
func BenchmarkTieredNext32Int8(b *testing.B)      { benchmarkTieredNextWeights(b, 32, false, WeightsInt8) }

// TestTieredNextAfterResetRow: resetting one sequence's state in the middle
// of a frame, during a Generator's run, gives the outputs the
// straightforward step gives (the cached conditioning products follow the
// state).
func TestTieredNextAfterResetRow(t *testing.T) {
	for _, tiers := range []int{2, 3} {
		t.Run(fmt.Sprintf("%d tiers", tiers), func(t *testing.T) { tieredNextAfterResetRow(t, tiers) })
	}
}

// tieredNextAfterResetRow resets in the middle of a frame (and, with three
// tiers, of a top step: frames of 2, top steps of 3 frames).
func tieredNextAfterResetRow(t *testing.T, tiers int) {
	fast, ref := tinyTiered(13), &tieredReference{t: tinyTiered(13)}
	if tiers == 3 {
		fast, ref = tinyTiered3(13, 0), &tieredReference{t: tinyTiered3(13, 0)}
	}
	const B = 2
	fs, rs := fast.NewState(B), ref.NewState(B)
	in := Input{Tokens: make([]int32, B), Features: make([]float32, 2*B)}
	fo, ro := make([]float32, B*fast.OutSize()), make([]float32, B*fast.OutSize())
	fast.beginGeneration()
	defer fast.endGeneration()
	var got, want []float32
	for s := 0; s < 11; s++ {
		if s == 9 { // mid-frame (frames of 4; frames of 2 in top steps of 6)
			fs.ResetRow(1)
			rs.ResetRow(1)
		}
		for r := range B {
			in.Tokens[r] = int32((s + 2*r) % 5)
			in.Features[2*r], in.Features[2*r+1] = float32(s)*0.1, float32(r)
		}
		fast.Next(fs, in, fo)
		ref.Next(rs, in, ro)
		got, want = append(got, fo...), append(want, ro...)
	}
	closeTo(t, "outputs", got, want, 1e-5)
}
