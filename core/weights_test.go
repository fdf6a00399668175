package core

import (
	"context"
	"math"
	"testing"

	"github.com/arkit-go/arkit/core/internal/kernel"
)

// TestScoreMatchesForward: Generator.Score, stepping with Next, gives the
// loss Forward gives over the same window (float32 weights), masks included.
func TestScoreMatchesForward(t *testing.T) {
	for _, cfg := range []Config{
		{Vocab: 50, Embed: 8, Hidden: 16, Layers: 2},
		{Features: 2, Hidden: 8, Likelihood: Gaussian{}},
	} {
		m := NewModel(cfg, rng(1))
		b := randomBatch(m, 9, 3, rng(2))
		b.Mask = []float32{1, 0, 2, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0.5, 1, 1, 1}
		want, ww := m.Forward(b, m.NewState(3), nil)
		g := &Generator{Step: m}
		got, gw, err := g.Score(context.Background(), m.NewState(3), b)
		if err != nil || gw != ww || math.Abs(got-want) > 1e-5*math.Abs(want) {
			t.Errorf("%+v: Score %v (weight %v, %v), Forward %v (weight %v)", cfg, got, gw, err, want, ww)
		}
	}
}

// TestCompactWeights: bf16 and int8 weights give outputs close to float32's
// (within the rounding of the weights) and change the loss little, for one
// and several sequences, tokens and features; fp32 restores the exact
// outputs.
func TestCompactWeights(t *testing.T) {
	for _, cfg := range []Config{
		{Vocab: 300, Embed: 16, Hidden: 64},
		{Vocab: 40, Embed: 8, Features: 3, Proj: 5, Hidden: 48, Layers: 2},
	} {
		for _, B := range []int{1, 2} {
			checkCompactWeights(t, NewModel(cfg, rng(3)), B)
		}
	}
}

func checkCompactWeights(t *testing.T, m *Model, B int) {
	t.Helper()
	b := randomBatch(m, 20, B, rng(4))
	ref := func() ([]float32, float64) {
		st := m.NewState(B)
		out := make([]float32, B*m.OutSize())
		in := Input{Tokens: b.Tokens[:B]}
		if f := m.Config().Features; f > 0 {
			in.Features = b.Features[:B*f]
		}
		m.Next(st, in, out)
		nll, w, err := (&Generator{Step: m}).Score(context.Background(), m.NewState(B), b)
		if err != nil {
			t.Fatal(err)
		}
		return out, nll / w
	}
	want, wantNLL := ref()
	for _, c := range []struct {
		w      Weights
		out    float64 // largest output error, relative to the largest output
		nllRel float64
	}{{WeightsBF16, 2e-2, 2e-3}, {WeightsInt8, 2e-2, 2e-3}, {WeightsFP32, 0, 0}} {
		m.SetWeights(c.w)
		if m.Weights() != c.w {
			t.Fatalf("Weights() = %q after SetWeights(%q)", m.Weights(), c.w)
		}
		got, nll := ref()
		var mx, e float64
		for i := range want {
			mx = max(mx, math.Abs(float64(want[i])))
			e = max(e, math.Abs(float64(got[i]-want[i])))
		}
		if e > c.out*mx || (c.w == WeightsFP32 && e != 0) {
			t.Errorf("%+v B=%d %s: output error %g, largest output %g", m.Config(), B, c.w, e, mx)
		}
		if math.Abs(nll-wantNLL) > c.nllRel*wantNLL || (c.w == WeightsFP32 && nll != wantNLL) {
			t.Errorf("%+v B=%d %s: loss %v, float32 %v", m.Config(), B, c.w, nll, wantNLL)
		}
		if c.w != WeightsFP32 && e == 0 {
			t.Errorf("%+v B=%d %s: outputs identical to float32's: copies not used", m.Config(), B, c.w)
		}
	}
}

func TestParseWeights(t *testing.T) {
	for s, want := range map[string]Weights{"": WeightsFP32, "fp32": WeightsFP32, "bf16": WeightsBF16, "int8": WeightsInt8} {
		if w, err := ParseWeights(s); w != want || err != nil {
			t.Errorf("ParseWeights(%q) = %q, %v", s, w, err)
		}
	}
	if _, err := ParseWeights("fp16"); err == nil {
		t.Error("fp16 accepted")
	}
}

// TestScoreFollowsWeights: Score is Forward's loss with float32 weights
// and the step-by-step loss of the compact weights otherwise (the weights
// generation reads), not float32's.
func TestScoreFollowsWeights(t *testing.T) {
	m := NewModel(Config{Vocab: 300, Embed: 16, Hidden: 64}, rng(5))
	b := randomBatch(m, 12, 2, rng(6))
	want, ww := m.Forward(b, m.NewState(2), nil)
	got, gw, err := Score(context.Background(), m, m.NewState(2), b)
	if err != nil || got != want || gw != ww {
		t.Errorf("fp32: Score %v (weight %v, %v), Forward %v (weight %v)", got, gw, err, want, ww)
	}
	m.SetWeights(WeightsInt8)
	step, _, err := (&Generator{Step: m}).Score(context.Background(), m.NewState(2), b)
	if err != nil {
		t.Fatal(err)
	}
	got, _, err = Score(context.Background(), m, m.NewState(2), b)
	if err != nil || got != step || got == want {
		t.Errorf("int8: Score %v (%v), stepping %v, float32 %v", got, err, step, want)
	}
}

// TestAutoWeights: auto reads int8 exactly when the float32 matrices Next
// streams per step exceed AutoWeightsBytes (always, on a CPU whose int8
// products are integer ones), and says which it chose.
func TestAutoWeights(t *testing.T) {
	for _, c := range []struct {
		cfg  Config
		want Weights
	}{
		{Config{Vocab: 65, Embed: 64, Hidden: 256, Layers: 2}, WeightsFP32}, // 3.1 MiB: the first layer's W_ih is a table
		{Config{Vocab: 65, Embed: 64, Hidden: 384, Layers: 2}, WeightsInt8}, // 6.8 MiB
		{Config{Features: 3, Hidden: 64, Likelihood: Gaussian{}}, WeightsFP32},
		{Config{Vocab: 10000, Embed: 32, Hidden: 128}, WeightsInt8}, // the head alone is 4.9 MiB
	} {
		m := NewModel(c.cfg, rng(7))
		m.SetWeights(WeightsAuto)
		if kernel.Q8Integer() {
			c.want = WeightsInt8
		}
		if got := m.Weights(); got != c.want {
			t.Errorf("%+v (%d bytes per step): auto chose %s, want %s", c.cfg, m.stepBytes(), got, c.want)
		}
	}
	if w, err := ParseWeights("auto"); err != nil || w != WeightsAuto {
		t.Errorf(`ParseWeights("auto") = %q, %v`, w, err)
	}
}
