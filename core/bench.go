// Speed workloads matching ../shared/bench/torch_lstm.py, so that arkit and
// PyTorch are measured on the same shapes side by side. `arkit bench --json`
// prints them; the Benchmark functions in bench_test.go run the same steps
// under `go test -bench`.

package core

import (
	"context"
	"math"
	"math/rand/v2"
	"sort"
	"time"

	"github.com/arkit-go/arkit/core/internal/kernel"
)

// BenchTrainChar is the train_char workload's result.
type BenchTrainChar struct {
	Workload    string  `json:"workload"`
	Hidden      int     `json:"hidden"`
	Layers      int     `json:"layers"`
	Batch       int     `json:"batch"`
	Seq         int     `json:"seq"`
	StepsPerS   float64 `json:"steps_per_s"`
	SymbolsPerS float64 `json:"symbols_per_s"`
}

// BenchSampleChar is the sample_char workload's result.
type BenchSampleChar struct {
	Workload   string  `json:"workload"`
	Hidden     int     `json:"hidden"`
	Layers     int     `json:"layers"`
	TokensPerS float64 `json:"tokens_per_s"`
}

// BenchTrainSeries is the train_series workload's result.
type BenchTrainSeries struct {
	Workload   string  `json:"workload"`
	Hidden     int     `json:"hidden"`
	Layers     int     `json:"layers"`
	Batch      int     `json:"batch"`
	Seq        int     `json:"seq"`
	StepsPerS  float64 `json:"steps_per_s"`
	ValuesPerS float64 `json:"values_per_s"`
}

// BenchGemm is the gemm workload's result in GFLOP/s.
type BenchGemm struct {
	Workload string  `json:"workload"`
	G32      float64 `json:"gflops_32x512x1024"`
	G64      float64 `json:"gflops_64x256x1024"`
	G1       float64 `json:"gflops_1x256x1024"`
}

// rate runs fn once to warm up, then in 3 rounds of budget/3 each, and
// returns the median calls per second.
func rate(budget time.Duration, fn func()) float64 {
	fn()
	var rates []float64
	for r := 0; r < 3; r++ {
		start := time.Now()
		n := 0
		for time.Since(start) < budget/3 || n == 0 {
			fn()
			n++
		}
		rates = append(rates, float64(n)/time.Since(start).Seconds())
	}
	sort.Float64s(rates)
	return rates[1]
}

// charTrainer builds the train_char model and a trainer step over random tokens.
func charTrainStep() (step func(), batch, seq int) {
	r := rand.New(rand.NewPCG(0, 0))
	m := NewModel(Config{Vocab: 65, Embed: 64, Hidden: 256, Layers: 2}, r)
	batch, seq = 32, 64
	b := m.NewBatch(seq, batch)
	for i := range b.Tokens {
		b.Tokens[i] = int32(r.IntN(65))
		b.Targets[i] = float32(r.IntN(65))
	}
	opt := &Adam{LR: 2e-3}
	st := m.NewState(batch)
	return func() {
		st.Reset()
		m.params.ZeroGrad()
		m.Forward(b, st, nil)
		m.Backward()
		ClipGradNorm(m.params, 5)
		opt.Update(m.params, opt.BaseLR())
	}, batch, seq
}

// RunBenchTrainChar measures training throughput of the char model:
// vocabulary 65, embedding 64, 2 layers of 256, batch 32, sequence 64,
// cross-entropy, Adam, clipping at 5.
func RunBenchTrainChar(budget time.Duration) BenchTrainChar {
	step, batch, seq := charTrainStep()
	sps := rate(budget, step)
	return BenchTrainChar{"train_char", 256, 2, batch, seq, round(sps, 3), round(sps*float64(batch*seq), 1)}
}

type benchFeeder struct{ tok int32 }

func (f *benchFeeder) Input(t int, in *Input)       { in.Tokens[0] = f.tok }
func (f *benchFeeder) Emit(t int, y []float32) bool { f.tok = int32(y[0]); return true }

// RunBenchSampleChar measures single-stream sampling of the same model at
// temperature 0.8 with top-k 20, 500 tokens per round.
func RunBenchSampleChar(budget time.Duration) BenchSampleChar {
	r := rand.New(rand.NewPCG(0, 0))
	m := NewModel(Config{Vocab: 65, Embed: 64, Hidden: 256, Layers: 2}, r)
	g := &Generator{Step: m, Sampler: Sampler{Temperature: 0.8, TopK: 20}, Rand: r}
	const n = 500
	gps := rate(budget, func() {
		st := m.NewState(1)
		g.Run(context.Background(), st, n, &benchFeeder{})
	})
	return BenchSampleChar{"sample_char", 256, 2, round(gps*n, 1)}
}

// RunBenchTrainSeries measures training throughput of a series model: 1
// feature, 2 layers of 64, batch 64, sequence 96, Gaussian NLL, Adam.
func RunBenchTrainSeries(budget time.Duration) BenchTrainSeries {
	r := rand.New(rand.NewPCG(0, 0))
	m := NewModel(Config{Features: 1, Hidden: 64, Layers: 2, Likelihood: Gaussian{}}, r)
	const batch, seq = 64, 96
	b := m.NewBatch(seq, batch)
	for i := range b.Targets {
		b.Features[i] = float32(r.NormFloat64())
		b.Targets[i] = float32(r.NormFloat64())
	}
	opt := &Adam{LR: 1e-3}
	st := m.NewState(batch)
	sps := rate(budget, func() {
		st.Reset()
		m.params.ZeroGrad()
		m.Forward(b, st, nil)
		m.Backward()
		opt.Update(m.params, opt.BaseLR())
	})
	return BenchTrainSeries{"train_series", 64, 2, batch, seq, round(sps, 3), round(sps*batch*seq, 1)}
}

// RunBenchGemm measures the matrix multiply on the three reference shapes
// with random (non-zero) operands.
func RunBenchGemm(budget time.Duration) BenchGemm {
	r := rand.New(rand.NewPCG(0, 0))
	g := func(m, k, n int) float64 {
		a, b, c := make([]float32, m*k), make([]float32, k*n), make([]float32, m*n)
		for i := range a {
			a[i] = float32(r.NormFloat64())
		}
		for i := range b {
			b[i] = float32(r.NormFloat64())
		}
		cps := rate(budget/3, func() { kernel.Gemm(false, false, m, n, k, 1, a, k, b, n, 0, c, n) })
		return round(2*float64(m*k*n)*cps/1e9, 2)
	}
	return BenchGemm{"gemm", g(32, 512, 1024), g(64, 256, 1024), g(1, 256, 1024)}
}

func round(x float64, digits int) float64 {
	p := math.Pow(10, float64(digits))
	return math.Round(x*p) / p
}
