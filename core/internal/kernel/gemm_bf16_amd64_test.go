//go:build linux && amd64 && !purego

// Benchmarks of GemmBF16's paths (AMX, AVX-512 BF16) against Gemm at the
// word model's shapes, with the thread's CPU time beside the wall time,
// and of the AVX-512 micro-kernels alone.

package kernel

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"syscall"
	"testing"
	"time"
)

// threadCPU is the CPU time of the calling thread (Linux RUSAGE_THREAD).
func threadCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(1, &ru); err != nil {
		panic(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkGemmBF16 compares Gemm and GemmBF16 on one goroutine at the
// shapes of the word model's training step (batch 32, window 64,
// embedding 256, LSTM 512, vocabulary 10,000): the output layer forward
// (NT), its input gradient (NN) and weight gradient (TN), and a recurrent
// step (NT, m = 32).
func BenchmarkGemmBF16(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 1))
	for _, s := range []struct {
		name    string
		tr      string
		m, k, n int
	}{
		{"head", "NT", 2048, 512, 10000},
		{"head-dx", "NN", 2048, 10000, 512},
		{"head-dw", "TN", 10000, 2048, 512},
		{"recurrent", "NT", 32, 512, 2048},
		{"input", "NT", 2048, 256, 2048},
	} {
		m, k, n := s.m, s.k, s.n
		tA, tB := s.tr[0] == 'T', s.tr[1] == 'T'
		lda, ldb := k, n
		if tA {
			lda = m
		}
		if tB {
			ldb = k
		}
		a, bb, c := randSlice(r, m*k), randSlice(r, k*n), randSlice(r, m*n)
		var packed PackedBF16
		for _, v := range append([]gemmVariant{{"fp32", func() func() { return func() {} }}, {"amx-packed", func() func() { return func() {} }}}, bf16Variants()...) {
			if v.name != "fp32" && v.name != "avx512bf16" && v.name != "amx" && (v.name != "amx-packed" || !useAMX || tA) {
				continue
			}
			if v.name == "amx-packed" {
				packed.Pack(tB, k, n, bb, ldb) // once, as the LSTM packs W_hh once per window
			}
			b.Run(fmt.Sprintf("%s-%dx%dx%d-%s/%s", s.name, m, k, n, s.tr, v.name), func(b *testing.B) {
				defer v.use()()
				defer serialGemm()()
				// On a busy machine wall time measures the load: report the
				// thread's CPU time too (one goroutine, locked to it).
				runtime.LockOSThread()
				defer runtime.UnlockOSThread()
				cpu0 := threadCPU()
				for b.Loop() {
					if v.name == "amx-packed" {
						GemmPackedBF16(false, m, a, lda, &packed, 0, c, n)
					} else if v.name != "fp32" {
						GemmBF16(tA, tB, m, n, k, 1, a, lda, bb, ldb, 0, c, n)
					} else {
						Gemm(tA, tB, m, n, k, 1, a, lda, bb, ldb, 0, c, n)
					}
				}
				flops := 2 * float64(m*n*k) * float64(b.N)
				b.ReportMetric(flops/b.Elapsed().Seconds()/1e9, "GFLOP/s")
				b.ReportMetric(flops/(threadCPU()-cpu0).Seconds()/1e9, "GFLOP/cpu-s")
			})
		}
	}
}

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
