//go:build amd64 && !purego

// Declarations of the exponential pass of SoftmaxCrossEntropy in
// softmax_amd64.s, chosen from the CPU's features.

package kernel

//go:noescape
func expSum512(dst, x *float32, n int, shift float32) float32

//go:noescape
func expSum256(dst, x *float32, n int, shift float32) float32

// softmaxLevel is the implementation in use: 0 Go, 1 AVX2, 2 AVX-512
// (tests force each). It is chosen here, from the CPU's features, and not
// borrowed from another kernel's level, whose values mean other things.
var softmaxLevel = func() int {
	switch {
	case hasAVX512:
		return 2
	case hasAVX2:
		return 1
	}
	return 0
}()

// expSumSIMD sets dst[i] = exp(clamp(x[i]-shift)) for the leading elements
// that fit the vector width and returns how many it did and their sum.
func expSumSIMD(dst, x []float32, shift float32) (int, float32) {
	switch softmaxLevel {
	case 2:
		if n := len(x) &^ 15; n > 0 {
			return n, expSum512(&dst[0], &x[0], n, shift)
		}
	case 1:
		if n := len(x) &^ 7; n > 0 {
			return n, expSum256(&dst[0], &x[0], n, shift)
		}
	}
	return 0, 0
}

// forceSoftmax selects an implementation by name ("generic", "avx2",
// "avx512") until the returned function is called.
func forceSoftmax(name string) func() {
	old := softmaxLevel
	softmaxLevel = map[string]int{"generic": 0, "avx2": 1, "avx512": 2}[name]
	return func() { softmaxLevel = old }
}
