// The engine's matrix multiply, exported so that code outside core (the
// `arkit bench` gemm workload in internal/bench) measures the very kernel
// the LSTM runs on, which lives in core/internal/kernel and cannot be
// imported from there.

package core

import "github.com/arkit-go/arkit/core/internal/kernel"

// MatMul sets dst = a·b, where a is m×k, b is k×n and dst is m×n, all
// row-major and dense. It runs on the kernel that the LSTM's training steps
// use (assembly on amd64, spread over the cores for large products).
// MatMul panics if m, k or n is negative or a slice is shorter than its
// matrix.
func MatMul(dst, a, b []float32, m, k, n int) {
	if m < 0 || k < 0 || n < 0 {
		panic("core: MatMul with a negative dimension")
	}
	if len(a) < m*k || len(b) < k*n || len(dst) < m*n {
		panic("core: MatMul slice shorter than its matrix")
	}
	kernel.Gemm(false, false, m, n, k, 1, a, max(k, 1), b, max(n, 1), 0, dst, max(n, 1))
}
