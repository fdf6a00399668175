//go:build !race

// Allocation tests, built without -race: under it the kernel's sync.Pool
// drops items at random, and .ci/run runs these (-run Alloc) without it.

package kernel

import (
	"math/rand/v2"
	"testing"
)

func TestNoAlloc(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 8))
	for _, s := range [][3]int{{32, 1024, 512}, {5, 7, 9}, {1, 1024, 256}} {
		m, n, k := s[0], s[1], s[2]
		a, b, c := randSlice(r, m*k), randSlice(r, k*n), randSlice(r, m*n)
		for _, tr := range []bool{false, true} {
			lda, ldb := k, n
			if tr {
				lda, ldb = m, k
			}
			f := func() { Gemm(tr, tr, m, n, k, 1, a, lda, b, ldb, 0.5, c, n) }
			f() // fill the pools
			if got := testing.AllocsPerRun(20, f); got != 0 && !gemmAllocates {
				t.Errorf("Gemm %v, trans=%v: %v allocations per call", s, tr, got)
			}
		}
	}
	const bs, hid = 4, 64
	z, cp, cc, tc, h := randSlice(r, bs*4*hid), randSlice(r, bs*hid), randSlice(r, bs*hid), randSlice(r, bs*hid), randSlice(r, bs*hid)
	dz, dc := randSlice(r, bs*4*hid), randSlice(r, bs*hid)
	for name, f := range map[string]func(){
		"Gemv":     func() { Gemv(true, 4*bs, hid, 1, z, hid, h, 0, cc) },
		"LSTMCell": func() { LSTMCell(z, cp, cc, tc, h, bs, hid) },
		"Backward": func() { LSTMCellBackward(dz, z, cp, tc, h, dc, bs, hid) },
		"Adam":     func() { Adam(cp, h, tc, cc, 1e-3, 0.9, 0.999, 1e-8, 0, 0.1, 0.1) },
	} {
		if got := testing.AllocsPerRun(20, f); got != 0 {
			t.Errorf("%s: %v allocations per call", name, got)
		}
	}
}

func TestCompactNoAlloc(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	a, x, y := randSlice(r, 2000*256), randSlice(r, 256), make([]float32, 2000)
	bf, q8 := NewBF16(a, 2000, 256), NewQ8(a, 2000, 256)
	bf.MulVecAdd(y, x)
	q8.MulVecAdd(y, x)
	if n := testing.AllocsPerRun(20, func() { bf.MulVecAdd(y, x); q8.MulVecAdd(y, x) }); n != 0 {
		t.Errorf("%v allocations per product", n)
	}
}
