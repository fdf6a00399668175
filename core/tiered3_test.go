// Tests of three tiers (TieredConfig.Top): the top tier's gradients,
// agreement of Next with Forward, causality, files, and two-tier files
// written before the top tier existed. tiered_test.go runs its tests of
// generation, compact weights and exact resumption on three tiers too.

package core

import (
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// tinyTiered3 is a three-tier network: frames of 2 steps, a top step every
// 3 frames (6 steps), over the inputs tinyTiered reads.
func tinyTiered3(seed uint64, codes int) *Tiered {
	c := TieredConfig{Frame: 2, FrameInputs: 1, FrameHidden: 5, Cond: 3, Codes: codes,
		Top: 3, TopHidden: 4, TopCond: 2,
		Step: Config{Vocab: 5, Embed: 3, Features: 1 + 3, Hidden: 6, Layers: 2}}
	c.Step.Features += c.codeWidth()
	return NewTiered(c, rng(seed))
}

// TestTiered3Config: the top tier's settings are checked, its tensors are
// named as the frame tier's are (top.*, PyTorch's LSTM and Linear names)
// with the shapes the nesting implies, and the span is Top frames.
func TestTiered3Config(t *testing.T) {
	tt := tinyTiered3(1, 0)
	if tt.Span() != 6 || tinyTiered(1).Span() != 4 {
		t.Errorf("spans %d and %d, want 6 and 4", tt.Span(), tinyTiered(1).Span())
	}
	shapes := map[string][]int{}
	var names []string
	for _, p := range tt.Params().List {
		shapes[p.Name] = p.Shape
		names = append(names, p.Name)
	}
	for name, want := range map[string][]int{
		"top.lstm.weight_ih_l0":   {16, 6}, // 4×TopHidden, Top×Frame×FrameInputs
		"top.lstm.weight_hh_l0":   {16, 4},
		"top.lstm.bias_ih_l0":     {16},
		"top.head.weight":         {6, 4}, // Top×TopCond: one vector per frame
		"top.head.bias":           {6},
		"frame.lstm.weight_ih_l0": {20, 4}, // Frame×FrameInputs, then TopCond
		"frame.head.weight":       {6, 5},
		"step.lstm.weight_ih_l0":  {24, 3 + 1 + 3},
	} {
		if !slices.Equal(shapes[name], want) {
			t.Errorf("%s: shape %v, want %v (tensors %v)", name, shapes[name], want, names)
		}
	}
	if !strings.HasPrefix(names[0], "top.") {
		t.Errorf("first tensor %s, want the top tier's first", names[0])
	}
	n := 0
	for _, p := range tt.Params().List {
		n += len(p.W)
	}
	if n != len(tt.Params().W) {
		t.Errorf("%d parameters listed, %d in the joint slice", n, len(tt.Params().W))
	}
	ok := tt.Config()
	for _, tc := range []struct {
		edit func(*TieredConfig)
		want string
	}{
		{func(c *TieredConfig) { c.Top = -1 }, "must be positive"},
		{func(c *TieredConfig) { c.TopHidden = 0 }, "must be positive"},
		{func(c *TieredConfig) { c.TopCond = 0 }, "must be positive"},
		{func(c *TieredConfig) { c.Top = 0 }, "without a top tier"},
		{func(c *TieredConfig) { c.TopHidden, c.TopLayers = 16384, 16 }, "top tier: a model of hidden 16384"},
	} {
		c := ok
		tc.edit(&c)
		if err := c.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: %v, want %q", c, err, tc.want)
		}
	}
}

// TestTiered3GradientCheck compares every gradient, the top tier's
// included, with central differences over a window of two top steps from a
// carried state (every row of it, the nest's carried frames and
// conditioning too, not zero).
func TestTiered3GradientCheck(t *testing.T) {
	for _, codes := range []int{0, 3} {
		t.Run(fmt.Sprintf("codes %d", codes), func(t *testing.T) {
			tt := tinyTiered3(3, codes)
			start := tt.NewState(2)
			for l := range start.H {
				for i := range start.H[l] {
					start.H[l][i] = float32((i+l)%5) * 0.2
					start.C[l][i] = float32((i+2*l)%3) * 0.3
				}
			}
			for i := range start.Buf {
				start.Buf[i] = float32(i%5) * 0.3
			}
			for i := range start.Cond {
				start.Cond[i] = float32(i%4) * 0.25
			}
			checked := checkTieredGradients(t, tt, 12, start)
			for _, name := range []string{"top.lstm.weight_ih_l0", "top.lstm.weight_hh_l0", "top.head.weight",
				"frame.lstm.weight_ih_l0", "step.head.weight", "step.embedding.weight"} {
				if checked[name] == 0 {
					t.Errorf("%s not checked: %v", name, checked)
				}
			}
			var g float64
			for _, p := range tt.params.List {
				if strings.HasPrefix(p.Name, "top.") {
					for _, v := range p.G {
						g += float64(v * v)
					}
				}
			}
			if g == 0 {
				t.Error("the top tier has no gradient")
			}
		})
	}
}

// TestTiered3NextMatchesForward: three windows through Forward and the same
// steps through Next give the same outputs (windows of one and of two top
// steps).
func TestTiered3NextMatchesForward(t *testing.T) {
	for _, codes := range []int{0, 3} {
		for _, B := range []int{1, 2} {
			for _, T := range []int{6, 12} {
				t.Run(fmt.Sprintf("codes %d B %d T %d", codes, B, T), func(t *testing.T) { tieredNextMatchesForward(t, tinyTiered3(5, codes), T, B) })
			}
		}
	}
}

// TestTiered3Causal: element t is the target of step t and the input (token
// and features) of step t+1. Changing it changes no output of steps 0..t,
// for every t of a window of four top steps, and it does change later
// outputs (the test is not vacuous).
func TestTiered3Causal(t *testing.T) {
	for _, codes := range []int{0, 3} {
		tt := tinyTiered3(7, codes)
		const T, B, W = 24, 2, 2
		base := tieredBatch(tt, T, B, 8)
		tt.step.tr.keepRaw = true
		O := tt.OutSize()
		run := func(b *Batch) []float32 {
			tt.Forward(b, tt.NewState(B), nil)
			return slices.Clone(tt.step.tr.raw)
		}
		want := run(base)
		changedLater := 0
		for el := 0; el < T-1; el++ {
			b := tieredBatch(tt, T, B, 8)
			for r := 0; r < B; r++ {
				b.Targets[el*B+r] = float32((int(b.Targets[el*B+r]) + 1) % 5)
				u := el + 1
				b.Tokens[u*B+r] = (b.Tokens[u*B+r] + 1 + int32(r)) % 5
				b.Features[(u*B+r)*W] += 1.5
				b.Features[(u*B+r)*W+1] -= 0.7
			}
			got := run(b)
			n := (el + 1) * B * O // the outputs of steps 0..el
			for i := 0; i < n; i++ {
				if got[i] != want[i] {
					t.Fatalf("codes %d: changing element %d changed the output of step %d", codes, el, i/(B*O))
				}
			}
			if !slices.Equal(got[n:], want[n:]) {
				changedLater++
			}
		}
		if changedLater != T-1 {
			t.Errorf("codes %d: changing an element changed later outputs %d times of %d", codes, changedLater, T-1)
		}
	}
}

// TestTiered3TopTierReachesFar: the top tier carries what the step level
// cannot see: with the frame and step tiers' recurrent and input weights
// from their inputs zeroed, so that they only pass on their conditioning,
// a change of the inputs still moves the outputs of later frames, through
// the top tier alone; and it moves none before the next top step.
func TestTiered3TopTierReachesFar(t *testing.T) {
	tt := tinyTiered3(9, 0)
	for _, p := range tt.Params().List {
		switch p.Name {
		case "frame.lstm.weight_hh_l0", "step.lstm.weight_hh_l0", "step.lstm.weight_hh_l1", "step.embedding.weight":
			clear(p.W)
		case "frame.lstm.weight_ih_l0":
			for r := 0; r < p.Shape[0]; r++ {
				clear(p.W[r*p.Shape[1] : r*p.Shape[1]+2]) // the frame's own inputs; TopCond stays
			}
		case "step.lstm.weight_ih_l0":
			for r := 0; r < p.Shape[0]; r++ {
				clear(p.W[r*p.Shape[1] : r*p.Shape[1]+4]) // embedding and other feature; cond stays
			}
		}
	}
	const T, B = 18, 1
	tt.step.tr.keepRaw = true
	run := func(b *Batch) []float32 {
		tt.Forward(b, tt.NewState(B), nil)
		return slices.Clone(tt.step.tr.raw)
	}
	want := run(tieredBatch(tt, T, B, 10))
	b := tieredBatch(tt, T, B, 10)
	b.Features[1*2] += 2 // the frame input of step 1: element 0
	got := run(b)
	O := tt.OutSize()
	for s := 0; s < T; s++ {
		same := slices.Equal(got[s*O:(s+1)*O], want[s*O:(s+1)*O])
		if s < 6 && !same || s >= 6 && same {
			t.Errorf("step %d: output changed %v; element 0 reaches only the top steps from step 6 on", s, !same)
		}
	}
}

// TestTiered3RefusesMismatchedFiles: a file whose metadata names a top
// tier it lacks, or whose top tier does not fit the frames, is a format
// error naming the tier.
func TestTiered3RefusesMismatchedFiles(t *testing.T) {
	dir := t.TempDir()
	two, three := filepath.Join(dir, "two.safetensors"), filepath.Join(dir, "three.safetensors")
	if err := Save(two, tinyTiered(1), map[string]string{"arkit.domain": "test"}, nil); err != nil {
		t.Fatal(err)
	}
	if err := Save(three, tinyTiered3(1, 0), map[string]string{"arkit.domain": "test"}, nil); err != nil {
		t.Fatal(err)
	}
	edits := 0
	edit := func(src string, f func(*Tensors)) string {
		ts, err := ReadTensorsFile(src)
		if err != nil {
			t.Fatal(err)
		}
		f(ts)
		edits++
		path := filepath.Join(dir, fmt.Sprintf("edited%d.safetensors", edits))
		if err := WriteFileAtomic(path, func(w io.Writer) error { return WriteTensors(w, ts) }); err != nil {
			t.Fatal(err)
		}
		return path
	}
	for _, tc := range []struct {
		name string
		path string
		want string
	}{
		{"top in metadata only", edit(two, func(ts *Tensors) {
			ts.Meta[MetaTiered] = `{"frame":4,"frame_inputs":1,"cond":3,"top":2,"top_cond":2}`
		}), "top tier"},
		{"top tensors without metadata", edit(three, func(ts *Tensors) {
			ts.Meta[MetaTiered] = `{"frame":2,"frame_inputs":1,"cond":3}`
		}), "frame tier shapes"},
		{"top of another span", edit(three, func(ts *Tensors) {
			ts.Meta[MetaTiered] = `{"frame":2,"frame_inputs":1,"cond":3,"top":2,"top_cond":2}`
		}), "top tier shapes"},
	} {
		_, err := LoadModel(tc.path)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
}

// TestTiered2FileBeforeTopTier: a two-tier file written by arkit before the
// top tier existed (testdata/tiered2_model*, codes 3) loads as two tiers
// and computes the outputs it computed then.
func TestTiered2FileBeforeTopTier(t *testing.T) {
	ck, err := LoadModel("testdata/tiered2_model.safetensors")
	if err != nil {
		t.Fatal("the committed fixture must load:", err)
	}
	fx, err := ReadTensorsFile("testdata/tiered2_model_io.safetensors")
	if err != nil {
		t.Fatal(err)
	}
	tt := ck.Tiered
	if tt == nil || tt.Config().Top != 0 || tt.Config().Codes != 3 || tt.Span() != 4 {
		t.Fatalf("loaded %+v", ck)
	}
	x := fixtureTensor(t, fx, "x.tokens")
	f := fixtureTensor(t, fx, "x.features")
	want := fixtureTensor(t, fx, "out.head")
	b := tt.NewBatch(8, 2)
	for i, v := range x.Data {
		b.Tokens[i] = int32(v)
	}
	copy(b.Features, f.Data)
	tt.step.tr.keepRaw = true
	tt.Forward(b, tt.NewState(2), nil)
	closeTo(t, "two-tier fixture outputs", tt.step.tr.raw, want.Data, 1e-6)
}

// TestTiered3Precision: SetPrecision reaches every tier, the top one too.
func TestTiered3Precision(t *testing.T) {
	tt := tinyTiered3(1, 0)
	tt.SetPrecision(PrecisionBF16)
	if tt.nest.frame.prec != PrecisionBF16 || tt.frame.prec != PrecisionBF16 || tt.step.prec != PrecisionBF16 {
		t.Errorf("precisions %q %q %q after SetPrecision(bf16)", tt.nest.frame.prec, tt.frame.prec, tt.step.prec)
	}
}
