// Tests of MatMul against a naive product, and its panics on misuse.

package core

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestMatMul(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 3))
	for _, s := range [][3]int{{1, 1, 1}, {2, 3, 4}, {32, 512, 64}, {1, 256, 1024}, {0, 4, 4}, {3, 0, 5}} {
		m, k, n := s[0], s[1], s[2]
		a, b, dst := make([]float32, m*k), make([]float32, k*n), make([]float32, m*n)
		for i := range a {
			a[i] = float32(r.NormFloat64())
		}
		for i := range b {
			b[i] = float32(r.NormFloat64())
		}
		for i := range dst {
			dst[i] = float32(math.NaN()) // overwritten, never read
		}
		MatMul(dst, a, b, m, k, n)
		for i := 0; i < m; i++ {
			for j := 0; j < n; j++ {
				var want, bound float64
				for p := 0; p < k; p++ {
					x := float64(a[i*k+p]) * float64(b[p*n+j])
					want += x
					bound += math.Abs(x)
				}
				if d := math.Abs(float64(dst[i*n+j]) - want); !(d <= 1e-5*bound+1e-7) {
					t.Fatalf("%v: dst[%d,%d] = %v, want %v", s, i, j, dst[i*n+j], want)
				}
			}
		}
	}
}

func TestMatMulPanics(t *testing.T) {
	for name, f := range map[string]func(){
		"negative":  func() { MatMul(nil, nil, nil, -1, 1, 1) },
		"short a":   func() { MatMul(make([]float32, 4), make([]float32, 3), make([]float32, 4), 2, 2, 2) },
		"short dst": func() { MatMul(make([]float32, 3), make([]float32, 4), make([]float32, 4), 2, 2, 2) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			f()
		}()
	}
}
