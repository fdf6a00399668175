//go:build !amd64 || purego

// Portable matrix products: gonum's blas32, which beats plain blocked Go.

package kernel

func gemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	gemmGonum(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

func gemv(transA bool, m, n int, alpha float32, a []float32, lda int, x []float32, beta float32, y []float32) {
	gemvGonum(transA, m, n, alpha, a, lda, x, beta, y)
}

func gemvPair(m, n1, n2 int, a1 []float32, lda1 int, x1 []float32, a2 []float32, lda2 int, x2 []float32, beta float32, y []float32) {
	gemvGonum(false, m, n1, 1, a1, lda1, x1, beta, y)
	gemvGonum(false, m, n2, 1, a2, lda2, x2, 1, y)
}

// HasBF16 reports whether GemmBF16 rounds to bfloat16 (never in the portable build).
func HasBF16() bool { return false }

// FastBF16 reports whether GemmBF16 is faster than Gemm: never here.
func FastBF16() bool { return false }

// DisableBF16 does nothing here (HasBF16 is false already).
func DisableBF16() (restore func()) { return func() {} }

func gemmBF16(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// heldB is op(B) as the portable build's packed types keep it: the
// matrix itself, remembered.
type heldB struct {
	transB bool
	k, n   int
	b      []float32
	ldb    int
}

// hold remembers op(B) (k×n; b is n×k with transB). It panics as Gemm does
// on a short b.
func hold(transB bool, k, n int, b []float32, ldb int) heldB {
	rb, cb := k, n
	if transB {
		rb, cb = n, k
	}
	checkMatrix("b", rb, cb, b, ldb)
	return heldB{transB: transB, k: k, n: n, b: b, ldb: ldb}
}

// PackedBF16 is op(B) for GemmPackedBF16; in the portable build it only
// remembers the matrix.
type PackedBF16 struct{ heldB }

// Pack remembers op(B) (k×n; b is n×k with transB). It panics as Gemm does
// on a short b.
func (p *PackedBF16) Pack(transB bool, k, n int, b []float32, ldb int) {
	p.heldB = hold(transB, k, n, b, ldb)
}

// GemmPackedBF16 is GemmBF16 with alpha 1 and op(B) from p.
func GemmPackedBF16(transA bool, m int, a []float32, lda int, p *PackedBF16, beta float32, c []float32, ldc int) {
	GemmBF16(transA, p.transB, m, p.n, p.k, 1, a, lda, p.b, p.ldb, beta, c, ldc)
}

// Packed is op(B) for GemmPacked; in the portable build it only remembers
// the matrix.
type Packed struct {
	// Serial is kept for the API; the portable Gemm runs as gonum does.
	Serial bool
	heldB
}

// Pack remembers op(B) (k×n; b is n×k with transB). It panics as Gemm does
// on a short b.
func (p *Packed) Pack(transB bool, k, n int, b []float32, ldb int) {
	p.heldB = hold(transB, k, n, b, ldb)
}

// GemmPacked is Gemm with alpha 1 and op(B) from p.
func GemmPacked(transA bool, m int, a []float32, lda int, p *Packed, beta float32, c []float32, ldc int) {
	Gemm(transA, p.transB, m, p.n, p.k, 1, a, lda, p.b, p.ldb, beta, c, ldc)
}
