// Token sampling: greedy, temperature, top-k, top-p (nucleus), min-p and a
// repetition penalty, applied in that order as the common LLM toolkits do:
// penalty on the logits, temperature, top-k, softmax, top-p, min-p, draw.

package core

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
)

// Sampler draws a token from logits. Its zero value is greedy decoding.
// A Sampler keeps scratch space: it is not safe for concurrent use.
type Sampler struct {
	// Temperature divides the logits; 0 picks the most likely token.
	Temperature float32
	// TopK keeps only the K most likely tokens; 0 keeps all.
	TopK int
	// TopP keeps the smallest set of most likely tokens whose probability
	// reaches P; 0 or 1 keeps all.
	TopP float32
	// MinP drops tokens less likely than MinP times the most likely one.
	MinP float32
	// RepetitionPenalty (> 1) makes tokens seen recently less likely, as in
	// the CTRL paper: positive logits are divided by it, negative ones
	// multiplied. 0 or 1 is off.
	RepetitionPenalty float32

	idx  []int
	prob []float32
	seen []bool
}

// Sample returns a token drawn from logits; recent lists the tokens the
// repetition penalty applies to. logits are left unchanged.
func (s *Sampler) Sample(logits []float32, recent []int32, rng *rand.Rand) int {
	n := len(logits)
	if cap(s.prob) < n {
		s.prob = make([]float32, n)
		s.idx = make([]int, n)
		s.seen = make([]bool, n)
	}
	p := s.prob[:n]
	copy(p, logits)
	if s.RepetitionPenalty > 0 && s.RepetitionPenalty != 1 && len(recent) > 0 {
		seen := s.seen[:n]
		clear(seen)
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
	// Token indices by logit, descending, ties in index order (as a stable
	// sort would give them, for determinism).
	keep := n
	if s.TopK > 0 && s.TopK < n {
		keep = s.TopK
	}
	idx := s.idx[:keep]
	if keep < n {
		topK(p, idx)
	} else {
		for i := range idx {
			idx[i] = i
		}
		slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(p[b], p[a]) })
	}
	// Softmax over the kept tokens, in sorted order.
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

// topK fills idx with the indices of the len(idx) largest values of p, in
// descending order, ties in index order: the first len(idx) of a stable sort,
// found by insertion into idx in O(len(p)·len(idx)) at worst without sorting
// all of p.
func topK(p []float32, idx []int) {
	k, filled := len(idx), 0
	for i, v := range p {
		if filled == k && !above(v, p[idx[k-1]]) {
			continue
		}
		j := min(filled, k-1) // the slot freed at the end
		for j > 0 && above(v, p[idx[j-1]]) {
			idx[j] = idx[j-1]
			j--
		}
		idx[j] = i
		filled = min(filled+1, k)
	}
}

// above reports whether a sorts before b in descending order, NaN last (as
// cmp.Compare orders NaN first).
func above(a, b float32) bool { return a > b || (b != b && a == a) }

// drawSoftmax draws an index from softmax(p/temperature) with one pass for
// the maximum, one for the weights and one for the draw: no sorting when no
// truncation rule is set (p is overwritten).
func drawSoftmax(p []float32, temperature float32, rng *rand.Rand) int {
	mx := p[0]
	for _, v := range p {
		mx = max(mx, v)
	}
	inv := 1 / float64(temperature)
	var sum float64
	for i, v := range p {
		e := math.Exp((float64(v) - float64(mx)) * inv)
		p[i] = float32(e)
		sum += e
	}
	u := rng.Float64() * sum
	for i, v := range p {
		u -= float64(v)
		if u < 0 {
			return i
		}
	}
	return len(p) - 1
}
