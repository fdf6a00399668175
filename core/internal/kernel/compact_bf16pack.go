// bfloat16 products on AVX512-BF16 (VDPBF16PS: 32 bf16 × bf16 products
// per instruction, accumulated in float32): x is rounded to bfloat16 once
// per product, and the weights are packed as the int8 ones are
// (q8_packed.go): rows in groups of 16, one row per 32-bit lane, two
// columns per lane, so no row needs a horizontal sum. Per group, chunk k
// (64 bytes) holds each row's columns 2k and 2k+1; columns are padded with
// zeros to a multiple of 32, groups follow one another.

package kernel

// bf16Packed is a BF16 matrix in the VDPBF16PS layout.
type bf16Packed struct {
	chunks int      // chunks per group: padded columns / 2
	w      []uint16 // groups × chunks × 32
}

func packBF16(m *BF16) *bf16Packed {
	nc := (m.Cols + Q8Block - 1) / Q8Block * Q8Block / 2
	groups := (m.Rows + q8Group - 1) / q8Group
	p := &bf16Packed{chunks: nc, w: alignedUint16(groups * nc * 32)}
	for r := 0; r < m.Rows; r++ {
		g, i := r/q8Group, r%q8Group
		for c := 0; c < m.Cols; c++ {
			p.w[(g*nc+c/2)*32+i*2+c%2] = m.W[r*m.Cols+c]
		}
	}
	return p
}

// alignedUint16 returns n zeros starting at a multiple of 64 bytes.
func alignedUint16(n int) []uint16 {
	b := make([]uint16, n+31)
	off := 0
	for addrMod64(b[off:]) != 0 {
		off++
	}
	return b[off : off+n : off+n]
}

func (p *bf16Packed) at(r, c int) float32 {
	g, i := r/q8Group, r%q8Group
	return FromBF16(p.w[(g*p.chunks+c/2)*32+i*2+c%2])
}

// bf16X is x rounded to bfloat16 for a packed product, padded with zeros.
type bf16X struct{ h []uint16 }

func (v *bf16X) ensure(n int) {
	if cap(v.h) < n {
		v.h = make([]uint16, n)
	}
	v.h = v.h[:n]
}

// roundXGo rounds x to bfloat16 into h (zeros after x).
func roundXGo(x []float32, h []uint16) {
	for i := range h {
		h[i] = 0
		if i < len(x) {
			h[i] = ToBF16(x[i])
		}
	}
}

// bf16PackedRowsGo adds rows [lo, hi) of the packed product to y, in Go,
// in the assembly's order per row: the pair's two products (exact in
// float32) added in turn.
func bf16PackedRowsGo(p *bf16Packed, lo, hi int, h []uint16, y []float32) {
	for r := lo; r < hi; r++ {
		g, i := r/q8Group, r%q8Group
		var acc float32
		for k := 0; k < p.chunks; k++ {
			w := p.w[(g*p.chunks+k)*32+i*2:]
			acc += FromBF16(w[1]) * FromBF16(h[2*k+1])
			acc += FromBF16(w[0]) * FromBF16(h[2*k])
		}
		y[r] += acc
	}
}
