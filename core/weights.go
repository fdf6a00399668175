// Compact weights for generation: bf16 or int8 (Q8_0) copies of the weight
// matrices that batch-1 generation streams once per token (a word model's
// 512×10,000 head is 20 MB in float32, its recurrent weights 4 MB: most of
// its time per token). The copies are made once, when a model is loaded
// for generation; the float32 weights stay the model's (training and model
// files use them alone). A token-only first layer keeps reading its input
// products W_ih·e(token) from the float32 table of generation runs
// (model.go), exact and cached.

package core

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/arkit-go/arkit/core/internal/kernel"
)

// Weights is the precision of the weights Next reads.
type Weights string

const (
	// WeightsFP32 reads the float32 weights themselves (the default).
	WeightsFP32 Weights = "fp32"
	// WeightsBF16 reads bfloat16 copies of the weight matrices: half the
	// bytes, 8 significant bits.
	WeightsBF16 Weights = "bf16"
	// WeightsInt8 reads int8 copies of the weight matrices with one
	// float32 scale per block of 32 weights of a row (llama.cpp's Q8_0): a
	// quarter of the bytes (and 1/8 more for the scales).
	WeightsInt8 Weights = "int8"
	// WeightsAuto is int8 where it is faster than float32: always on a
	// CPU with AVX512-VNNI (int8 products in integer arithmetic, measured
	// 2.4-12x float32's speed from 0.25 to 24 MiB of weights per step);
	// elsewhere when the float32 matrices Next reads per step exceed
	// AutoWeightsBytes and so no longer stay in the cores' caches, float32
	// below that. Weights() then reports the precision chosen.
	WeightsAuto Weights = "auto"
)

// AutoWeightsBytes is where WeightsAuto turns to int8 on a CPU without
// AVX512-VNNI (with it, int8 is always faster: autoWeightsBytes). Measured
// on this machine with the float int8 kernel (2026-12-07, quiet, one
// stream; docs/benchmarks.md): float32 is
// faster at 1 MiB read per step (1.3x, a 1x256 pixel model) and 3.1 MiB
// (1.2x, the 2x256 char model); int8 is faster at 6-7 MiB (2.1-2.3x: 2x384
// char, 1x512 over 1,024 tokens) and 24 MiB (2.4x, the 1x512 word model
// over 10,000 words): the float32 rate falls 4.7x between 3.1 and 7 MiB.
const AutoWeightsBytes = 4 << 20

// ParseWeights returns the Weights named s ("fp32", "bf16", "int8" or
// "auto"; "" means fp32).
func ParseWeights(s string) (Weights, error) {
	switch w := Weights(s); w {
	case "":
		return WeightsFP32, nil
	case WeightsFP32, WeightsBF16, WeightsInt8, WeightsAuto:
		return w, nil
	}
	return "", fmt.Errorf("weights %q: choose fp32, bf16, int8 or auto", s)
}

// compactMat is one weight matrix in a compact precision.
type compactMat struct {
	bf *kernel.BF16
	q8 *kernel.Q8
}

func newCompactMat(w Weights, a []float32, rows, cols int) compactMat {
	if w == WeightsBF16 {
		return compactMat{bf: kernel.NewBF16(a, rows, cols)}
	}
	return compactMat{q8: kernel.NewQ8(a, rows, cols)}
}

// newCompactCols is newCompactMat of the columns [c0, c1) of the rows×ld
// row-major matrix a (a block of a layer's input weights).
func newCompactCols(w Weights, a []float32, rows, ld, c0, c1 int) compactMat {
	n := c1 - c0
	sub := make([]float32, rows*n)
	for r := 0; r < rows; r++ {
		copy(sub[r*n:(r+1)*n], a[r*ld+c0:r*ld+c1])
	}
	return newCompactMat(w, sub, rows, n)
}

// mulVecAdd adds the matrix times x to y.
func (c *compactMat) mulVecAdd(y, x []float32) {
	if c.bf != nil {
		c.bf.MulVecAdd(y, x)
	} else {
		c.q8.MulVecAdd(y, x)
	}
}

// mulRowsAdd adds the matrix times the first columns of each of the b rows
// of x (ldx apart) to the same row of y (rows of the matrix's rows).
func (c *compactMat) mulRowsAdd(y, x []float32, b, ldx int) {
	rows, cols := c.dims()
	for r := 0; r < b; r++ {
		c.mulVecAdd(y[r*rows:(r+1)*rows], x[r*ldx:r*ldx+cols])
	}
}

func (c *compactMat) dims() (rows, cols int) {
	if c.bf != nil {
		return c.bf.Rows, c.bf.Cols
	}
	return c.q8.Rows, c.q8.Cols
}

// compactWeights holds the matrices Next reads, in a compact precision.
type compactWeights struct {
	w        Weights // "" for none (float32)
	head     compactMat
	ih, hh   []compactMat // per LSTM layer
	biasSums [][]float32  // per layer: b_ih + b_hh
}

// SetWeights makes Next (and so generation and Generator.Score) read the
// weight matrices (the LSTM layers' and the output layer's) in precision w,
// from copies made now of the current float32 weights: call it after
// loading a model for generation, and again if the weights change
// (training and Forward always use the float32 weights). Biases, the
// embedding and the input projection stay float32. It panics if w is not
// one of the Weights constants.
func (m *Model) SetWeights(w Weights) {
	cw := &m.gen.compact
	*cw = compactWeights{}
	if w == WeightsAuto {
		w = m.autoWeights()
	}
	switch w {
	case "", WeightsFP32:
		return
	case WeightsBF16, WeightsInt8:
	default:
		panic(fmt.Sprintf("core: unknown weights %q", w))
	}
	H := m.cfg.Hidden
	cw.w = w
	cw.head = newCompactMat(w, m.headW.W, m.out, H)
	for _, l := range m.layers {
		cw.ih = append(cw.ih, newCompactMat(w, l.wih.W, 4*H, l.in))
		cw.hh = append(cw.hh, newCompactMat(w, l.whh.W, 4*H, H))
		b := make([]float32, 4*H)
		copy(b, l.bih.W)
		kernel.Axpy(1, l.bhh.W, b)
		cw.biasSums = append(cw.biasSums, b)
	}
}

// autoWeights is what WeightsAuto reads for m: int8 above
// AutoWeightsBytes per step, else fp32.
func (m *Model) autoWeights() Weights {
	if m.stepBytes() > autoWeightsBytes() {
		return WeightsInt8
	}
	return WeightsFP32
}

// autoWeightsBytes is where WeightsAuto turns to int8 on this CPU: 0 where
// int8 products are integer dot products (kernel.Q8Integer; measured
// 2.4-2.7x float32's tokens per second on one thread at 0.25-1 MiB per
// step, more above; docs/benchmarks.md, Audio, 2026-12-07 gen-speed),
// else AutoWeightsBytes.
func autoWeightsBytes() int {
	if kernel.Q8Integer() {
		return 0
	}
	return AutoWeightsBytes
}

// stepBytes is the size of the float32 weight matrices Next reads per
// step: every layer's W_hh and W_ih (but a token-only first layer's, whose
// products come from a table) and the output layer's.
func (m *Model) stepBytes() int {
	n := len(m.headW.W)
	for i, l := range m.layers {
		n += len(l.whh.W)
		if i > 0 || m.cfg.Vocab == 0 || m.cfg.Features > 0 {
			n += len(l.wih.W)
		}
	}
	return 4 * n
}

// Weights returns the precision of the weights Next reads.
func (m *Model) Weights() Weights {
	if m.gen.compact.w == "" {
		return WeightsFP32
	}
	return m.gen.compact.w
}

// compactStep advances layer l of b sequences by one input as
// lstmLayer.step does, with the compact matrices: z = b_ih + b_hh +
// W_ih·x (or pre, the first layer's input product from the table) +
// W_hh·h, then the cell (kernel.LSTMCell, as in lstm.go).
func (m *Model) compactStep(l int, x, pre, h, c, z, tc []float32, b int) {
	cw := &m.gen.compact
	in, G := m.layers[l].in, 4*m.cfg.Hidden
	H := m.cfg.Hidden
	for r := 0; r < b; r++ {
		zr := z[r*G : (r+1)*G]
		copy(zr, cw.biasSums[l])
		if pre != nil {
			kernel.Axpy(1, pre, zr)
		} else {
			cw.ih[l].mulVecAdd(zr, x[r*in:(r+1)*in])
		}
		cw.hh[l].mulVecAdd(zr, h[r*H:(r+1)*H])
	}
	kernel.LSTMCell(z, c, c, tc, h, b, H)
}

// GenerationWeights is the precision arkit's generation commands read
// unless told otherwise: auto, i.e. int8 on CPUs with AVX512-VNNI and, on
// others, for models whose weights outgrow the caches (int8 measured within
// 0.02% of float32's held-out bits per character, and faster there;
// docs/benchmarks.md), float32 for smaller ones, where it is faster. Scoring and training read float32, the
// weights' own precision, as the zero value of Weights does.
const GenerationWeights = WeightsAuto

// Scorer is a network that scores a batch in one pass (Forward) and step
// by step (Next), and says which weights Next reads.
type Scorer interface {
	Step
	Forward(b *Batch, st *State, rng *rand.Rand) (nll, weight float64)
	Weights() Weights
}

// Score returns the negative log-likelihood of b's targets under net,
// starting from st (which it advances), and their total weight: one batched
// Forward when net reads its float32 weights, step by step through Next
// when it reads compact copies, so the score is that of the weights
// generation reads. It fails only when ctx is done.
func Score(ctx context.Context, net Scorer, st *State, b *Batch) (nll, weight float64, err error) {
	if net.Weights() == WeightsFP32 {
		nll, weight = net.Forward(b, st, nil)
		return nll, weight, nil
	}
	return (&Generator{Step: net}).Score(ctx, st, b)
}
