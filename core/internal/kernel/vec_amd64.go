//go:build amd64 && !purego

// Declarations of the AVX2 vector loops in vec_amd64.s.

package kernel

//go:noescape
func axpyVec(a float32, x, y *float32, n int)

//go:noescape
func scaleVec(a float32, x *float32, n int)

//go:noescape
func sumSquaresVec(x *float32, n int) float64

//go:noescape
func adamVec(w, grad, m, v *float32, n int, c *adamConsts)
