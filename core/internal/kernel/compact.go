// Compact weight matrices for generation: bfloat16 and Q8_0 (int8 in blocks
// of 32 along each row with one scale per block, as llama.cpp's Q8_0, but
// with a float32 scale). A batch-1 matrix-vector product streams the whole
// matrix from cache or memory for every token; halving or quartering its
// bytes is where generation's time goes. On CPUs with AVX512-VNNI (int8)
// and AVX512-BF16 (bf16) the products round the vector x as well, once per
// product, and multiply in the compact precision (q8_packed.go,
// compact_bf16pack.go); elsewhere they accumulate in float32 against the
// float32 x, only the weights rounded.

package kernel

import (
	"fmt"
	"math"
	"sync"
)

// BF16 is a row-major matrix of bfloat16 values (the high 16 bits of a
// float32, rounded to nearest even).
//
// On CPUs with AVX512-BF16 the values are kept only in the packed layout of
// compact_bf16pack.go (W is nil) and a product rounds x to bfloat16 as
// well; elsewhere x stays float32.
type BF16 struct {
	Rows, Cols int
	W          []uint16
	packed     *bf16Packed
}

// NewBF16 rounds the rows×cols row-major matrix a to bfloat16.
func NewBF16(a []float32, rows, cols int) *BF16 {
	m := &BF16{Rows: rows, Cols: cols, W: make([]uint16, rows*cols)}
	for i, v := range a[:rows*cols] {
		m.W[i] = ToBF16(v)
	}
	if bf16PackNew() {
		m.packed = packBF16(m)
		m.W = nil
	}
	return m
}

// At returns the weight at row r, column c as stored.
func (m *BF16) At(r, c int) float32 {
	if m.packed != nil {
		return m.packed.at(r, c)
	}
	return FromBF16(m.W[r*m.Cols+c])
}

// ToBF16 rounds v to the nearest bfloat16, ties to even; NaN stays NaN.
func ToBF16(v float32) uint16 {
	b := math.Float32bits(v)
	if v != v {
		return uint16(b>>16) | 0x40
	}
	return uint16((b + 0x7fff + (b>>16)&1) >> 16)
}

// FromBF16 widens a bfloat16 to float32 (exactly).
func FromBF16(h uint16) float32 { return math.Float32frombits(uint32(h) << 16) }

// Q8Block is the number of weights that share one scale in a Q8 matrix.
const Q8Block = 32

// Q8 is a row-major matrix quantised as Q8_0: each row is cut into blocks of
// Q8Block weights (the last padded with zeros), each stored as int8 values
// q and a scale d, the weight being d·q with d = max|w|/127.
//
// On CPUs with AVX512-VNNI the blocks are kept only in the packed layout of
// q8_packed.go (Q and D are nil) and a product quantises x as well
// (Q8_0 × Q8_0); elsewhere x stays float32.
type Q8 struct {
	Rows, Cols int
	Blocks     int       // blocks per row
	Q          []int8    // Rows × Blocks·Q8Block
	D          []float32 // Rows × Blocks
	packed     *q8Packed
}

// NewQ8 quantises the rows×cols row-major matrix a.
func NewQ8(a []float32, rows, cols int) *Q8 {
	nb := (cols + Q8Block - 1) / Q8Block
	m := &Q8{Rows: rows, Cols: cols, Blocks: nb, Q: make([]int8, rows*nb*Q8Block), D: make([]float32, rows*nb)}
	for r := 0; r < rows; r++ {
		row := a[r*cols : (r+1)*cols]
		for b := 0; b < nb; b++ {
			blk := row[b*Q8Block : min((b+1)*Q8Block, cols)]
			var amax float32
			for _, v := range blk {
				amax = max(amax, float32(math.Abs(float64(v))))
			}
			d := amax / 127
			inv := float32(0)
			if d != 0 {
				inv = 1 / d
			}
			m.D[r*nb+b] = d
			q := m.Q[(r*nb+b)*Q8Block:]
			for i, v := range blk {
				q[i] = int8(math.Round(float64(v * inv)))
			}
		}
	}
	if q8PackNew() {
		m.packed = packQ8(m)
		m.Q, m.D = nil, nil
	}
	return m
}

// Q8Integer reports whether Q8 products run as integer dot products
// (Q8_0 × Q8_0 on AVX512-VNNI: x quantised per block too), several times
// faster than float32 products at every size measured.
func Q8Integer() bool { return q8PackNew() }

// Q8TailFast reports whether a Q8 product's last, partial block of a row
// costs no more than a whole one (the packed products pad x with zeros),
// so that short column ranges need not be kept in float32 for speed.
func Q8TailFast() bool { return q8PackNew() }

// At returns the weight at row r, column c as stored (its scale times its int8).
func (m *Q8) At(r, c int) float32 {
	if m.packed != nil {
		return m.packed.at(m.Blocks, r, c)
	}
	b := c / Q8Block
	return m.D[r*m.Blocks+b] * float32(m.Q[(r*m.Blocks+b)*Q8Block+c%Q8Block])
}

func checkCompact(kind string, rows, cols int, x, y []float32) {
	if len(x) < cols || len(y) < rows {
		panic(fmt.Sprintf("kernel: %s %d×%d matrix with a vector of %d and an output of %d", kind, rows, cols, len(x), len(y)))
	}
}

// MulVecAdd adds A·x to y. It panics if x is shorter than a row or y than a column.
func (m *BF16) MulVecAdd(y, x []float32) {
	checkCompact("bf16", m.Rows, m.Cols, x, y)
	if m.Rows == 0 || m.Cols == 0 {
		return
	}
	if m.packed == nil {
		runCompact(compactJob{bf: m, x: x, y: y}, m.Rows*m.Cols/2)
		return
	}
	v := bf16XPool.Get().(*bf16X)
	v.ensure(2 * m.packed.chunks)
	roundX(x[:m.Cols], v.h)
	runCompact(compactJob{bf: m, x: x, y: y, xh: v}, m.Rows*m.Cols/2)
	bf16XPool.Put(v)
}

// bf16XPool holds the rounded vectors of packed bf16 products in progress.
var bf16XPool = sync.Pool{New: func() any { return new(bf16X) }}

// MulVecAdd adds A·x to y. It panics if x is shorter than a row or y than a column.
func (m *Q8) MulVecAdd(y, x []float32) {
	checkCompact("q8", m.Rows, m.Cols, x, y)
	if m.Rows == 0 || m.Cols == 0 {
		return
	}
	if m.packed == nil {
		runCompact(compactJob{q8: m, x: x, y: y}, m.Rows*m.Cols/4)
		return
	}
	v := q8XPool.Get().(*q8X)
	v.ensure(m.Blocks)
	quantX(x[:m.Cols], v)
	// On the caller alone below q8SplitMin weights: split over the GEMV
	// team, these products (5x faster than the float ones) lose more to
	// the hand-over and the workers' spinning than they gain (quiet
	// machine: sample_char 90k tokens/s alone, 70k split; loaded: one
	// 16 kHz audio stream 5.3x real time alone, 2.8x split). The word
	// model's 10,000x512 output layer, read from L3, gains on a quiet
	// machine (word_sample 3.6k tokens/s alone, 5.3-7.2k split) and loses
	// on a loaded one (3,170 and 1,930); docs/benchmarks.md, "Speed
	// against PyTorch", 2026-12-07 sixth session.
	floats := 0
	if m.Rows*m.Cols >= q8SplitMin {
		floats = m.Rows * m.Cols / 4
	}
	runCompact(compactJob{q8: m, x: x, y: y, xq: v}, floats)
	q8XPool.Put(v)
}

// q8SplitMin is the fewest weights of a packed int8 matrix whose products
// are split over the GEMV team: 2 Mi, twice a core's L2 (the word model's
// output layer is 5 Mi; the audio model's and the char model's largest
// matrices are 1 Mi and 0.25 Mi).
const q8SplitMin = 2 << 20

// q8XPool holds the quantised vectors of packed products in progress.
var q8XPool = sync.Pool{New: func() any { return new(q8X) }}

// compactJob is one product, split by rows over the GEMV team.
type compactJob struct {
	bf            *BF16
	q8            *Q8
	x, y          []float32
	xq            *q8X   // x quantised, for a packed Q8
	xh            *bf16X // x rounded, for a packed BF16
	parts, stride int
}

func (j *compactJob) rows() int {
	if j.bf != nil {
		return j.bf.Rows
	}
	return j.q8.Rows
}

// runPart computes rows [p·stride, (p+1)·stride) of the job.
func (j *compactJob) runPart(p int) {
	lo := p * j.stride
	hi := min(lo+j.stride, j.rows())
	if lo >= hi {
		return
	}
	switch {
	case j.xh != nil:
		bf16PackedRows(j.bf, lo, hi, j.xh.h, j.y)
	case j.bf != nil:
		bf16Rows(j.bf, lo, hi, j.x, j.y)
	case j.xq != nil:
		q8PackedRows(j.q8, lo, hi, j.xq, j.y)
	default:
		q8Rows(j.q8, lo, hi, j.x, j.y)
	}
}

// bf16RowsGo adds rows [lo, hi) of m·x to y, in Go.
func bf16RowsGo(m *BF16, lo, hi int, x, y []float32) {
	n := m.Cols
	x = x[:n]
	for r := lo; r < hi; r++ {
		w := m.W[r*n : (r+1)*n]
		var s float32
		for i, h := range w {
			s += FromBF16(h) * x[i]
		}
		y[r] += s
	}
}

// q8RowsGo adds rows [lo, hi) of m·x to y, in Go; from block b0 of each row
// on (the assembly leaves the last, partial block to it).
func q8RowsGo(m *Q8, lo, hi, b0 int, x, y []float32) {
	nb, n := m.Blocks, m.Cols
	for r := lo; r < hi; r++ {
		var s float32
		for b := b0; b < nb; b++ {
			q := m.Q[(r*nb+b)*Q8Block:]
			var t float32
			for i := b * Q8Block; i < min((b+1)*Q8Block, n); i++ {
				t += float32(q[i-b*Q8Block]) * x[i]
			}
			s += m.D[r*nb+b] * t
		}
		y[r] += s
	}
}
