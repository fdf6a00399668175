//go:build amd64 && !purego

// Test hooks for amd64: the GEMM variants (gonum, each micro-kernel with
// both packing schemes) and a switch to a single goroutine.

package kernel

const gemmAllocates = false

// gemmVariants lists the GEMM implementations this machine can run, each
// with a function that selects it and returns a function restoring the default.
func gemmVariants() []gemmVariant {
	vs := []gemmVariant{{"gonum", func() func() {
		old := useKernel
		useKernel = nil
		return func() { useKernel = old }
	}}}
	for _, k := range []*gemmKernel{kernAVX2, kernAVX512} {
		if k == kernAVX512 && useKernel != kernAVX512 {
			continue
		}
		if useKernel == nil {
			continue
		}
		vs = append(vs, gemmVariant{k.name, func() func() {
			old, old512 := useKernel, hasAVX512
			useKernel = k
			hasAVX512 = old512 && k == kernAVX512 // the GEMV routines follow
			return func() { useKernel, hasAVX512 = old, old512 }
		}}, gemmVariant{k.name + "-blocked", func() func() {
			old := useKernel
			useKernel = k
			packAllLimit = 0
			return func() { useKernel, packAllLimit = old, packAllMax }
		}})
	}
	return vs
}

// serialGemm makes Gemm run on one goroutine until the returned function is called.
func serialGemm() func() {
	old := maxThreads
	maxThreads = 1
	return func() { maxThreads = old }
}

// bf16Variants lists GemmBF16's paths this machine can run: both packing
// schemes, on the caller alone and split over goroutines.
func bf16Variants() []gemmVariant {
	avx512 := func() func() {
		old := useAMX
		useAMX = false
		return func() { useAMX = old }
	}
	vs := []gemmVariant{
		{"avx512bf16", avx512},
		{"avx512bf16-blocked", func() func() {
			r := avx512()
			packAllLimit = 0
			return func() { packAllLimit = packAllMax; r() }
		}},
		{"avx512bf16-serial", func() func() {
			r, s := avx512(), serialGemm()
			return func() { s(); r() }
		}},
	}
	if useAMX {
		vs = append(vs, gemmVariant{"amx", func() func() { return func() {} }}, gemmVariant{"amx-serial", serialGemm})
	}
	return vs
}
