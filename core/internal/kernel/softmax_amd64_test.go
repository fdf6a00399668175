//go:build amd64 && !purego

package kernel

import "testing"

// The exponential pass runs the widest SIMD the CPU has by default. It
// once borrowed the compact kernels' level, and when those gained a
// level 3 the softmax fell back to Go unnoticed (word_train 30% slower):
// the variant tests force each level, so only this test sees the default.
func TestSoftmaxDefaultLevel(t *testing.T) {
	want := 0
	switch {
	case hasAVX512:
		want = 2
	case hasAVX2:
		want = 1
	}
	if softmaxLevel != want {
		t.Errorf("SoftmaxCrossEntropy's exponential pass runs level %d on a CPU with level %d", softmaxLevel, want)
	}
}
