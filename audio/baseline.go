// Count-model baseline: an n-gram model over codes and its bits per sample,
// the figure a learned sample-level model has to beat.

package audio

import (
	"fmt"
	"math"
)

// Smoothing selects how NGram gives probability to n-grams unseen in training.
type Smoothing int

const (
	// KneserNey is interpolated Kneser-Ney smoothing: each order subtracts a
	// discount from its counts and hands the mass to the order below, and the
	// lower orders count how many distinct codes precede an n-gram rather
	// than how often it occurs. The unigram level is interpolated with the
	// uniform distribution, so no code has probability zero. By default the
	// discounts are those of modified Kneser-Ney (see NGram.Discount).
	KneserNey Smoothing = iota
	// Additive is Lidstone smoothing: Alpha is added to the count of every
	// code in every context (Alpha = 1 is Laplace's add-one).
	Additive
)

func (s Smoothing) String() string {
	switch s {
	case KneserNey:
		return "Kneser-Ney"
	case Additive:
		return "additive"
	}
	return fmt.Sprintf("Smoothing(%d)", int(s))
}

// maxNGramCells bounds the dense count table: Levels^Order cells of 4 bytes.
const maxNGramCells = 1 << 24

// NGram is a count model of order n over codes 0..Levels-1: it predicts each
// code from the n-1 codes before it. The first codes of a sequence, which
// have a shorter history, are predicted by the model of that shorter order.
//
// Configure the exported fields, then call Train; Train reads them, so later
// changes take effect at the next Train. The zero value is a Kneser-Ney
// trigram over 256 codes.
type NGram struct {
	// Order is n: 1 for unigrams, 2 for bigrams, 3 for trigrams. Zero means 3.
	Order int
	// Levels is the number of distinct codes. Zero means 256.
	Levels int
	// Smoothing selects the smoothing method; the zero value is KneserNey.
	Smoothing Smoothing
	// Alpha is the pseudo-count of Additive smoothing. Zero means 1.
	Alpha float64
	// Discount, in (0, 1], is the one discount that Kneser-Ney subtracts from
	// every count. Zero means modified Kneser-Ney (Chen and Goodman 1998):
	// each order subtracts D1, D2 or D3 from counts of 1, 2, or 3 and more,
	// estimated from the numbers n1..n4 of n-grams seen 1 to 4 times:
	// Y = n1/(n1 + 2 n2), Dk = k - (k+1) Y n(k+1)/nk.
	Discount float64

	// The settings Train used, and what it counted.
	order, levels int
	smoothing     Smoothing
	alpha         float64
	// count[j] holds, for j = 1..order, the counts of the j-grams used by
	// level j, indexed by the j codes as a number in base levels: raw counts
	// at the top level and for Additive, continuation counts (the number of
	// distinct codes seen before the j-gram) at the lower levels of KneserNey.
	count [][]uint32
	// total[j] holds, for each context of j-1 codes, the sum of count[j] over
	// the next code; for Kneser-Ney, gamma[j] holds the mass the discounts
	// take from that context, and disc[j][k] the discount of a count k.
	total [][]uint64
	gamma [][]float64
	disc  [][4]float64
}

// config validates the settings and returns the order and level count.
func (m *NGram) config() (order, levels int) {
	order, levels = m.Order, m.Levels
	if order == 0 {
		order = 3
	}
	if levels == 0 {
		levels = 256
	}
	switch {
	case order < 1:
		panic(fmt.Sprintf("audio: NGram.Order is %d, want at least 1", m.Order))
	case levels < 2:
		panic(fmt.Sprintf("audio: NGram.Levels is %d, want at least 2", m.Levels))
	case m.Smoothing != KneserNey && m.Smoothing != Additive:
		panic(fmt.Sprintf("audio: unknown NGram.Smoothing %d", int(m.Smoothing)))
	case m.Alpha < 0 || math.IsNaN(m.Alpha) || math.IsInf(m.Alpha, 0):
		panic(fmt.Sprintf("audio: NGram.Alpha is %v, want a finite value >= 0", m.Alpha))
	case m.Discount < 0 || m.Discount > 1 || math.IsNaN(m.Discount):
		panic(fmt.Sprintf("audio: NGram.Discount is %v, want 0 to 1", m.Discount))
	}
	for cells, j := 1, 0; j < order; j++ {
		if cells *= levels; cells > maxNGramCells {
			panic(fmt.Sprintf("audio: NGram of order %d over %d levels needs more than %d cells", order, levels, maxNGramCells))
		}
	}
	return order, levels
}

// Train counts the n-grams of seqs, replacing any earlier training.
//
// Train panics if a code is outside 0..Levels-1, if the settings are
// impossible (Order or Levels below their minimum, a negative Alpha, a
// Discount above 1, an unknown Smoothing, or more than 2^24 cells in the
// table of Levels^Order counts), or if seqs hold 2^32 codes or more.
func (m *NGram) Train(seqs [][]int32) {
	n, v := m.config()

	raw := make([][]uint32, n+1)
	size := 1
	for j := 1; j <= n; j++ {
		size *= v
		raw[j] = make([]uint32, size)
	}
	var seen uint64
	for _, s := range seqs {
		seen += uint64(len(s))
		if seen >= math.MaxUint32 {
			panic("audio: NGram.Train of 2^32 codes or more")
		}
		for i, c := range s {
			if c < 0 || int(c) >= v {
				panic(fmt.Sprintf("audio: NGram.Train: code %d outside 0..%d", c, v-1))
			}
			// The j-gram ending at i is s[i-j+1] followed by the (j-1)-gram.
			idx, pow := int(c), 1
			raw[1][idx]++
			for j := 2; j <= n && j <= i+1; j++ {
				pow *= v
				idx += int(s[i-j+1]) * pow
				raw[j][idx]++
			}
		}
	}

	m.order, m.levels, m.smoothing = n, v, m.Smoothing
	m.alpha = m.Alpha
	if m.alpha == 0 {
		m.alpha = 1
	}
	m.count = raw
	if m.smoothing == KneserNey {
		m.count = make([][]uint32, n+1)
		m.count[n] = raw[n]
		for j := 1; j < n; j++ {
			// Each (j+1)-gram seen adds one distinct predecessor to its
			// j-code suffix.
			cont := make([]uint32, len(raw[j]))
			for g, c := range raw[j+1] {
				if c > 0 {
					cont[g%len(cont)]++
				}
			}
			m.count[j] = cont
		}
	}

	m.total = make([][]uint64, n+1)
	m.gamma = make([][]float64, n+1)
	m.disc = make([][4]float64, n+1)
	for j := 1; j <= n; j++ {
		total := make([]uint64, len(m.count[j])/v)
		var nk [5]float64 // n-grams seen exactly k times, k = 1..4
		for g, c := range m.count[j] {
			total[g/v] += uint64(c)
			if c >= 1 && c <= 4 {
				nk[c]++
			}
		}
		m.total[j] = total
		if m.smoothing != KneserNey {
			continue
		}
		d := knDiscounts(nk, m.Discount)
		gamma := make([]float64, len(total))
		for g, c := range m.count[j] {
			gamma[g/v] += d[min(c, 3)]
		}
		m.gamma[j], m.disc[j] = gamma, d
	}
}

// knDiscounts returns the discounts of counts 0 to 3 (3 standing for 3 or
// more): fixed for all if it is set, else the modified Kneser-Ney estimates
// from the counts of counts nk. Where those are missing or out of range
// (Dk must lie in (0, k], which small or unusual data can break), it returns
// the single estimate n1/(n1 + 2 n2) for all counts, or 0.5 without n1 or n2.
// Every discount is positive, so every context passes mass to the level
// below and no code gets probability zero.
func knDiscounts(nk [5]float64, fixed float64) [4]float64 {
	if fixed > 0 {
		return [4]float64{0, fixed, fixed, fixed}
	}
	if nk[1] == 0 || nk[2] == 0 {
		return [4]float64{0, 0.5, 0.5, 0.5}
	}
	y := nk[1] / (nk[1] + 2*nk[2])
	d := [4]float64{0, y, y, y}
	if nk[3] == 0 || nk[4] == 0 {
		return d
	}
	for k := 1; k <= 3; k++ {
		dk := float64(k) - float64(k+1)*y*nk[k+1]/nk[k]
		if !(dk > 0 && dk <= float64(k)) {
			return [4]float64{0, y, y, y}
		}
		d[k] = dk
	}
	return d
}

// Prob returns the probability of code after history; only the last Order-1
// codes of history are used, and a shorter history selects a lower order.
//
// Prob panics if the model has not been trained, or if a code is outside
// 0..Levels-1.
func (m *NGram) Prob(history []int32, code int) float64 {
	if m.count == nil {
		panic("audio: NGram used before Train")
	}
	if code < 0 || code >= m.levels {
		panic(fmt.Sprintf("audio: NGram.Prob: code %d outside 0..%d", code, m.levels-1))
	}
	if len(history) > m.order-1 {
		history = history[len(history)-(m.order-1):]
	}
	for _, c := range history {
		if c < 0 || int(c) >= m.levels {
			panic(fmt.Sprintf("audio: NGram.Prob: history code %d outside 0..%d", c, m.levels-1))
		}
	}
	return m.prob(history, code)
}

// prob is Prob without the checks; len(history) < order.
func (m *NGram) prob(history []int32, code int) float64 {
	v, top := m.levels, len(history)+1
	if m.smoothing == Additive {
		alpha := m.alpha
		ctx := 0
		for _, c := range history {
			ctx = ctx*v + int(c)
		}
		return (float64(m.count[top][ctx*v+code]) + alpha) / (float64(m.total[top][ctx]) + alpha*float64(v))
	}

	// Interpolated Kneser-Ney, from the uniform distribution up to level top:
	//   p_j = (c_j(h,w) - D_j(c_j(h,w)) + gamma_j(h) p_{j-1}) / total_j(h),
	//   gamma_j(h) = sum over w of D_j(c_j(h,w)),
	// where h is the last j-1 codes of history; an unseen context keeps p_{j-1}.
	p := 1 / float64(v)
	ctx, pow := 0, 1
	for j := 1; j <= top; j++ {
		if j > 1 {
			ctx += int(history[len(history)-j+1]) * pow
			pow *= v
		}
		t := m.total[j][ctx]
		if t == 0 {
			continue
		}
		c := m.count[j][ctx*v+code]
		p = (max(float64(c)-m.disc[j][min(c, 3)], 0) + m.gamma[j][ctx]*p) / float64(t)
	}
	return p
}

// BitsPerSample returns the average negative log2-probability of the codes
// of seqs under the model: its cross-entropy on seqs in bits per sample. It
// returns NaN if seqs hold no codes.
//
// BitsPerSample panics where Prob does.
func (m *NGram) BitsPerSample(seqs [][]int32) float64 {
	if m.count == nil {
		panic("audio: NGram used before Train")
	}
	var bits float64
	var n int
	for _, s := range seqs {
		for i, c := range s {
			if c < 0 || int(c) >= m.levels {
				panic(fmt.Sprintf("audio: NGram.BitsPerSample: code %d outside 0..%d", c, m.levels-1))
			}
			bits -= math.Log2(m.prob(s[max(0, i-m.order+1):i], int(c)))
		}
		n += len(s)
	}
	if n == 0 {
		return math.NaN()
	}
	return bits / float64(n)
}
