// Tests of the two-tier network: gradients through both tiers, agreement
// of step-by-step generation with windowed training across windows, file
// round trips and exact resumption.

package core

import (
	"context"
	"math"
	"path/filepath"
	"strings"
	"testing"
)

func tinyTiered(seed uint64) *Tiered {
	return NewTiered(TieredConfig{Frame: 4, FrameInputs: 1, FrameHidden: 5, Cond: 3,
		Step: Config{Vocab: 5, Embed: 3, Features: 1 + 3, Hidden: 6, Layers: 2}}, rng(seed))
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
	tt := tinyTiered(3)
	for i := range tt.params.W {
		tt.params.W[i] *= 2
	}
	b := tieredBatch(tt, 8, 2, 4)
	start := tt.NewState(2)
	for i := range start.Buf {
		start.Buf[i] = float32(i%5) * 0.3
	}
	loss := func() float64 {
		st := tt.NewState(2)
		copy(st.Buf, start.Buf)
		nll, w := tt.Forward(b, st, nil)
		return nll / w
	}
	tt.params.ZeroGrad()
	loss()
	tt.Backward()
	checked := map[string]bool{}
	for _, p := range tt.params.List {
		for k := 0; k < len(p.W); k += 1 + len(p.W)/9 {
			old := p.W[k]
			const eps = 1e-2
			p.W[k] = old + eps
			up := loss()
			p.W[k] = old - eps
			down := loss()
			p.W[k] = old
			num := (up - down) / (2 * eps)
			if ana := float64(p.G[k]); math.Abs(num-ana) > 2e-3+2e-2*math.Abs(num) {
				t.Errorf("%s[%d]: analytic %.6g, numeric %.6g", p.Name, k, ana, num)
			}
			checked[p.Name] = true
		}
	}
	if !checked["frame.lstm.weight_ih_l0"] || !checked["step.head.weight"] {
		t.Fatalf("not all tiers checked: %v", checked)
	}
}

func TestTieredNextMatchesForward(t *testing.T) {
	tt := tinyTiered(5)
	const T, B = 8, 2
	b1, b2 := tieredBatch(tt, T, B, 6), tieredBatch(tt, T, B, 7)
	st := tt.NewState(B)
	tt.step.tr.keepRaw = true
	var want []float32
	for _, b := range []*Batch{b1, b2} {
		tt.Forward(b, st, nil)
		want = append(want, tt.step.tr.raw...)
	}
	gs := tt.NewState(B)
	out := make([]float32, B*tt.OutSize())
	var got []float32
	W := 2
	for _, b := range []*Batch{b1, b2} {
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
	cfg := TieredConfig{Frame: 4, FrameInputs: 1, FrameHidden: 16, Cond: 8,
		Step: Config{Vocab: 5, Embed: 4, Features: 1 + 8, Hidden: 16}}
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
	if ck.Tiered == nil || ck.Model != nil || ck.Tiered.Config().Frame != 4 {
		t.Fatalf("loaded %+v", ck)
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
