//go:build amd64 && !purego

// GemmBF16 on AMX (TDPBF16PS): op(A) is rounded to bf16 rows once per call
// and shared; the goroutines take chunks of C's columns, pack 256-step ×
// 32-column panels of op(B) in pair form (packB, as the AVX-512 BF16
// kernel) and run amxPanel down all rows of C. Full 32×32 blocks of C are
// loaded into and stored from the tiles directly; the edges go through a
// scratch block. Used for alpha = 1 and beta 0 or 1 (every product of a
// training step); other calls take the AVX-512 BF16 kernel.

package kernel

import (
	"runtime"
	"sync"

	"golang.org/x/sys/cpu"
)

//go:noescape
func amxPanel(a *uint16, lda int, b *float32, kblocks int, c *float32, ldc int, mblocks, load int, cfg *byte)

//go:noescape
func cvtBF16(dst *uint16, src *float32, n int)

// useAMX sends GemmBF16 to the AMX tiles; tests switch it off to run the
// AVX-512 BF16 kernel.
var useAMX = func() bool {
	if !cpu.X86.HasAMXTile || !cpu.X86.HasAMXBF16 || !cpu.X86.HasAVX512BF16 || !cpu.X86.HasAVX512BW {
		return false
	}
	return amxPermitted()
}()

// amxConfig is the tile configuration: palette 1, tiles 0-7 of 16 rows of
// 64 bytes.
var amxConfig = func() *[64]byte {
	var c [64]byte
	c[0] = 1
	for t := 0; t < 8; t++ {
		c[16+2*t] = 64
		c[48+t] = 16
	}
	return &c
}()

// amxA is op(A) in bf16, rows of kp (a multiple of 32) values, mp rows (a
// multiple of 32), zero-padded; shared by the goroutines of one GEMM.
type amxA struct{ buf []uint16 }

var amxPool = sync.Pool{New: func() any { return new(amxA) }}

// amxPackRows is the rows of op(A) one goroutine rounds at a time.
const amxPackRows = 32

// amxTmp holds a goroutine's transposed float32 rows of op(A) (transA).
var amxTmp = sync.Pool{New: func() any { return new([]float32) }}

// packAMXRows rounds the rows [i0, i1) of op(A) (at most amxPackRows)
// into g.amx as bf16 rows of kp values (zero beyond k); rows past m are
// zero.
func (g *gemmArgs) packAMXRows(i0, i1 int) {
	m, k, a, lda := g.m, g.k, g.a, g.lda
	kp := (k + 31) &^ 31
	buf := g.amx
	if !g.transA {
		for i := i0; i < min(i1, m); i++ {
			cvtBF16(&buf[i*kp], &a[i*lda], k)
			clear(buf[i*kp+k : (i+1)*kp])
		}
	} else if i0 < m {
		// op(A)[i][q] = a[q*lda+i]: 8 steps of the rows at a time through
		// the float32 transpose, then each row rounded.
		rows := min(i1, m) - i0
		tp := amxTmp.Get().(*[]float32)
		if cap(*tp) < amxPackRows*kp {
			*tp = make([]float32, amxPackRows*kp)
		}
		tmp := (*tp)[:rows*kp]
		for q := 0; q < k; q += 8 {
			packT(tmp[q:], a[q*lda+i0:], lda, rows, min(8, k-q), kp)
		}
		for i := 0; i < rows; i++ {
			cvtBF16(&buf[(i0+i)*kp], &tmp[i*kp], k)
			clear(buf[(i0+i)*kp+k : (i0+i+1)*kp])
		}
		amxTmp.Put(tp)
	}
	if i1 > m {
		clear(buf[max(i0, m)*kp : i1*kp])
	}
}

// gemmAMX computes C = op(A)·op(B) + beta·C (beta 0 or 1) on the tiles,
// op(B) from pb when it is not nil: first the goroutines round op(A) into
// shared bf16 rows (chunks of rows), then they compute chunks of C's
// columns.
func gemmAMX(transA, transB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, pb *PackedBF16, beta float32, c []float32, ldc int) {
	kp := (k + 31) &^ 31
	mp := (m + 31) &^ 31
	pa := amxPool.Get().(*amxA)
	defer amxPool.Put(pa)
	if cap(pa.buf) < mp*kp {
		pa.buf = make([]uint16, mp*kp)
	}
	ch := chunkPool.Get().(*chunker)
	defer chunkPool.Put(ch)
	ch.g = gemmArgs{kernBF16, transA, transB, m, n, k, 1, beta, a, b, c, lda, ldb, ldc, nil, pa.buf[:mp*kp], pb, nil}
	helpers := min(runtime.GOMAXPROCS(0), maxThreads) - 1
	if m*n*k < parFlops {
		helpers = 0
	}
	if helpers > 0 && m*k >= 1<<16 {
		ch.packing = true
		ch.cols, ch.size, ch.total = false, amxPackRows, mp
		ch.run(helpers)
		ch.packing = false
	} else {
		for i0 := 0; i0 < mp; i0 += amxPackRows {
			ch.g.packAMXRows(i0, min(i0+amxPackRows, mp))
		}
	}
	parts := 2 * (helpers + 1)
	np := (n + 31) / 32
	ch.cols, ch.size, ch.total = true, (np+parts-1)/parts*32, n
	ch.run(helpers)
	ch.g = gemmArgs{}
}

// amxKC is the depth of one block of op(B) packed by a goroutine: C is
// read and written once per block.
const amxKC = 1024

// amxRows is the rows of C computed against all the panels of a chunk
// before the next rows: their bf16 op(A) (256 KiB at amxKC) stays in L2
// while the panels stream past.
const amxRows = 128

// amxB is a goroutine's packed panels of op(B) for one chunk and block.
type amxB struct{ buf []float32 }

var amxBPool = sync.Pool{New: func() any { return new(amxB) }}

// runAMX computes the columns [j0, j1) of C from the shared bf16 op(A):
// for each block of amxKC steps, the chunk's 32-column panels of op(B) are
// packed in pair form, then each group of amxRows rows of C meets all of
// them.
func (g *gemmArgs) runAMX(w *gemmWork, j0, j1 int) {
	m, k := g.m, g.k
	kp := (k + 31) &^ 31
	full := m &^ 31
	npan := (j1 - j0 + 31) / 32
	kc := amxKC
	if g.pb != nil {
		kc = kp // packed whole by PackedBF16.Pack
	}
	pb := amxBPool.Get().(*amxB)
	defer amxBPool.Put(pb)
	for p0 := 0; p0 < k; p0 += kc {
		kb := min(kc, k-p0)
		kbp := (kb + 31) &^ 31
		slot := kbp * 32 // floats per panel (packed as float32, then pairs in place)
		var bb []float32
		if g.pb != nil {
			bb, slot = g.pb.buf[j0/32*g.pb.slot():], g.pb.slot()
		} else {
			if cap(pb.buf) < npan*slot {
				pb.buf = make([]float32, npan*slot)
			}
			bb = pb.buf[:npan*slot]
			for q := 0; q < npan; q++ {
				jj := j0 + 32*q
				d := bb[q*slot : (q+1)*slot]
				g.packB(d, jj, min(32, j1-jj), p0, kb, 32)
				clear(d[(kb+1)/2*32 : kbp/2*32]) // pairs past k in the last 32 steps
			}
		}
		load := 0
		if p0 > 0 || g.beta != 0 {
			load = 1
		}
		for i0 := 0; i0 < full; i0 += amxRows {
			rows := min(amxRows, full-i0)
			for q := 0; q < npan; q++ {
				jj := j0 + 32*q
				if j1-jj < 32 {
					continue // the edge panel, below
				}
				amxPanel(&g.amx[i0*kp+p0], 2*kp, &bb[q*slot], kbp/32, &g.c[i0*g.ldc+jj], 4*g.ldc, rows/32, load, &amxConfig[0])
			}
		}
		// Edges: the last rows (m%32) of every panel and the last panel
		// (narrower than 32) go through a scratch block.
		for q := 0; q < npan; q++ {
			jj := j0 + 32*q
			nb := min(32, j1-jj)
			i0 := full
			if nb < 32 {
				i0 = 0
			}
			for ; i0 < m; i0 += 32 {
				amxPanel(&g.amx[i0*kp+p0], 2*kp, &bb[q*slot], kbp/32, &w.tile[0], 4*32, 1, 0, &amxConfig[0])
				for r := 0; r < min(32, m-i0); r++ {
					t := w.tile[r*32 : r*32+nb]
					cr := g.c[(i0+r)*g.ldc+jj : (i0+r)*g.ldc+jj+nb]
					if load == 0 {
						copy(cr, t)
						continue
					}
					for j, v := range t {
						cr[j] += v
					}
				}
			}
		}
	}
}

// PackedBF16 is op(B) of a product rounded to bf16 and packed once for
// GemmPackedBF16, for a matrix multiplied many times before it changes (an
// LSTM's recurrent weights over the steps of a window). The zero value is
// empty; Pack fills it, reusing its storage.
type PackedBF16 struct {
	transB bool
	k, n   int
	b      []float32 // the matrix (read by the fallback paths)
	ldb    int
	buf    []float32 // with AMX: 32-column panels of kp steps in pair form
	packed bool      // buf holds op(B) (AMX)
}

// slot is the floats of one panel in buf.
func (p *PackedBF16) slot() int { return (p.k + 31) &^ 31 / 2 * 32 }

// Pack rounds op(B) (k×n; b is n×k with transB) to bf16 and packs it. The
// products read the packed copy on AMX and b itself elsewhere: pack again
// whenever b changes. It panics as Gemm does on a short b.
func (p *PackedBF16) Pack(transB bool, k, n int, b []float32, ldb int) {
	rb, cb := k, n
	if transB {
		rb, cb = n, k
	}
	checkMatrix("b", rb, cb, b, ldb)
	*p = PackedBF16{transB: transB, k: k, n: n, b: b, ldb: ldb, buf: p.buf}
	if !useAMX || k == 0 || n == 0 || ldb >= 1<<26 {
		return
	}
	slot, np := p.slot(), (n+31)/32
	if cap(p.buf) < np*slot {
		p.buf = make([]float32, np*slot)
	}
	p.buf = p.buf[:np*slot]
	g := gemmArgs{kern: kernBF16, transB: transB, k: k, n: n, b: b, ldb: ldb}
	w := workPool.Get().(*gemmWork)
	defer workPool.Put(w)
	for q := 0; q < np; q++ {
		d := p.buf[q*slot : (q+1)*slot]
		for p0 := 0; p0 < k; p0 += kcBlock {
			kb := min(kcBlock, k-p0)
			g.packB(w.b, 32*q, min(32, n-32*q), p0, kb, 32)
			copy(d[p0/2*32:], w.b[:(kb+1)/2*32])
		}
		clear(d[(k+1)/2*32:])
	}
	p.packed = true
}

// GemmPackedBF16 is GemmBF16 with alpha 1 and op(B) packed by p: c =
// op(a)·op(B) + beta·c, op(a) m×k. It panics as Gemm does.
func GemmPackedBF16(transA bool, m int, a []float32, lda int, p *PackedBF16, beta float32, c []float32, ldc int) {
	k, n := p.k, p.n
	if !p.packed || !useAMX || (beta != 0 && beta != 1) || m <= 0 || k == 0 || lda >= 1<<26 || ldc >= 1<<26 {
		GemmBF16(transA, p.transB, m, n, k, 1, a, lda, p.b, p.ldb, beta, c, ldc)
		return
	}
	ra, ca := m, k
	if transA {
		ra, ca = k, m
	}
	checkMatrix("a", ra, ca, a, lda)
	checkMatrix("c", m, n, c, ldc)
	gemmAMX(transA, p.transB, m, n, k, a, lda, p.b, p.ldb, p, beta, c, ldc)
}
