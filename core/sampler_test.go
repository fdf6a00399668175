package core

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestTopKMatchesStableSort(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 5))
	nan := float32(math.NaN())
	for trial := 0; trial < 2000; trial++ {
		n := 1 + r.IntN(40)
		p := make([]float32, n)
		for i := range p {
			switch r.IntN(6) {
			case 0:
				p[i] = float32(r.IntN(3)) // ties
			case 1:
				p[i] = nan
			default:
				p[i] = float32(r.NormFloat64())
			}
		}
		k := 1 + r.IntN(n)
		want := make([]int, n)
		for i := range want {
			want[i] = i
		}
		slices.SortStableFunc(want, func(a, b int) int { return cmp.Compare(p[b], p[a]) })
		got := make([]int, k)
		topK(p, got)
		if !slices.Equal(got, want[:k]) {
			t.Fatalf("p=%v k=%d: topK %v, stable sort %v", p, k, got, want[:k])
		}
	}
}
