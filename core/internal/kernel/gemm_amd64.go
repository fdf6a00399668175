//go:build amd64 && !purego

// The amd64 GEMM driver: blocking, packing, edge tiles and the split over
// cores around the assembly micro-kernels in gemm_amd64.s.

package kernel

import (
	"runtime"
	"sync"
	"sync/atomic"

	"golang.org/x/sys/cpu"
)

//go:noescape
func kern8x32(kc int, a, b, c *float32, ldc int, alpha, beta float32)

//go:noescape
func kern6x16(kc int, a, b, c *float32, ldc int, alpha, beta float32)

//go:noescape
func kernBF16x32(kc int, a, b, c *float32, ldc int, alpha, beta float32)

//go:noescape
func pairBF16(p *float32, w, kb int)

//go:noescape
func copyRows(dst, src *float32, ld, kc, nv int)

//go:noescape
func transpose8(dst, src *float32, ld, kc, rows, stride int)

//go:noescape
func copy8(dst, src *float32, ld, kc, rows, stride int)

// gemmKernel describes one micro-kernel: it computes an mr×nr tile of C.
type gemmKernel struct {
	name   string
	mr, nr int
	mc     int // rows of op(A) packed at once (a multiple of mr)
	kern   func(kc int, a, b, c *float32, ldc int, alpha, beta float32)
	pairs  bool // bf16: packed panels are converted to pairs (gemm_bf16_amd64.s)
}

var (
	kernAVX512 = &gemmKernel{name: "avx512", mr: 8, nr: 32, mc: 256, kern: kern8x32}
	kernAVX2   = &gemmKernel{name: "avx2", mr: 6, nr: 16, mc: 252, kern: kern6x16}
	kernBF16   = &gemmKernel{name: "avx512bf16", mr: 8, nr: 32, mc: 256, kern: kernBF16x32, pairs: true}
)

const (
	kcBlock = 256 // depth of one packed block: a 256×32 B panel is 32 KiB, inside L1

	// parFlops is the smallest m*n*k worth splitting over two goroutines:
	// below it, waking a second thread costs more than it saves.
	parFlops = 1 << 21
)

// useKernel is the micro-kernel in use; nil means no usable SIMD (use gonum).
// hasAVX2 also gates the vector (GEMV, LSTM, Adam) routines.
var (
	useKernel *gemmKernel
	hasAVX2   = cpu.X86.HasAVX2 && cpu.X86.HasFMA
)

// useBF16Kernel is GemmBF16's micro-kernel; nil means GemmBF16 is Gemm.
var useBF16Kernel *gemmKernel

// HasBF16 reports whether GemmBF16 rounds to bfloat16: the CPU has AVX-512
// BF16 (VDPBF16PS) and it is not switched off (tests force the fallback).
func HasBF16() bool { return useBF16Kernel != nil }

// FastBF16 reports whether GemmBF16 is faster than Gemm on this CPU: on
// AMX tiles (2.7-3.5x on a word model's products, Intel Xeon with AMX), and
// on AMD's AVX-512 BF16 (1.5-1.9x in CPU time by BenchmarkGemmBF16, AMD EPYC
// family 26). On the Intel Xeon with AMX, the AVX-512 BF16 kernel alone ran
// at 0.6-0.7x of Gemm, so an Intel CPU without AMX keeps fp32.
func FastBF16() bool { return useBF16Kernel != nil && (useAMX || isAMD) }

// DisableBF16 makes this CPU one without AVX-512 BF16 (HasBF16 false,
// GemmBF16 = Gemm) until the returned function is called: tests of the
// fallback on a machine that has it. Not safe for concurrent use.
func DisableBF16() (restore func()) {
	old := useBF16Kernel
	useBF16Kernel = nil
	return func() { useBF16Kernel = old }
}

func init() {
	if cpu.X86.HasAVX512BF16 && cpu.X86.HasAVX512BW && cpu.X86.HasAVX512VL && hasAVX2 {
		useBF16Kernel = kernBF16
	}
	switch {
	case cpu.X86.HasAVX512F && cpu.X86.HasAVX512VL && hasAVX2:
		useKernel = kernAVX512
	case hasAVX2:
		useKernel = kernAVX2
	}
}

// gemmWork is one goroutine's packing space, recycled through a pool.
type gemmWork struct {
	a    []float32 // mc×kc block of op(A), in mr-row panels (blocked scheme; 256 KiB)
	b    []float32 // kc×nr panel of op(B)
	tile []float32 // mr×nr edge tile
}

var workPool = sync.Pool{New: func() any {
	const mc, nr, mr = 256, 32, 8 // the largest of all kernels
	return &gemmWork{
		a:    make([]float32, mc*kcBlock+8),
		b:    make([]float32, kcBlock*nr+8),
		tile: make([]float32, 32*32), // mr×nr, or a 32×32 AMX block
	}
}}

// sharedA is op(A) packed whole, read by every goroutine of one GEMM.
type sharedA struct{ buf []float32 }

var sharedPool = sync.Pool{New: func() any { return &sharedA{make([]float32, packAllMax+8)} }}

// packAllMax bounds the floats of op(A) packed whole (256 KiB, within L2);
// packAllLimit is the bound in force (tests set 0 to force the blocked scheme).
const packAllMax = 64 << 10

var packAllLimit = packAllMax

// gemmArgs is one GEMM call, already checked.
type gemmArgs struct {
	kern           *gemmKernel
	transA, transB bool
	m, n, k        int
	alpha, beta    float32
	a, b, c        []float32
	lda, ldb, ldc  int
	ap             []float32   // op(A) packed whole, or nil for the blocked scheme
	amx            []uint16    // op(A) in bf16 rows for the AMX scheme (gemm_amx_amd64.go), or nil
	pb             *PackedBF16 // op(B) packed for the AMX scheme, or nil
	pf             []float32   // op(B) packed by Packed for the shared-A scheme, or nil
}

// gemm computes C with one of two schemes:
//
//   - op(A) small (the LSTM case, m ≤ 64 or so): op(A) is packed once,
//     whole, and shared; C is cut into column panels of nr that the
//     goroutines take one at a time, each packing its kc×nr B panel into L1
//     and running every row tile against it.
//   - otherwise, the blocked scheme: C is cut into a few chunks of columns
//     (or rows); each goroutine packs mc×kc blocks of op(A) and kc×nr
//     panels of op(B) for its chunk.
func gemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	gemmWith(useKernel, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, nil, false)
}

// gemmBF16 runs the bf16 kernel through the same driver: every packed panel
// is converted to bf16 pairs once packed, so one row of C (m = 1) also goes
// through it rather than through the float32 GEMV.
func gemmBF16(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	if useAMX && alpha == 1 && (beta == 0 || beta == 1) && lda < 1<<26 && ldb < 1<<26 && ldc < 1<<26 {
		gemmAMX(transA, transB, m, n, k, a, lda, b, ldb, nil, beta, c, ldc)
		return
	}
	gemmWith(useBF16Kernel, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, nil, false)
}

// gemmWith runs kernel kn; pb, when not nil, holds op(B) already packed for
// kn (Packed), used when op(A) is packed whole; serial keeps the product on
// the calling goroutine.
func gemmWith(kn *gemmKernel, transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int, pb []float32, serial bool) {
	if kn == nil || lda >= 1<<26 || ldb >= 1<<26 {
		gemmGonum(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	if m == 1 && hasAVX2 && !kn.pairs {
		gemmRow(transA, transB, n, k, alpha, a, lda, b, ldb, beta, c)
		return
	}
	ch := chunkPool.Get().(*chunker)
	defer chunkPool.Put(ch)
	ch.g = gemmArgs{kn, transA, transB, m, n, k, alpha, beta, a, b, c, lda, ldb, ldc, nil, nil, nil, nil}
	g := &ch.g
	mp := (m + kn.mr - 1) / kn.mr * kn.mr
	var sh *sharedA
	if mp*k <= packAllLimit {
		sh = sharedPool.Get().(*sharedA)
		g.ap = sh.buf
		for p0 := 0; p0 < k; p0 += kcBlock {
			kb := min(kcBlock, k-p0)
			g.packA(g.ap[p0*mp:], 0, m, p0, kb, kn.mr)
		}
		g.pf = pb
	}
	helpers := min(runtime.GOMAXPROCS(0), maxThreads) - 1
	if m*n*k < parFlops || serial {
		helpers = 0
	}
	parts := 2 * (helpers + 1) // blocked scheme: chunks per goroutine
	np := (n + kn.nr - 1) / kn.nr
	switch {
	case g.ap != nil:
		ch.cols, ch.size, ch.total = true, kn.nr, n
	case m < n && np >= parts || m < parts*kn.mr:
		// column chunks each pack all of op(A); row chunks would
		// each pack all of op(B).
		ch.cols, ch.size, ch.total = true, (np+parts-1)/parts*kn.nr, n
	default:
		mq := (m + kn.mr - 1) / kn.mr
		ch.cols, ch.size, ch.total = false, (mq+parts-1)/parts*kn.mr, m
	}
	if helpers == 0 {
		ch.serial()
	} else {
		ch.run(helpers)
	}
	if sh != nil {
		sharedPool.Put(sh)
	}
	ch.g = gemmArgs{}
}

// serial computes every chunk on the calling goroutine, without the
// hand-over machinery of run (a small product in a loop, such as an LSTM
// time step's, pays it at every call).
func (c *chunker) serial() {
	c.count = (c.total + c.size - 1) / c.size
	w := workPool.Get().(*gemmWork)
	defer workPool.Put(w)
	for q := 0; q < c.count; q++ {
		c.chunk(w, &c.g, q)
	}
	c.failure.raise()
}

// maxThreads caps the goroutines of one GEMM (benchmarks lower it).
var maxThreads = 1 << 20

// The GEMM workers: GOMAXPROCS-1 goroutines, started at the first parallel
// GEMM, each waiting for chunkers to work on.
var (
	workersOnce sync.Once
	gemmJobs    = make(chan *chunker)
	chunkPool   = sync.Pool{New: func() any { return &chunker{done: make(chan struct{}, 1)} }}
)

// run offers the chunks to up to helpers idle workers, works on them too and
// returns when all are done.
func (c *chunker) run(helpers int) {
	c.count = (c.total + c.size - 1) / c.size
	c.finished.Store(0)
	c.left.Store(uint64(c.count)) // chunks [0, count) left; publishes the fields above
	// The team serves machines of up to maxTeam cores; on larger ones a big
	// GEMM wants every core, which the channel workers give it.
	if c.count > 1 && helpers > 0 && helpers < maxTeam && useTeam && gemvTeam.do(c, helpers+1) {
		<-c.done // a GEMM worker may have come late for a chunk: wait for every chunk
		c.failure.raise()
		return
	}
	if c.count > 1 && helpers > 0 {
		workersOnce.Do(startWorkers)
		for range helpers {
			select {
			case gemmJobs <- c:
			default: // every worker is busy (concurrent callers)
			}
		}
	}
	c.work(false)
	<-c.done // all chunks finished, by whichever goroutine
	c.failure.raise()
}

// useTeam sends parallel GEMMs to the spinning team (team_amd64.go) when it is free.
var useTeam = true

// runPart makes a chunker a team job: every part takes chunks until none is left.
func (c *chunker) runPart(p int) { c.work(p != 0) }

func startWorkers() {
	for range max(1, runtime.GOMAXPROCS(0)-1) {
		go func() {
			for ch := range gemmJobs {
				ch.work(true)
			}
		}()
	}
}

// chunker hands out the chunks of one GEMM: the goroutines take them in
// turn, so one slow to get a core (a busy machine) just takes fewer, and the
// caller waits only for chunks in progress, never for a worker to start. The
// caller takes chunks from the front and the workers from the back, so that
// on an idle machine each core tends to get the same part of B call after
// call and keeps it in its own L2 cache.
//
// Chunkers are pooled: a worker that starts late may find the chunker
// already reused by the next GEMM, and then simply helps with that one.
type chunker struct {
	g                  gemmArgs
	cols               bool // chunks of columns (else of rows)
	packing            bool // chunks of rows of op(A) to round for AMX (gemm_amx_amd64.go)
	size, total, count int
	left               atomic.Uint64 // the chunks not yet taken: [lo, hi) as lo<<32 | hi
	finished           atomic.Int64  // chunks done
	done               chan struct{} // receives once all count chunks are done
	failure            failure       // the first panic of a chunk
}

// take returns the next chunk from the back or the front, or -1 if none is left.
func (c *chunker) take(back bool) int {
	for {
		v := c.left.Load()
		lo, hi := int(v>>32), int(v&0xffffffff)
		if lo >= hi {
			return -1
		}
		next, q := uint64(lo+1)<<32|uint64(hi), lo
		if back {
			next, q = uint64(lo)<<32|uint64(hi-1), hi-1
		}
		if c.left.CompareAndSwap(v, next) {
			return q
		}
	}
}

func (c *chunker) work(back bool) {
	w := workPool.Get().(*gemmWork)
	defer workPool.Put(w)
	g := &c.g
	for {
		q := c.take(back)
		if q < 0 {
			return
		}
		// While chunk q is out, the GEMM cannot finish and c stays as it
		// is; once it is counted as finished, c may be reused at once.
		count := c.count
		c.chunk(w, g, q)
		if int(c.finished.Add(1)) == count {
			c.done <- struct{}{}
		}
	}
}

// chunk computes chunk q. A panic (a bug in a kernel) is kept for the caller
// of the GEMM to raise, rather than ending the program from a worker
// goroutine that nothing can recover; the chunk still counts as finished.
func (c *chunker) chunk(w *gemmWork, g *gemmArgs, q int) {
	defer c.failure.catch()
	if chunkHook != nil {
		chunkHook(q)
	}
	lo := q * c.size
	hi := min(lo+c.size, c.total)
	switch {
	case c.packing:
		g.packAMXRows(lo, hi)
	case g.amx != nil:
		g.runAMX(w, lo, hi)
	case g.ap != nil:
		g.runPanel(w, lo)
	case c.cols:
		g.run(w, 0, g.m, lo, hi)
	default:
		g.run(w, lo, hi, 0, g.n)
	}
}

// chunkHook, when set (by tests), runs before each chunk.
var chunkHook func(q int)

// runPanel computes the columns [j0, j0+nr) of C from the shared packed A.
func (g *gemmArgs) runPanel(w *gemmWork, j0 int) {
	kn := g.kern
	mr, nr := kn.mr, kn.nr
	mp := (g.m + mr - 1) / mr * mr
	nb := min(nr, g.n-j0)
	for p0 := 0; p0 < g.k; p0 += kcBlock {
		kb := min(kcBlock, g.k-p0)
		beta := g.beta
		if p0 > 0 {
			beta = 1
		}
		bp := w.b
		if g.pf != nil {
			bp = g.pf[j0*g.k+p0*nr:]
		} else {
			g.packB(w.b, j0, nb, p0, kb, nr)
		}
		g.tiles(w, g.ap[p0*mp:], bp, 0, g.m, j0, nb, kb, beta)
	}
}

// run computes the block C[i0:i1, j0:j1] with the blocked scheme.
func (g *gemmArgs) run(w *gemmWork, i0, i1, j0, j1 int) {
	kn := g.kern
	mr, nr, mc := kn.mr, kn.nr, kn.mc
	for p0 := 0; p0 < g.k; p0 += kcBlock {
		kb := min(kcBlock, g.k-p0)
		beta := g.beta
		if p0 > 0 {
			beta = 1
		}
		for ii := i0; ii < i1; ii += mc {
			mb := min(mc, i1-ii)
			g.packA(w.a, ii, mb, p0, kb, mr)
			for jj := j0; jj < j1; jj += nr {
				nb := min(nr, j1-jj)
				g.packB(w.b, jj, nb, p0, kb, nr)
				g.tiles(w, w.a, w.b, ii, mb, jj, nb, kb, beta)
			}
		}
	}
}

// tiles runs the micro-kernel down one packed B panel (columns [j0, j0+nb))
// (at bp) for the rows [i0, i0+mb) whose packed A panels start at ap.
func (g *gemmArgs) tiles(w *gemmWork, ap, bp []float32, i0, mb, j0, nb, kb int, beta float32) {
	kn := g.kern
	mr, nr := kn.mr, kn.nr
	for ir := 0; ir < mb; ir += mr {
		rows := min(mr, mb-ir)
		a := &ap[ir*kb]
		ci := (i0+ir)*g.ldc + j0
		if rows == mr && nb == nr {
			kn.kern(kb, a, &bp[0], &g.c[ci], g.ldc, g.alpha, beta)
			continue
		}
		kn.kern(kb, a, &bp[0], &w.tile[0], nr, g.alpha, 0)
		for r := 0; r < rows; r++ {
			t := w.tile[r*nr : r*nr+nb]
			cr := g.c[ci+r*g.ldc : ci+r*g.ldc+nb]
			if beta == 0 {
				copy(cr, t)
				continue
			}
			for j, v := range t {
				cr[j] = v + beta*cr[j]
			}
		}
	}
}

// packA packs rows [i0, i0+mb) and depths [p0, p0+kb) of op(A) into panels
// of mr rows: panel q holds dst[q*mr*kb + p*mr + r] = op(A)[i0+q*mr+r][p0+p],
// zero beyond row mb (then, for the bf16 kernel, converts each panel to pairs).
func (g *gemmArgs) packA(dst []float32, i0, mb, p0, kb, mr int) {
	for q := 0; q*mr < mb; q++ {
		rows := min(mr, mb-q*mr)
		d := dst[q*mr*kb:]
		if g.transA { // A is k×m: op(A)[i][p] = a[p*lda+i]
			copy8(&d[0], &g.a[p0*g.lda+i0+q*mr], g.lda, kb, rows, mr)
		} else {
			packT(d, g.a[(i0+q*mr)*g.lda+p0:], g.lda, kb, rows, mr)
		}
		if g.kern.pairs {
			pairBF16(&d[0], mr, kb)
		}
	}
}

// packB packs columns [j0, j0+nb) and depths [p0, p0+kb) of op(B) into one
// panel dst[p*nr+j] = op(B)[p0+p][j0+j], zero beyond column nb (then, for
// the bf16 kernel, converts it to pairs).
func (g *gemmArgs) packB(dst []float32, j0, nb, p0, kb, nr int) {
	g.packB32(dst, j0, nb, p0, kb, nr)
	if g.kern.pairs {
		pairBF16(&dst[0], nr, kb)
	}
}

func (g *gemmArgs) packB32(dst []float32, j0, nb, p0, kb, nr int) {
	if !g.transB {
		if nb == nr {
			copyRows(&dst[0], &g.b[p0*g.ldb+j0], g.ldb, kb, nr/8)
			return
		}
		for s := 0; s < nr; s += 8 {
			copy8(&dst[s], &g.b[p0*g.ldb+min(j0+s, j0+nb-1)], g.ldb, kb, max(0, min(8, nb-s)), nr)
		}
		return
	}
	// B is n×k: op(B)[p][j] = b[j*ldb+p].
	for s := 0; s < nr; s += 8 {
		packT(dst[s:], g.b[min(j0+s, j0+nb-1)*g.ldb+p0:], g.ldb, kb, max(0, min(8, nb-s)), nr)
	}
}

// packT sets dst[p*stride+i] = src[i*ld+p] for p < kb and i < rows (rows
// ≤ 8); lanes i ≥ rows are padding. Blocks of 8 steps are transposed in
// registers, the last kb%8 steps copied in Go (gathers are slower).
func packT(dst, src []float32, ld, kb, rows, stride int) {
	if rows == 0 {
		copy8(&dst[0], &src[0], ld, kb, 0, stride) // zeros
		return
	}
	k8 := kb &^ 7
	if k8 > 0 {
		transpose8(&dst[0], &src[0], ld, k8, rows, stride)
	}
	for p := k8; p < kb; p++ {
		d := dst[p*stride : p*stride+8]
		for i := range d {
			if i < rows {
				d[i] = src[i*ld+p]
			} else {
				d[i] = 0
			}
		}
	}
}

//go:noescape
func dotRows256(a *float32, lda, rows int, x *float32, n int, y *float32, alpha, beta float32)

//go:noescape
func dotRows512(a *float32, lda, rows int, x *float32, n int, y *float32, alpha, beta float32)

// hasAVX512 selects the AVX-512 matrix-vector routines.
var hasAVX512 = cpu.X86.HasAVX512F && cpu.X86.HasAVX512VL && cpu.X86.HasAVX512DQ && hasAVX2

// dotRows computes y[r] = alpha*Σ_j a[r*lda+j]*x[j] + beta*y[r] for r < rows
// (y not read when beta == 0).
func dotRows(a *float32, lda, rows int, x *float32, n int, y *float32, alpha, beta float32) {
	if hasAVX512 {
		dotRows512(a, lda, rows, x, n, y, alpha, beta)
	} else {
		dotRows256(a, lda, rows, x, n, y, alpha, beta)
	}
}

//go:noescape
func axpyRows(a *float32, lda, m int, x *float32, y *float32, n int, alpha, beta float32)

// gemvParMin is the smallest matrix (in floats) whose GEMV is split over the
// team (team_amd64.go): 128 KiB, read from L2 in about two microseconds,
// several times what handing a part to a spinning worker costs.
const gemvParMin = 1 << 15

func gemv(transA bool, m, n int, alpha float32, a []float32, lda int, x []float32, beta float32, y []float32) {
	if !hasAVX2 {
		gemvGonum(transA, m, n, alpha, a, lda, x, beta, y)
		return
	}
	runGemv(gemvJob{trans: transA, m: m, n1: n, a1: a, lda1: lda, x1: x, alpha: alpha, beta: beta, y: y}, m*n)
}

func gemvPair(m, n1, n2 int, a1 []float32, lda1 int, x1 []float32, a2 []float32, lda2 int, x2 []float32, beta float32, y []float32) {
	if !hasAVX2 {
		gemvGonum(false, m, n1, 1, a1, lda1, x1, beta, y)
		gemvGonum(false, m, n2, 1, a2, lda2, x2, 1, y)
		return
	}
	runGemv(gemvJob{m: m, n1: n1, n2: n2, a1: a1, lda1: lda1, x1: x1, a2: a2, lda2: lda2, x2: x2, alpha: 1, beta: beta, y: y}, m*(n1+n2))
}

// runGemv runs job over the team when the matrices (floats in all) are
// worth splitting and the team is free, else on the calling goroutine.
func runGemv(job gemvJob, floats int) {
	if p := gemvTeam.parts(floats); p > 1 {
		job.parts = p
		if gemvTeam.doGemv(&job) {
			return
		}
	}
	job.parts = 1
	job.stride = partStride(&job)
	job.runPart(0)
}

var vecPool = sync.Pool{New: func() any { return new([]float32) }}

// gemmRow is Gemm with m = 1, a matrix-vector product.
func gemmRow(transA, transB bool, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32) {
	x := a[:k]
	if transA && lda != 1 { // a is k×1: gather the column
		buf := vecPool.Get().(*[]float32)
		defer vecPool.Put(buf)
		if cap(*buf) < k {
			*buf = make([]float32, k)
		}
		x = (*buf)[:k]
		for p := range x {
			x[p] = a[p*lda]
		}
	}
	if transB { // b is n×k
		gemv(false, n, k, alpha, b, ldb, x, beta, c[:n])
	} else { // b is k×n
		gemv(true, k, n, alpha, b, ldb, x, beta, c[:n])
	}
}

// Packed is op(B) of a float32 product packed once into the micro-kernel's
// panels, for a matrix multiplied many times before it changes (an LSTM's
// recurrent weights over the steps of a window): GemmPacked then skips
// packing op(B) at every call. The zero value is empty; Pack fills it,
// reusing its storage. Results are those of Gemm, bit for bit.
type Packed struct {
	// Serial keeps GemmPacked's products on the calling goroutine (for a
	// caller that shares the work itself, as an LSTM's time loop does with
	// Split); otherwise they are shared as Gemm's are.
	Serial bool

	transB bool
	k, n   int
	b      []float32 // the matrix (read when the packed copy is not used)
	ldb    int
	kern   *gemmKernel // the kernel buf is packed for
	buf    []float32   // panels of nr columns, each k×nr, in blocks of kcBlock steps
}

// Pack packs op(B) (k×n; b is n×k with transB). The products read b
// itself when op(A) is too large to pack whole: pack again whenever b
// changes. It panics as Gemm does on a short b.
func (p *Packed) Pack(transB bool, k, n int, b []float32, ldb int) {
	rb, cb := k, n
	if transB {
		rb, cb = n, k
	}
	checkMatrix("b", rb, cb, b, ldb)
	*p = Packed{Serial: p.Serial, transB: transB, k: k, n: n, b: b, ldb: ldb, buf: p.buf[:0]}
	kn := useKernel
	if kn == nil || k == 0 || n == 0 || ldb >= 1<<26 {
		return
	}
	p.kern = kn
	nr := kn.nr
	np := (n + nr - 1) / nr
	if cap(p.buf) < np*nr*k+8 {
		p.buf = make([]float32, np*nr*k+8)
	}
	p.buf = p.buf[:np*nr*k+8]
	g := gemmArgs{kern: kn, transB: transB, k: k, n: n, b: b, ldb: ldb}
	for q := 0; q < np; q++ {
		for p0 := 0; p0 < k; p0 += kcBlock {
			g.packB32(p.buf[q*nr*k+p0*nr:], q*nr, min(nr, n-q*nr), p0, min(kcBlock, k-p0), nr)
		}
	}
}

// GemmPacked is Gemm with alpha 1 and op(B) packed by p: c = op(a)·op(B) +
// beta·c, op(a) m×k (on the calling goroutine alone if p.Serial). It
// panics as Gemm does.
func GemmPacked(transA bool, m int, a []float32, lda int, p *Packed, beta float32, c []float32, ldc int) {
	if !gemmPrologue(transA, p.transB, m, p.n, p.k, 1, a, lda, p.b, p.ldb, beta, c, ldc) {
		return
	}
	var pf []float32
	if p.kern == useKernel && len(p.buf) > 0 {
		pf = p.buf
	}
	gemmWith(useKernel, transA, p.transB, m, p.n, p.k, 1, a, lda, p.b, p.ldb, beta, c, ldc, pf, p.Serial)
}
