//go:build !amd64 || purego

// Portable matrix products: gonum's blas32, which beats plain blocked Go.

package kernel

func gemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	gemmGonum(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

func gemv(transA bool, m, n int, alpha float32, a []float32, lda int, x []float32, beta float32, y []float32) {
	gemvGonum(transA, m, n, alpha, a, lda, x, beta, y)
}
