// Tests of the vector routines against float64 references.

package kernel

import (
	"math"
	"math/rand/v2"
	"testing"
)

var vecSizes = []int{0, 1, 7, 8, 9, 31, 33, 100, 1000}

func closeTo(got float32, want, tol float64) bool {
	return math.Abs(float64(got)-want) <= tol*(1+math.Abs(want))
}

func TestAxpyScaleSumSquares(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 9))
	for _, n := range vecSizes {
		x, y := randSlice(r, n), randSlice(r, n+3)
		y0 := append([]float32(nil), y...)
		Axpy(-1.5, x, y)
		for i := range y {
			want := float64(y0[i])
			if i < n {
				want += -1.5 * float64(x[i])
			}
			if !closeTo(y[i], want, 1e-6) {
				t.Fatalf("Axpy n=%d: y[%d] = %v, want %v", n, i, y[i], want)
			}
		}
		var ss float64
		for _, v := range x {
			ss += float64(v) * float64(v)
		}
		if got := SumSquares(x); math.Abs(got-ss) > 1e-12*(1+ss) {
			t.Fatalf("SumSquares n=%d = %v, want %v", n, got, ss)
		}
		x0 := append([]float32(nil), x...)
		Scale(0.3, x)
		for i := range x {
			if x[i] != 0.3*x0[i] {
				t.Fatalf("Scale n=%d: x[%d] = %v, want %v", n, i, x[i], 0.3*x0[i])
			}
		}
	}
}

func TestAdam(t *testing.T) {
	r := rand.New(rand.NewPCG(10, 10))
	const lr, b1, b2, eps = 1e-2, 0.9, 0.999, 1e-8
	for _, wd := range []float32{0, 0.01} {
		for _, n := range vecSizes {
			w, g, m, v := randSlice(r, n), randSlice(r, n), randSlice(r, n), randSlice(r, n)
			for i := range v {
				v[i] *= v[i]
			}
			w0, m0, v0 := append([]float32(nil), w...), append([]float32(nil), m...), append([]float32(nil), v...)
			bc1, bc2 := float32(1-math.Pow(b1, 3)), float32(1-math.Pow(b2, 3))
			Adam(w, g, m, v, lr, b1, b2, eps, wd, bc1, bc2)
			for i := 0; i < n; i++ {
				gi := float64(g[i])
				mi := b1*float64(m0[i]) + (1-b1)*gi
				vi := b2*float64(v0[i]) + (1-b2)*gi*gi
				wi := float64(w0[i])*(1-lr*float64(wd)) - lr/float64(bc1)*mi/(math.Sqrt(vi)/math.Sqrt(float64(bc2))+eps)
				if !closeTo(m[i], mi, 1e-6) || !closeTo(v[i], vi, 1e-6) || !closeTo(w[i], wi, 1e-6) {
					t.Fatalf("Adam n=%d wd=%v [%d]: got w,m,v = %v,%v,%v, want %v,%v,%v", n, wd, i, w[i], m[i], v[i], wi, mi, vi)
				}
			}
		}
	}
}

func TestSoftmax(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 11))
	for _, n := range []int{1, 2, 65, 1000} {
		x := randSlice(r, n)
		for i := range x {
			x[i] *= 20
		}
		var mx float64 = math.Inf(-1)
		for _, v := range x {
			mx = max(mx, float64(v))
		}
		var s float64
		for _, v := range x {
			s += math.Exp(float64(v) - mx)
		}
		lse := mx + math.Log(s)
		dst := make([]float32, n)
		if got := LogSoftmax(dst, x); !closeTo(got, lse, 1e-6) {
			t.Fatalf("LogSoftmax n=%d: lse = %v, want %v", n, got, lse)
		}
		for i, v := range x {
			if !closeTo(dst[i], float64(v)-lse, 1e-6) {
				t.Fatalf("LogSoftmax n=%d: [%d] = %v, want %v", n, i, dst[i], float64(v)-lse)
			}
		}
		target := n / 2
		dl := make([]float32, n)
		loss := SoftmaxCrossEntropy(dl, x, target, 0.5)
		if !closeTo(loss, lse-float64(x[target]), 1e-6) {
			t.Fatalf("SoftmaxCrossEntropy n=%d: loss = %v, want %v", n, loss, lse-float64(x[target]))
		}
		for i, v := range x {
			want := 0.5 * math.Exp(float64(v)-lse)
			if i == target {
				want -= 0.5
			}
			if !closeTo(dl[i], want, 1e-6) {
				t.Fatalf("SoftmaxCrossEntropy n=%d: d[%d] = %v, want %v", n, i, dl[i], want)
			}
		}
	}
	// NaN in the logits propagates to the result.
	x := []float32{1, float32(math.NaN()), 2}
	if got := LogSoftmax(make([]float32, 3), x); got == got {
		t.Errorf("LogSoftmax with NaN = %v, want NaN", got)
	}
	if got := SoftmaxCrossEntropy(make([]float32, 3), x, 0, 1); got == got {
		t.Errorf("SoftmaxCrossEntropy with NaN = %v, want NaN", got)
	}
}
