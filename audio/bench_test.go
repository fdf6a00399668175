// Benchmarks of generation at the default model size: one clip (matrix-
// vector products) and eight side by side (matrix products), reported as
// the real-time factor at 8 kHz.

package audio

import (
	"context"
	"math/rand/v2"
	"testing"
)

func benchmarkGenerate(b *testing.B, tiers, n int) {
	opts := TrainOptions{Tiers: tiers}.withDefaults()
	m := &Model{Net: newNetwork(opts, 0, rand.New(rand.NewPCG(1, 1))), Rate: 8000, History: opts.History}
	const seconds = 0.25
	b.ResetTimer()
	for range b.N {
		if _, err := m.Generate(context.Background(), GenerateOptions{Seconds: seconds, N: n}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(seconds*float64(n)*float64(b.N)/b.Elapsed().Seconds(), "realtime")
}

func BenchmarkGenerate1(b *testing.B)      { benchmarkGenerate(b, 2, 1) }
func BenchmarkGenerate8(b *testing.B)      { benchmarkGenerate(b, 2, 8) }
func BenchmarkGenerate1Tier1(b *testing.B) { benchmarkGenerate(b, 1, 1) }
