// Package bench holds the speed workloads of ../shared/bench/torch_lstm.py
// and ../shared/bench/torch_word.py, so that arkit and PyTorch are measured
// on the same shapes side by side.
// `arkit bench --json` prints them; the Benchmark functions in
// bench_test.go run the same steps under `go test -bench`. They use only
// core's public API (the gemm workload through core.MatMul); the package is
// internal because its result types are a report format of the CLI, not a
// library API.
package bench

import (
	"context"
	"math"
	"math/rand/v2"
	"sort"
	"time"

	"github.com/arkit-go/arkit/core"
)

// TrainChar is the train_char workload's result.
type TrainChar struct {
	Workload    string  `json:"workload"`
	Hidden      int     `json:"hidden"`
	Layers      int     `json:"layers"`
	Batch       int     `json:"batch"`
	Seq         int     `json:"seq"`
	Precision   string  `json:"precision"`
	StepsPerS   float64 `json:"steps_per_s"`
	SymbolsPerS float64 `json:"symbols_per_s"`
}

// SampleChar is the sample_char workload's result.
type SampleChar struct {
	Workload   string  `json:"workload"`
	Hidden     int     `json:"hidden"`
	Layers     int     `json:"layers"`
	Weights    string  `json:"weights"`
	TokensPerS float64 `json:"tokens_per_s"`
}

// TrainSeries is the train_series workload's result.
type TrainSeries struct {
	Workload   string  `json:"workload"`
	Hidden     int     `json:"hidden"`
	Layers     int     `json:"layers"`
	Batch      int     `json:"batch"`
	Seq        int     `json:"seq"`
	Precision  string  `json:"precision"`
	StepsPerS  float64 `json:"steps_per_s"`
	ValuesPerS float64 `json:"values_per_s"`
}

// WordTrain is the word_train workload's result (torch_word.py).
type WordTrain struct {
	Workload    string  `json:"workload"`
	Vocab       int     `json:"vocab"`
	Hidden      int     `json:"hidden"`
	Batch       int     `json:"batch"`
	Seq         int     `json:"seq"`
	Precision   string  `json:"precision"`
	SymbolsPerS float64 `json:"symbols_per_s"`
}

// WordSample is the word_sample workload's result (torch_word.py).
type WordSample struct {
	Workload   string  `json:"workload"`
	Vocab      int     `json:"vocab"`
	Hidden     int     `json:"hidden"`
	Weights    string  `json:"weights"`
	TokensPerS float64 `json:"tokens_per_s"`
}

// Gemm is the gemm workload's result in GFLOP/s.
type Gemm struct {
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

// trainStep returns one training step of m on b: forward, backward,
// clipping at clip (none if 0) and an Adam update, the products in
// precision prec (fp32 or bf16, resolved).
func trainStep(m *core.Model, b *core.Batch, opt *core.Adam, clip float32, prec core.Precision) func() {
	m.SetPrecision(prec)
	st := m.NewState(b.B)
	p := m.Params()
	return func() {
		st.Reset()
		p.ZeroGrad()
		m.Forward(b, st, nil)
		m.Backward()
		if clip > 0 {
			core.ClipGradNorm(p, clip)
		}
		opt.Update(p, opt.BaseLR())
	}
}

// charTrainStep builds the train_char model and a training step over random tokens.
func charTrainStep(p core.Precision) (step func(), batch, seq int) {
	r := rand.New(rand.NewPCG(0, 0))
	m := core.NewModel(core.Config{Vocab: 65, Embed: 64, Hidden: 256, Layers: 2}, r)
	batch, seq = 32, 64
	b := m.NewBatch(seq, batch)
	for i := range b.Tokens {
		b.Tokens[i] = int32(r.IntN(65))
		b.Targets[i] = float32(r.IntN(65))
	}
	return trainStep(m, b, &core.Adam{LR: 2e-3}, 5, p), batch, seq
}

// seriesTrainStep builds the train_series model and a training step over
// random values.
func seriesTrainStep(p core.Precision) (step func(), batch, seq int) {
	r := rand.New(rand.NewPCG(0, 0))
	m := core.NewModel(core.Config{Features: 1, Hidden: 64, Layers: 2, Likelihood: core.Gaussian{}}, r)
	batch, seq = 64, 96
	b := m.NewBatch(seq, batch)
	for i := range b.Targets {
		b.Features[i] = float32(r.NormFloat64())
		b.Targets[i] = float32(r.NormFloat64())
	}
	return trainStep(m, b, &core.Adam{LR: 1e-3}, 0, p), batch, seq
}

// RunTrainChar measures training throughput of the char model:
// vocabulary 65, embedding 64, 2 layers of 256, batch 32, sequence 64,
// cross-entropy, Adam, clipping at 5, the products in precision p (fp32
// or bf16, resolved).
func RunTrainChar(budget time.Duration, p core.Precision) TrainChar {
	step, batch, seq := charTrainStep(p)
	sps := rate(budget, step)
	return TrainChar{"train_char", 256, 2, batch, seq, string(p), round(sps, 3), round(sps*float64(batch*seq), 1)}
}

// feeder feeds each sampled token back as the next input.
type feeder struct{ tok int32 }

var _ core.Feeder = (*feeder)(nil)

func (f *feeder) Input(t int, in *core.Input)  { in.Tokens[0] = f.tok }
func (f *feeder) Emit(t int, y []float32) bool { f.tok = int32(y[0]); return true }

// charSampler builds the sample_char model and its generator: temperature
// 0.8, top-k 20.
func charSampler(w core.Weights) (*core.Model, *core.Generator) {
	r := rand.New(rand.NewPCG(0, 0))
	m := core.NewModel(core.Config{Vocab: 65, Embed: 64, Hidden: 256, Layers: 2}, r)
	m.SetWeights(w)
	return m, &core.Generator{Step: m, Sampler: core.Sampler{Temperature: 0.8, TopK: 20}, Rand: r}
}

// RunSampleChar measures single-stream sampling of the char model at
// temperature 0.8 with top-k 20, 500 tokens per round, reading weights of
// precision w.
func RunSampleChar(budget time.Duration, w core.Weights) SampleChar {
	m, g := charSampler(w)
	const n = 500
	gps := rate(budget, func() {
		st := m.NewState(1)
		g.Run(context.Background(), st, n, &feeder{})
	})
	return SampleChar{"sample_char", 256, 2, string(m.Weights()), round(gps*n, 1)}
}

// RunTrainSeries measures training throughput of a series model: 1
// feature, 2 layers of 64, batch 64, sequence 96, Gaussian NLL, Adam, the
// products in precision p (fp32 or bf16, resolved).
func RunTrainSeries(budget time.Duration, p core.Precision) TrainSeries {
	step, batch, seq := seriesTrainStep(p)
	sps := rate(budget, step)
	return TrainSeries{"train_series", 64, 2, batch, seq, string(p), round(sps, 3), round(sps*float64(batch*seq), 1)}
}

// wordConfig is torch_word.py's model: vocabulary 10,000, embedding 256,
// one LSTM layer of 512.
var wordConfig = core.Config{Vocab: 10000, Embed: 256, Hidden: 512, Layers: 1}

// wordTrainStep builds the word_train model and a training step over random
// tokens: batch 32, window 64, Adam (lr 1e-3), clipping at 5.
func wordTrainStep(p core.Precision) (step func(), batch, seq int) {
	r := rand.New(rand.NewPCG(0, 0))
	m := core.NewModel(wordConfig, r)
	batch, seq = 32, 64
	b := m.NewBatch(seq, batch)
	for i := range b.Tokens {
		b.Tokens[i] = int32(r.IntN(wordConfig.Vocab))
		b.Targets[i] = float32(r.IntN(wordConfig.Vocab))
	}
	return trainStep(m, b, &core.Adam{LR: 1e-3}, 5, p), batch, seq
}

// RunWordTrain measures training throughput of the word model, the products
// in precision p (fp32 or bf16, resolved).
func RunWordTrain(budget time.Duration, p core.Precision) WordTrain {
	step, batch, seq := wordTrainStep(p)
	sps := rate(budget, step)
	return WordTrain{"word_train", wordConfig.Vocab, wordConfig.Hidden, batch, seq, string(p), round(sps*float64(batch*seq), 1)}
}

// wordSampler builds the word_sample model and its generator: temperature
// 1.0, top-k 50, then top-p 0.95 over the kept tokens.
func wordSampler(w core.Weights) (*core.Model, *core.Generator) {
	r := rand.New(rand.NewPCG(0, 0))
	m := core.NewModel(wordConfig, r)
	m.SetWeights(w)
	return m, &core.Generator{Step: m, Sampler: core.Sampler{Temperature: 1, TopK: 50, TopP: 0.95}, Rand: r}
}

// RunWordSample measures single-stream sampling of the word model, 200
// tokens per round from a fresh state and token 1, as torch_word.py does,
// with the output layer's weights in precision w.
func RunWordSample(budget time.Duration, w core.Weights) WordSample {
	m, g := wordSampler(w)
	const n = 200
	st := m.NewState(1)
	gps := rate(budget, func() {
		st.Reset()
		g.Run(context.Background(), st, n, &feeder{tok: 1})
	})
	return WordSample{"word_sample", wordConfig.Vocab, wordConfig.Hidden, string(m.Weights()), round(gps*n, 1)}
}

// RunGemm measures the matrix multiply on the three reference shapes
// with random (non-zero) operands.
func RunGemm(budget time.Duration) Gemm {
	r := rand.New(rand.NewPCG(0, 0))
	g := func(m, k, n int) float64 {
		a, b, c := make([]float32, m*k), make([]float32, k*n), make([]float32, m*n)
		for i := range a {
			a[i] = float32(r.NormFloat64())
		}
		for i := range b {
			b[i] = float32(r.NormFloat64())
		}
		cps := rate(budget/3, func() { core.MatMul(c, a, b, m, k, n) })
		return round(2*float64(m*k*n)*cps/1e9, 2)
	}
	return Gemm{"gemm", g(32, 512, 1024), g(64, 256, 1024), g(1, 256, 1024)}
}

func round(x float64, digits int) float64 {
	p := math.Pow(10, float64(digits))
	return math.Round(x*p) / p
}
