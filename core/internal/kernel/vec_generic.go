//go:build !amd64 || purego

// Without assembly the vector loops of vec.go run in Go.

package kernel

func axpyVec(a float32, x, y *float32, n int)              { panic("unreachable") }
func scaleVec(a float32, x *float32, n int)                { panic("unreachable") }
func sumSquaresVec(x *float32, n int) float64              { panic("unreachable") }
func adamVec(w, grad, m, v *float32, n int, c *adamConsts) { panic("unreachable") }
