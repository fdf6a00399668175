// SoftmaxCrossEntropy under every implementation of its exponential pass,
// forced in turn, against float64; in place and into a separate buffer.

package kernel

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestSoftmaxCrossEntropyVariants(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for _, v := range compactVariants() {
		restore := forceSoftmax(v)
		for _, n := range []int{1, 7, 8, 15, 16, 17, 33, 100, 10000} {
			x := make([]float32, n)
			for i := range x {
				x[i] = float32(r.NormFloat64() * 20) // some below exp's clamp after the shift
			}
			target := r.IntN(n)
			mx := float64(slices.Max(x))
			var s float64
			for _, v := range x {
				s += math.Exp(float64(v) - mx)
			}
			lse := mx + math.Log(s)
			d := make([]float32, n)
			loss := SoftmaxCrossEntropy(d, x, target, 0.5)
			if !closeTo(loss, lse-float64(x[target]), 1e-5) {
				t.Fatalf("%s n=%d: loss %v, want %v", v, n, loss, lse-float64(x[target]))
			}
			for i, xv := range x {
				want := 0.5 * math.Exp(float64(xv)-lse)
				if i == target {
					want -= 0.5
				}
				if math.Abs(float64(d[i])-want) > 1e-6*0.5+1e-6*math.Abs(want) {
					t.Fatalf("%s n=%d: d[%d] = %v, want %v", v, n, i, d[i], want)
				}
			}
			in := slices.Clone(x)
			if l := SoftmaxCrossEntropy(in, in, target, 0.5); l != loss || !slices.Equal(in, d) {
				t.Fatalf("%s n=%d: in place gives loss %v (%v) and a different gradient", v, n, l, loss)
			}
		}
		x := make([]float32, 40)
		x[20] = float32(math.NaN())
		if got := SoftmaxCrossEntropy(make([]float32, 40), x, 0, 1); got == got {
			t.Errorf("%s: NaN in the vector lanes gave %v, want NaN", v, got)
		}
		restore()
	}
}

func BenchmarkSoftmaxCrossEntropy10000(b *testing.B) {
	r := rand.New(rand.NewPCG(5, 5))
	x, d := randSlice(r, 10000), make([]float32, 10000)
	for _, v := range compactVariants() {
		b.Run(v, func(b *testing.B) {
			defer forceSoftmax(v)()
			for b.Loop() {
				SoftmaxCrossEntropy(d, x, 3, 1)
			}
		})
	}
}
