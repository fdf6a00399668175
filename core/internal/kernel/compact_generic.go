//go:build !amd64 || purego

// Without assembly the compact products run in Go on the calling goroutine.

package kernel

func runCompact(job compactJob, _ int) {
	job.parts, job.stride = 1, job.rows()
	job.runPart(0)
}

func bf16Rows(m *BF16, lo, hi int, x, y []float32) { bf16RowsGo(m, lo, hi, x, y) }

func q8Rows(m *Q8, lo, hi int, x, y []float32) { q8RowsGo(m, lo, hi, 0, x, y) }

// compactVariants lists the implementations this build can run.
func compactVariants() []string { return []string{"generic"} }

// forceCompact selects an implementation; the build has one.
func forceCompact(string) func() { return func() {} }

// q8PackNew reports whether NewQ8 packs its matrices: only for the VNNI assembly.
func q8PackNew() bool { return false }

func quantX(x []float32, v *q8X) { quantXGo(x, v) }

func q8PackedRows(m *Q8, lo, hi int, v *q8X, y []float32) {
	q8PackedRowsGo(m.packed, m.Blocks, lo, hi, v, y)
}

// bf16PackNew reports whether NewBF16 packs its matrices: only for the AVX512-BF16 assembly.
func bf16PackNew() bool { return false }

func roundX(x []float32, h []uint16) { roundXGo(x, h) }

func bf16PackedRows(m *BF16, lo, hi int, h []uint16, y []float32) {
	bf16PackedRowsGo(m.packed, lo, hi, h, y)
}
