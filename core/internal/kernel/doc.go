// Package kernel holds every dense float32 routine the arkit core runs in its
// hot loops: matrix products, the fused LSTM cell arithmetic, softmax with
// cross-entropy and the Adam update.
//
// All matrices are row-major. The model code calls only this package, so a
// faster implementation (assembly, another BLAS) replaces the bodies here
// without touching the model. The functions panic on inconsistent sizes, as
// BLAS does; they never allocate.
package kernel
