package core

import (
	"cmp"
	"fmt"
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

// referenceSample is Sampler.Sample as it was before top-k used a heap and
// top-p a threshold search: every truncation rule over a stable sort of the
// whole vocabulary. The new code must draw the same tokens.
func referenceSample(s *Sampler, logits []float32, recent []int32, rng *rand.Rand) int {
	n := len(logits)
	p := slices.Clone(logits)
	if s.RepetitionPenalty > 0 && s.RepetitionPenalty != 1 && len(recent) > 0 {
		seen := make([]bool, n)
		for _, t := range recent {
			if t >= 0 && int(t) < n && !seen[t] {
				seen[t] = true
				if p[t] > 0 {
					p[t] /= s.RepetitionPenalty
				} else {
					p[t] *= s.RepetitionPenalty
				}
			}
		}
	}
	if s.Temperature <= 0 || s.TopK == 1 {
		best := 0
		for i, v := range p {
			if v > p[best] {
				best = i
			}
		}
		return best
	}
	if (s.TopK <= 0 || s.TopK >= n) && (s.TopP <= 0 || s.TopP >= 1) && s.MinP <= 0 {
		return drawSoftmax(p, s.Temperature, rng)
	}
	keep := n
	if s.TopK > 0 && s.TopK < n {
		keep = s.TopK
	}
	all := make([]int, n)
	for i := range all {
		all[i] = i
	}
	slices.SortStableFunc(all, func(a, b int) int { return cmp.Compare(p[b], p[a]) })
	idx := all[:keep]
	inv := 1 / float64(s.Temperature)
	mx := float64(p[idx[0]])
	var sum float64
	for k := 0; k < keep; k++ {
		e := math.Exp((float64(p[idx[k]]) - mx) * inv)
		p[idx[k]] = float32(e)
		sum += e
	}
	if s.TopP > 0 && s.TopP < 1 {
		var c float64
		for k := 0; k < keep; k++ {
			c += float64(p[idx[k]]) / sum
			if c >= float64(s.TopP) {
				keep = k + 1
				break
			}
		}
	}
	if s.MinP > 0 {
		floor := float64(p[idx[0]]) * float64(s.MinP)
		for k := 1; k < keep; k++ {
			if float64(p[idx[k]]) < floor {
				keep = k
				break
			}
		}
	}
	sum = 0
	for k := 0; k < keep; k++ {
		sum += float64(p[idx[k]])
	}
	u := rng.Float64() * sum
	for k := 0; k < keep; k++ {
		u -= float64(p[idx[k]])
		if u < 0 {
			return idx[k]
		}
	}
	return idx[keep-1]
}

// TestSampleMatchesFullSort: top-k by heap and top-p / min-p by threshold
// search draw the same tokens as truncating a stable sort of the whole
// vocabulary, for the same random numbers, on logits with ties, NaNs,
// infinities, flat and peaked distributions and every rule combination.
func TestSampleMatchesFullSort(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	nan, inf := float32(math.NaN()), float32(math.Inf(1))
	for trial := 0; trial < 3000; trial++ {
		n := 1 + r.IntN(300)
		if trial%10 == 0 {
			n = 2000 + r.IntN(8000)
		}
		spread := []float64{0.01, 1, 3, 10, 100}[r.IntN(5)]
		odd := r.IntN(4) == 0 // sprinkle ties, NaNs and infinities
		p := make([]float32, n)
		for i := range p {
			p[i] = float32(r.NormFloat64() * spread)
			if odd {
				switch r.IntN(20) {
				case 0:
					p[i] = float32(r.IntN(3))
				case 1:
					p[i] = nan
				case 2:
					p[i] = -inf
				case 3:
					p[i] = inf
				}
			}
		}
		s := Sampler{
			Temperature: []float32{0.5, 1, 1.5}[r.IntN(3)],
			TopK:        []int{0, 0, 1 + r.IntN(n), 50}[r.IntN(4)],
			TopP:        []float32{0, 0.5, 0.9, 0.95, 0.999, 1}[r.IntN(6)],
			MinP:        []float32{0, 0, 0.05, 0.5}[r.IntN(4)],
		}
		var recent []int32
		if r.IntN(3) == 0 {
			s.RepetitionPenalty = 1.3
			for range 5 {
				recent = append(recent, int32(r.IntN(n)))
			}
		}
		seed := r.Uint64()
		ref := Sampler(s)
		for d := 0; d < 5; d++ {
			want := referenceSample(&ref, p, recent, rand.New(rand.NewPCG(seed, uint64(d))))
			got := s.Sample(p, recent, rand.New(rand.NewPCG(seed, uint64(d))))
			if got != want {
				t.Fatalf("trial %d n=%d %+v draw %d: token %d, full sort gives %d", trial, n, s, d, got, want)
			}
		}
	}
}

func BenchmarkSampleTopKTopP(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 1))
	p := make([]float32, 10000)
	for i := range p {
		p[i] = float32(r.NormFloat64() * 3)
	}
	for _, s := range []Sampler{{Temperature: 1, TopK: 50, TopP: 0.95}, {Temperature: 1, TopP: 0.95}} {
		b.Run(fmt.Sprintf("k%d", s.TopK), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				s.Sample(p, nil, r)
			}
		})
		// The old code, a stable sort of the whole vocabulary, for comparison.
		b.Run(fmt.Sprintf("k%d-fullsort", s.TopK), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				referenceSample(&s, p, nil, r)
			}
		})
	}
}
