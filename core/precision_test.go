// Tests of bf16 mixed-precision training: the names and their resolution
// on CPUs with and without AVX-512 BF16, gradients against fp32's, fp32
// unchanged by a bf16 run, and the Trainer's switching (steps in bf16,
// validation and the model it returns in fp32).

package core

import (
	"context"
	"errors"
	"math"
	"testing"

	"github.com/arkit-go/arkit/core/internal/kernel"
)

func TestPrecisionResolve(t *testing.T) {
	for _, c := range []struct {
		in      string
		bf16CPU bool
		want    Precision
		err     error // nil: none; errNamed: an error naming the value
	}{
		{"", true, PrecisionFP32, nil},
		{"fp32", true, PrecisionFP32, nil},
		{"bf16", true, PrecisionBF16, nil},
		{"auto", true, PrecisionBF16, nil},
		{"", false, PrecisionFP32, nil},
		{"auto", false, PrecisionFP32, nil},
		{"bf16", false, "", ErrNoBF16},
		{"fp16", true, "", errNamed},
	} {
		if c.bf16CPU && !HasBF16() {
			continue
		}
		if c.in == "auto" && c.bf16CPU && !kernel.FastBF16() {
			c.want = PrecisionFP32 // AVX-512 BF16 where it is not faster (Intel without AMX): auto keeps fp32
		}
		func() {
			if !c.bf16CPU {
				defer kernel.DisableBF16()()
			}
			p, perr := ParsePrecision(c.in)
			got, err := Precision(c.in).Resolve()
			switch {
			case c.err == nil && (err != nil || perr != nil || got != c.want):
				t.Errorf("%q (bf16 CPU %v): %q, %v, %v; want %q", c.in, c.bf16CPU, got, err, perr, c.want)
			case c.err == ErrNoBF16 && (!errors.Is(err, ErrNoBF16) || perr != nil || p != PrecisionBF16):
				t.Errorf("%q without bf16: %v, parse %v; want ErrNoBF16", c.in, err, perr)
			case c.err == errNamed && (err == nil || perr == nil || perr.Error() != `precision "fp16": choose fp32, bf16 or auto`):
				t.Errorf("%q: %v, parse %v; want an error naming it", c.in, err, perr)
			}
		}()
	}
}

var errNamed = errors.New("named")

// gradsAt runs one forward and backward of m on a fixed batch and returns
// the loss and a copy of the gradients.
func gradsAt(m *Model) (float64, []float32) {
	b := m.NewBatch(9, 5)
	(&cycleData{n: 7}).Batch(3, b)
	m.Params().ZeroGrad()
	nll, w := m.Forward(b, m.NewState(5), nil)
	m.Backward()
	return nll / w, append([]float32(nil), m.Params().G...)
}

// TestBF16Gradients: in bf16 the loss and gradients are close to fp32's
// (products of 8-bit mantissas, float32 sums) but not equal where the CPU
// has bf16, and setting fp32 back gives fp32's results bit for bit.
func TestBF16Gradients(t *testing.T) {
	m := NewModel(Config{Vocab: 7, Embed: 12, Hidden: 40, Layers: 2}, rng(3))
	loss32, g32 := gradsAt(m)
	m.SetPrecision(PrecisionBF16)
	loss16, g16 := gradsAt(m)
	m.SetPrecision(PrecisionFP32)
	lossBack, gBack := gradsAt(m)
	if lossBack != loss32 {
		t.Fatalf("fp32 loss after a bf16 step %v, before %v", lossBack, loss32)
	}
	for i := range g32 {
		if math.Float32bits(gBack[i]) != math.Float32bits(g32[i]) {
			t.Fatalf("fp32 gradient %d after a bf16 step %v, before %v", i, gBack[i], g32[i])
		}
	}
	if d := math.Abs(loss16 - loss32); d > 1e-2*loss32 {
		t.Fatalf("bf16 loss %v, fp32 %v", loss16, loss32)
	}
	var num, den, diff float64
	for i := range g32 {
		d := float64(g16[i] - g32[i])
		num += d * d
		den += float64(g32[i]) * float64(g32[i])
		diff = max(diff, math.Abs(d))
	}
	if rel := math.Sqrt(num / den); rel > 2e-2 {
		t.Fatalf("bf16 gradients off by %.3g (relative L2) from fp32's", rel)
	}
	if HasBF16() && diff == 0 {
		t.Fatal("bf16 gradients equal fp32's: the products did not round")
	}
	if !HasBF16() && (loss16 != loss32 || diff != 0) {
		t.Fatal("without bf16, SetPrecision(bf16) changed the results")
	}
}

// TestTrainerBF16: a bf16 run learns the sequence as fp32 does, validates
// in fp32 and leaves the model in fp32; an explicit bf16 run on a CPU
// without it is an error, and auto there is the fp32 run exactly.
func TestTrainerBF16(t *testing.T) {
	seq := []int32{0, 1, 2, 0, 3, 4, 0, 1, 5, 0, 3, 2}
	run := func(p Precision) (*Model, Result, []bool, error) {
		m := NewModel(Config{Vocab: 6, Embed: 8, Hidden: 32}, rng(1))
		var fp32Val []bool
		tr := &Trainer{Model: m, Optimizer: &Adam{LR: 1e-2}, T: 12, B: 4, Steps: 300, Clip: 5, Precision: p, ValEvery: 100,
			Validate: func(n Network) (float64, error) {
				fp32Val = append(fp32Val, n.(*Model).prec != PrecisionBF16)
				return 0, nil
			}}
		res, err := tr.Run(context.Background(), &seqData{seq: seq, t: 12, b: 4})
		return m, res, fp32Val, err
	}
	m, res, val, err := run(PrecisionBF16)
	if !HasBF16() {
		if !errors.Is(err, ErrNoBF16) {
			t.Fatalf("bf16 on a CPU without it: %v", err)
		}
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	if res.Loss > 0.1 {
		t.Fatalf("bf16: loss %.3f after %d steps: the model did not learn the sequence", res.Loss, res.Steps)
	}
	if m.prec != PrecisionFP32 || m.layers[0].prec != PrecisionFP32 {
		t.Fatal("the model is not back in fp32 after a bf16 run")
	}
	for i, ok := range val {
		if !ok {
			t.Fatalf("validation %d ran in bf16", i)
		}
	}
	_, r32, _, err := run(PrecisionFP32)
	if err != nil {
		t.Fatal(err)
	}
	if r32.Loss == res.Loss {
		t.Fatalf("bf16 and fp32 runs ended at the same loss %v", res.Loss)
	}
	restore := kernel.DisableBF16()
	_, rAuto, _, err := run(PrecisionAuto)
	_, rBF, _, errBF := run(PrecisionBF16)
	restore()
	if err != nil || rAuto.Loss != r32.Loss {
		t.Fatalf("auto without bf16: loss %v, %v; fp32 %v", rAuto.Loss, err, r32.Loss)
	}
	if !errors.Is(errBF, ErrNoBF16) || rBF.Steps != 0 {
		t.Fatalf("bf16 without bf16: %v after %d steps", errBF, rBF.Steps)
	}
}

// TestTieredBF16: a Tiered network trains in bf16 (both tiers' products)
// to a loss close to fp32's on the copy task, and ends in fp32.
func TestTieredBF16(t *testing.T) {
	cfg := TieredConfig{Frame: 4, FrameInputs: 1, FrameHidden: 16, Cond: 8,
		Step: Config{Vocab: 5, Embed: 4, Features: 1 + 8, Hidden: 16}}
	run := func(p Precision) (*Tiered, Result) {
		tt := NewTiered(cfg, rng(1))
		tr := &Trainer{Model: tt, Optimizer: &Adam{LR: 1e-2}, T: 16, B: 8, Steps: 200, Clip: 5, Precision: p}
		res, err := tr.Run(context.Background(), tieredCopyData{})
		if err != nil {
			t.Fatal(err)
		}
		return tt, res
	}
	_, r32 := run(PrecisionFP32)
	if !HasBF16() {
		return
	}
	tt, r16 := run(PrecisionBF16)
	if tt.frame.prec != PrecisionFP32 || tt.step.prec != PrecisionFP32 {
		t.Fatal("the tiers are not back in fp32 after a bf16 run")
	}
	if r16.Loss == r32.Loss || math.Abs(r16.Loss-r32.Loss) > 0.05*r32.Loss+0.02 {
		t.Fatalf("bf16 loss %v, fp32 %v", r16.Loss, r32.Loss)
	}
}
