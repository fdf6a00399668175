// Matrix products: argument checks and the entry points. The work is done by
// gemm and gemv, which are assembly-backed on amd64 (gemm_amd64.go) and
// gonum's blas32 elsewhere or with -tags purego (gemm_generic.go).

package kernel

import (
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
)

func trans(t bool) blas.Transpose {
	if t {
		return blas.Trans
	}
	return blas.NoTrans
}

// Gemm computes c = alpha*op(a)*op(b) + beta*c, where op(x) is x or its
// transpose, op(a) is m×k, op(b) is k×n and c is m×n, all row-major with
// leading dimensions lda, ldb and ldc. As in BLAS, c is not read when beta
// is 0 (NaNs in it do not propagate) and a and b are not read when alpha is
// 0 or k is 0. Gemm panics if a leading dimension or a slice is too small.
// It is safe for concurrent use on distinct outputs.
func Gemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	if gemmPrologue(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) {
		gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
	}
}

// gemmPrologue checks Gemm's arguments (panicking as Gemm documents) and
// does the work of the calls without products: none when m or n is 0,
// c = beta·c when k or alpha is 0. It reports whether products remain.
func gemmPrologue(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) bool {
	if m == 0 || n == 0 {
		return false
	}
	if m < 0 || n < 0 || k < 0 {
		panic("kernel: negative Gemm dimension")
	}
	ra, ca := m, k
	if transA {
		ra, ca = k, m
	}
	rb, cb := k, n
	if transB {
		rb, cb = n, k
	}
	checkMatrix("a", ra, ca, a, lda)
	checkMatrix("b", rb, cb, b, ldb)
	checkMatrix("c", m, n, c, ldc)
	if k == 0 || alpha == 0 {
		for i := 0; i < m; i++ {
			scaleOut(beta, c[i*ldc:i*ldc+n])
		}
		return false
	}
	return true
}

// GemmBF16 is Gemm with the elements of op(a) and op(b) rounded to
// bfloat16 (to nearest even, as PyTorch's autocast does; subnormal inputs
// count as zero) and the products accumulated in float32: mixed-precision
// training's matrix products. a, b and c stay float32; the rounding happens
// while the operands are packed. On a CPU without AVX-512 BF16 (see
// HasBF16), or with -tags purego, it is Gemm, exact in float32. It panics
// as Gemm does.
func GemmBF16(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	if !HasBF16() {
		Gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	if gemmPrologue(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) {
		gemmBF16(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
	}
}

// Gemv computes y = alpha*op(a)*x + beta*y, where a is m×n row-major with
// leading dimension lda; op(a) is a (len(x) = n, len(y) = m) or its transpose
// (len(x) = m, len(y) = n). As in BLAS, y is not read when beta is 0. Gemv
// panics if lda or a slice is too small.
func Gemv(transA bool, m, n int, alpha float32, a []float32, lda int, x []float32, beta float32, y []float32) {
	if m == 0 || n == 0 {
		return
	}
	if m < 0 || n < 0 {
		panic("kernel: negative Gemv dimension")
	}
	checkMatrix("a", m, n, a, lda)
	lx, ly := n, m
	if transA {
		lx, ly = m, n
	}
	if len(x) < lx || len(y) < ly {
		panic("kernel: Gemv vector too short")
	}
	if alpha == 0 {
		scaleOut(beta, y[:ly])
		return
	}
	gemv(transA, m, n, alpha, a, lda, x[:lx], beta, y[:ly])
}

// GemvPair computes y = a1·x1 + a2·x2 + beta*y, where a1 is m×n1 and a2 is
// m×n2 (row-major, leading dimensions lda1 and lda2): an LSTM layer's two
// products for one sequence, in one pass over the cores. As in BLAS, y is not
// read when beta is 0. It panics if a dimension, lda or a slice is too small.
func GemvPair(m, n1, n2 int, a1 []float32, lda1 int, x1 []float32, a2 []float32, lda2 int, x2 []float32, beta float32, y []float32) {
	if m < 0 || n1 < 0 || n2 < 0 {
		panic("kernel: negative GemvPair dimension")
	}
	checkMatrix("a1", m, n1, a1, lda1)
	checkMatrix("a2", m, n2, a2, lda2)
	if len(x1) < n1 || len(x2) < n2 || len(y) < m {
		panic("kernel: GemvPair vector too short")
	}
	switch {
	case m == 0:
	case n1 == 0 && n2 == 0:
		scaleOut(beta, y[:m])
	case n1 == 0:
		Gemv(false, m, n2, 1, a2, lda2, x2, beta, y)
	case n2 == 0:
		Gemv(false, m, n1, 1, a1, lda1, x1, beta, y)
	default:
		gemvPair(m, n1, n2, a1, lda1, x1[:n1], a2, lda2, x2[:n2], beta, y[:m])
	}
}

// checkMatrix panics unless s holds a rows×cols matrix with leading dimension ld.
func checkMatrix(name string, rows, cols int, s []float32, ld int) {
	if ld < max(1, cols) {
		panic("kernel: leading dimension of " + name + " too small")
	}
	if rows > 0 && cols > 0 && len(s) < (rows-1)*ld+cols {
		panic("kernel: slice " + name + " too short")
	}
}

// scaleOut sets y = beta*y, writing zeros without reading y when beta is 0.
func scaleOut(beta float32, y []float32) {
	switch beta {
	case 0:
		clear(y)
	case 1:
	default:
		for i := range y {
			y[i] *= beta
		}
	}
}

func gemmGonum(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	blas32.Implementation().Sgemm(trans(transA), trans(transB), m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

func gemvGonum(transA bool, m, n int, alpha float32, a []float32, lda int, x []float32, beta float32, y []float32) {
	blas32.Implementation().Sgemv(trans(transA), m, n, alpha, a, lda, x, 1, beta, y, 1)
}
