// Tests of the model half: training on synthetic tones learns, evaluation
// matches step-by-step scoring, files round-trip, runs are deterministic and
// resume exactly, generation honours its prime and classes.

package audio

import (
	"bytes"
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/arkit-go/arkit/core"
)

// toneData returns n labelled synthetic clips of 0.25 s at 4 kHz.
func toneData(t *testing.T, n int, seed uint64) *Dataset {
	t.Helper()
	d, err := ToneDataset(n, 4000, 250*time.Millisecond, seed)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// tinyOptions is an unconditioned model small enough to train in a second
// or two (with three tiers, a top step every 4 frames: 16 samples).
func tinyOptions(tiers int) TrainOptions {
	return TrainOptions{Tiers: tiers, Embed: 16, History: 8, Hidden: 48, Frame: 4, FrameHidden: 48, Cond: 16,
		TopFrame: 4, TopHidden: 32, TopCond: 8, Unconditional: true, Window: 128, Batch: 8, ValFraction: NoValidation,
		TrainOptions: core.TrainOptions{LR: 1e-2, Steps: 150, Seed: 3}}
}

func codes(d *Dataset) [][]int32 {
	var out [][]int32
	for _, s := range d.Seqs {
		out = append(out, s.Codes)
	}
	return out
}

func TestTrainLearnsTones(t *testing.T) {
	train, test := toneData(t, 60, 1), toneData(t, 6, 2)
	// The count models know only the last codes, which rarely recur
	// exactly in new sounds.
	best := math.Inf(1)
	for order := 1; order <= 3; order++ {
		ng := NGram{Order: order}
		ng.Train(codes(train))
		best = min(best, ng.BitsPerSample(codes(test)))
	}
	for _, tiers := range []int{1, 2, 3} {
		m, res, err := Train(context.Background(), train, nil, tinyOptions(tiers))
		if err != nil {
			t.Fatal(err)
		}
		s, err := m.Evaluate(context.Background(), test)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%d tiers: %s after %d steps; best count model %.3f bits", tiers, s, res.Steps, best)
		if s.Samples != test.Samples() || s.Files != len(test.Seqs) {
			t.Errorf("scored %d samples of %d files, want %d of %d", s.Samples, s.Files, test.Samples(), len(test.Seqs))
		}
		// The model extrapolates waveforms it has not seen: it beats
		// every count model by more than a bit per sample.
		if s.BitsPerSample > best-1 {
			t.Errorf("%d tiers: %.3f bits per sample, best count model %.3f: it did not learn", tiers, s.BitsPerSample, best)
		}
	}
}

// stepwiseNLL scores one recording by feeding it through Next one sample at
// a time, the way generation reads it.
func stepwiseNLL(m *Model, s Sequence) float64 {
	st := m.Net.NewState(1)
	F := m.features()
	in := core.Input{Tokens: make([]int32, 1), Features: make([]float32, F)}
	out := make([]float32, levels)
	k, _ := m.labelIndex(s.Label)
	var nll float64
	for pos, c := range s.Codes {
		m.setInput(&in.Tokens[0], in.Features, s.Codes, pos, k)
		m.Net.Next(st, in, out)
		mx := slices.Max(out)
		var z float64
		for _, v := range out {
			z += math.Exp(float64(v - mx))
		}
		nll += math.Log(z) - float64(out[c]-mx)
	}
	return nll
}

func TestEvaluateMatchesStepwise(t *testing.T) {
	d := toneData(t, 5, 4)
	// Lengths that are not multiples of the window or the frame, and one
	// recording longer than an evaluation window.
	d.Seqs[0].Codes = d.Seqs[0].Codes[:37]
	d.Seqs[1].Codes = append(slices.Clone(d.Seqs[1].Codes), d.Seqs[2].Codes[:301]...)
	for _, tiers := range []int{1, 2, 3} {
		opts := tinyOptions(tiers)
		opts.Steps = 10
		opts.Unconditional = false
		m, _, err := Train(context.Background(), d, nil, opts)
		if err != nil {
			t.Fatal(err)
		}
		// With compact weights evaluation steps through Next as
		// generation does: the stepwise score with the same weights, a
		// little off the float32 score.
		var fp32 float64
		for _, w := range []core.Weights{core.WeightsFP32, core.WeightsBF16, core.WeightsInt8} {
			m.Net.SetWeights(w)
			s, err := m.Evaluate(context.Background(), d)
			if err != nil {
				t.Fatal(err)
			}
			var want float64
			for _, seq := range d.Seqs {
				want += stepwiseNLL(m, seq)
			}
			got := s.NatsPerSample * float64(s.Samples)
			if math.Abs(got-want) > 1e-4*math.Abs(want) {
				t.Errorf("%d tiers %s: windowed evaluation %.6f nats, step by step %.6f", tiers, w, got, want)
			}
			if w == core.WeightsFP32 {
				fp32 = got
			} else if got == fp32 || math.Abs(got-fp32) > 1e-2*math.Abs(fp32) {
				t.Errorf("%d tiers %s: %.6f nats, float32 weights %.6f", tiers, w, got, fp32)
			}
		}
	}
}

func TestSaveLoadRoundTrip(t *testing.T) {
	d := toneData(t, 6, 5)
	dir := t.TempDir()
	for _, tiers := range []int{1, 2, 3} {
		opts := tinyOptions(tiers)
		opts.Steps = 20
		opts.Unconditional = false
		m, _, err := Train(context.Background(), d, nil, opts)
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, "m.safetensors")
		if err := m.Save(path); err != nil {
			t.Fatal(err)
		}
		back, err := Load(path)
		if err != nil {
			t.Fatal(err)
		}
		if back.Rate != m.Rate || !slices.Equal(back.Labels, m.Labels) || back.String() != m.String() {
			t.Fatalf("loaded %s at %d Hz with %v, saved %s at %d Hz with %v", back, back.Rate, back.Labels, m, m.Rate, m.Labels)
		}
		s1, _ := m.Evaluate(context.Background(), d)
		s2, _ := back.Evaluate(context.Background(), d)
		if s1 != s2 {
			t.Errorf("%d tiers: score %v before saving, %v after", tiers, s1, s2)
		}
		g := GenerateOptions{Seconds: 0.05, N: 2, Seed: 9}
		c1, err1 := m.Generate(context.Background(), g)
		c2, err2 := back.Generate(context.Background(), g)
		if err1 != nil || err2 != nil || !slices.Equal(c1[1].Samples, c2[1].Samples) {
			t.Errorf("%d tiers: generation differs after loading (%v, %v)", tiers, err1, err2)
		}
	}
}

func TestTrainDeterministicAndResumesExactly(t *testing.T) {
	for _, tiers := range []int{2, 3} {
		t.Run(strconv.Itoa(tiers)+" tiers", func(t *testing.T) { trainDeterministicAndResumesExactly(t, tiers) })
	}
}

// trainDeterministicAndResumesExactly: with three tiers the resumed run
// also takes the top tier's settings from the file.
func trainDeterministicAndResumesExactly(t *testing.T, tiers int) {
	d := toneData(t, 6, 6)
	dir := t.TempDir()
	opts := tinyOptions(tiers)
	opts.Steps = 16
	opts.ValFraction = 0.2
	opts.ValEvery = 5
	opts.Out = filepath.Join(dir, "full.safetensors")
	full, _, err := Train(context.Background(), d, nil, opts)
	if err != nil {
		t.Fatal(err)
	}
	again := opts
	again.Out = filepath.Join(dir, "again.safetensors")
	twin, _, err := Train(context.Background(), d, nil, again)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(full.Net.Params().W, twin.Net.Params().W) {
		t.Fatal("two runs with the same seed differ")
	}

	half := opts
	half.Steps = 7
	half.Out = filepath.Join(dir, "half.safetensors")
	if _, _, err := Train(context.Background(), d, nil, half); err != nil {
		t.Fatal(err)
	}
	// Step 7 lies between validations (every 5 steps): the stopped run
	// validates there apart from the record, and the resumed run, given
	// neither ValEvery nor anything else, validates on the saved schedule.
	_, res, err := Train(context.Background(), d, nil, TrainOptions{TrainOptions: core.TrainOptions{Steps: 16, Out: half.Out, Resume: true}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Steps != 16 {
		t.Fatalf("resumed run ended at step %d", res.Steps)
	}
	a, err1 := os.ReadFile(opts.Out)
	b, err2 := os.ReadFile(half.Out)
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	if !bytes.Equal(a, b) {
		t.Fatal("a run resumed at step 7 saved another file than the straight run")
	}
	best, err := Load(half.Out)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(best.Net.Params().W, full.Net.Params().W) {
		t.Fatal("Load does not give the parameters the straight run ended with")
	}

	// Resuming refuses other data and other settings.
	other := toneData(t, 6, 7)
	if _, _, err := Train(context.Background(), other, nil, TrainOptions{TrainOptions: core.TrainOptions{Steps: 20, Out: half.Out, Resume: true}}); err == nil ||
		!strings.Contains(err.Error(), "trained on other data") {
		t.Errorf("resume on other data: %v", err)
	}
	if _, _, err := Train(context.Background(), d, nil, TrainOptions{Hidden: 99, TrainOptions: core.TrainOptions{Steps: 20, Out: half.Out, Resume: true}}); err == nil ||
		!strings.Contains(err.Error(), "cannot resume with hidden 99: the run started with 48") {
		t.Errorf("resume with another width: %v", err)
	}
}

// TestTrainRefusesExistingOut: a new run does not replace a model file
// unless told to (Force); the refused file is left as it was.
func TestTrainRefusesExistingOut(t *testing.T) {
	d := toneData(t, 4, 11)
	opts := tinyOptions(1)
	opts.Steps = 2
	opts.Out = filepath.Join(t.TempDir(), "m.safetensors")
	if _, _, err := Train(context.Background(), d, nil, opts); err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(opts.Out)
	if err != nil {
		t.Fatal(err)
	}
	again := opts
	again.Seed = 4
	if _, _, err := Train(context.Background(), d, nil, again); !errors.Is(err, core.ErrExists) ||
		!strings.Contains(err.Error(), "--resume") {
		t.Fatalf("a second run into %s: %v", opts.Out, err)
	}
	if after, err := os.ReadFile(opts.Out); err != nil || !bytes.Equal(before, after) {
		t.Fatalf("the refused run changed the file (%v)", err)
	}
	again.Force = true
	if _, _, err := Train(context.Background(), d, nil, again); err != nil {
		t.Fatal(err)
	}
	if after, _ := os.ReadFile(opts.Out); bytes.Equal(before, after) {
		t.Fatal("Force did not replace the file")
	}
}

// TestTrainInterruptedResumes: a run canceled part way (ctx canceled from
// Progress) and resumed writes the file an uninterrupted run writes, and a
// conditioned model resumes conditioned.
func TestTrainInterruptedResumes(t *testing.T) {
	d := toneData(t, 6, 12)
	dir := t.TempDir()
	opts := tinyOptions(2)
	opts.Unconditional = false
	opts.Steps = 12
	opts.ValFraction = 0.2
	opts.ValEvery = 4
	opts.Out = filepath.Join(dir, "straight.safetensors")
	if _, _, err := Train(context.Background(), d, nil, opts); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cut := opts
	cut.Out = filepath.Join(dir, "cut.safetensors")
	cut.Progress = func(p core.Progress) {
		if p.Step == 5 {
			cancel()
		}
	}
	_, res, err := Train(ctx, d, nil, cut)
	if err != nil || res.Reason != "canceled" || res.Steps >= opts.Steps {
		t.Fatalf("canceled run: %v after %d steps (%s)", err, res.Steps, res.Reason)
	}
	at := res.Steps
	// Steps is not a saved setting: the resumed run is given it again.
	var plan core.Plan
	resumed := TrainOptions{TrainOptions: core.TrainOptions{Steps: opts.Steps, Out: cut.Out, Resume: true,
		Start: func(p core.Plan) { plan = p }}}
	m, res, err := Train(context.Background(), d, nil, resumed)
	if err != nil || res.Steps != opts.Steps {
		t.Fatalf("resumed run: %v after %d steps", err, res.Steps)
	}
	if plan.ResumedAt != at || !strings.Contains(plan.Network, "conditioned on the classes chirp note tone") || len(m.Labels) != 3 {
		t.Errorf("resumed at %d: %s; labels %v", plan.ResumedAt, plan.Network, m.Labels)
	}
	a, err1 := os.ReadFile(opts.Out)
	b, err2 := os.ReadFile(cut.Out)
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	if !bytes.Equal(a, b) {
		t.Fatal("the interrupted and resumed run saved another file than the straight run")
	}
}

func TestGenerate(t *testing.T) {
	d := toneData(t, 6, 8)
	opts := tinyOptions(2)
	opts.Steps = 30
	opts.Unconditional = false
	m, _, err := Train(context.Background(), d, nil, opts)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	clips, err := m.Generate(ctx, GenerateOptions{Seconds: 0.1, N: 3, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(clips) != 3 || len(clips[0].Samples) != 400 || clips[0].Rate != 4000 {
		t.Fatalf("got %d clips of %d samples at %d Hz", len(clips), len(clips[0].Samples), clips[0].Rate)
	}
	same, _ := m.Generate(ctx, GenerateOptions{Seconds: 0.1, N: 3, Seed: 1})
	other, _ := m.Generate(ctx, GenerateOptions{Seconds: 0.1, N: 3, Seed: 2})
	if !slices.Equal(clips[2].Samples, same[2].Samples) || slices.Equal(clips[2].Samples, other[2].Samples) {
		t.Error("generation is not a function of the seed")
	}

	// A prime at another rate is resampled and heads the clip.
	prime := Tones(1, 8000, 50*time.Millisecond, 3)[0].Clip
	primed, err := m.Generate(ctx, GenerateOptions{Seconds: 0.1, Prime: prime, Label: KindTone})
	if err != nil {
		t.Fatal(err)
	}
	pc, _ := encodeClip(prime, 4000)
	head := make([]float32, len(pc))
	MuLaw{}.DecodeAll(head, pc)
	if got := primed[0].Samples; len(got) != len(pc)+400 || !slices.Equal(got[:len(pc)], head) {
		t.Errorf("primed clip of %d samples does not start with the %d prime samples", len(got), len(pc))
	}

	for _, bad := range []GenerateOptions{
		{Seconds: 0}, {Seconds: -1}, {Seconds: math.NaN()}, {Seconds: 1e9}, {Seconds: 1, Label: "trumpet"},
		{Seconds: 1, Temperature: -1}, {Seconds: 1, TopP: 2}, {Seconds: 1, Prime: &Clip{Rate: 8000}},
		{Seconds: 1, Prime: &Clip{Rate: 0, Samples: []float32{0}}},
	} {
		if _, err := m.Generate(ctx, bad); err == nil {
			t.Errorf("Generate(%+v) succeeded", bad)
		}
	}
}

func TestLoadRefusesOtherDomains(t *testing.T) {
	dir := t.TempDir()
	net := core.NewModel(core.Config{Vocab: 256, Embed: 4, Features: 1, Hidden: 8}, rand.New(rand.NewPCG(1, 1)))
	for _, tc := range []struct {
		name string
		meta map[string]string
		want string
	}{
		{"text", map[string]string{core.MetaDomain: "text"}, `it is a "text" model`},
		{"none", nil, "metadata arkit.domain is missing"},
	} {
		path := filepath.Join(dir, tc.name+".safetensors")
		if err := net.Save(path, tc.meta, nil); err != nil {
			t.Fatal(err)
		}
		_, err := Load(path)
		if !errors.Is(err, ErrNotAudioModel) || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
	// An audio file whose network does not read what audio models read.
	m := &Model{Net: net, Rate: 8000, History: 1, Labels: []string{"a", "b"}}
	path := filepath.Join(dir, "mismatch.safetensors")
	if err := m.Save(path); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(path); err == nil || !strings.Contains(err.Error(), "features") {
		t.Errorf("mismatched network: %v", err)
	}
}

func TestTrainErrors(t *testing.T) {
	d := toneData(t, 3, 9)
	ctx := context.Background()
	mixed := &Dataset{Rate: 4000, Seqs: []Sequence{{Path: "a.wav", Label: "x", Codes: []int32{1, 2, 3}}, {Path: "b.wav", Codes: []int32{1, 2, 3}}}}
	for _, tc := range []struct {
		name string
		data *Dataset
		opts TrainOptions
		want string
	}{
		{"no data", &Dataset{Rate: 8000}, TrainOptions{}, "no recordings"},
		{"tiers", d, TrainOptions{Tiers: 4}, "tiers 4: want 1, 2 or 3"},
		{"top frame", d, TrainOptions{Tiers: 3, TopFrame: 1 << 15}, "top frame 32768 outside"},
		{"rate", &Dataset{Rate: 10, Seqs: d.Seqs}, TrainOptions{}, "sample rate 10 Hz"},
		{"some unlabelled", mixed, TrainOptions{}, "b.wav: recording without a class among labelled ones (1 of the 2"},
		{"decay", d, TrainOptions{TrainOptions: core.TrainOptions{Decay: "step"}}, `unknown decay "step"`},
		{"resume without file", d, TrainOptions{TrainOptions: core.TrainOptions{Resume: true}}, "resuming needs"},
		{"missing folder", d, TrainOptions{TrainOptions: core.TrainOptions{Out: "/nonexistent/dir/m.safetensors"}}, "/nonexistent/dir"},
		// Sizes past core.MaxParams are errors, not panics in core.NewTiered.
		{"huge step tier", d, TrainOptions{Hidden: 16384, Layers: 16}, "audio: a model of hidden 16384, 16 layers"},
		{"huge one tier", d, TrainOptions{Tiers: 1, Hidden: 16384, Layers: 16}, "more than 268435456 parameters"},
		{"huge frame tier", d, TrainOptions{FrameHidden: 16384, FrameLayers: 16}, "audio: tiered: frame tier: a model of hidden 16384"},
		{"huge together", d, TrainOptions{Hidden: 4000, Layers: 2, FrameHidden: 4000, FrameLayers: 2}, "parameters together"},
		{"huge top tier", d, TrainOptions{Tiers: 3, TopFrame: 16, TopHidden: 16384, TopCond: 16384}, "audio: tiered: top tier: a model of hidden 16384"},
	} {
		_, _, err := Train(ctx, tc.data, nil, tc.opts)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.want)
		}
	}
}

func TestWindowsDeterministic(t *testing.T) {
	d := toneData(t, 4, 10)
	d.Seqs[0].Codes = d.Seqs[0].Codes[:50] // shorter than a window: padded
	opts := tinyOptions(2).withDefaults()
	m := &Model{Net: newNetwork(opts, 0, rand.New(rand.NewPCG(1, 2))), Rate: 4000, History: opts.History}
	w, err := newWindows(m, d.Seqs, 128, 16, 5)
	if err != nil {
		t.Fatal(err)
	}
	a, b := m.Net.NewBatch(128, 16), m.Net.NewBatch(128, 16)
	w.Batch(3, a)
	w.Batch(4, b)
	w.Batch(3, b)
	if !slices.Equal(a.Tokens, b.Tokens) || !slices.Equal(a.Targets, b.Targets) || !slices.Equal(a.Mask, b.Mask) {
		t.Fatal("the window of a step is not a function of the step")
	}
	// Each target is the code after the input token, where both are real.
	for k := 0; k+16 < len(a.Tokens); k++ {
		if a.Mask[k] == 1 && a.Mask[k+16] == 1 && a.Tokens[k+16] != int32(a.Targets[k]) {
			t.Fatalf("step %d: next input %d is not the target %g", k, a.Tokens[k+16], a.Targets[k])
		}
	}
}

func TestTonesDeterministic(t *testing.T) {
	a, b := Tones(4, 8000, 100*time.Millisecond, 1), Tones(4, 8000, 100*time.Millisecond, 1)
	kinds := []string{KindTone, KindChirp, KindNote, KindTone}
	for i := range a {
		if a[i].Kind != kinds[i] || len(a[i].Clip.Samples) != 800 || !slices.Equal(a[i].Clip.Samples, b[i].Clip.Samples) {
			t.Fatalf("clip %d: %s of %d samples", i, a[i].Kind, len(a[i].Clip.Samples))
		}
		var peak float32
		for _, v := range a[i].Clip.Samples {
			peak = max(peak, float32(math.Abs(float64(v))))
		}
		if peak < 0.05 || peak > 0.8 {
			t.Errorf("clip %d peaks at %g", i, peak)
		}
	}
}
