// Tests of the model half: tiny models trained on tiny synthetic images
// learn; files round-trip and refuse other domains; resumed training is
// exact; generation is deterministic, batched and causal; evaluation agrees
// with the step-by-step generation path.

package pixels

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/arkit-go/arkit/core"
)

// bars returns n 8x8 binary images of two classes: "h" has a random
// horizontal bar two rows high, "v" a vertical one, with 2% noise. A model
// can learn them from a few hundred images in seconds.
func bars(n int, seed uint64) *Dataset {
	const side = 8
	rng := rand.New(rand.NewPCG(seed, 3))
	d := &Dataset{Width: side, Height: side, Channels: 1, Levels: 2,
		Images: make([][]uint8, n), Labels: make([]int, n), ClassNames: []string{"h", "v"}}
	for i := range n {
		img := make([]uint8, side*side)
		class, at := rng.IntN(2), 1+rng.IntN(side-3)
		for y := range side {
			for x := range side {
				on := (class == 0 && (y == at || y == at+1)) || (class == 1 && (x == at || x == at+1))
				if rng.Float64() < 0.02 {
					on = !on
				}
				if on {
					img[y*side+x] = 1
				}
			}
		}
		d.Images[i], d.Labels[i] = img, class
	}
	return d
}

// tinyModel trains a small model on bars for the given steps.
func tinyModel(t testing.TB, conditional bool, steps int) (*Model, *Dataset) {
	t.Helper()
	d := bars(400, 1)
	m, err := NewModel(d, Config{Hidden: 32, Embed: 4, Context: 2, Conditional: conditional}, 7)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Train(context.Background(), d, TrainOptions{Batch: 16, Steps: steps, LR: 1e-2, Seed: 3, ClassDrop: 0.2}); err != nil {
		t.Fatal(err)
	}
	return m, d
}

func TestTrainLearnsBars(t *testing.T) {
	test := bars(200, 99)
	m, err := NewModel(test, Config{Hidden: 32, Embed: 4, Context: 2}, 7)
	if err != nil {
		t.Fatal(err)
	}
	before, err := m.Evaluate(context.Background(), test, EvalOptions{})
	if err != nil {
		t.Fatal(err)
	}
	m, _ = tinyModel(t, false, 150)
	after, err := m.Evaluate(context.Background(), test, EvalOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// An image holds about 64 * H(0.02) = 9 nats of noise plus the bar's
	// class and place (log 10 = 2.3 nats); pixel-independent guessing costs
	// about 64 * H(0.25) = 36 nats.
	t.Logf("test NLL: %.2f nats/image untrained, %.2f trained (%.3f bits/dim)", before.NatsPerImage, after.NatsPerImage, after.BitsPerDim)
	if after.NatsPerImage > 22 || after.NatsPerImage > before.NatsPerImage/2 {
		t.Errorf("trained NLL %.2f nats/image (untrained %.2f): the model did not learn", after.NatsPerImage, before.NatsPerImage)
	}
	if after.Images != 200 || after.Dims != 64 || after.Conditional {
		t.Errorf("score %+v", after)
	}
	if math.Abs(after.BitsPerDim-after.NatsPerImage/64/math.Ln2) > 1e-9 {
		t.Errorf("bits per dim %v inconsistent with %v nats per image", after.BitsPerDim, after.NatsPerImage)
	}
}

func TestConditionalSamplesFollowTheClass(t *testing.T) {
	m, _ := tinyModel(t, true, 150)
	// Horizontal bars make rows uniform; vertical bars columns. Measure how
	// much of the ink lies in the two most inked rows versus columns.
	rowShare := func(imgs [][]uint8) (rows, cols float64) {
		for _, img := range imgs {
			var r, c [8]int
			for i, v := range img {
				r[i/8] += int(v)
				c[i%8] += int(v)
			}
			slices.Sort(r[:])
			slices.Sort(c[:])
			rows += float64(r[7] + r[6])
			cols += float64(c[7] + c[6])
		}
		return rows, cols
	}
	for _, tc := range []struct {
		class   string
		rowsWin bool
	}{{"h", true}, {"v", false}} {
		imgs, err := m.Sample(context.Background(), 32, SampleOptions{Class: tc.class, Seed: 5})
		if err != nil {
			t.Fatal(err)
		}
		rows, cols := rowShare(imgs)
		if (rows > 1.5*cols) != tc.rowsWin || (cols > 1.5*rows) == tc.rowsWin {
			t.Errorf("class %q: ink in top rows %v, top columns %v", tc.class, rows, cols)
		}
	}
	if _, err := m.Sample(context.Background(), 4, SampleOptions{}); err != nil {
		t.Errorf("sampling without a class: %v", err)
	}
	if _, err := m.Sample(context.Background(), 4, SampleOptions{Class: "x"}); err == nil {
		t.Error("unknown class accepted")
	}
}

func TestSaveLoadRoundTrip(t *testing.T) {
	m, d := tinyModel(t, true, 5)
	path := filepath.Join(t.TempDir(), "m.safetensors")
	if err := m.Save(path); err != nil {
		t.Fatal(err)
	}
	got, err := LoadModel(path)
	if err != nil {
		t.Fatal(err)
	}
	if got.Raster != m.Raster || !slices.Equal(got.ClassNames, m.ClassNames) || !slices.Equal(got.Net.Params().W, m.Net.Params().W) {
		t.Fatalf("loaded %+v %v, saved %+v %v", got.Raster, got.ClassNames, m.Raster, m.ClassNames)
	}
	if _, ok := got.Trained(); ok {
		t.Error("a model saved without training state claims to be resumable")
	}
	ctx := context.Background()
	opts := SampleOptions{Seed: 9, Class: "v", Temperature: 0.7}
	a, _ := m.Sample(ctx, 5, opts)
	b, _ := got.Sample(ctx, 5, opts)
	if !slices.EqualFunc(a, b, slices.Equal) {
		t.Error("the loaded model samples other images")
	}
	s1, _ := m.Evaluate(ctx, d, EvalOptions{})
	s2, _ := got.Evaluate(ctx, d, EvalOptions{})
	if s1 != s2 || !s1.Conditional {
		t.Errorf("scores differ: %+v, %+v", s1, s2)
	}
}

func TestLoadModelRefusesOtherFiles(t *testing.T) {
	dir := t.TempDir()
	m, _ := tinyModel(t, false, 1)
	write := func(name string, meta map[string]string) string {
		p := filepath.Join(dir, name)
		if err := m.Net.Save(p, meta, nil); err != nil {
			t.Fatal(err)
		}
		return p
	}
	textMeta := map[string]string{core.MetaDomain: "text"}
	noDomain := map[string]string{}
	badLevels := m.Meta()
	badLevels[MetaLevels] = "4"
	oldLayout := m.Meta()
	oldLayout[MetaLayout] = "raster-0"
	badClasses := m.Meta()
	badClasses[MetaClasses] = "h,v"
	for _, tc := range []struct {
		name string
		path string
		want error
	}{
		{"text model", write("text.st", textMeta), ErrDomain},
		{"no domain", write("none.st", noDomain), ErrDomain},
		{"levels disagree", write("levels.st", badLevels), ErrFormat},
		{"old layout", write("layout.st", oldLayout), ErrFormat},
		{"classes not JSON", write("classes.st", badClasses), ErrFormat},
	} {
		if _, err := LoadModel(tc.path); !errors.Is(err, tc.want) {
			t.Errorf("%s: error %v, want %v", tc.name, err, tc.want)
		}
	}
	if _, err := LoadModel(filepath.Join(dir, "missing.st")); err == nil {
		t.Error("missing file accepted")
	}
}

// Training 12 steps, or 6 then 6 more from the checkpoint, ends with the
// same parameters.
func TestResumeIsExact(t *testing.T) {
	d := bars(100, 4)
	dir := t.TempDir()
	opts := TrainOptions{Batch: 8, WindowRows: 3, ClassDrop: 0.3, Seed: 11, LR: 5e-3}
	train := func(m *Model, steps int, out string, resume bool) {
		t.Helper()
		o := opts
		o.Steps, o.Out, o.Resume = steps, out, resume
		o.Schedule = core.Schedule{Decay: "linear", Steps: 12}
		if _, err := m.Train(context.Background(), d, o); err != nil {
			t.Fatal(err)
		}
	}
	newModel := func() *Model {
		m, err := NewModel(d, Config{Hidden: 16, Embed: 4, Conditional: true, Dropout: 0}, 2)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	straight := newModel()
	train(straight, 12, "", false)

	half := filepath.Join(dir, "half.st")
	train(newModel(), 6, half, false)
	m, err := LoadCheckpoint(half)
	if err != nil {
		t.Fatal(err)
	}
	if steps, ok := m.Trained(); !ok || steps != 6 {
		t.Fatalf("checkpoint: %d steps, resumable %v", steps, ok)
	}
	opts.Seed, opts.Batch = 999, 3 // ignored on resume: the checkpoint's apply
	train(m, 12, half, true)
	if !slices.Equal(m.Net.Params().W, straight.Net.Params().W) {
		t.Error("resumed run ended with other parameters than the straight run")
	}
	if _, err := m.Train(context.Background(), bars(50, 4), TrainOptions{Resume: true, Steps: 13}); err == nil {
		t.Error("resume on another data set accepted")
	}
	if _, err := newModel().Train(context.Background(), d, TrainOptions{Resume: true}); err == nil {
		t.Error("resume without training state accepted")
	}
}

func TestValidationKeepsBest(t *testing.T) {
	d := bars(120, 5)
	m, err := NewModel(d, Config{Hidden: 16, Embed: 4}, 2)
	if err != nil {
		t.Fatal(err)
	}
	var vals []float64
	res, err := m.Train(context.Background(), d, TrainOptions{Batch: 8, Steps: 40, ValImages: 20, ValEvery: 10, LR: 1e-2,
		Progress: func(p core.Progress) {
			if p.Validated {
				vals = append(vals, p.ValLoss)
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	if len(vals) < 4 || res.BestVal != slices.Min(vals) {
		t.Fatalf("validations %v, best %v", vals, res.BestVal)
	}
	_, held := d.Split(20, 0)
	sc, err := m.Evaluate(context.Background(), held, EvalOptions{Batch: 7, WindowRows: 3})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(sc.NatsPerDim()-res.BestVal) > 1e-4 {
		t.Errorf("the model ends with validation %v, the best was %v", sc.NatsPerDim(), res.BestVal)
	}
}

// Evaluate (core.Model.Forward over windows) and the generation path
// (core.Model.Next fed by the feeder) give the same log-likelihood.
func TestEvaluateAgreesWithGenerationPath(t *testing.T) {
	m, d := tinyModel(t, true, 20)
	d = d.Subset([]int{0, 1, 2, 3, 4})
	ctx := context.Background()
	whole, err := m.Evaluate(ctx, d, EvalOptions{Batch: 2})
	if err != nil {
		t.Fatal(err)
	}
	windowed, err := m.Evaluate(ctx, d, EvalOptions{Batch: 3, WindowRows: 3})
	if err != nil {
		t.Fatal(err)
	}
	r := m.Raster
	f := &feeder{r: r, imgs: d.Images, classes: m.labels(d)}
	st := m.Net.NewState(len(d.Images))
	in := core.Input{Tokens: make([]int32, len(d.Images)), Features: make([]float32, len(d.Images)*r.FeatureDim())}
	out := make([]float32, len(d.Images)*r.Levels)
	var nll float64
	for t := range r.Len() {
		f.Input(t, &in)
		m.Net.Next(st, in, out)
		for b, img := range d.Images {
			logits := out[b*r.Levels : (b+1)*r.Levels]
			mx := slices.Max(logits)
			var z float64
			for _, v := range logits {
				z += math.Exp(float64(v - mx))
			}
			nll -= float64(logits[img[t]]-mx) - math.Log(z)
		}
	}
	step := nll / float64(len(d.Images))
	for _, s := range []Score{whole, windowed} {
		if math.Abs(s.NatsPerImage-step) > 1e-3*step {
			t.Errorf("Evaluate %.5f nats/image, step by step %.5f", s.NatsPerImage, step)
		}
	}
}

func TestSampleDeterministicAndBatched(t *testing.T) {
	m, _ := tinyModel(t, false, 10)
	ctx := context.Background()
	a, err := m.Sample(ctx, 6, SampleOptions{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := m.Sample(ctx, 6, SampleOptions{Seed: 1})
	c, _ := m.Sample(ctx, 6, SampleOptions{Seed: 2})
	if !slices.EqualFunc(a, b, slices.Equal) {
		t.Error("same seed, other images")
	}
	if slices.EqualFunc(a, c, slices.Equal) {
		t.Error("other seed, same images")
	}
	parts, err := m.Sample(ctx, 5, SampleOptions{Seed: 1, Batch: 2})
	if err != nil || len(parts) != 5 {
		t.Fatalf("batched sampling: %d images, %v", len(parts), err)
	}
	for _, img := range append(a, parts...) {
		if len(img) != m.Raster.Len() || slices.Max(img) >= uint8(m.Raster.Levels) {
			t.Fatalf("bad image %v", img)
		}
	}
	// Temperature near 0 draws the most likely level every time: the same
	// image whatever the seed.
	g1, _ := m.Sample(ctx, 2, SampleOptions{Seed: 1, Temperature: 1e-4})
	g2, _ := m.Sample(ctx, 2, SampleOptions{Seed: 2, Temperature: 1e-4})
	if !slices.EqualFunc(g1, g2, slices.Equal) || !slices.Equal(g1[0], g1[1]) {
		t.Error("near-greedy sampling depends on the seed")
	}
	for _, bad := range []SampleOptions{{Temperature: -1}, {Batch: -1}, {Class: "h"}} {
		if _, err := m.Sample(ctx, 2, bad); err == nil {
			t.Errorf("options %+v accepted", bad)
		}
	}
	if _, err := m.Sample(ctx, 0, SampleOptions{}); err == nil {
		t.Error("0 images accepted")
	}
}

func TestCompleteKeepsTheKnownRows(t *testing.T) {
	m, d := tinyModel(t, true, 60)
	ctx := context.Background()
	d = d.Subset([]int{0, 1, 2})
	const keep = 5
	known := keep * m.Raster.W
	comps, err := m.Complete(ctx, d, keep, 4, SampleOptions{Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	if len(comps) != 3 || len(comps[0]) != 4 {
		t.Fatalf("%d x %d completions", len(comps), len(comps[0]))
	}
	varied := false
	for i, cs := range comps {
		for _, c := range cs {
			if !slices.Equal(c[:known], d.Images[i][:known]) {
				t.Fatalf("image %d: a completion changed the known rows", i)
			}
			varied = varied || !slices.Equal(c, cs[0])
		}
	}
	if !varied {
		t.Error("all completions identical")
	}
	again, _ := m.Complete(ctx, d, keep, 4, SampleOptions{Seed: 3, Batch: 12})
	if !slices.EqualFunc(comps, again, func(a, b [][]uint8) bool { return slices.EqualFunc(a, b, slices.Equal) }) {
		t.Error("same seed, other completions")
	}
	// A bar half shown is completed as a bar: of the kept-5-rows vertical
	// bars, the completions continue the two inked columns.
	for _, bad := range []int{-1, m.Raster.H, m.Raster.H + 3} {
		if _, err := m.Complete(ctx, d, bad, 1, SampleOptions{}); err == nil {
			t.Errorf("keepRows %d accepted", bad)
		}
	}
	if _, err := m.Complete(ctx, d, 2, 0, SampleOptions{}); err == nil {
		t.Error("0 completions accepted")
	}
	other := bars(2, 1)
	other.Width, other.Height = 4, 16
	if _, err := m.Complete(ctx, other, 2, 1, SampleOptions{}); err == nil {
		t.Error("images of another size accepted")
	}
}

func TestNewModelErrors(t *testing.T) {
	d := bars(4, 1)
	unlabelled := d.Subset([]int{0, 1})
	unlabelled.Labels, unlabelled.ClassNames = nil, nil
	for name, f := range map[string]func() error{
		"conditional without labels": func() error { _, err := NewModel(unlabelled, Config{Conditional: true}, 1); return err },
		"context too large":          func() error { _, err := NewModel(d, Config{Context: MaxContext + 1}, 1); return err },
		"negative hidden":            func() error { _, err := NewModel(d, Config{Hidden: -1}, 1); return err },
		"dropout 1":                  func() error { _, err := NewModel(d, Config{Dropout: 1}, 1); return err },
		"bad levels": func() error {
			e := *d
			e.Levels = 1
			_, err := NewModel(&e, Config{}, 1)
			return err
		},
	} {
		if f() == nil {
			t.Errorf("%s: no error", name)
		}
	}
	m, err := NewModel(d, Config{}, 1)
	if err != nil {
		t.Fatal(err)
	}
	for name, opts := range map[string]TrainOptions{
		"window past height": {WindowRows: 9},
		"hold out all":       {ValImages: 4},
		"class drop 2":       {ClassDrop: 2},
		"negative steps":     {Steps: -1},
	} {
		if _, err := m.Train(context.Background(), d, opts); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestSplitSubsetSpreadConcat(t *testing.T) {
	d := bars(10, 2)
	rest, held := d.Split(3, 1)
	if len(rest.Images) != 7 || len(held.Images) != 3 || len(held.Labels) != 3 {
		t.Fatalf("split %d + %d", len(rest.Images), len(held.Images))
	}
	rest2, held2 := d.Split(3, 1)
	if !slices.EqualFunc(held.Images, held2.Images, slices.Equal) || !slices.EqualFunc(rest.Images, rest2.Images, slices.Equal) {
		t.Error("split is not deterministic")
	}
	if s := d.Spread(4); len(s.Images) != 4 || !slices.Equal(s.Labels, []int{d.Labels[0], d.Labels[2], d.Labels[5], d.Labels[7]}) {
		t.Errorf("spread labels %v", s.Labels)
	}
	if _, err := d.Pick([]int{3, 10}); err == nil {
		t.Error("index 10 of 10 picked")
	}
	all, err := Concat(rest, held)
	if err != nil || len(all.Images) != 10 || len(all.Labels) != 10 {
		t.Fatalf("concat: %v", err)
	}
	odd := *held
	odd.Levels = 4
	if _, err := Concat(rest, &odd); !errors.Is(err, ErrSizeMismatch) {
		t.Errorf("concat of other levels: %v", err)
	}
}

// One training step (32 images of 16x16) and one batch of 32 samples, at
// two LSTM widths.
func BenchmarkTrainAndSample(b *testing.B) {
	d := Glyphs(64, 16, 1)
	if err := d.Quantize(2); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	for _, h := range []int{64, 128} {
		m, err := NewModel(d, Config{Hidden: h}, 1)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("train_16x16_hidden%d_batch32", h), func(b *testing.B) {
			for b.Loop() {
				if _, err := m.Train(ctx, d, TrainOptions{Batch: 32, Steps: 1}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(32*b.N)/b.Elapsed().Seconds(), "images/s")
		})
		b.Run(fmt.Sprintf("sample_16x16_hidden%d_batch32", h), func(b *testing.B) {
			for b.Loop() {
				if _, err := m.Sample(ctx, 32, SampleOptions{}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(32*b.N)/b.Elapsed().Seconds(), "images/s")
		})
	}
}

// LoadModel's metadata checks never panic, whatever the values.
func FuzzModelMeta(f *testing.F) {
	d := bars(4, 1)
	m, err := NewModel(d, Config{Hidden: 4, Embed: 2, Context: 1, Conditional: true}, 1)
	if err != nil {
		f.Fatal(err)
	}
	f.Add("8", "8", "1", "2", "1", `["h","v"]`)
	f.Add("8", "8", "3", "2", "1", `[]`)
	f.Add("16384", "1", "1", "256", "8", `["a","b","c"]`)
	f.Add("-1", "x", "", "0", "9", `{"a":1}`)
	f.Fuzz(func(t *testing.T, w, h, c, levels, context, classes string) {
		ts := m.Net.Tensors(m.Meta(), nil)
		ts.Meta[MetaWidth], ts.Meta[MetaHeight], ts.Meta[MetaChannels] = w, h, c
		ts.Meta[MetaLevels], ts.Meta[MetaContext], ts.Meta[MetaClasses] = levels, context, classes
		ck, err := core.FromTensors(ts)
		if err != nil {
			t.Fatal(err)
		}
		got, err := fromCheckpoint(ck)
		if err != nil {
			return
		}
		if got.Raster.FeatureDim() != m.Raster.FeatureDim() || got.Raster.Tokens() != m.Raster.Tokens() {
			t.Fatalf("accepted %+v for a network of %+v", got.Raster, m.Raster)
		}
	})
}

// LoadModel gives a checkpoint's best validated parameters (as text and
// audio do) and refuses to resume from them; LoadCheckpoint gives the last
// ones with the training state.
func TestLoadModelUsesBest(t *testing.T) {
	d := bars(100, 4)
	m, err := NewModel(d, Config{Hidden: 16, Embed: 4, Conditional: true}, 2)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "m.st")
	// A learning rate far too high: validation gets worse after the first
	// check, so the best parameters are not the last.
	o := TrainOptions{Batch: 8, WindowRows: 3, Seed: 3, LR: 3, Steps: 40, ValImages: 10, ValEvery: 4, Out: out}
	if _, err := m.Train(context.Background(), d, o); err != nil {
		t.Fatal(err)
	}
	last, err := LoadCheckpoint(out)
	if err != nil {
		t.Fatal(err)
	}
	best, err := LoadModel(out)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := last.Trained(); !ok {
		t.Fatal("LoadCheckpoint: not resumable")
	}
	if slices.Equal(last.Net.Params().W, best.Net.Params().W) {
		t.Skip("the last parameters were the best ones: nothing to tell apart")
	}
	if _, ok := best.Trained(); ok {
		t.Error("LoadModel with the best parameters claims to be resumable")
	}
	o.Resume, o.Steps = true, 31
	if _, err := best.Train(context.Background(), d, o); err == nil || !strings.Contains(err.Error(), "LoadCheckpoint") {
		t.Errorf("resume from the best parameters: %v", err)
	}
	if _, err := last.Train(context.Background(), d, o); err != nil {
		t.Errorf("resume from LoadCheckpoint: %v", err)
	}
}
