//go:build amd64 && !purego

// The compact products on amd64: AVX-512 or AVX2 assembly
// (compact_amd64.s) chosen from the CPU's features, split by rows over the
// GEMV team (team_amd64.go) when the matrix is large.

package kernel

import (
	"sync"

	"golang.org/x/sys/cpu"
)

//go:noescape
func bf16Dot512(w *uint16, ldw, rows int, x *float32, n int, y *float32)

//go:noescape
func bf16Dot256(w *uint16, ldw, rows int, x *float32, n int, y *float32)

//go:noescape
func q8Dot512(q *int8, d *float32, nb, rows int, x *float32, nfull int, y *float32)

//go:noescape
func q8Dot256(q *int8, d *float32, nb, rows int, x *float32, nfull int, y *float32)

//go:noescape
func q8QuantX512(x *float32, nb int, q *int8, d *float32, c *int32)

//go:noescape
func q8DotVNNI(p *byte, nb, rows int, xq *int8, dx *float32, xc *int32, y *float32)

//go:noescape
func bf16RoundX512(x *float32, n16 int, h *uint16)

//go:noescape
func bf16DotPacked(p *uint16, nc, rows int, h *uint16, y *float32)

// hasVNNI selects the Q8_0 × Q8_0 products (q8_packed.go) on AVX512-VNNI.
var hasVNNI = hasAVX512 && cpu.X86.HasAVX512VNNI && cpu.X86.HasAVX512BW

// hasBF16Dot selects the packed bf16 products (compact_bf16pack.go) on
// AVX512-BF16.
var hasBF16Dot = hasAVX512 && cpu.X86.HasAVX512BF16 && cpu.X86.HasAVX512BW

// compactLevel is the implementation in use: 0 Go, 1 AVX2, 2 AVX-512, 3
// the packed products (int8 on AVX512-VNNI, x quantised per product;
// bf16 on AVX512-BF16, x rounded per product; each where the CPU has it).
var compactLevel = func() int {
	switch {
	case hasVNNI || hasBF16Dot:
		return 3
	case hasAVX512:
		return 2
	case hasAVX2:
		return 1
	}
	return 0
}()

func bf16Rows(m *BF16, lo, hi int, x, y []float32) {
	n := m.Cols
	var done int // columns the assembly covers
	switch compactLevel {
	case 2, 3:
		if done = n &^ 15; done > 0 {
			bf16Dot512(&m.W[lo*n], n, hi-lo, &x[0], done, &y[lo])
		}
	case 1:
		if done = n &^ 7; done > 0 {
			bf16Dot256(&m.W[lo*n], n, hi-lo, &x[0], done, &y[lo])
		}
	}
	if done == n {
		return
	}
	for r := lo; r < hi; r++ {
		var s float32
		for j := done; j < n; j++ {
			s += FromBF16(m.W[r*n+j]) * x[j]
		}
		y[r] += s
	}
}

func q8Rows(m *Q8, lo, hi int, x, y []float32) {
	full := m.Cols / Q8Block
	if compactLevel == 0 || full == 0 {
		q8RowsGo(m, lo, hi, 0, x, y)
		return
	}
	nb := m.Blocks
	if compactLevel >= 2 {
		q8Dot512(&m.Q[lo*nb*Q8Block], &m.D[lo*nb], nb, hi-lo, &x[0], full, &y[lo])
	} else {
		q8Dot256(&m.Q[lo*nb*Q8Block], &m.D[lo*nb], nb, hi-lo, &x[0], full, &y[lo])
	}
	if full < nb {
		q8RowsGo(m, lo, hi, full, x, y)
	}
}

var compactPool = sync.Pool{New: func() any { return new(compactJob) }}

// split cuts the job's rows into parts.
func (j *compactJob) split(parts int) {
	j.parts = parts
	j.stride = (j.rows() + parts - 1) / parts
	if j.xq != nil || j.xh != nil { // whole groups of a packed matrix
		j.stride = (j.stride + q8Group - 1) / q8Group * q8Group
	}
}

// q8PackNew reports whether NewQ8 packs its matrices for q8DotVNNI.
func q8PackNew() bool { return compactLevel == 3 && hasVNNI }

// bf16PackNew reports whether NewBF16 packs its matrices for bf16DotPacked.
func bf16PackNew() bool { return compactLevel == 3 && hasBF16Dot }

// roundX rounds x to bfloat16 into h (zeros after x) for a packed product.
func roundX(x []float32, h []uint16) {
	done := 0
	if compactLevel == 3 && !forcePackedGo {
		if n16 := len(x) / 16; n16 > 0 {
			bf16RoundX512(&x[0], n16, &h[0])
			done = 16 * n16
		}
	}
	roundXGo(x[done:], h[done:])
}

// bf16PackedRows adds rows [lo, hi) of the packed product to y; lo is a
// multiple of q8Group.
func bf16PackedRows(m *BF16, lo, hi int, h []uint16, y []float32) {
	p := m.packed
	if compactLevel != 3 || forcePackedGo {
		bf16PackedRowsGo(p, lo, hi, h, y)
		return
	}
	bf16DotPacked(&p.w[lo/q8Group*p.chunks*32], p.chunks, hi-lo, &h[0], &y[lo])
}

// quantX quantises x for a packed product.
func quantX(x []float32, v *q8X) {
	full := len(x) / Q8Block
	if full > 0 && compactLevel == 3 && !forcePackedGo {
		q8QuantX512(&x[0], full, &v.q[0], &v.d[0], &v.c[0])
	} else {
		full = 0
	}
	for b := full; b < len(v.d); b++ {
		quantBlockGo(x[b*Q8Block:min((b+1)*Q8Block, len(x))], v.q[b*Q8Block:(b+1)*Q8Block], &v.d[b], &v.c[b])
	}
}

// q8PackedRows adds rows [lo, hi) of the packed product to y; lo is a
// multiple of q8Group.
func q8PackedRows(m *Q8, lo, hi int, v *q8X, y []float32) {
	if compactLevel != 3 || forcePackedGo {
		q8PackedRowsGo(m.packed, m.Blocks, lo, hi, v, y)
		return
	}
	q8DotVNNI(&m.packed.buf[lo/q8Group*m.Blocks*q8Record], m.Blocks, hi-lo, &v.q[0], &v.d[0], &v.c[0], &y[lo])
}

// runCompact runs job over the team when the matrix (in float32-equivalent
// bytes) is worth splitting and the team is free, else on the caller.
func runCompact(job compactJob, floats int) {
	if p := gemvTeam.parts(floats); p > 1 && compactLevel > 0 {
		j := compactPool.Get().(*compactJob)
		*j = job
		ok := gemvTeam.doSplit(j, p)
		*j = compactJob{}
		compactPool.Put(j)
		if ok {
			return
		}
	}
	job.split(1)
	job.runPart(0)
}

// doSplit runs job in up to parts parts (at most the team's size), telling
// the job how many first. It reports false, having done nothing, if the
// team is busy.
func (t *team) doSplit(job *compactJob, parts int) bool {
	if !t.lock() {
		return false
	}
	defer t.mu.Unlock()
	parts = min(parts, t.size)
	job.split(parts)
	t.run(job, parts)
	return true
}

// compactVariants lists the implementations this machine can run.
func compactVariants() []string {
	vs := []string{"generic"}
	if hasAVX2 {
		vs = append(vs, "avx2")
	}
	if hasAVX512 {
		vs = append(vs, "avx512")
	}
	if hasVNNI || hasBF16Dot {
		vs = append(vs, "packed", "packed-go")
	}
	return vs
}

// forceCompact selects an implementation by name until the returned
// function is called; matrices made meanwhile are laid out for it.
// "packed-go" packs the matrices as "packed" does and multiplies them in
// Go (q8PackedRowsGo, bf16PackedRowsGo), the reference of the assembly.
func forceCompact(name string) func() {
	old := compactLevel
	compactLevel = map[string]int{"generic": 0, "avx2": 1, "avx512": 2, "packed": 3, "packed-go": 3}[name]
	if name == "packed-go" {
		forcePackedGo = true
	}
	return func() { compactLevel, forcePackedGo = old, false }
}

// forcePackedGo makes the packed products run in Go (a test hook).
var forcePackedGo bool
