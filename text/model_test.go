// Tests of the model half: training learns, resume is exact, files round
// trip, a PyTorch-saved model scores as PyTorch computed, generation is
// deterministic and honours its options, and bad input gives errors.

package text

import (
	"bytes"
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/arkit-go/arkit/core"
)

// tinyOptions trains a small model quickly.
func tinyOptions() TrainOptions {
	return TrainOptions{TrainOptions: core.TrainOptions{LR: 1e-2, Steps: 150, ValEvery: 50, Seed: 3}, Embed: 8, Hidden: 32, Layers: 1, Seq: 16, Batch: 4}
}

// periodic is a text a small model can learn to predict almost perfectly.
var periodic = strings.Repeat("Hello, world!\n", 80)

func TestTrainLearns(t *testing.T) {
	m, res, err := Train(context.Background(), periodic, "", tinyOptions())
	if err != nil {
		t.Fatal(err)
	}
	if res.Reason != "steps" || res.Steps != 150 {
		t.Errorf("result %+v", res)
	}
	s, err := m.Score(context.Background(), strings.Repeat("Hello, world!\n", 10))
	if err != nil {
		t.Fatal(err)
	}
	// Uniform guessing over the 10 symbols costs ln 10 = 2.3 nats.
	if s.NatsPerSymbol > 0.2 || s.Symbols != 139 {
		t.Errorf("score %v: the model did not learn a periodic text", s)
	}
	if math.Abs(s.BitsPerSymbol*math.Ln2-s.NatsPerSymbol) > 1e-12 || math.Abs(math.Log(s.Perplexity)-s.NatsPerSymbol) > 1e-12 {
		t.Errorf("inconsistent score %+v", s)
	}
	if !(res.BestVal < 0.2) {
		t.Errorf("best validation loss %v", res.BestVal)
	}
}

func TestTrainDeterministic(t *testing.T) {
	opts := tinyOptions()
	opts.Steps = 30
	opts.Dropout = 0.1
	opts.Layers = 2
	a, _, err := Train(context.Background(), periodic, "", opts)
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := Train(context.Background(), periodic, "", opts)
	if err != nil {
		t.Fatal(err)
	}
	if !equalFloats(a.Net.Params().W, b.Net.Params().W) {
		t.Error("two runs with the same seed differ")
	}
}

func equalFloats(a, b []float32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Float32bits(a[i]) != math.Float32bits(b[i]) {
			return false
		}
	}
	return true
}

// TestResumeExact interrupts a run (as Ctrl-C does, by canceling its
// context), resumes it from its checkpoint and compares every saved tensor
// with an uninterrupted run's, bit for bit.
func TestResumeExact(t *testing.T) {
	dir := t.TempDir()
	corpus := Builtin()[:20000]
	opts := TrainOptions{Embed: 8, Hidden: 24, Layers: 2, Dropout: 0.2, Seq: 12, Batch: 8, SampleLength: 20,
		Preview:      func(string) {},
		TrainOptions: core.TrainOptions{Steps: 60, ValEvery: 10, Seed: 9, WeightDecay: 0.01, Decay: "cosine", Warmup: 5}}

	full := opts
	full.Out = filepath.Join(dir, "full.safetensors")
	if _, _, err := Train(context.Background(), corpus, "", full); err != nil {
		t.Fatal(err)
	}

	part := opts
	part.Out = filepath.Join(dir, "part.safetensors")
	ctx, cancel := context.WithCancel(context.Background())
	part.Progress = func(p core.Progress) {
		if p.Step == 30 {
			cancel()
		}
	}
	_, res, err := Train(ctx, corpus, "", part)
	if err != nil {
		t.Fatal(err)
	}
	if res.Reason != "canceled" || res.Steps != 30 {
		t.Fatalf("interrupted run: %+v", res)
	}
	var plan core.Plan
	resumed := TrainOptions{TrainOptions: core.TrainOptions{Out: part.Out, Resume: true, Steps: 60,
		Start: func(p core.Plan) { plan = p }}}
	_, res, err = Train(context.Background(), corpus, "", resumed)
	if err != nil {
		t.Fatal(err)
	}
	if plan.ResumedAt != 30 || !strings.Contains(plan.Network, "LSTM 2x24") || res.Steps != 60 {
		t.Fatalf("resumed run: plan %+v, result %+v", plan, res)
	}

	want, err := core.ReadTensorsFile(full.Out)
	if err != nil {
		t.Fatal(err)
	}
	got, err := core.ReadTensorsFile(part.Out)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.List) != len(want.List) {
		t.Fatalf("%d tensors, want %d", len(got.List), len(want.List))
	}
	for _, w := range want.List {
		g, ok := got.Get(w.Name)
		if !ok || !equalFloats(g.Data, w.Data) {
			t.Errorf("tensor %s differs after resuming", w.Name)
		}
	}
	for _, k := range []string{MetaVocab, core.MetaSettings(Domain), core.MetaTrainData, core.MetaDomain} {
		if got.Meta[k] != want.Meta[k] {
			t.Errorf("metadata %s: %q, want %q", k, got.Meta[k], want.Meta[k])
		}
	}
}

func resume(path string) TrainOptions {
	return TrainOptions{TrainOptions: core.TrainOptions{Out: path, Resume: true}}
}

// TestResumeRefusals checks that a resumed run refuses other data and other
// settings, and that a new run refuses to replace a model file.
func TestResumeRefusals(t *testing.T) {
	dir := t.TempDir()
	opts := tinyOptions()
	opts.Steps = 5
	opts.Out = filepath.Join(dir, "m.safetensors")
	if _, _, err := Train(context.Background(), periodic, "", opts); err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(opts.Out)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		corpus string
		opts   TrainOptions
		want   string
	}{
		{"other text", strings.Repeat("world, Hello!\n", 80), resume(opts.Out), "trained on other data"},
		{"other width", periodic, TrainOptions{TrainOptions: core.TrainOptions{Out: opts.Out, Resume: true}, Hidden: 64},
			"cannot resume with hidden 64: the run started with 32"},
		{"other rate", periodic, TrainOptions{TrainOptions: core.TrainOptions{Out: opts.Out, Resume: true, LR: 0.5}},
			"cannot resume with lr 0.5: the run started with 0.01"},
		{"missing file", periodic, resume(filepath.Join(dir, "none.safetensors")), "no such file"},
		{"existing file", periodic, TrainOptions{TrainOptions: core.TrainOptions{Out: opts.Out, Steps: 5}}, "already exists"},
	}
	for _, tc := range tests {
		_, _, err := Train(context.Background(), tc.corpus, "", tc.opts)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.want)
		}
	}
	if after, err := os.ReadFile(opts.Out); err != nil || !bytes.Equal(after, before) {
		t.Errorf("the refused runs changed %s (%v)", opts.Out, err)
	}
	forced := opts
	forced.Force = true
	if _, _, err := Train(context.Background(), periodic, "", forced); err != nil {
		t.Errorf("--force: %v", err)
	}
}

func TestTrainBadInput(t *testing.T) {
	binary := string([]byte{0x7f, 'E', 'L', 'F', 0, 0, 1, 2, 3}) + strings.Repeat("\x00\x01\x02", 100)
	tests := []struct {
		name   string
		corpus string
		opts   TrainOptions
		want   error
		frag   string
	}{
		{"empty", "", TrainOptions{}, ErrCorpusTooShort, "empty"},
		{"short", "Hello there", TrainOptions{Seq: 100, Batch: 32}, ErrCorpusTooShort, "has 9 tokens"},
		{"binary", binary, TrainOptions{}, ErrBinary, "binary"},
		{"invalid UTF-8", periodic + "caf\xe9", TrainOptions{}, ErrInvalidUTF8, "offset 1123"},
		{"negative hidden", periodic, TrainOptions{Hidden: -1}, nil, "hidden width -1"},
		{"bad dropout", periodic, TrainOptions{Dropout: 1}, nil, "dropout 1"},
		{"bad tokenizer", periodic, TrainOptions{Tokenizer: "word"}, nil, `unknown tokenizer "word"`},
	}
	for _, tc := range tests {
		_, _, err := Train(context.Background(), tc.corpus, "", tc.opts)
		if err == nil || (tc.want != nil && !errors.Is(err, tc.want)) || !strings.Contains(err.Error(), tc.frag) {
			t.Errorf("%s: error %v, want %v containing %q", tc.name, err, tc.want, tc.frag)
		}
	}
}

func trained(t *testing.T) *Model {
	t.Helper()
	m, _, err := Train(context.Background(), periodic, "", tinyOptions())
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestSaveLoadRoundTrip(t *testing.T) {
	m := trained(t)
	path := filepath.Join(t.TempDir(), "m.safetensors")
	if err := m.Save(path); err != nil {
		t.Fatal(err)
	}
	back, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	s1, _ := m.Score(ctx, periodic)
	s2, _ := back.Score(ctx, periodic)
	if s1 != s2 {
		t.Errorf("score %v before saving, %v after", s1, s2)
	}
	if back.Tok.Kind() != KindChar || back.Tok.Size() != m.Tok.Size() {
		t.Errorf("tokenizer %s of %d", back.Tok.Kind(), back.Tok.Size())
	}
}

func TestLoadBestOfCheckpoint(t *testing.T) {
	opts := tinyOptions()
	opts.Out = filepath.Join(t.TempDir(), "m.safetensors")
	m, res, err := Train(context.Background(), periodic, "", opts)
	if err != nil {
		t.Fatal(err)
	}
	back, err := Load(opts.Out)
	if err != nil {
		t.Fatal(err)
	}
	if !equalFloats(back.Net.Params().W, m.Net.Params().W) {
		t.Error("Load did not give the best parameters Train returned")
	}
	_ = res
}

// TestTorchSavedModel scores the text of the PyTorch fixture and compares
// with the log-softmax of PyTorch's logits.
func TestTorchSavedModel(t *testing.T) {
	m, err := Load("../core/testdata/torch_saved_model.safetensors")
	if err != nil {
		t.Fatal(err)
	}
	io, err := core.ReadTensorsFile("../core/testdata/torch_saved_model_io.safetensors")
	if err != nil {
		t.Fatal(err)
	}
	x, _ := io.Get("x.tokens")
	logits, _ := io.Get("out.head")
	T, V := x.Shape[0], logits.Shape[2]
	ids := make([]int32, T)
	for i, v := range x.Data {
		ids[i] = int32(v)
	}
	var want float64
	for t := 0; t+1 < T; t++ {
		row := logits.Data[t*V : (t+1)*V]
		mx := math.Inf(-1)
		for _, v := range row {
			mx = math.Max(mx, float64(v))
		}
		var sum float64
		for _, v := range row {
			sum += math.Exp(float64(v) - mx)
		}
		want += -(float64(row[ids[t+1]]) - mx - math.Log(sum))
	}
	want /= float64(T - 1)
	s, err := m.Score(context.Background(), m.Tok.Decode(ids))
	if err != nil {
		t.Fatal(err)
	}
	if s.Symbols != T-1 || math.Abs(s.NatsPerSymbol-want) > 1e-4 {
		t.Errorf("score %+v, want %.6f nats over %d symbols", s, want, T-1)
	}
	if m.Tok.Decode(ids) != "abc cab\nba c" {
		t.Errorf("fixture text %q", m.Tok.Decode(ids))
	}
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	m := trained(t)
	saveMeta := func(name string, edit func(map[string]string)) string {
		meta := m.meta()
		edit(meta)
		p := filepath.Join(dir, name)
		if err := m.Net.Save(p, meta, nil); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		name string
		path string
		want string
	}{
		{"missing", filepath.Join(dir, "none.safetensors"), "no such file"},
		{"corrupt", write("junk.safetensors", []byte("this is not a model file at all")), "malformed"},
		{"series", saveMeta("series.safetensors", func(m map[string]string) { m[core.MetaDomain] = "series" }), `not a text model: it is a "series" model`},
		{"no domain", saveMeta("nodomain.safetensors", func(m map[string]string) { delete(m, core.MetaDomain) }), "arkit.domain is missing"},
		{"no tokenizer", saveMeta("notok.safetensors", func(m map[string]string) { delete(m, MetaTokenizer) }), "arkit.tokenizer is missing"},
		{"bad vocab", saveMeta("badvocab.safetensors", func(m map[string]string) { m[MetaVocab] = `["a","b"]` }), "tokenizer has 2"},
		{"byte vocab", saveMeta("bytevocab.safetensors", func(m map[string]string) { m[MetaTokenizer] = KindByte; m[MetaVocab] = "{}" }), "tokenizer has 256"},
	}
	for _, tc := range tests {
		_, err := Load(tc.path)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.want)
		}
	}
}

func TestGenerate(t *testing.T) {
	m := trained(t)
	ctx := context.Background()
	gen := func(o GenerateOptions) string {
		var b bytes.Buffer
		if err := m.Generate(ctx, o, &b); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	// Greedy decoding of a learnt periodic text continues it.
	if got := gen(GenerateOptions{Prompt: "Hello", Length: 22}); got != "Hello, world!\nHello, world!" {
		t.Errorf("greedy: %q", got)
	}
	// Stop strings cut the sample before them.
	if got := gen(GenerateOptions{Prompt: "Hello", Length: 50, Stop: []string{"!\n"}}); got != "Hello, world" {
		t.Errorf("stop: %q", got)
	}
	// The same seed gives the same text; another seed, another text.
	hot := GenerateOptions{Prompt: "He", Length: 200, Temperature: 3, Seed: 5}
	a, b := gen(hot), gen(hot)
	hot.Seed = 6
	if c := gen(hot); a != b || a == c {
		t.Errorf("seeded sampling: %q, %q, %q", a, b, c)
	}
	// Several samples at once.
	samples, err := m.Samples(ctx, GenerateOptions{Prompt: "Hel", Length: 10, Temperature: 1, N: 3, Seed: 1})
	if err != nil || len(samples) != 3 {
		t.Fatalf("%d samples, error %v", len(samples), err)
	}
	for _, s := range samples {
		if !strings.HasPrefix(s, "Hel") || len([]rune(s)) != 13 {
			t.Errorf("sample %q", s)
		}
	}
	out := gen(GenerateOptions{Prompt: "Hel", Length: 10, N: 2})
	if strings.Count(out, "--- sample ") != 2 {
		t.Errorf("two samples written as %q", out)
	}
	// An empty prompt starts after a newline, which is not written.
	if got := gen(GenerateOptions{Length: 13}); len(got) != 13 || !strings.Contains(periodic, got) {
		t.Errorf("empty prompt: %q", got)
	}
}

func TestGenerateErrors(t *testing.T) {
	m := trained(t)
	tests := []struct {
		opts GenerateOptions
		want string
	}{
		{GenerateOptions{Prompt: "Hello, World"}, `symbol not in the vocabulary (first at byte offset 7): "W"`},
		{GenerateOptions{Prompt: "caf\xe9"}, "invalid UTF-8"},
		{GenerateOptions{Temperature: -1}, "temperature -1"},
		{GenerateOptions{TopP: 1.5}, "top-p 1.5 outside [0, 1]"},
		{GenerateOptions{MinP: -0.1}, "min-p"},
		{GenerateOptions{Length: -3}, "length -3"},
		{GenerateOptions{Stop: []string{""}}, "empty stop"},
	}
	for _, tc := range tests {
		var b bytes.Buffer
		err := m.Generate(context.Background(), tc.opts, &b)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: error %v, want %q", tc.opts, err, tc.want)
		}
		if b.Len() != 0 {
			t.Errorf("%+v: wrote %q before failing", tc.opts, b.String())
		}
	}
}

func TestGenerateByteFallback(t *testing.T) {
	opts := tinyOptions()
	opts.Tokenizer = KindByte
	opts.Steps = 5
	m, _, err := Train(context.Background(), periodic, "", opts)
	if err != nil {
		t.Fatal(err)
	}
	// A byte model takes any prompt and writes only valid UTF-8.
	var b bytes.Buffer
	if err := m.Generate(context.Background(), GenerateOptions{Prompt: "Ωmega ", Length: 100, Temperature: 2}, &b); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(b.String(), "Ωmega ") || !utf8Valid(b.String()) {
		t.Errorf("output %q", b.String())
	}
}

func utf8Valid(s string) bool { return strings.ToValidUTF8(s, "\uFFFD") == s }

func TestStopWriter(t *testing.T) {
	tests := []struct {
		in    string
		stops []string
		want  string
	}{
		{"abc END def", []string{"END"}, "abc "},
		{"abc EN def", []string{"END"}, "abc EN def"},
		{"xxENDyySTOP", []string{"STOP", "END"}, "xx"},
		{"no stops", nil, "no stops"},
		{"END", []string{"END"}, ""},
	}
	for _, tc := range tests {
		var out bytes.Buffer
		w := &stopWriter{w: &out, stops: tc.stops}
		for _, s := range tc.stops {
			w.hold = max(w.hold, len(s)-1)
		}
		for i := range len(tc.in) { // one byte at a time, as generation writes
			w.Write([]byte{tc.in[i]})
		}
		w.flush()
		if out.String() != tc.want {
			t.Errorf("%q with stops %q: %q, want %q", tc.in, tc.stops, out.String(), tc.want)
		}
	}
}

func TestScoreErrors(t *testing.T) {
	m := trained(t)
	if _, err := m.Score(context.Background(), "H"); !errors.Is(err, ErrCorpusTooShort) {
		t.Errorf("one symbol: %v", err)
	}
	if _, err := m.Score(context.Background(), "Hello?"); !errors.Is(err, ErrUnknownSymbol) {
		t.Errorf("unknown symbol: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := m.Score(ctx, periodic); !errors.Is(err, context.Canceled) {
		t.Errorf("canceled: %v", err)
	}
}

// TestScoreCarriesState checks that scoring in windows equals one long
// window: the state is carried, never truncated.
func TestScoreCarriesState(t *testing.T) {
	m := trained(t)
	ids, _ := m.Tok.Encode(periodic[:600])
	a, n1, _ := evalStreams(context.Background(), m.Net, ids, 1, 7)
	b, n2, _ := evalStreams(context.Background(), m.Net, ids, 1, 1000)
	if n1 != n2 || n1 != len(ids)-1 || math.Abs(a-b) > 1e-3*math.Abs(b) {
		t.Errorf("windows of 7: %v over %d; one window: %v over %d", a, n1, b, n2)
	}
}

// TestScoreCompactWeights: with compact weights the text is scored step by
// step through what generation reads; the score stays close to float32's
// and returns to it exactly with fp32.
func TestScoreCompactWeights(t *testing.T) {
	m := trained(t)
	defer m.Net.SetWeights(core.WeightsFP32)
	want, err := m.Score(context.Background(), periodic[:600])
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []core.Weights{core.WeightsBF16, core.WeightsInt8, core.WeightsFP32} {
		m.Net.SetWeights(w)
		got, err := m.Score(context.Background(), periodic[:600])
		if err != nil || got.Symbols != want.Symbols || math.Abs(got.NatsPerSymbol-want.NatsPerSymbol) > 0.01*want.NatsPerSymbol {
			t.Errorf("%s: %v (%v); float32: %v", w, got, err, want)
		}
	}
}

func TestStreamBatcherSeek(t *testing.T) {
	ids := make([]int32, 200)
	for i := range ids {
		ids[i] = int32(i)
	}
	seq, err := NewStreamBatcher(ids, 3, 5)
	if err != nil {
		t.Fatal(err)
	}
	x, y := make([]int32, 15), make([]int32, 15)
	x2, y2 := make([]int32, 15), make([]int32, 15)
	sk, _ := NewStreamBatcher(ids, 3, 5)
	for step := range 40 {
		r1 := seq.Next(x, y)
		sk.Seek(step)
		r2 := sk.Next(x2, y2)
		if r1 != r2 || !slices.Equal(x, x2) || !slices.Equal(y, y2) {
			t.Fatalf("step %d: Seek differs from Next", step)
		}
	}
}
