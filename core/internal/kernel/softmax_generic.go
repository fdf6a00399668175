//go:build !amd64 || purego

// Without assembly the exponential pass of SoftmaxCrossEntropy runs in Go.

package kernel

func expSumSIMD(dst, x []float32, shift float32) (int, float32) { return 0, 0 }

func forceSoftmax(string) func() { return func() {} }
