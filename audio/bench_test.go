// Benchmarks of generation at the default model size: one clip (matrix-
// vector products) and eight side by side (matrix products), reported as
// the real-time factor at 8 kHz.

package audio

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/arkit-go/arkit/core"
)

func benchmarkGenerate(b *testing.B, tiers, n int) {
	benchmarkGenerateWeights(b, tiers, n, core.WeightsFP32)
}

func benchmarkGenerateWeights(b *testing.B, tiers, n int, w core.Weights) {
	opts := TrainOptions{Tiers: tiers}.withDefaults()
	m := &Model{Net: newNetwork(opts, 0, rand.New(rand.NewPCG(1, 1))), Rate: 8000, History: opts.History}
	m.Net.SetWeights(w)
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

// The same with the weights generation reads by default (auto) and int8.
func BenchmarkGenerate1Auto(b *testing.B) { benchmarkGenerateWeights(b, 2, 1, core.GenerationWeights) }
func BenchmarkGenerate1Int8(b *testing.B) { benchmarkGenerateWeights(b, 2, 1, core.WeightsInt8) }
func BenchmarkGenerate8Int8(b *testing.B) { benchmarkGenerateWeights(b, 2, 8, core.WeightsInt8) }
