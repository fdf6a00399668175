// Tests of GemmBF16: against a float64 reference on bf16-rounded inputs
// (tight: only the float32 accumulation differs), against the float32
// reference within bf16's tolerance, NaN and Inf, and the fallback on a CPU
// without AVX-512 BF16, which must be Gemm bit for bit.

package kernel

import (
	"math"
	"math/rand/v2"
	"testing"
)

// roundBF16 returns s with every element rounded to bfloat16.
func roundBF16(s []float32) []float32 {
	r := make([]float32, len(s))
	for i, v := range s {
		r[i] = FromBF16(ToBF16(v))
	}
	return r
}

// checkGemmBF16Case runs GemmBF16 on one random case (both packing schemes
// and a single goroutine where they apply) and checks every element of C.
func checkGemmBF16Case(t *testing.T, r *rand.Rand, tA, tB bool, m, n, k int, ab abCase) {
	t.Helper()
	ra, ca := m, k
	if tA {
		ra, ca = k, m
	}
	rb, cb := k, n
	if tB {
		rb, cb = n, k
	}
	lda, ldb, ldc := ca+r.IntN(3), cb+r.IntN(3), n+r.IntN(3)
	a := randMat(r, ra, ca, lda)
	b := randMat(r, rb, cb, ldb)
	c0 := randMat(r, m, n, ldc)
	// exact: the reference on the rounded inputs; loose: on the inputs
	// themselves, each product off by at most 2^-8 of its size.
	exact, ebound := refGemm(tA, tB, m, n, k, ab.alpha, roundBF16(a), lda, roundBF16(b), ldb, ab.beta, c0, ldc)
	loose, _ := refGemm(tA, tB, m, n, k, ab.alpha, a, lda, b, ldb, ab.beta, c0, ldc)
	c := make([]float32, len(c0))
	for _, v := range bf16Variants() {
		copy(c, c0)
		restore := v.use()
		GemmBF16(tA, tB, m, n, k, ab.alpha, a, lda, b, ldb, ab.beta, c, ldc)
		restore()
		for i := 0; i < m; i++ {
			for j := 0; j < ldc && i*ldc+j < len(c); j++ {
				got := c[i*ldc+j]
				if j >= n {
					if got != 12345 {
						t.Fatalf("%s: padding c[%d,%d] overwritten: %v", v.name, i, j, got)
					}
					continue
				}
				e := ebound[i*n+j]
				d := math.Abs(float64(got) - exact[i*n+j])
				if HasBF16() && !(d <= e) {
					t.Fatalf("%s tA=%v tB=%v m=%d n=%d k=%d alpha=%v beta=%v: c[%d,%d] = %v, want %v on bf16 inputs (bound %g)",
						v.name, tA, tB, m, n, k, ab.alpha, ab.beta, i, j, got, exact[i*n+j], e)
				}
				// ebound is about 1e-6·k·Σ|terms|: 2^-8·Σ|terms| bounds bf16's rounding.
				lb := e/(1e-6*float64(k+2))*math.Ldexp(1, -8) + e
				if d := math.Abs(float64(got) - loose[i*n+j]); !(d <= lb) {
					t.Fatalf("%s tA=%v tB=%v m=%d n=%d k=%d: c[%d,%d] = %v, float32 reference %v (bound %g)",
						v.name, tA, tB, m, n, k, i, j, got, loose[i*n+j], lb)
				}
			}
		}
	}
}

func TestGemmBF16(t *testing.T) {
	if !HasBF16() {
		t.Log("no AVX-512 BF16 on this CPU: GemmBF16 is Gemm")
	}
	r := rand.New(rand.NewPCG(5, 6))
	sizes := []int{1, 2, 3, 7, 8, 9, 16, 17, 31, 33, 64, 65, 257}
	cfg := 0
	for _, m := range sizes {
		for _, n := range sizes {
			for _, k := range sizes {
				checkGemmBF16Case(t, r, cfg&1 != 0, cfg&2 != 0, m, n, k, abCases[(cfg/4)%len(abCases)])
				cfg++
			}
		}
	}
	// Shapes split over goroutines, odd depths across the 256-step blocks.
	for _, s := range [][3]int{{32, 1024, 512}, {64, 1024, 257}, {300, 20, 513}, {130, 130, 520}, {600, 40, 101}} {
		for tr := 0; tr < 4; tr++ {
			checkGemmBF16Case(t, r, tr&1 != 0, tr&2 != 0, s[0], s[1], s[2], abCases[tr%len(abCases)])
		}
	}
}

// TestGemmBF16Rounding: values one bf16 ulp apart and ties round to nearest
// even, as ToBF16 does, and NaN and Inf propagate.
func TestGemmBF16Rounding(t *testing.T) {
	const m, n, k = 9, 33, 5
	a := make([]float32, m*k)
	b := make([]float32, k*n)
	for i := range b {
		b[i] = 1
	}
	// Row i of a holds one value in column i%k, 0 elsewhere: c[i][j] is its bf16.
	vals := []float32{
		1 + 1.0/256,           // tie between 1 and 1+2^-7: to even, 1
		1 + 3.0/256,           // tie: to even, 1+2^-6
		1 + 1.0/256 + 1.0/512, // above the tie: up
		-3.14159,
		65504.7,
		1e-30,
		float32(math.Inf(-1)),
		float32(math.NaN()),
		0x1.fffffep127, // rounds to +Inf
	}
	for i, v := range vals {
		a[i*k+i%k] = v
	}
	c := make([]float32, m*n)
	GemmBF16(false, false, m, n, k, 1, a, k, b, n, 0, c, n)
	for i, v := range vals {
		want := v
		if HasBF16() {
			want = FromBF16(ToBF16(v))
		}
		for j := 0; j < n; j++ {
			got := c[i*n+j]
			if got != want && !(want != want && got != got) {
				t.Fatalf("row %d (%v): c[%d,%d] = %v, want %v", i, v, i, j, got, want)
			}
		}
	}
}

// TestGemmBF16Fallback: with the bf16 kernel switched off (a CPU without
// it), GemmBF16 is Gemm, bit for bit.
func TestGemmBF16Fallback(t *testing.T) {
	defer DisableBF16()()
	if HasBF16() {
		t.Fatal("HasBF16 after switching the kernel off")
	}
	r := rand.New(rand.NewPCG(7, 8))
	for _, s := range [][3]int{{1, 40, 20}, {9, 33, 17}, {32, 1024, 512}, {300, 20, 513}} {
		for tr := 0; tr < 4; tr++ {
			tA, tB := tr&1 != 0, tr&2 != 0
			m, n, k := s[0], s[1], s[2]
			lda, ldb := k, n
			if tA {
				lda = m
			}
			if tB {
				ldb = k
			}
			a := randMat(r, m*k/lda, lda, lda)
			b := randMat(r, k*n/ldb, ldb, ldb)
			c1 := make([]float32, m*n)
			c2 := make([]float32, m*n)
			Gemm(tA, tB, m, n, k, 1, a, lda, b, ldb, 0, c1, n)
			GemmBF16(tA, tB, m, n, k, 1, a, lda, b, ldb, 0, c2, n)
			for i := range c1 {
				if math.Float32bits(c1[i]) != math.Float32bits(c2[i]) {
					t.Fatalf("m=%d n=%d k=%d tr=%d: c[%d] = %v, Gemm gives %v", m, n, k, tr, i, c2[i], c1[i])
				}
			}
		}
	}
}

// TestGemmPackedBF16: products with op(B) packed once agree with the
// reference on bf16-rounded inputs, on every path, for both transposes of
// B, beta 0 and 1, ragged shapes, and after repacking into the same
// storage.
func TestGemmPackedBF16(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	var p PackedBF16
	for _, s := range [][3]int{{32, 2048, 512}, {32, 512, 2048}, {5, 33, 70}, {64, 100, 1030}, {1, 16, 8}, {40, 2100, 37}} {
		m, n, k := s[0], s[1], s[2]
		for tr := 0; tr < 4; tr++ {
			tA, tB := tr&1 != 0, tr&2 != 0
			beta := float32(tr / 2)
			ra, ca := m, k
			if tA {
				ra, ca = k, m
			}
			rb, cb := k, n
			if tB {
				rb, cb = n, k
			}
			a := randMat(r, ra, ca, ca)
			b := randMat(r, rb, cb, cb)
			c0 := randMat(r, m, n, n)
			want, bound := refGemm(tA, tB, m, n, k, 1, roundBF16(a), ca, roundBF16(b), cb, beta, c0, n)
			for _, v := range bf16Variants() {
				restore := v.use()
				p.Pack(tB, k, n, b, cb)
				c := append([]float32(nil), c0...)
				GemmPackedBF16(tA, m, a, ca, &p, beta, c, n)
				restore()
				for i, got := range c {
					d := math.Abs(float64(got) - want[i])
					if HasBF16() && !(d <= bound[i]) || !HasBF16() && !(d <= bound[i]*(1+1/(1e-6*float64(k+2))*math.Ldexp(1, -8))) {
						t.Fatalf("%s m=%d n=%d k=%d tA=%v tB=%v beta=%v: c[%d] = %v, want %v (bound %g)", v.name, m, n, k, tA, tB, beta, i, got, want[i], bound[i])
					}
				}
			}
		}
	}
}
