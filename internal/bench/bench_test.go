// go test -bench benchmarks of the reference workloads, the check that
// their steps allocate nothing, and the JSON shape that
// ../shared/bench/torch_lstm.py's comparison script reads.

package bench

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/arkit-go/arkit/core"
)

func BenchmarkTrainCharStep(b *testing.B) {
	benchCharStep(b, core.PrecisionFP32)
}

// BenchmarkTrainCharStepBF16 is BenchmarkTrainCharStep in bf16 mixed precision.
func BenchmarkTrainCharStepBF16(b *testing.B) {
	if !core.HasBF16() {
		b.Skip("no AVX-512 BF16")
	}
	benchCharStep(b, core.PrecisionBF16)
}

// benchCharStep times the char model's training step in precision p.
func benchCharStep(b *testing.B, p core.Precision) {
	step, batch, seq := charTrainStep(p)
	step()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		step()
	}
	b.ReportMetric(float64(b.N*batch*seq)/b.Elapsed().Seconds(), "symbols/s")
}

func BenchmarkSampleCharStep(b *testing.B) {
	m, g := charSampler(core.WeightsFP32)
	st := m.NewState(1)
	f := &feeder{}
	g.Run(context.Background(), st, 10, f)
	b.ReportAllocs()
	b.ResetTimer()
	g.Run(context.Background(), st, b.N, f)
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "tokens/s")
}

func BenchmarkTrainSeriesStep(b *testing.B) {
	step, batch, seq := seriesTrainStep(core.PrecisionFP32)
	step()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		step()
	}
	b.ReportMetric(float64(b.N*batch*seq)/b.Elapsed().Seconds(), "values/s")
}

func BenchmarkWordTrainStep(b *testing.B) {
	for _, p := range []core.Precision{core.PrecisionFP32, core.PrecisionBF16} {
		b.Run(string(p), func(b *testing.B) {
			if p == core.PrecisionBF16 && !core.HasBF16() {
				b.Skip("no AVX-512 BF16")
			}
			step, batch, seq := wordTrainStep(p)
			step()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				step()
			}
			b.ReportMetric(float64(b.N*batch*seq)/b.Elapsed().Seconds(), "symbols/s")
		})
	}
}

func BenchmarkWordSampleStep(b *testing.B) {
	m, g := wordSampler(core.WeightsFP32)
	st := m.NewState(1)
	f := &feeder{tok: 1}
	g.Run(context.Background(), st, 10, f)
	b.ReportAllocs()
	b.ResetTimer()
	g.Run(context.Background(), st, b.N, f)
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "tokens/s")
}

// TestWordSampleNoAlloc: a word sampling step (top-k and top-p over 10,000
// logits) allocates nothing once the generator is warm.
func TestWordSampleNoAlloc(t *testing.T) {
	m, g := wordSampler(core.WeightsFP32)
	st := m.NewState(1)
	f := &feeder{tok: 1}
	g.Run(context.Background(), st, 10, f)
	if n := testing.AllocsPerRun(5, func() { g.Run(context.Background(), st, 5, f) }); n != 0 {
		t.Errorf("%v allocations per 5 sampled tokens", n)
	}
}

// TestJSONShape pins the field names that `arkit bench --json` prints and
// scripts/bench_vs_torch.sh compares with PyTorch's.
func TestJSONShape(t *testing.T) {
	for _, c := range []struct {
		v    any
		want string
	}{
		{TrainChar{Workload: "train_char"}, `{"workload":"train_char","hidden":0,"layers":0,"batch":0,"seq":0,"precision":"","steps_per_s":0,"symbols_per_s":0}`},
		{SampleChar{Workload: "sample_char"}, `{"workload":"sample_char","hidden":0,"layers":0,"weights":"","tokens_per_s":0}`},
		{TrainSeries{Workload: "train_series"}, `{"workload":"train_series","hidden":0,"layers":0,"batch":0,"seq":0,"precision":"","steps_per_s":0,"values_per_s":0}`},
		{WordTrain{Workload: "word_train"}, `{"workload":"word_train","vocab":0,"hidden":0,"batch":0,"seq":0,"precision":"","symbols_per_s":0}`},
		{WordSample{Workload: "word_sample"}, `{"workload":"word_sample","vocab":0,"hidden":0,"weights":"","tokens_per_s":0}`},
		{Gemm{Workload: "gemm"}, `{"workload":"gemm","gflops_32x512x1024":0,"gflops_64x256x1024":0,"gflops_1x256x1024":0}`},
	} {
		b, err := json.Marshal(c.v)
		if err != nil || string(b) != c.want {
			t.Errorf("%T: %s, %v; want %s", c.v, b, err, c.want)
		}
	}
}

// TestSampleCharNoAlloc: a sampling step allocates nothing once the
// generator is warm (STYLE.md rule 9; docs/benchmarks.md quotes it).
func TestSampleCharNoAlloc(t *testing.T) {
	m, g := charSampler(core.WeightsFP32)
	st := m.NewState(1)
	f := &feeder{}
	g.Run(context.Background(), st, 10, f)
	if n := testing.AllocsPerRun(20, func() { g.Run(context.Background(), st, 10, f) }); n != 0 {
		t.Errorf("%v allocations per 10 sampled tokens", n)
	}
}
