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
	e    []float32
	seen []bool
}

// Sample returns a token drawn from logits; recent lists the tokens the
// repetition penalty applies to. logits are left unchanged.
func (s *Sampler) Sample(logits []float32, recent []int32, rng *rand.Rand) int {
	n := len(logits)
	if cap(s.prob) < n {
		s.prob = make([]float32, n)
		s.idx = make([]int, n)
		s.e = make([]float32, n)
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
	// The kept tokens, by logit descending, ties in index order (as a
	// stable sort would give them, for determinism), with their weights
	// e = exp((logit-max)/temperature) in s.e and the total weight of all
	// tokens in sum. Neither top-k nor top-p sorts the whole vocabulary:
	// top-k selects the k largest with a heap, top-p and min-p sort only the
	// tokens above a threshold that holds enough of the mass (candidates).
	inv := 1 / float64(s.Temperature)
	e := s.e[:n]
	var idx []int
	var sum float64
	keep, partial := n, false
	switch {
	case s.TopK > 0 && s.TopK < n:
		keep = s.TopK
		idx = s.idx[:keep]
		topK(p, idx)
		mx := float64(p[idx[0]])
		for _, i := range idx {
			w := math.Exp((float64(p[i]) - mx) * inv)
			e[i] = float32(w)
			sum += w
		}
	default:
		if m, total, ok := s.candidates(p, inv); ok {
			keep, partial, sum = m, true, total
			idx = s.idx[:m]
		} else {
			idx, sum = s.sortAll(p, inv)
		}
	}
	if s.TopP > 0 && s.TopP < 1 {
		var c float64
		reached := false
		for k := 0; k < keep; k++ {
			c += float64(e[idx[k]]) / sum
			if c >= float64(s.TopP) {
				keep, reached = k+1, true
				break
			}
		}
		if partial && !reached { // rounding left the cut outside the candidates
			idx, sum = s.sortAll(p, inv)
			keep, c = n, 0
			for k := 0; k < keep; k++ {
				c += float64(e[idx[k]]) / sum
				if c >= float64(s.TopP) {
					keep = k + 1
					break
				}
			}
		}
	}
	if s.MinP > 0 {
		floor := float64(e[idx[0]]) * float64(s.MinP)
		for k := 1; k < keep; k++ {
			if float64(e[idx[k]]) < floor {
				keep = k
				break
			}
		}
	}
	sum = 0
	for k := 0; k < keep; k++ {
		sum += float64(e[idx[k]])
	}
	u := rng.Float64() * sum
	for k := 0; k < keep; k++ {
		u -= float64(e[idx[k]])
		if u < 0 {
			return idx[k]
		}
	}
	return idx[keep-1]
}

// sortAll orders every token by logit (stable, NaN last) into s.idx, writes
// the weights to s.e and returns the order and the weights' sum (in sorted
// order).
func (s *Sampler) sortAll(p []float32, inv float64) ([]int, float64) {
	idx := s.idx[:len(p)]
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(p[b], p[a]) })
	mx := float64(p[idx[0]])
	var sum float64
	for _, i := range idx {
		w := math.Exp((float64(p[i]) - mx) * inv)
		s.e[i] = float32(w)
		sum += w
	}
	return idx, sum
}

// candidates finds, without sorting, the tokens that top-p (or min-p alone)
// can keep: all those whose weight lies in the heaviest buckets of weights
// by binary exponent that together hold the top-p mass (with a margin for
// rounding), or whose weight reaches the min-p floor. They are a prefix of
// the stable order; candidates sorts them into s.idx[:m], writes every
// token's weight to s.e and returns m and the weights' sum (in index order:
// it may differ from the sorted order's sum in the last bits). It reports
// false, doing nothing useful, when a logit is NaN or infinite (the caller
// then sorts all, whose order defines those cases).
func (s *Sampler) candidates(p []float32, inv float64) (m int, sum float64, ok bool) {
	mx := p[0]
	for _, v := range p {
		mx = max(mx, v)
	}
	var mass [64]float64 // mass[b]: weights in [2^-b, 2^-b+1) (the last: below)
	e := s.e[:len(p)]
	for i, v := range p {
		w := math.Exp((float64(v) - float64(mx)) * inv)
		if w != w {
			return 0, 0, false
		}
		e[i] = float32(w)
		sum += w
		mass[min(max(1023-int(math.Float64bits(w)>>52&0x7ff), 0), 63)] += w
	}
	if math.IsInf(float64(mx), 0) {
		return 0, 0, false
	}
	bound := 0.0 // the lowest weight kept
	if s.TopP > 0 && s.TopP < 1 {
		need := float64(s.TopP) * sum * (1 + 1e-6)
		var c float64
		for b := 0; b < 63; b++ {
			c += mass[b]
			if c >= need {
				bound = math.Ldexp(1, -b)
				break
			}
		}
	} else {
		bound = float64(s.MinP) * (1 - 1e-6)
	}
	idx := s.idx[:0]
	for i, w := range e {
		if float64(w) >= bound {
			idx = append(idx, i)
		}
	}
	if len(idx) == len(p) {
		return 0, 0, false
	}
	// No NaN here, so (logit descending, index) is the stable sort's order.
	slices.SortFunc(idx, func(a, b int) int {
		if c := cmp.Compare(p[b], p[a]); c != 0 {
			return c
		}
		return a - b
	})
	return len(idx), sum, true
}

// topK fills idx with the indices of the len(idx) largest values of p, in
// descending order, ties in index order: the first len(idx) of a stable
// sort, found with a heap of the len(idx) best so far (its root the one
// that sorts last) in O(len(p)·log len(idx)), then sorted.
func topK(p []float32, idx []int) {
	k := len(idx)
	// before reports whether token i sorts before token j.
	before := func(i, j int) bool { return above(p[i], p[j]) || (!above(p[j], p[i]) && i < j) }
	down := func(r, n int) {
		for {
			c := 2*r + 1
			if c >= n {
				return
			}
			if c+1 < n && before(idx[c], idx[c+1]) {
				c++ // the child that sorts later
			}
			if !before(idx[r], idx[c]) {
				return
			}
			idx[r], idx[c] = idx[c], idx[r]
			r = c
		}
	}
	for i := 0; i < k; i++ {
		idx[i] = i
	}
	for r := k/2 - 1; r >= 0; r-- {
		down(r, k)
	}
	for i := k; i < len(p); i++ {
		// Tokens come in index order, so i sorts before the root only if
		// its logit is strictly above.
		if above(p[i], p[idx[0]]) {
			idx[0] = i
			down(0, k)
		}
	}
	for n := k - 1; n > 0; n-- { // heap sort: the last-sorting token to the end
		idx[0], idx[n] = idx[n], idx[0]
		down(0, n)
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
