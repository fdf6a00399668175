// Benchmarks at the LSTM shapes, against gonum's blas32 in the same run.
// Matrices are random: gonum skips zero entries of A, so zeros would flatter it.

package kernel

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/blas/blas32"
)

var benchShapes = [][3]int{ // m, k, n
	{32, 512, 1024},
	{64, 256, 1024},
	{1, 256, 1024},
	{32, 256, 1024},
	{1024, 32, 512},  // weight gradient dZᵀ·[x h] of a batch of 32
	{2048, 256, 256}, // a large product: the blocked scheme
}

func randSlice(r *rand.Rand, n int) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = 2*r.Float32() - 1
	}
	return s
}

func BenchmarkGemm(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 1))
	for _, s := range benchShapes {
		m, k, n := s[0], s[1], s[2]
		for _, tr := range []string{"NN", "NT", "TN"} {
			tA, tB := tr[0] == 'T', tr[1] == 'T'
			lda, ldb := k, n
			if tA {
				lda = m
			}
			if tB {
				ldb = k
			}
			a, bb, c := randSlice(r, m*k), randSlice(r, k*n), randSlice(r, m*n)
			for _, impl := range []string{"arkit", "arkit1", "gonum"} {
				b.Run(fmt.Sprintf("%dx%dx%d/%s/%s", m, k, n, tr, impl), func(b *testing.B) {
					if impl == "arkit1" { // one goroutine
						defer serialGemm()()
					}
					for b.Loop() {
						if impl != "gonum" {
							Gemm(tA, tB, m, n, k, 1, a, lda, bb, ldb, 0, c, n)
						} else {
							blas32.Implementation().Sgemm(trans(tA), trans(tB), m, n, k, 1, a, lda, bb, ldb, 0, c, n)
						}
					}
					b.ReportMetric(2*float64(m*n*k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
				})
			}
		}
	}
}

func BenchmarkGemv(b *testing.B) {
	r := rand.New(rand.NewPCG(2, 2))
	for _, s := range [][2]int{{1024, 256}, {1024, 512}} {
		m, n := s[0], s[1]
		a := randSlice(r, m*n)
		for _, tA := range []bool{false, true} {
			x, y := randSlice(r, max(m, n)), randSlice(r, max(m, n))
			name := "N"
			if tA {
				name = "T"
			}
			for _, impl := range []string{"arkit", "arkit1", "gonum"} {
				b.Run(fmt.Sprintf("%dx%d/%s/%s", m, n, name, impl), func(b *testing.B) {
					if impl == "arkit1" { // one goroutine
						defer serialGemm()()
					}
					for b.Loop() {
						if impl != "gonum" {
							Gemv(tA, m, n, 1, a, n, x, 0, y)
						} else {
							blas32.Implementation().Sgemv(trans(tA), m, n, 1, a, n, x, 1, 0, y, 1)
						}
					}
					b.ReportMetric(2*float64(m*n)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
				})
			}
		}
	}
}

// lstmCellMath is the former LSTMCell, on float64 math.Exp and math.Tanh:
// the baseline of BenchmarkLSTMCell.
func lstmCellMath(z, cPrev, c, tc, h []float32, b, hid int) {
	sig := func(x float32) float32 { return float32(1 / (1 + math.Exp(-float64(x)))) }
	th := func(x float32) float32 { return float32(math.Tanh(float64(x))) }
	for r := 0; r < b; r++ {
		zr := z[r*4*hid : (r+1)*4*hid]
		for j := 0; j < hid; j++ {
			i, f, g, o := sig(zr[j]), sig(zr[hid+j]), th(zr[2*hid+j]), sig(zr[3*hid+j])
			zr[j], zr[hid+j], zr[2*hid+j], zr[3*hid+j] = i, f, g, o
			cc := f*cPrev[r*hid+j] + i*g
			t := th(cc)
			c[r*hid+j], tc[r*hid+j], h[r*hid+j] = cc, t, o*t
		}
	}
}

func BenchmarkLSTMCell(b *testing.B) {
	r := rand.New(rand.NewPCG(3, 3))
	for _, s := range [][2]int{{1, 256}, {32, 256}, {64, 64}} {
		bs, hid := s[0], s[1]
		z0 := randSlice(r, bs*4*hid)
		z := make([]float32, len(z0))
		cPrev := randSlice(r, bs*hid)
		c, tc, h := make([]float32, bs*hid), make([]float32, bs*hid), make([]float32, bs*hid)
		dh, dc, dz := randSlice(r, bs*hid), randSlice(r, bs*hid), make([]float32, bs*4*hid)
		b.Run(fmt.Sprintf("B%dH%d/forward/arkit", bs, hid), func(b *testing.B) {
			for b.Loop() {
				copy(z, z0)
				LSTMCell(z, cPrev, c, tc, h, bs, hid)
			}
		})
		b.Run(fmt.Sprintf("B%dH%d/forward/math", bs, hid), func(b *testing.B) {
			for b.Loop() {
				copy(z, z0)
				lstmCellMath(z, cPrev, c, tc, h, bs, hid)
			}
		})
		b.Run(fmt.Sprintf("B%dH%d/backward/arkit", bs, hid), func(b *testing.B) {
			for b.Loop() {
				LSTMCellBackward(dz, z, cPrev, tc, dh, dc, bs, hid)
			}
		})
	}
}

func BenchmarkAdam(b *testing.B) {
	r := rand.New(rand.NewPCG(4, 4))
	const n = 1 << 20
	w, g, m, v := randSlice(r, n), randSlice(r, n), randSlice(r, n), make([]float32, n)
	for b.Loop() {
		Adam(w, g, m, v, 1e-3, 0.9, 0.999, 1e-8, 0.01, 0.1, 0.001)
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds()/1e9, "Gelem/s")
}

func BenchmarkSoftmaxCrossEntropy(b *testing.B) {
	r := rand.New(rand.NewPCG(5, 5))
	x, d := randSlice(r, 65), make([]float32, 65)
	for b.Loop() {
		SoftmaxCrossEntropy(d, x, 3, 1)
	}
}

// BenchmarkGemmPacked times an LSTM time step's products with op(B) packed
// once (GemmPacked) against packing it at every call (Gemm), on one
// goroutine: the 2×64 series model's gates (64×129 by 129×256) and its
// backward (64×256 by 256×128).
func BenchmarkGemmPacked(b *testing.B) {
	defer serialGemm()()
	r := rand.New(rand.NewPCG(4, 4))
	for _, s := range []struct {
		m, k, n int
		tB      bool
	}{{64, 129, 256, true}, {64, 256, 128, false}} {
		a, bb, c := randSlice(r, s.m*s.k), randSlice(r, s.k*s.n), make([]float32, s.m*s.n)
		ldb := s.n
		if s.tB {
			ldb = s.k
		}
		var p Packed
		p.Pack(s.tB, s.k, s.n, bb, ldb)
		b.Run(fmt.Sprintf("%dx%dx%d/packed", s.m, s.k, s.n), func(b *testing.B) {
			for b.Loop() {
				GemmPacked(false, s.m, a, s.k, &p, 0, c, s.n)
			}
		})
		b.Run(fmt.Sprintf("%dx%dx%d/gemm", s.m, s.k, s.n), func(b *testing.B) {
			for b.Loop() {
				Gemm(false, s.tB, s.m, s.n, s.k, 1, a, s.k, bb, ldb, 0, c, s.n)
			}
		})
	}
}
