// Mixed-precision training: the matrix products of a training step take
// their inputs rounded to bfloat16 (activations, gradients and a bf16 image
// of the weights, rounded to nearest even as PyTorch's autocast does) and
// accumulate in float32; the weights, their gradients and Adam's moments
// stay float32 (the master copy), as do the element-wise steps (gates,
// softmax, loss). Validation and generation run in float32.

package core

import (
	"errors"
	"fmt"

	"github.com/arkit-go/arkit/core/internal/kernel"
)

// Precision is the arithmetic of a training step's matrix products.
type Precision string

const (
	// PrecisionFP32 computes in float32 throughout (the default): exact
	// against PyTorch's float32 reference.
	PrecisionFP32 Precision = "fp32"
	// PrecisionBF16 rounds the inputs of the matrix products to bfloat16
	// and accumulates in float32 (mixed precision). It needs a CPU with
	// AVX-512 BF16 (see HasBF16).
	PrecisionBF16 Precision = "bf16"
	// PrecisionAuto is bf16 where it is faster than fp32, else fp32: on
	// Intel's AMX tiles (2-3x on word and character models) and on AMD's
	// AVX-512 BF16 (1.5-1.9x on the products, measured on an AMD EPYC).
	// An Intel CPU with AVX-512 BF16 but no AMX gets fp32: that kernel
	// measured slower than fp32 on the Intel Xeon.
	PrecisionAuto Precision = "auto"
)

// ErrNoBF16 is wrapped by the error of an explicit bf16 request on a CPU
// without AVX-512 BF16. It is not emulated: rounding in software would be
// slower than float32 and bring nothing but its rounding errors.
var ErrNoBF16 = errors.New("this CPU lacks AVX-512 BF16")

// HasBF16 reports whether this CPU runs bf16 mixed precision (AVX-512 BF16,
// amd64).
func HasBF16() bool { return kernel.HasBF16() }

// ParsePrecision returns the Precision named s ("fp32", "bf16" or "auto";
// "" means fp32).
func ParsePrecision(s string) (Precision, error) {
	switch p := Precision(s); p {
	case "":
		return PrecisionFP32, nil
	case PrecisionFP32, PrecisionBF16, PrecisionAuto:
		return p, nil
	}
	return "", fmt.Errorf("precision %q: choose fp32, bf16 or auto", s)
}

// Resolve returns the precision a training run uses on this CPU: fp32 or
// bf16 ("" is fp32; auto is bf16 where it is faster, see PrecisionAuto). An explicit bf16 on
// a CPU without it is an error wrapping ErrNoBF16; an unknown name is an
// error too.
func (p Precision) Resolve() (Precision, error) {
	switch p {
	case "", PrecisionFP32:
		return PrecisionFP32, nil
	case PrecisionAuto:
		if kernel.FastBF16() {
			return PrecisionBF16, nil
		}
		return PrecisionFP32, nil
	case PrecisionBF16:
		if !HasBF16() {
			return "", fmt.Errorf("precision bf16: %w", ErrNoBF16)
		}
		return PrecisionBF16, nil
	}
	return "", fmt.Errorf("precision %q: choose fp32, bf16 or auto", string(p))
}

// MixedPrecision is a network whose training steps can run in bf16 mixed
// precision (a Model, a Tiered). The Trainer sets it for its steps and
// back to fp32 around validation and when the run ends.
type MixedPrecision interface {
	// SetPrecision sets the arithmetic of the following Forward and
	// Backward: PrecisionFP32 or PrecisionBF16 (already resolved). It
	// panics on another value.
	SetPrecision(p Precision)
}

var (
	_ MixedPrecision = (*Model)(nil)
	_ MixedPrecision = (*Tiered)(nil)
)

// gemmFunc is the signature of kernel.Gemm and kernel.GemmBF16.
type gemmFunc = func(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int)

// gemmOf returns the training steps' product in precision p: kernel.GemmBF16
// under bf16, else kernel.Gemm.
func gemmOf(p Precision) gemmFunc {
	if p == PrecisionBF16 {
		return kernel.GemmBF16
	}
	return kernel.Gemm
}

// SetPrecision sets the arithmetic of the model's training steps (see
// MixedPrecision). It panics unless p is PrecisionFP32 or PrecisionBF16.
func (m *Model) SetPrecision(p Precision) {
	if p != PrecisionFP32 && p != PrecisionBF16 {
		panic(fmt.Sprintf("core: SetPrecision(%q): want fp32 or bf16", string(p)))
	}
	m.prec = p
	for i := range m.layers {
		m.layers[i].prec = p
	}
}

// SetPrecision sets the arithmetic of every tier's training steps.
func (t *Tiered) SetPrecision(p Precision) {
	t.ft.SetPrecision(p)
	t.step.SetPrecision(p)
}
