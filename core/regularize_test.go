// Tests of the AWD-LSTM regularisers: finite-difference gradients with fixed
// masks, the masks' statistics, evaluation and generation untouched, no
// allocations in a training step.

package core

import (
	"bytes"
	"context"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var allReg = Regularization{WeightDrop: 0.3, LockedDropout: 0.25, EmbedDropout: 0.2, AR: 0.5, TAR: 0.7}

// TestRegularizedGradientCheck checks the gradient of mean NLL + AR + TAR
// with every regulariser on: the same rng seed redraws the same masks, so
// the objective is a fixed function of the weights.
func TestRegularizedGradientCheck(t *testing.T) {
	cases := map[string]struct {
		cfg Config
		reg Regularization
	}{
		"all":         {Config{Vocab: 5, Embed: 3, Hidden: 4, Layers: 2}, allReg},
		"all+dropout": {Config{Vocab: 5, Embed: 3, Hidden: 4, Layers: 3, Dropout: 0.2}, allReg},
		"weight-drop": {Config{Vocab: 5, Embed: 3, Hidden: 4, Layers: 2}, Regularization{WeightDrop: 0.5}},
		"locked":      {Config{Vocab: 5, Embed: 3, Hidden: 4, Layers: 2}, Regularization{LockedDropout: 0.4}},
		"embed":       {Config{Vocab: 5, Embed: 3, Hidden: 4, Layers: 1}, Regularization{EmbedDropout: 0.4}},
		"ar-tar":      {Config{Vocab: 5, Embed: 3, Hidden: 4, Layers: 2}, Regularization{AR: 1, TAR: 2}},
		"features":    {Config{Features: 3, Proj: 2, Hidden: 4, Layers: 2, Likelihood: Gaussian{}}, allReg},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			layerPaths(t, func(t *testing.T) {
				r := rng(7)
				m := NewModel(c.cfg, r)
				if err := m.SetRegularization(c.reg); err != nil {
					t.Fatal(err)
				}
				for i := range m.params.W {
					m.params.W[i] *= 2
				}
				b := randomBatch(m, 5, 3, r)
				loss := func() float64 {
					st := m.NewState(3)
					nll, w := m.Forward(b, st, rng(11))
					return nll/w + m.regLoss()
				}
				m.params.ZeroGrad()
				loss()
				if (c.reg.AR > 0 || c.reg.TAR > 0) && !(m.regLoss() > 0) {
					t.Fatalf("AR+TAR = %g, want positive", m.regLoss())
				}
				m.Backward()
				if len(checkGradients(t, m.params, 17, loss)) == 0 {
					t.Fatal("nothing checked")
				}
			})
		})
	}
}

// keptScale checks that every multiplier in mask is 0 or 1/(1-p) and that
// the dropped fraction is p within tol.
func keptScale(t *testing.T, what string, mask []float32, p, tol float64) {
	t.Helper()
	keep := float32(1 / (1 - p))
	zeros := 0
	for _, v := range mask {
		switch v {
		case 0:
			zeros++
		case keep:
		default:
			t.Fatalf("%s: multiplier %g, want 0 or %g", what, v, keep)
		}
	}
	if f := float64(zeros) / float64(len(mask)); math.Abs(f-p) > tol {
		t.Errorf("%s: dropped %.3f of %d, want %.2f", what, f, len(mask), p)
	}
}

func TestRegularizationMasks(t *testing.T) {
	const T, B, H, V, E = 6, 40, 32, 3000, 8
	m := NewModel(Config{Vocab: V, Embed: E, Hidden: H, Layers: 2}, rng(1))
	reg := Regularization{WeightDrop: 0.3, LockedDropout: 0.4, EmbedDropout: 0.25}
	if err := m.SetRegularization(reg); err != nil {
		t.Fatal(err)
	}
	b := randomBatch(m, T, B, rng(2))
	for i := range b.Tokens { // few distinct tokens: each recurs at many positions
		b.Tokens[i] %= 20
	}
	m.Forward(b, m.NewState(B), rng(3))
	ws := &m.tr

	// Weight drop: one mask over W_hh, kept weights scaled.
	for l := range m.layers {
		lw := &ws.stack.layers[l]
		if lw.whh == nil {
			t.Fatalf("layer %d: no dropped W_hh while training", l)
		}
		keptScale(t, "weight drop", lw.wmask, 0.3, 0.03)
		for i, w := range m.layers[l].whh.W {
			if lw.whh[i] != w*lw.wmask[i] {
				t.Fatalf("layer %d: dropped W_hh[%d] = %g, want %g·%g", l, i, lw.whh[i], w, lw.wmask[i])
			}
		}
	}
	// Embedding dropout: a token's row is dropped or scaled at every
	// position of the window alike.
	keptScale(t, "embedding dropout", ws.reg.emb, 0.25, 0.03)
	// Locked dropout: one B×width mask, the same at every step.
	keptScale(t, "locked input", ws.reg.in, 0.4, 0.03)
	keptScale(t, "locked output", ws.reg.out, 0.4, 0.05)
	x0 := ws.stack.layers[0].x
	for r, tok := range b.Tokens {
		bb := r % B
		for j := 0; j < E; j++ {
			want := m.emb.W[int(tok)*E+j] * ws.reg.emb[tok] * ws.reg.in[bb*E+j]
			if x0[r*E+j] != want {
				t.Fatalf("input[%d][%d] = %g, want %g", r, j, x0[r*E+j], want)
			}
		}
	}
	drop := ws.stack.layers[1].drop
	keptScale(t, "locked between layers", drop[:B*H], 0.4, 0.05)
	for s := 1; s < T; s++ {
		for i := 0; i < B*H; i++ {
			if drop[s*B*H+i] != drop[i] {
				t.Fatalf("between layers: mask at step %d differs from step 0", s)
			}
		}
	}
	top := ws.stack.layers[1].h[B*H:]
	for i, v := range ws.reg.topd {
		if want := top[i] * ws.reg.out[i%(B*H)]; v != want {
			t.Fatalf("head input[%d] = %g, want %g", i, v, want)
		}
	}
	// Another window draws other masks.
	before := append([]float32(nil), ws.reg.in...)
	m.Forward(b, m.NewState(B), rng(4))
	same := 0
	for i := range before {
		if before[i] == ws.reg.in[i] {
			same++
		}
	}
	if same == len(before) {
		t.Error("a new window kept the locked mask")
	}
}

// TestRegularizationOffWhenEvaluating: a Forward without rng and Next give
// what a model without regularisers gives, also right after a training
// Forward.
func TestRegularizationOffWhenEvaluating(t *testing.T) {
	cfg := Config{Vocab: 7, Embed: 4, Hidden: 6, Layers: 2}
	plain := NewModel(cfg, rng(5))
	reg := NewModel(cfg, rng(5))
	if err := reg.SetRegularization(allReg); err != nil {
		t.Fatal(err)
	}
	b := randomBatch(plain, 5, 3, rng(6))
	want, _ := plain.Forward(b, plain.NewState(3), nil)
	trained, _ := reg.Forward(b, reg.NewState(3), rng(9))
	if trained == want {
		t.Fatal("the regularisers changed nothing while training")
	}
	if got, _ := reg.Forward(b, reg.NewState(3), nil); got != want || reg.regLoss() != 0 {
		t.Fatalf("evaluation with regularisers set: NLL %v (AR+TAR %v), without %v", got, reg.regLoss(), want)
	}
	sp, sr := plain.NewState(3), reg.NewState(3)
	op, or := make([]float32, 3*plain.OutSize()), make([]float32, 3*reg.OutSize())
	for s := 0; s < b.T; s++ {
		in := Input{Tokens: b.Tokens[s*3 : (s+1)*3]}
		plain.Next(sp, in, op)
		reg.Next(sr, in, or)
		for i := range op {
			if op[i] != or[i] {
				t.Fatalf("Next at step %d differs with regularisers set", s)
			}
		}
	}
}

func TestRegularizationSettings(t *testing.T) {
	m := NewModel(Config{Vocab: 3, Embed: 2, Hidden: 2}, rng(1))
	for _, r := range []Regularization{{WeightDrop: 1}, {LockedDropout: -0.1}, {EmbedDropout: 1.5}, {AR: -2}, {TAR: float32(math.Inf(1))}} {
		if err := m.SetRegularization(r); err == nil {
			t.Errorf("%+v accepted", r)
		}
		o := &toyOptions{TrainOptions: TrainOptions{Regularization: r}}
		if _, err := toyHarness(o).Open(); err == nil || !strings.HasPrefix(err.Error(), "toy: ") {
			t.Errorf("harness with %+v: error %v", r, err)
		}
	}
	// A network that is not a Regularizer does not take them: the trainer
	// says so. (Model and Tiered both are; a Network wrapped to hide the
	// method stands for any other.)
	tr := &Trainer{Model: struct{ Network }{tinyTiered(1)}, T: 4, B: 1, Steps: 1, Regularization: Regularization{AR: 1}}
	if _, err := tr.Run(context.Background(), nil); err == nil || !strings.Contains(err.Error(), "does not take") {
		t.Errorf("a network without SetRegularization, with AR: error %v", err)
	}
}

// TestRegularizationResume: the regularisers are saved with the run's
// settings; a resume takes them, refuses others and continues exactly.
func TestRegularizationResume(t *testing.T) {
	dir := t.TempDir()
	reg := Regularization{WeightDrop: 0.2, LockedDropout: 0.1, EmbedDropout: 0.1, AR: 1, TAR: 1}
	run := func(name string, o *toyOptions, cancelAt int) ([]byte, error) {
		t.Helper()
		o.Out, o.Steps, o.Seed = filepath.Join(dir, name), 8, 3
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		if cancelAt > 0 {
			o.Progress = func(p Progress) {
				if p.Step == cancelAt {
					cancel()
				}
			}
		}
		_, err := toyRun(ctx, t, o)
		b, _ := os.ReadFile(o.Out)
		return b, err
	}
	straight, err := run("straight.safetensors", &toyOptions{TrainOptions: TrainOptions{Regularization: reg}}, 0)
	if err != nil {
		t.Fatal(err)
	}
	plain, _ := run("plain.safetensors", &toyOptions{}, 0)
	if bytes.Equal(straight, plain) {
		t.Fatal("the regularisers changed nothing")
	}
	if _, err := run("split.safetensors", &toyOptions{TrainOptions: TrainOptions{Regularization: reg}}, 3); err != nil {
		t.Fatal(err)
	}
	other := &toyOptions{TrainOptions: TrainOptions{Resume: true, Regularization: Regularization{WeightDrop: 0.3}}}
	if _, err := run("split.safetensors", other, 0); err == nil || !strings.Contains(err.Error(), "cannot resume with weight_drop 0.3: the run started with 0.2") {
		t.Fatalf("resume with another weight drop: %v", err)
	}
	r := &toyOptions{TrainOptions: TrainOptions{Resume: true}}
	split, err := run("split.safetensors", r, 0)
	if err != nil {
		t.Fatal(err)
	}
	if r.Regularization != reg {
		t.Fatalf("resumed with %+v, saved %+v", r.Regularization, reg)
	}
	if !bytes.Equal(straight, split) {
		t.Fatal("an interrupted and resumed run saved another file than an uninterrupted one")
	}
}

// BenchmarkRegularizedStep: a training step (Forward, Backward) of the
// README's text model shape without and with every regulariser, for the
// cost of the masks.
func BenchmarkRegularizedStep(b *testing.B) {
	for _, c := range []struct {
		name string
		reg  Regularization
	}{{"off", Regularization{}}, {"weight-drop", Regularization{WeightDrop: 0.2}}, {"all", allReg}} {
		b.Run(c.name, func(b *testing.B) {
			m := NewModel(Config{Vocab: 65, Embed: 64, Hidden: 256, Layers: 2, Dropout: 0.2}, rng(1))
			if err := m.SetRegularization(c.reg); err != nil {
				b.Fatal(err)
			}
			bt := randomBatch(m, 100, 16, rng(2))
			st := m.NewState(16)
			r := rng(3)
			b.ResetTimer()
			for range b.N {
				m.params.ZeroGrad()
				m.Forward(bt, st, r)
				m.Backward()
			}
		})
	}
}

// TestRegularizationDefaults: a zero weight takes the domain's default,
// Off turns the default off, and what the trainer gets has no Off left.
func TestRegularizationDefaults(t *testing.T) {
	for _, c := range []struct {
		given, want float32
	}{{0, 2}, {Off, 0}, {0.5, 0.5}} {
		o := &toyOptions{TrainOptions: TrainOptions{Regularization: Regularization{AR: c.given}}}
		h := toyHarness(o)
		h.Defaults.AR = 2
		if _, err := h.Open(); err != nil {
			t.Fatal(err)
		}
		if got := o.Regularization.Active().AR; got != c.want {
			t.Errorf("AR given %v, default 2: active %v, want %v", c.given, got, c.want)
		}
		if (c.want == 0) != o.Regularization.IsZero() {
			t.Errorf("AR given %v: IsZero %v", c.given, o.Regularization.IsZero())
		}
	}
}

// TestTieredRegularized: in a two-tier network, every regulariser reaches
// the step level and weight drop and locked dropout the frame tier. The
// gradient of mean NLL + AR + TAR is right with all of them on (the same
// rng seed redraws the same masks), each tier's training pass changes with
// them, and a Forward without rng and Next are as without them.
func TestTieredRegularized(t *testing.T) {
	tt := tinyTiered(3)
	if err := tt.SetRegularization(allReg); err != nil {
		t.Fatal(err)
	}
	if tt.step.reg != allReg.Active() || tt.frame.reg != (Regularization{WeightDrop: allReg.WeightDrop, LockedDropout: allReg.LockedDropout}) {
		t.Fatalf("step %+v, frame %+v", tt.step.reg, tt.frame.reg)
	}
	for i := range tt.params.W {
		tt.params.W[i] *= 2
	}
	b := tieredBatch(tt, 8, 2, 4)
	loss := func() float64 {
		nll, w := tt.Forward(b, tt.NewState(2), rng(11))
		return nll/w + tt.regLoss()
	}
	tt.params.ZeroGrad()
	loss()
	if !(tt.regLoss() > 0) {
		t.Fatalf("AR+TAR = %g, want positive", tt.regLoss())
	}
	tt.Backward()
	checked := checkGradients(t, tt.params, 9, loss)
	if checked["frame.lstm.weight_hh_l0"] == 0 || checked["step.lstm.weight_hh_l1"] == 0 || checked["step.embedding.weight"] == 0 {
		t.Fatalf("not all tiers checked: %v", checked)
	}

	plain := tinyTiered(3)
	for i := range plain.params.W {
		plain.params.W[i] *= 2
	}
	want, _ := plain.Forward(b, plain.NewState(2), nil)
	if got, _ := tt.Forward(b, tt.NewState(2), nil); got != want || tt.regLoss() != 0 {
		t.Fatalf("evaluation with regularisers set: NLL %v (AR+TAR %v), without %v", got, tt.regLoss(), want)
	}
	// The frame tier's regularisers alone change the training pass.
	if err := tt.SetRegularization(Regularization{}); err != nil {
		t.Fatal(err)
	}
	if err := tt.frame.SetRegularization(Regularization{WeightDrop: 0.3, LockedDropout: 0.25}); err != nil {
		t.Fatal(err)
	}
	if got, _ := tt.Forward(b, tt.NewState(2), rng(11)); got == want {
		t.Fatal("the frame tier's regularisers changed nothing while training")
	}
	sp, sr := plain.NewState(2), tt.NewState(2)
	_, W := tt.Inputs()
	op, or := make([]float32, 2*plain.OutSize()), make([]float32, 2*tt.OutSize())
	for s := 0; s < b.T; s++ {
		in := Input{Tokens: b.Tokens[s*2 : (s+1)*2], Features: b.Features[s*2*W : (s+1)*2*W]}
		plain.Next(sp, in, op)
		tt.Next(sr, in, or)
		if !slices.Equal(op, or) {
			t.Fatalf("Next at step %d differs with regularisers set", s)
		}
	}
	// Three tiers: the top tier takes them too.
	three := NewTiered(TieredConfig{Frame: 2, FrameInputs: 1, FrameHidden: 4, Cond: 2, Top: 2, TopHidden: 3, TopCond: 2,
		Step: Config{Vocab: 5, Embed: 3, Features: 1 + 2, Hidden: 4}}, rng(5))
	if err := three.SetRegularization(allReg); err != nil {
		t.Fatal(err)
	}
	if three.nest.frame.reg.WeightDrop != allReg.WeightDrop || three.nest.step.reg.LockedDropout != allReg.LockedDropout || three.nest.step.reg.AR != 0 {
		t.Fatalf("three tiers: top %+v, frame %+v", three.nest.frame.reg, three.nest.step.reg)
	}
}
