// Matrix products. The portable implementation delegates to gonum's blas32.

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
// leading dimensions lda, ldb and ldc.
func Gemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	if m == 0 || n == 0 {
		return
	}
	blas32.Implementation().Sgemm(trans(transA), trans(transB), m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// Gemv computes y = alpha*op(a)*x + beta*y, where a is m×n row-major with
// leading dimension lda; op(a) is a (len(x) = n, len(y) = m) or its transpose
// (len(x) = m, len(y) = n).
func Gemv(transA bool, m, n int, alpha float32, a []float32, lda int, x []float32, beta float32, y []float32) {
	if m == 0 || n == 0 {
		return
	}
	blas32.Implementation().Sgemv(trans(transA), m, n, alpha, a, lda, x, 1, beta, y, 1)
}
