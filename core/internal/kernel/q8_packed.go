// Q8_0 × Q8_0 products (as llama.cpp's on VNNI CPUs): the vector x is
// quantised once per product to int8 with one scale per block of 32, and
// each block's dot product with a weight row is an exact integer sum; one
// float multiply-add per block and row then scales it by both scales.
//
// The weights are packed for AVX512-VNNI's VPDPBUSD (64 u8 × s8
// multiply-adds, four per 32-bit lane): rows in groups of 16, one lane per
// row, four columns per lane. The instruction takes an unsigned operand and
// a signed one; the weights are stored offset by 128 (unsigned) and x as it
// is (signed), so that
//
//	Σ_i (q_i+128)·xq_i = Σ_i q_i·xq_i + 128·Σ_i xq_i,
//
// and the accumulators of a block start at −128·Σ_i xq_i, one number per
// block of x for all rows. Per group of 16 rows and block of 32 columns, one
// record of q8Record bytes:
//
//	q [8][16][4]uint8  chunk k, row i: the row's columns 4k..4k+3 of the block, + 128
//	d [16]float32      the rows' scales
//
// Records run by block within a group, groups one after another. Padding
// rows and columns hold zero weights (128).

package kernel

import (
	"encoding/binary"
	"math"
	"unsafe"
)

// q8Group is the number of rows of a packed group (one per 32-bit lane of
// a 512-bit register).
const q8Group = 16

// q8Record is the bytes of one group's block: 512 of weights, 64 of scales.
const q8Record = q8Group*Q8Block + 4*q8Group

// q8Packed is a Q8 matrix in the VNNI layout (see the file's comment).
type q8Packed struct {
	groups int
	buf    []byte // groups × Blocks records; 64-byte aligned
}

// packQ8 packs m's blocks (in m.Q and m.D) into the VNNI layout.
func packQ8(m *Q8) *q8Packed {
	nb := m.Blocks
	groups := (m.Rows + q8Group - 1) / q8Group
	p := &q8Packed{groups: groups, buf: alignedBytes(groups * nb * q8Record)}
	for g := 0; g < groups; g++ {
		for b := 0; b < nb; b++ {
			rec := p.buf[(g*nb+b)*q8Record:][:512]
			for i := range rec {
				rec[i] = 128 // padding rows: zero weights
			}
		}
	}
	for r := 0; r < m.Rows; r++ {
		g, i := r/q8Group, r%q8Group
		for b := 0; b < nb; b++ {
			rec := p.buf[(g*nb+b)*q8Record:]
			q := m.Q[(r*nb+b)*Q8Block:][:Q8Block]
			for c, v := range q {
				rec[(c/4)*64+i*4+c%4] = byte(int32(v) + 128)
			}
			binary.LittleEndian.PutUint32(rec[512+4*i:], math.Float32bits(m.D[r*nb+b]))
		}
	}
	return p
}

// alignedBytes returns n zero bytes starting at a multiple of 64.
func alignedBytes(n int) []byte {
	b := make([]byte, n+63)
	off := 0
	for addrMod64(b[off:]) != 0 {
		off++
	}
	return b[off : off+n : off+n]
}

// at returns the weight at row r, column c as stored (d·q).
func (p *q8Packed) at(nb, r, c int) float32 {
	g, i, b := r/q8Group, r%q8Group, c/Q8Block
	rec := p.buf[(g*nb+b)*q8Record:]
	k := c % Q8Block
	q := int32(rec[(k/4)*64+i*4+k%4]) - 128
	return math.Float32frombits(binary.LittleEndian.Uint32(rec[512+4*i:])) * float32(q)
}

// q8X is a vector quantised for a packed product: per block of 32, the
// values xq, the scale d (x ≈ d·xq) and c = −128·Σ xq.
type q8X struct {
	q []int8
	d []float32
	c []int32
}

func (v *q8X) ensure(nb int) {
	if cap(v.d) < nb {
		v.q = make([]int8, nb*Q8Block)
		v.d = make([]float32, nb)
		v.c = make([]int32, nb)
	}
	v.q, v.d, v.c = v.q[:nb*Q8Block], v.d[:nb], v.c[:nb]
}

// quantXGo quantises the blocks of x (the last padded with zeros) into v.
func quantXGo(x []float32, v *q8X) {
	for b := range v.d {
		quantBlockGo(x[b*Q8Block:min((b+1)*Q8Block, len(x))], v.q[b*Q8Block:(b+1)*Q8Block], &v.d[b], &v.c[b])
	}
}

// quantBlockGo quantises one block x of at most 32 values into q (32,
// padded with zeros), d and c: d = max|x|/127, q = x·(127/max|x|) rounded
// to nearest even (as the assembly's conversion rounds), c = −128·Σ q; d =
// 0 and q = 0 for an all-zero block.
func quantBlockGo(x []float32, q []int8, d *float32, c *int32) {
	var amax float32
	for _, e := range x {
		amax = max(amax, float32(math.Abs(float64(e))))
	}
	var inv float32
	if amax != 0 {
		inv = 127 / amax
	}
	*d = amax / 127
	clear(q)
	var sum int32
	for i, e := range x {
		q[i] = int8(math.RoundToEven(float64(e * inv)))
		sum += int32(q[i])
	}
	*c = -128 * sum
}

// q8PackedRowsGo adds rows [lo, hi) of the packed product to y, in Go:
// for each row, Σ_b (d_row,b · d_x,b) · (c_b + Σ_i (q_i+128)·xq_i), the
// inner sum exact, one multiply-add per block.
func q8PackedRowsGo(p *q8Packed, nb, lo, hi int, v *q8X, y []float32) {
	for r := lo; r < hi; r++ {
		g, i := r/q8Group, r%q8Group
		var acc float32
		for b := 0; b < nb; b++ {
			rec := p.buf[(g*nb+b)*q8Record:]
			dot := v.c[b]
			xq := v.q[b*Q8Block:]
			for c := 0; c < Q8Block; c++ {
				dot += int32(rec[(c/4)*64+i*4+c%4]) * int32(xq[c])
			}
			s := math.Float32frombits(binary.LittleEndian.Uint32(rec[512+4*i:])) * v.d[b]
			acc += s * float32(dot)
		}
		y[r] += acc
	}
}

// addrMod64 is the address of b's first element modulo 64.
func addrMod64[T any](b []T) uintptr { return uintptr(unsafe.Pointer(unsafe.SliceData(b))) % 64 }
