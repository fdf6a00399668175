// go test -bench benchmarks of the reference workloads.

package core

import (
	"context"
	"math/rand/v2"
	"testing"
)

func BenchmarkTrainCharStep(b *testing.B) {
	step, batch, seq := charTrainStep()
	step()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		step()
	}
	b.ReportMetric(float64(b.N*batch*seq)/b.Elapsed().Seconds(), "symbols/s")
}

func BenchmarkSampleCharStep(b *testing.B) {
	r := rand.New(rand.NewPCG(0, 0))
	m := NewModel(Config{Vocab: 65, Embed: 64, Hidden: 256, Layers: 2}, r)
	g := &Generator{Step: m, Sampler: Sampler{Temperature: 0.8, TopK: 20}, Rand: r}
	st := m.NewState(1)
	f := &benchFeeder{}
	g.Run(context.Background(), st, 10, f)
	b.ReportAllocs()
	b.ResetTimer()
	g.Run(context.Background(), st, b.N, f)
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "tokens/s")
}

func BenchmarkTrainSeriesStep(b *testing.B) {
	r := rand.New(rand.NewPCG(0, 0))
	m := NewModel(Config{Features: 1, Hidden: 64, Layers: 2, Likelihood: Gaussian{}}, r)
	bt := m.NewBatch(96, 64)
	for i := range bt.Targets {
		bt.Features[i] = float32(r.NormFloat64())
		bt.Targets[i] = float32(r.NormFloat64())
	}
	opt := &Adam{}
	st := m.NewState(64)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		st.Reset()
		m.params.ZeroGrad()
		m.Forward(bt, st, nil)
		m.Backward()
		opt.Update(m.params, opt.BaseLR())
	}
	b.ReportMetric(float64(b.N*96*64)/b.Elapsed().Seconds(), "values/s")
}
