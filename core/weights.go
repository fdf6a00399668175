// Compact weights for generation: bf16 or int8 (Q8_0) copies of the output
// layer, which batch-1 generation streams once per token (a 512×10,000 head
// is 20 MB in float32: most of a word model's time per token). The copies
// are made once, when a model is loaded for generation; the float32
// weights stay the model's (training and model files use them alone).

package core

import (
	"fmt"

	"github.com/arkit-go/arkit/core/internal/kernel"
)

// Weights is the precision of the weights Next reads.
type Weights string

const (
	// WeightsFP32 reads the float32 weights themselves (the default).
	WeightsFP32 Weights = "fp32"
	// WeightsBF16 reads a bfloat16 copy of the output layer: half the
	// bytes, 8 significant bits.
	WeightsBF16 Weights = "bf16"
	// WeightsInt8 reads an int8 copy of the output layer with one float32
	// scale per block of 32 weights of a row (llama.cpp's Q8_0): a quarter
	// of the bytes (and 1/8 more for the scales).
	WeightsInt8 Weights = "int8"
)

// ParseWeights returns the Weights named s ("fp32", "bf16" or "int8"; ""
// means fp32).
func ParseWeights(s string) (Weights, error) {
	switch w := Weights(s); w {
	case "":
		return WeightsFP32, nil
	case WeightsFP32, WeightsBF16, WeightsInt8:
		return w, nil
	}
	return "", fmt.Errorf("weights %q: choose fp32, bf16 or int8", s)
}

// compactHead is the head's weight matrix in the precision Next reads.
type compactHead struct {
	w  Weights
	bf *kernel.BF16
	q8 *kernel.Q8
}

// SetWeights makes Next (and so generation and Generator.Score) read the
// output layer's weights in precision w, from copies made now of the
// current float32 weights: call it after loading a model for generation,
// and again if the weights change (training and Forward always use the
// float32 weights). The LSTM layers keep float32. It panics if w is not one
// of the Weights constants.
func (m *Model) SetWeights(w Weights) {
	h := &m.gen.head
	O, H := m.out, m.cfg.Hidden
	switch w {
	case "", WeightsFP32:
		*h = compactHead{}
	case WeightsBF16:
		*h = compactHead{w: w, bf: kernel.NewBF16(m.headW.W, O, H)}
	case WeightsInt8:
		*h = compactHead{w: w, q8: kernel.NewQ8(m.headW.W, O, H)}
	default:
		panic(fmt.Sprintf("core: unknown weights %q", w))
	}
}

// Weights returns the precision of the weights Next reads.
func (m *Model) Weights() Weights {
	if m.gen.head.w == "" {
		return WeightsFP32
	}
	return m.gen.head.w
}

// mulVecAdd adds the head's weights times x (one sequence's top hidden
// state) to y.
func (h *compactHead) mulVecAdd(y, x []float32) {
	if h.bf != nil {
		h.bf.MulVecAdd(y, x)
	} else {
		h.q8.MulVecAdd(y, x)
	}
}
