//go:build !amd64 || purego

// Test hooks for the portable build: a single GEMM variant.

package kernel

// gemmAllocates: gonum's Sgemm allocates for its own goroutines.
const gemmAllocates = true

func gemmVariants() []gemmVariant {
	return []gemmVariant{{"generic", func() func() { return func() {} }}}
}

func serialGemm() func() { return func() {} }

func bf16Variants() []gemmVariant {
	return []gemmVariant{{"generic", func() func() { return func() {} }}}
}
