// Tests of Gemm and Gemv against a float64 reference on random and edge
// shapes, every transpose, alpha/beta variants and padded leading dimensions.

package kernel

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

type gemmVariant struct {
	name string
	use  func() (restore func())
}

var gemmSizes = []int{1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 33, 64, 65, 100, 257}

// randMat returns rows×cols random values in [-1, 1) with leading dimension
// ld; the padding holds a sentinel.
func randMat(r *rand.Rand, rows, cols, ld int) []float32 {
	s := make([]float32, max(0, (rows-1)*ld+cols))
	for i := range s {
		if i%ld < cols {
			s[i] = 2*r.Float32() - 1
		} else {
			s[i] = 12345
		}
	}
	return s
}

func refGemm(tA, tB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) (want, bound []float64) {
	want = make([]float64, m*n)
	bound = make([]float64, m*n)
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			var s, sa float64
			for p := 0; p < k; p++ {
				var av, bv float32
				if tA {
					av = a[p*lda+i]
				} else {
					av = a[i*lda+p]
				}
				if tB {
					bv = b[j*ldb+p]
				} else {
					bv = b[p*ldb+j]
				}
				s += float64(av) * float64(bv)
				sa += math.Abs(float64(av) * float64(bv))
			}
			w := float64(alpha) * s
			e := math.Abs(float64(alpha)) * sa
			if beta != 0 {
				w += float64(beta) * float64(c[i*ldc+j])
				e += math.Abs(float64(beta) * float64(c[i*ldc+j]))
			}
			want[i*n+j] = w
			bound[i*n+j] = 1e-6*(e+1)*float64(k+2) + 1e-6
		}
	}
	return want, bound
}

type abCase struct{ alpha, beta float32 }

var abCases = []abCase{{1, 0}, {1, 1}, {-0.5, 2}, {2, -1}, {0.25, 0}}

// checkGemmCase runs one random case on every variant against one reference.
func checkGemmCase(t *testing.T, r *rand.Rand, tA, tB bool, m, n, k int, ab abCase) {
	t.Helper()
	pad := func() int { return r.IntN(3) }
	ra, ca := m, k
	if tA {
		ra, ca = k, m
	}
	rb, cb := k, n
	if tB {
		rb, cb = n, k
	}
	lda, ldb, ldc := ca+pad(), cb+pad(), n+pad()
	a := randMat(r, ra, ca, lda)
	b := randMat(r, rb, cb, ldb)
	c0 := randMat(r, m, n, ldc)
	if ab.beta == 0 {
		for i := 0; i < m; i++ {
			for j := 0; j < n; j++ {
				c0[i*ldc+j] = float32(math.NaN())
			}
		}
	}
	want, bound := refGemm(tA, tB, m, n, k, ab.alpha, a, lda, b, ldb, ab.beta, c0, ldc)
	c := make([]float32, len(c0))
	for _, v := range gemmVariants() {
		copy(c, c0)
		restore := v.use()
		Gemm(tA, tB, m, n, k, ab.alpha, a, lda, b, ldb, ab.beta, c, ldc)
		restore()
		for i := 0; i < m; i++ {
			for j := 0; j < ldc && i*ldc+j < len(c); j++ {
				got := c[i*ldc+j]
				if j >= n {
					if got != 12345 {
						t.Fatalf("%s tA=%v tB=%v m=%d n=%d k=%d: padding c[%d,%d] overwritten: %v", v.name, tA, tB, m, n, k, i, j, got)
					}
					continue
				}
				w := want[i*n+j]
				if d := math.Abs(float64(got) - w); !(d <= bound[i*n+j]) {
					t.Fatalf("%s tA=%v tB=%v m=%d n=%d k=%d alpha=%v beta=%v: c[%d,%d] = %v, want %v (bound %g)",
						v.name, tA, tB, m, n, k, ab.alpha, ab.beta, i, j, got, w, bound[i*n+j])
				}
			}
		}
	}
}

// TestGemm runs every variant (gonum, and each micro-kernel with both
// schemes) on every size triple, the transposes and alpha/beta rotating,
// then on every combination for a few shapes.
func TestGemm(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	cfg := 0
	for _, m := range gemmSizes {
		for _, n := range gemmSizes {
			for _, k := range gemmSizes {
				tA, tB := cfg&1 != 0, cfg&2 != 0
				checkGemmCase(t, r, tA, tB, m, n, k, abCases[(cfg/4)%len(abCases)])
				cfg++
			}
		}
	}
	for _, s := range [][3]int{{1, 1, 1}, {8, 32, 16}, {9, 33, 17}, {31, 100, 65}, {64, 64, 300}, {7, 513, 3}} {
		for tr := 0; tr < 4; tr++ {
			for _, ab := range abCases {
				checkGemmCase(t, r, tr&1 != 0, tr&2 != 0, s[0], s[1], s[2], ab)
			}
		}
	}
}

// TestGemmParallel runs shapes large enough to be split over goroutines.
func TestGemmParallel(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, s := range [][3]int{{32, 1024, 512}, {64, 1024, 256}, {300, 20, 200}, {130, 130, 520}, {600, 40, 100}} {
		for tr := 0; tr < 4; tr++ {
			checkGemmCase(t, r, tr&1 != 0, tr&2 != 0, s[0], s[1], s[2], abCases[tr%len(abCases)])
		}
	}
}

func TestGemmSpecial(t *testing.T) {
	for _, v := range gemmVariants() {
		t.Run(v.name, func(t *testing.T) {
			defer v.use()()
			nan, inf := float32(math.NaN()), float32(math.Inf(1))
			for _, m := range []int{1, 5, 40} {
				const n, k = 40, 20
				a := make([]float32, m*k)
				b := make([]float32, k*n)
				for i := range a {
					a[i] = 1
				}
				for i := range b {
					b[i] = 1
				}
				a[0] = nan     // row 0 of c becomes NaN
				b[3*n+5] = inf // column 5 of c becomes Inf (or NaN in row 0)
				c := make([]float32, m*n)
				for i := range c {
					c[i] = nan
				}
				Gemm(false, false, m, n, k, 1, a, k, b, n, 0, c, n)
				for i := 0; i < m; i++ {
					for j := 0; j < n; j++ {
						got := c[i*n+j]
						switch {
						case i == 0 && !math.IsNaN(float64(got)):
							t.Fatalf("m=%d: c[0,%d] = %v, want NaN", m, j, got)
						case i > 0 && j == 5 && !math.IsInf(float64(got), 1):
							t.Fatalf("m=%d: c[%d,5] = %v, want +Inf", m, i, got)
						case i > 0 && j != 5 && got != k:
							t.Fatalf("m=%d: c[%d,%d] = %v, want %d", m, i, j, got, k)
						}
					}
				}
				// alpha = 0 reads neither a nor b; beta = 0 does not read c.
				for i := range c {
					c[i] = nan
				}
				Gemm(false, false, m, n, k, 0, a, k, b, n, 0, c, n)
				for _, v := range c {
					if v != 0 {
						t.Fatalf("alpha=beta=0: got %v, want 0", v)
					}
				}
			}
		})
	}
}

func TestGemmPanics(t *testing.T) {
	s := make([]float32, 12)
	for _, tc := range []struct {
		name string
		f    func()
	}{
		{"lda", func() { Gemm(false, false, 3, 4, 3, 1, s, 2, s, 4, 0, s, 4) }},
		{"short a", func() { Gemm(false, false, 3, 4, 5, 1, s, 5, s, 4, 0, s, 4) }},
		{"short c", func() { Gemm(false, false, 4, 4, 1, 1, s, 1, s, 4, 0, s, 4) }},
		{"gemv x", func() { Gemv(false, 3, 4, 1, s, 4, s[:3], 0, s) }},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", tc.name)
				}
			}()
			tc.f()
		}()
	}
}

func TestGemv(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, v := range gemmVariants() {
		t.Run(v.name, func(t *testing.T) {
			defer v.use()()
			for _, m := range gemmSizes {
				for _, n := range gemmSizes {
					for _, tA := range []bool{false, true} {
						ab := abCases[(m+n)%len(abCases)]
						lda := n + r.IntN(3)
						a := randMat(r, m, n, lda)
						lx, ly := n, m
						if tA {
							lx, ly = m, n
						}
						x := randMat(r, 1, lx, lx)
						y := randMat(r, 1, ly, ly)
						if ab.beta == 0 {
							for i := range y {
								y[i] = float32(math.NaN())
							}
						}
						// Gemv(a) equals Gemm with a 1-column b.
						want, bound := refGemm(tA, false, ly, 1, lx, ab.alpha, a, lda, x, 1, ab.beta, y, 1)
						Gemv(tA, m, n, ab.alpha, a, lda, x, ab.beta, y)
						for i, got := range y {
							if d := math.Abs(float64(got) - want[i]); !(d <= bound[i]) {
								t.Fatalf("tA=%v m=%d n=%d: y[%d] = %v, want %v", tA, m, n, i, got, want[i])
							}
						}
					}
				}
			}
		})
	}
}

func ExampleGemm() {
	// c (2×2) = a (2×3) · b (3×2)
	a := []float32{1, 2, 3, 4, 5, 6}
	b := []float32{1, 0, 0, 1, 1, 1}
	c := make([]float32, 4)
	Gemm(false, false, 2, 2, 3, 1, a, 3, b, 2, 0, c, 2)
	fmt.Println(c)
	// Output: [4 5 10 11]
}

// TestGemmConcurrent runs GEMMs of several shapes from several goroutines at
// once: the packing pools and the worker goroutines are shared.
func TestGemmConcurrent(t *testing.T) {
	type job struct {
		m, n, k int
		a, b, c []float32
		want    []float64
	}
	r := rand.New(rand.NewPCG(12, 12))
	var jobs []*job
	for _, s := range [][3]int{{32, 512, 256}, {64, 300, 100}, {200, 40, 300}, {9, 1000, 33}} {
		j := &job{m: s[0], n: s[1], k: s[2]}
		j.a, j.b, j.c = randSlice(r, j.m*j.k), randSlice(r, j.k*j.n), make([]float32, j.m*j.n)
		j.want, _ = refGemm(false, true, j.m, j.n, j.k, 1, j.a, j.k, j.b, j.k, 0, j.c, j.n)
		jobs = append(jobs, j)
	}
	done := make(chan error)
	for g := 0; g < 4; g++ {
		go func() {
			for it := 0; it < 20; it++ {
				j := jobs[(g+it)%len(jobs)]
				c := make([]float32, j.m*j.n)
				Gemm(false, true, j.m, j.n, j.k, 1, j.a, j.k, j.b, j.k, 0, c, j.n)
				for i, v := range c {
					if math.Abs(float64(v)-j.want[i]) > 1e-4 {
						done <- fmt.Errorf("%dx%dx%d: c[%d] = %v, want %v", j.m, j.n, j.k, i, v, j.want[i])
						return
					}
				}
			}
			done <- nil
		}()
	}
	for range 4 {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}

// TestGemvParallel checks matrix-vector products large enough to be split.
func TestGemvParallel(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 13))
	for _, s := range [][2]int{{1024, 512}, {1000, 700}, {6, 100000}, {100000, 6}} {
		m, n := s[0], s[1]
		a := randMat(r, m, n, n)
		for _, tA := range []bool{false, true} {
			lx, ly := n, m
			if tA {
				lx, ly = m, n
			}
			x, y := randSlice(r, lx), randSlice(r, ly)
			want, bound := refGemm(tA, false, ly, 1, lx, 1.5, a, n, x, 1, -1, y, 1)
			Gemv(tA, m, n, 1.5, a, n, x, -1, y)
			for i, got := range y {
				if d := math.Abs(float64(got) - want[i]); !(d <= bound[i]) {
					t.Fatalf("tA=%v m=%d n=%d: y[%d] = %v, want %v", tA, m, n, i, got, want[i])
				}
			}
		}
	}
}

// TestGemvPair checks y = a1·x1 + a2·x2 + beta*y on edge and split sizes.
func TestGemvPair(t *testing.T) {
	r := rand.New(rand.NewPCG(14, 14))
	for _, v := range gemmVariants() {
		t.Run(v.name, func(t *testing.T) {
			defer v.use()()
			for _, s := range [][3]int{{1, 1, 1}, {5, 0, 3}, {7, 3, 0}, {0, 4, 4}, {9, 17, 33}, {1024, 64, 256}, {1023, 65, 255}, {4096, 40, 7}} {
				m, n1, n2 := s[0], s[1], s[2]
				for _, beta := range []float32{0, 1, -0.5} {
					lda1, lda2 := n1+1+r.IntN(2), n2+1
					a1, a2 := randMat(r, m, n1, lda1), randMat(r, m, n2, lda2)
					x1, x2, y := randSlice(r, n1), randSlice(r, n2), randSlice(r, m)
					if beta == 0 {
						for i := range y {
							y[i] = float32(math.NaN())
						}
					}
					want, bound := refGemm(false, false, m, 1, n1, 1, a1, lda1, x1, 1, beta, y, 1)
					want2, bound2 := refGemm(false, false, m, 1, n2, 1, a2, lda2, x2, 1, 0, make([]float32, m), 1)
					GemvPair(m, n1, n2, a1, lda1, x1, a2, lda2, x2, beta, y)
					for i, got := range y {
						if d := math.Abs(float64(got) - want[i] - want2[i]); !(d <= bound[i]+bound2[i]) {
							t.Fatalf("m=%d n1=%d n2=%d beta=%v: y[%d] = %v, want %v", m, n1, n2, beta, i, got, want[i]+want2[i])
						}
					}
				}
			}
		})
	}
}

// TestGemvConcurrent runs split GEMVs from several goroutines at once: one
// gets the team, the others run alone.
func TestGemvConcurrent(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 15))
	const m, n = 1024, 300
	a, x := randSlice(r, m*n), randSlice(r, n)
	want, bound := refGemm(false, false, m, 1, n, 1, a, n, x, 1, 0, make([]float32, m), 1)
	done := make(chan error)
	for g := 0; g < 4; g++ {
		go func() {
			y := make([]float32, m)
			for it := 0; it < 200; it++ {
				GemvPair(m, n/2, n-n/2, a, n, x, a[n/2:], n, x[n/2:], 0, y)
				for i, got := range y {
					if d := math.Abs(float64(got) - want[i]); !(d <= bound[i]) {
						done <- fmt.Errorf("goroutine %d, call %d: y[%d] = %v, want %v", g, it, i, got, want[i])
						return
					}
				}
			}
			done <- nil
		}()
	}
	for range 4 {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}
