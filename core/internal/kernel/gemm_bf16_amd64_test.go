//go:build amd64 && !purego

// The bf16 micro-kernel against the float32 one, alone on panels in L1.

package kernel

import "testing"

// BenchmarkKernelBF16 runs the micro-kernels alone on panels in L1 (256
// steps, an 8×32 tile), and the conversion of a 256×32 panel to pairs.
func BenchmarkKernelBF16(b *testing.B) {
	if !HasBF16() {
		b.Skip("no AVX-512 BF16")
	}
	const kc = 256
	a := make([]float32, 8*kc)
	bb := make([]float32, 32*kc)
	c := make([]float32, 8*32)
	for i := range a {
		a[i] = 0.5
	}
	for i := range bb {
		bb[i] = 0.25
	}
	b.Run("fp32", func(b *testing.B) {
		for b.Loop() {
			kern8x32(kc, &a[0], &bb[0], &c[0], 32, 1, 0)
		}
		b.ReportMetric(2*8*32*kc*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
	})
	b.Run("bf16", func(b *testing.B) {
		for b.Loop() {
			kernBF16x32(kc, &a[0], &bb[0], &c[0], 32, 1, 0)
		}
		b.ReportMetric(2*8*32*kc*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
	})
	b.Run("pairs", func(b *testing.B) {
		for b.Loop() {
			pairBF16(&bb[0], 32, kc)
		}
		b.ReportMetric(32*kc*float64(b.N)/b.Elapsed().Seconds()/1e9, "Gfloat/s")
	})
}
