package kernel

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestGemmPacked checks that products through a packed op(B) equal Gemm's,
// bit for bit, over shapes that use the packed panels (op(A) small), that
// fall back to packing per call (op(A) large, m = 1) and that have edge
// panels and blocks of k.
// It runs each GEMM variant (kernel and packing scheme).
func TestGemmPacked(t *testing.T) {
	for _, v := range gemmVariants() {
		t.Run(v.name, func(t *testing.T) {
			defer v.use()()
			checkGemmPacked(t)
		})
	}
}

func checkGemmPacked(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var p Packed
	for _, serial := range []bool{false, true} {
		p.Serial = serial
		checkGemmPackedShapes(t, r, &p)
	}
}

func checkGemmPackedShapes(t *testing.T, r *rand.Rand, pp *Packed) {
	p := *pp
	for _, tc := range []struct{ m, n, k int }{
		{64, 256, 64}, {32, 256, 64}, {64, 64, 256}, {5, 37, 300}, {1, 40, 20}, {17, 33, 7}, {600, 50, 300},
	} {
		for _, tA := range []bool{false, true} {
			for _, tB := range []bool{false, true} {
				for _, beta := range []float32{0, 1} {
					ra, ca := tc.m, tc.k
					if tA {
						ra, ca = ca, ra
					}
					rb, cb := tc.k, tc.n
					if tB {
						rb, cb = cb, rb
					}
					a, b := randMat(r, ra, ca, ca+1), randMat(r, rb, cb, cb+2)
					c0 := randMat(r, tc.m, tc.n, tc.n)
					want := append([]float32(nil), c0...)
					got := append([]float32(nil), c0...)
					Gemm(tA, tB, tc.m, tc.n, tc.k, 1, a, ca+1, b, cb+2, beta, want, tc.n)
					p.Pack(tB, tc.k, tc.n, b, cb+2)
					GemmPacked(tA, tc.m, a, ca+1, &p, beta, got, tc.n)
					for i := range want {
						if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
							t.Fatalf("m=%d n=%d k=%d tA=%v tB=%v beta=%v: c[%d] = %v, Gemm gives %v", tc.m, tc.n, tc.k, tA, tB, beta, i, got[i], want[i])
						}
					}
				}
			}
		}
	}
}
