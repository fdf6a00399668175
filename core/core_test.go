// Tests of the engine: finite-difference gradients of every parameter
// tensor, learning on small synthetic tasks, the sampler's rules, checkpoint
// round trips, exact resumption and malformed model files.

package core

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func rng(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0)) }

// randomBatch fills a batch with random inputs and valid targets.
func randomBatch(m *Model, t, b int, r *rand.Rand) *Batch {
	bt := m.NewBatch(t, b)
	c := m.Config()
	for i := range bt.Tokens {
		bt.Tokens[i] = int32(r.IntN(c.Vocab))
	}
	for i := range bt.Features {
		bt.Features[i] = float32(r.NormFloat64())
	}
	for i := range bt.Targets {
		if _, ok := m.Likelihood().(Categorical); ok {
			bt.Targets[i] = float32(r.IntN(m.OutSize()))
		} else {
			bt.Targets[i] = float32(r.NormFloat64())
		}
	}
	bt.Mask = make([]float32, t*b)
	for i := range bt.Mask {
		bt.Mask[i] = 1
	}
	bt.Mask[1] = 0
	return bt
}

func TestGradientCheck(t *testing.T) {
	cases := map[string]Config{
		"tokens":   {Vocab: 5, Embed: 3, Hidden: 4, Layers: 2},
		"features": {Features: 3, Hidden: 4, Layers: 2, Likelihood: Gaussian{}},
		"proj":     {Vocab: 4, Embed: 2, Features: 2, Proj: 3, Hidden: 3, Likelihood: StudentT{}},
		// one feature (W_ih a column), then a layer input wider than
		// smallIn (W_ih x as one product over the window)
		"wide": {Features: 1, Hidden: 9, Layers: 2, Likelihood: Gaussian{}},
	}
	for name, cfg := range cases {
		t.Run(name, func(t *testing.T) {
			layerPaths(t, func(t *testing.T) {
				r := rng(7)
				m := NewModel(cfg, r)
				for i := range m.params.W { // larger weights: stronger gradients
					m.params.W[i] *= 2
				}
				b := randomBatch(m, 5, 3, r)
				loss := func() float64 {
					st := m.NewState(3)
					nll, w := m.Forward(b, st, nil)
					return nll / w
				}
				m.params.ZeroGrad()
				loss()
				m.Backward()
				checkGradients(t, m.params, 13, loss)
			})
		})
	}
}

// seqData serves windows of a deterministic periodic token sequence as
// stateful streams.
type seqData struct {
	seq  []int32
	t, b int
}

func (d *seqData) Batch(step int, bt *Batch) (bool, error) {
	L := len(d.seq)
	for s := 0; s < d.t; s++ {
		for r := 0; r < d.b; r++ {
			pos := (step*d.t + s + r*7) % L
			bt.Tokens[s*d.b+r] = d.seq[pos]
			bt.Targets[s*d.b+r] = float32(d.seq[(pos+1)%L])
		}
	}
	return step == 0, nil
}

func TestLearnsSequence(t *testing.T) {
	// A period-12 sequence over 6 symbols where the next symbol depends on
	// more than the current one: the model must use its memory.
	seq := []int32{0, 1, 2, 0, 3, 4, 0, 1, 5, 0, 3, 2}
	m := NewModel(Config{Vocab: 6, Embed: 8, Hidden: 32}, rng(1))
	tr := &Trainer{Model: m, Optimizer: &Adam{LR: 1e-2}, T: 12, B: 4, Steps: 300, Clip: 5}
	res, err := tr.Run(context.Background(), &seqData{seq: seq, t: 12, b: 4})
	if err != nil {
		t.Fatal(err)
	}
	if res.Loss > 0.1 {
		t.Fatalf("loss %.3f after %d steps: the model did not learn the sequence", res.Loss, res.Steps)
	}
	// Greedy generation reproduces the sequence.
	g := &Generator{Step: m}
	st := m.NewState(1)
	f := &tokenFeeder{prime: seq[:12], n: 24}
	if err := g.Prime(context.Background(), st, 11, f); err != nil {
		t.Fatal(err)
	}
	f.next = seq[11]
	if err := g.Run(context.Background(), st, 24, f); err != nil {
		t.Fatal(err)
	}
	for i, tok := range f.out {
		if tok != seq[i%12] {
			t.Fatalf("generated %v, want the sequence %v repeated", f.out, seq)
		}
	}
}

type tokenFeeder struct {
	prime []int32
	next  int32
	n     int
	out   []int32
}

func (f *tokenFeeder) Input(t int, in *Input) {
	if f.out == nil && t < len(f.prime) && f.next == 0 {
		in.Tokens[0] = f.prime[t]
		return
	}
	in.Tokens[0] = f.next
}

func (f *tokenFeeder) Emit(t int, y []float32) bool {
	f.next = int32(y[0])
	f.out = append(f.out, f.next)
	return true
}

// sineData serves random windows of noisy sines for a Gaussian head.
type sineData struct{ t, b int }

func (d sineData) Batch(step int, bt *Batch) (bool, error) {
	r := rng(uint64(step) + 100)
	for k := 0; k < d.b; k++ {
		phase := r.Float64() * 2 * math.Pi
		for s := 0; s < d.t; s++ {
			x := math.Sin(phase + float64(s)*0.5)
			y := math.Sin(phase+float64(s+1)*0.5) + 0.05*r.NormFloat64()
			bt.Features[s*d.b+k] = float32(x)
			bt.Targets[s*d.b+k] = float32(y)
		}
	}
	return true, nil
}

func TestLearnsGaussianSeries(t *testing.T) {
	m := NewModel(Config{Features: 1, Hidden: 16, Likelihood: Gaussian{}}, rng(2))
	tr := &Trainer{Model: m, Optimizer: &Adam{LR: 1e-2}, T: 24, B: 16, Steps: 300}
	res, err := tr.Run(context.Background(), sineData{24, 16})
	if err != nil {
		t.Fatal(err)
	}
	// A unit Gaussian around 0 would score about 1.2 nats; knowing the
	// sine to within the noise (σ = 0.05) scores about -1.5.
	if res.Loss > -0.5 {
		t.Fatalf("Gaussian NLL %.3f: the model did not learn the sine", res.Loss)
	}
}

func TestSampler(t *testing.T) {
	logits := []float32{1, 3, 2, -1, 0}
	r := rng(3)
	if got := (&Sampler{}).Sample(logits, nil, r); got != 1 {
		t.Errorf("greedy picked %d, want 1", got)
	}
	count := func(s *Sampler, n int) []int {
		c := make([]int, len(logits))
		for i := 0; i < n; i++ {
			c[s.Sample(logits, []int32{1}, r)]++
		}
		return c
	}
	c := count(&Sampler{Temperature: 1, TopK: 2}, 2000)
	if c[0]+c[3]+c[4] != 0 || c[1] == 0 || c[2] == 0 {
		t.Errorf("top-k 2 drew %v, want only tokens 1 and 2", c)
	}
	// Probabilities ∝ e^3, e^2, e^1, ... : top-p 0.7 keeps tokens 1 and 2
	// (0.64 < 0.7 ≤ 0.88).
	c = count(&Sampler{Temperature: 1, TopP: 0.7}, 2000)
	if c[0]+c[3]+c[4] != 0 || c[2] == 0 {
		t.Errorf("top-p 0.7 drew %v, want only tokens 1 and 2", c)
	}
	c = count(&Sampler{Temperature: 1, MinP: 0.5}, 2000)
	if c[1] != 2000 {
		t.Errorf("min-p 0.5 drew %v, want only token 1 (token 2 is at 0.37 of it)", c)
	}
	// A repetition penalty on token 1 (logit 3 → 0.75) makes token 2 the
	// greedy choice.
	if got := (&Sampler{RepetitionPenalty: 4}).Sample(logits, []int32{1}, r); got != 2 {
		t.Errorf("penalised greedy picked %d, want 2", got)
	}
	// Low temperature concentrates on the best token.
	c = count(&Sampler{Temperature: 0.05}, 500)
	if c[1] != 500 {
		t.Errorf("temperature 0.05 drew %v", c)
	}
	// Plain temperature sampling (no sorting) follows the softmax:
	// p(token 2)/p(token 1) = e^-1.
	c = count(&Sampler{Temperature: 1}, 20000)
	if r := float64(c[2]) / float64(c[1]); math.Abs(r-math.Exp(-1)) > 0.05 {
		t.Errorf("temperature 1 drew %v: ratio %.3f, want %.3f", c, r, math.Exp(-1))
	}
	// Same seed, same draws.
	a, b := rng(9), rng(9)
	s := &Sampler{Temperature: 1}
	for i := 0; i < 50; i++ {
		if s.Sample(logits, nil, a) != s.Sample(logits, nil, b) {
			t.Fatal("same seed gave different draws")
		}
	}
}

func TestScheduleAndClip(t *testing.T) {
	s := Schedule{Warmup: 10, Decay: "cosine", Steps: 110}
	if f := s.Factor(0); math.Abs(float64(f)-0.1) > 1e-6 {
		t.Errorf("warmup factor %g, want 0.1", f)
	}
	if f := s.Factor(60); math.Abs(float64(f)-0.5) > 1e-6 {
		t.Errorf("cosine midpoint %g, want 0.5", f)
	}
	if f := s.Factor(500); f != 0 {
		t.Errorf("after decay %g, want 0", f)
	}
	if f := (Schedule{}).Factor(1000); f != 1 {
		t.Errorf("constant schedule %g", f)
	}
	m := NewModel(Config{Vocab: 3, Embed: 2, Hidden: 2}, rng(1))
	for i := range m.params.G {
		m.params.G[i] = 1
	}
	n := ClipGradNorm(m.params, 1)
	if math.Abs(n-math.Sqrt(float64(len(m.params.G)))) > 1e-3 {
		t.Errorf("norm %g", n)
	}
	if after := math.Sqrt(SumSquaresForTest(m.params.G)); math.Abs(after-1) > 1e-4 {
		t.Errorf("norm after clipping %g, want 1", after)
	}
}

func SumSquaresForTest(x []float32) float64 {
	var s float64
	for _, v := range x {
		s += float64(v) * float64(v)
	}
	return s
}

func TestCheckpointRoundTripAndResume(t *testing.T) {
	dir := t.TempDir()
	seq := []int32{0, 1, 2, 0, 3, 4, 0, 1, 5, 0, 3, 2}
	cfg := Config{Vocab: 6, Embed: 4, Hidden: 8, Layers: 2, Dropout: 0.1}
	newTrainer := func(m *Model, steps int) *Trainer {
		return &Trainer{Model: m, Optimizer: &Adam{LR: 5e-3, WeightDecay: 0.01}, T: 6, B: 3, Steps: steps, Clip: 1,
			Seed: 5, Validate: func(Network) (float64, error) { return 1, nil }, ValEvery: 7, KeepBest: false}
	}
	data := &seqData{seq: seq, t: 6, b: 3}
	// One uninterrupted run of 40 steps.
	full := newTrainer(NewModel(cfg, rng(4)), 40)
	if _, err := full.Run(context.Background(), data); err != nil {
		t.Fatal(err)
	}
	// The same run stopped at 17 steps, saved, loaded and resumed.
	half := newTrainer(NewModel(cfg, rng(4)), 17)
	if _, err := half.Run(context.Background(), data); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "m.safetensors")
	if err := Save(path, half.Model, map[string]string{"arkit.domain": "test"}, half); err != nil {
		t.Fatal(err)
	}
	ck, err := LoadModel(path)
	if err != nil {
		t.Fatal(err)
	}
	if ck.Meta["arkit.domain"] != "test" || ck.Model.Config().Dropout != 0.1 || ck.Model.Config().Layers != 2 {
		t.Fatalf("metadata or config lost: %v %+v", ck.Meta, ck.Model.Config())
	}
	resumed := newTrainer(nil, 40)
	ck.Resume(resumed)
	if _, err := resumed.Run(context.Background(), data); err != nil {
		t.Fatal(err)
	}
	for i, w := range full.Model.Params().W {
		if resumed.Model.Params().W[i] != w {
			t.Fatalf("parameter %d differs after resume: %g vs %g", i, resumed.Model.Params().W[i], w)
		}
	}
	// An inference-only file holds exactly the PyTorch tensors.
	if err := Save(path, full.Model, nil, nil); err != nil {
		t.Fatal(err)
	}
	ts, err := ReadTensorsFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range ts.List {
		if strings.HasPrefix(x.Name, "_") {
			t.Errorf("inference file holds %s", x.Name)
		}
	}
}

func TestLoadTorchSavedModel(t *testing.T) {
	ck, err := LoadModel("testdata/torch_saved_model.safetensors")
	if err != nil {
		t.Fatal(err)
	}
	if ck.Meta["arkit.tokenizer"] != "char" {
		t.Errorf("metadata: %v", ck.Meta)
	}
	io, err := ReadTensorsFile("testdata/torch_saved_model_io.safetensors")
	if err != nil {
		t.Fatal(err)
	}
	x := fixtureTensor(t, io, "x.tokens")
	want := fixtureTensor(t, io, "out.head")
	m := ck.Model
	st := m.NewState(1)
	out := make([]float32, m.OutSize())
	var got []float32
	for _, v := range x.Data {
		m.Next(st, Input{Tokens: []int32{int32(v)}}, out)
		got = append(got, out...)
	}
	closeTo(t, "torch-saved model outputs", got, want.Data, 1e-5)
}

// TestWriteArkitCheckpointForTorch writes an arkit model and its expected
// outputs for scripts/torch_fixtures.py --check-arkit. It runs with
// ARKIT_WRITE_FIXTURES=1 (the script's documentation says how).
func TestWriteArkitCheckpointForTorch(t *testing.T) {
	if os.Getenv("ARKIT_WRITE_FIXTURES") == "" {
		t.Skip("set ARKIT_WRITE_FIXTURES=1 to write testdata/arkit_model*.safetensors")
	}
	r := rng(11)
	m := NewModel(Config{Vocab: 6, Embed: 4, Features: 2, Proj: 3, Hidden: 8, Layers: 2}, r)
	b := randomBatch(m, 7, 1, r)
	st := m.NewState(1)
	m.tr.keepRaw = true
	m.Forward(b, st, nil)
	io := &Tensors{List: []Tensor{
		{Name: "x.tokens", Shape: []int{7, 1}, Data: tokensAsFloats(b.Tokens)},
		{Name: "x.features", Shape: []int{7, 1, 2}, Data: b.Features},
		{Name: "out.head", Shape: []int{7, 1, m.OutSize()}, Data: m.tr.raw},
	}}
	if err := m.Save("testdata/arkit_model.safetensors", map[string]string{"arkit.domain": "test"}, nil); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create("testdata/arkit_model_io.safetensors")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := WriteTensors(f, io); err != nil {
		t.Fatal(err)
	}
}

// fixtureTensor returns the named tensor of a committed fixture and fails
// the test if it is missing or empty: a comparison over no values proves
// nothing.
func fixtureTensor(t *testing.T, ts *Tensors, name string) Tensor {
	t.Helper()
	x, ok := ts.Get(name)
	if !ok || len(x.Data) == 0 {
		t.Fatalf("fixture has no tensor %q", name)
	}
	return x
}

func tokensAsFloats(x []int32) []float32 {
	out := make([]float32, len(x))
	for i, v := range x {
		out[i] = float32(v)
	}
	return out
}

// TestArkitModelMatchesCommittedOutputs checks the committed arkit-written
// model (which PyTorch verified) still computes the committed outputs.
func TestArkitModelMatchesCommittedOutputs(t *testing.T) {
	ck, err := LoadModel("testdata/arkit_model.safetensors")
	if err != nil {
		t.Fatal("the committed fixture must load:", err)
	}
	io, err := ReadTensorsFile("testdata/arkit_model_io.safetensors")
	if err != nil {
		t.Fatal(err)
	}
	x := fixtureTensor(t, io, "x.tokens")
	f := fixtureTensor(t, io, "x.features")
	want := fixtureTensor(t, io, "out.head")
	m := ck.Model
	st := m.NewState(1)
	out := make([]float32, m.OutSize())
	var got []float32
	for s, v := range x.Data {
		m.Next(st, Input{Tokens: []int32{int32(v)}, Features: f.Data[2*s : 2*s+2]}, out)
		got = append(got, out...)
	}
	closeTo(t, "arkit model outputs", got, want.Data, 1e-5)
}

func header(js string) []byte {
	var b bytes.Buffer
	binary.Write(&b, binary.LittleEndian, uint64(len(js)))
	b.WriteString(js)
	return b.Bytes()
}

func TestMalformedTensors(t *testing.T) {
	cases := map[string][]byte{
		"empty":        {},
		"short header": {1, 2, 3},
		"huge header":  append(binary.LittleEndian.AppendUint64(nil, 1<<40), '{', '}'),
		"past end":     append(binary.LittleEndian.AppendUint64(nil, 100), '{', '}'),
		"not json":     header("nope"),
		"bad dtype":    header(`{"a":{"dtype":"I8","shape":[1],"data_offsets":[0,1]}}`),
		"out of range": header(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}`),
		"size mismatch": append(header(`{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}`),
			make([]byte, 8)...),
		"overlap": append(header(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}`),
			make([]byte, 8)...),
		"negative shape": header(`{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,0]}}`),
		"huge shape":     header(`{"a":{"dtype":"F32","shape":[100000,100000,100000],"data_offsets":[0,0]}}`),
		"bad metadata":   header(`{"__metadata__":{"a":1}}`),
	}
	for name, buf := range cases {
		if _, err := ReadTensors(buf); !errors.Is(err, ErrFormat) {
			t.Errorf("%s: got %v, want ErrFormat", name, err)
		}
	}
	// A valid container that is not a model.
	var b bytes.Buffer
	WriteTensors(&b, &Tensors{List: []Tensor{{Name: "x", Shape: []int{2}, Data: []float32{1, 2}}}})
	ts, err := ReadTensors(b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := FromTensors(ts); !errors.Is(err, ErrFormat) {
		t.Errorf("non-model: got %v, want ErrFormat", err)
	}
}

func TestHalfPrecision(t *testing.T) {
	for _, c := range []struct {
		h    uint16
		want float32
	}{{0x3c00, 1}, {0xc000, -2}, {0x3555, 0.333251953125}, {0x0001, 5.960464477539063e-08}, {0x7bff, 65504}, {0, 0}} {
		if got := halfToFloat(c.h); got != c.want {
			t.Errorf("half %#04x = %g, want %g", c.h, got, c.want)
		}
	}
	if !math.IsInf(float64(halfToFloat(0x7c00)), 1) || !math.IsNaN(float64(halfToFloat(0x7e00))) {
		t.Error("half Inf/NaN")
	}
}

func FuzzReadTensors(f *testing.F) {
	var b bytes.Buffer
	m := NewModel(Config{Vocab: 3, Embed: 2, Hidden: 2}, rng(1))
	WriteTensors(&b, m.Tensors(map[string]string{"arkit.domain": "text"}, nil))
	f.Add(b.Bytes())
	f.Add(header(`{"a":{"dtype":"F16","shape":[1],"data_offsets":[0,2]}}` + "\x00\x3c"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, buf []byte) {
		ts, err := ReadTensors(buf)
		if err != nil {
			return
		}
		FromTensors(ts) // must not panic
	})
}

func TestNonFiniteLossIsAnError(t *testing.T) {
	m := NewModel(Config{Features: 1, Hidden: 4, Likelihood: Gaussian{}}, rng(1))
	m.params.W[0] = float32(math.NaN())
	tr := &Trainer{Model: m, T: 4, B: 2, Steps: 3}
	_, err := tr.Run(context.Background(), sineData{4, 2})
	if !errors.Is(err, ErrNonFinite) || !strings.Contains(err.Error(), "step 0") {
		t.Fatalf("got %v, want ErrNonFinite naming step 0", err)
	}
}

func TestCancelSavesAndStops(t *testing.T) {
	m := NewModel(Config{Features: 1, Hidden: 4, Likelihood: Gaussian{}}, rng(1))
	ctx, cancel := context.WithCancel(context.Background())
	saved := 0
	tr := &Trainer{Model: m, T: 4, B: 2,
		Progress: func(p Progress) {
			if p.Step == 5 {
				cancel()
			}
		},
		Checkpoint: func(*Trainer) error { saved++; return nil }}
	res, err := tr.Run(ctx, sineData{4, 2})
	if err != nil || res.Reason != "canceled" || res.Steps != 5 || saved != 1 {
		t.Fatalf("res %+v err %v saved %d", res, err, saved)
	}
}

func TestKeepBestCheckpointsLastWeights(t *testing.T) {
	m := NewModel(Config{Features: 1, Hidden: 4, Likelihood: Gaussian{}}, rng(1))
	vals := []float64{3, 1, 2, 4} // best at the second validation
	var atBest, saved []float32
	k := 0
	tr := &Trainer{Model: m, T: 4, B: 2, Steps: 8, ValEvery: 2, KeepBest: true,
		Validate: func(n Network) (float64, error) {
			v := vals[k]
			k++
			if v == 1 {
				atBest = append([]float32(nil), n.Params().W...)
			}
			return v, nil
		},
		Checkpoint: func(tr *Trainer) error { saved = append([]float32(nil), tr.Model.Params().W...); return nil }}
	if _, err := tr.Run(context.Background(), sineData{4, 2}); err != nil {
		t.Fatal(err)
	}
	if k != 4 {
		t.Fatalf("%d validations, want 4 (no repeat at the end)", k)
	}
	for i := range atBest {
		if m.Params().W[i] != atBest[i] {
			t.Fatal("model does not hold the best weights after training")
		}
	}
	same := true
	for i := range saved {
		same = same && saved[i] == atBest[i]
	}
	if same {
		t.Fatal("the final checkpoint holds the best weights, not the last")
	}
}

// TestStopOffScheduleKeepsValidationRecord stops a run between scheduled
// validations, where its validation at the end is the best ever seen, and
// resumes it: that validation must stay out of the record (best, patience),
// so the resumed run stops early at the same step and saves the same bytes
// as an uninterrupted run; meanwhile the stopped run's result, model and
// file still prefer the parameters that validated best at its end.
func TestStopOffScheduleKeepsValidationRecord(t *testing.T) {
	dir := t.TempDir()
	seq := []int32{0, 1, 2, 0, 3, 4, 0, 1, 5, 0, 3, 2}
	cfg := Config{Vocab: 6, Embed: 4, Hidden: 8, Layers: 1}
	data := &seqData{seq: seq, t: 6, b: 3}
	// The validation loss at each step: best at step 10 on the schedule
	// (every 5 steps), then three without improvement; off the schedule,
	// step 12 beats them all.
	score := map[int]float64{5: 10, 10: 8, 15: 9, 20: 9.5, 25: 9.7, 30: 1, 12: 1}
	trainer := func(m *Model, steps int, path string) *Trainer {
		tr := &Trainer{Model: m, Optimizer: &Adam{LR: 5e-3}, T: 6, B: 3, Steps: steps, Seed: 5,
			ValEvery: 5, Patience: 3, KeepBest: true}
		tr.Validate = func(Network) (float64, error) {
			v, ok := score[tr.Optimizer.Steps]
			if !ok {
				t.Fatalf("validation at step %d", tr.Optimizer.Steps)
			}
			return v, nil
		}
		tr.Checkpoint = func(tr *Trainer) error { return Save(path, tr.Model, nil, tr) }
		return tr
	}
	weightsAt := func(steps int) []float32 {
		tr := trainer(NewModel(cfg, rng(4)), steps, filepath.Join(dir, "scratch.safetensors"))
		tr.Validate = nil
		if _, err := tr.Run(context.Background(), data); err != nil {
			t.Fatal(err)
		}
		return append([]float32(nil), tr.Model.Params().W...)
	}
	at10, at12, at25 := weightsAt(10), weightsAt(12), weightsAt(25)
	equal := func(a, b []float32) bool { return slices.Equal(a, b) }

	straight := filepath.Join(dir, "straight.safetensors")
	full := trainer(NewModel(cfg, rng(4)), 100, straight)
	res, err := full.Run(context.Background(), data)
	if err != nil {
		t.Fatal(err)
	}
	if res.Reason != "early-stop" || res.Steps != 25 || res.BestVal != 8 || !equal(full.Model.Params().W, at10) {
		t.Fatalf("uninterrupted run: %+v; want an early stop at 25 with the weights of step 10", res)
	}

	split := filepath.Join(dir, "split.safetensors")
	half := trainer(NewModel(cfg, rng(4)), 12, split)
	res, err = half.Run(context.Background(), data)
	if err != nil {
		t.Fatal(err)
	}
	if res.Reason != "steps" || res.BestVal != 1 || !equal(half.Model.Params().W, at12) {
		t.Fatalf("run stopped at 12: %+v; want best validation 1 with the weights of step 12", res)
	}
	ck, err := LoadModel(split)
	if err != nil {
		t.Fatal(err)
	}
	if ck.BestVal != 8 || ck.SinceBest != 0 || ck.EndVal != 1 || !equal(ck.Best, at10) || !equal(ck.Net.Params().W, at12) {
		t.Fatalf("the file at step 12: best %g (since %d), end %g, best weights of step 10 %v, last of step 12 %v",
			ck.BestVal, ck.SinceBest, ck.EndVal, equal(ck.Best, at10), equal(ck.Net.Params().W, at12))
	}
	if ck.UseBest() {
		t.Fatal("UseBest took the weights of step 10, which validated worse than the last")
	}
	ck, _ = LoadModel(split)
	resumed := trainer(nil, 100, split)
	ck.Resume(resumed)
	res, err = resumed.Run(context.Background(), data)
	if err != nil {
		t.Fatal(err)
	}
	if res.Reason != "early-stop" || res.Steps != 25 || res.BestVal != 8 || !equal(resumed.Model.Params().W, at10) {
		t.Fatalf("resumed run: %+v; want an early stop at 25 with the weights of step 10", res)
	}
	a, _ := os.ReadFile(straight)
	b, _ := os.ReadFile(split)
	if len(a) == 0 || !bytes.Equal(a, b) {
		t.Fatalf("the uninterrupted and resumed runs saved different files (%d and %d bytes)", len(a), len(b))
	}
	ck, err = LoadModel(split)
	if err != nil {
		t.Fatal(err)
	}
	if !math.IsNaN(ck.EndVal) || !ck.UseBest() || !equal(ck.Net.Params().W, at10) || equal(at10, at25) {
		t.Fatalf("the final file: end %g; UseBest should give the weights of step 10", ck.EndVal)
	}
}

// checkGradients compares the analytic gradients in params (left by the
// caller's Backward of loss) with central differences of loss at about
// samples weights of each tensor, and returns how many weights of each
// tensor it checked.
func checkGradients(t *testing.T, params *Params, samples int, loss func() float64) map[string]int {
	t.Helper()
	checked := map[string]int{}
	for _, p := range params.List {
		for k := 0; k < len(p.W); k += 1 + len(p.W)/samples {
			old := p.W[k]
			const eps = 1e-2
			p.W[k] = old + eps
			up := loss()
			p.W[k] = old - eps
			down := loss()
			p.W[k] = old
			num := (up - down) / (2 * eps)
			if ana := float64(p.G[k]); math.Abs(num-ana) > 2e-3+2e-2*math.Abs(num) {
				t.Errorf("%s[%d]: analytic %.6g, numeric %.6g", p.Name, k, ana, num)
			}
			checked[p.Name]++
		}
	}
	return checked
}
