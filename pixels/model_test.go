// Tests of the model half: tiny models trained on tiny synthetic images
// learn; files round-trip and refuse other domains; resumed training is
// exact; generation is deterministic, batched and causal; evaluation agrees
// with the step-by-step generation path.

package pixels

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
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

// tinyOptions trains a small model on bars quickly, without validation.
func tinyOptions(conditional bool, steps int) TrainOptions {
	return TrainOptions{TrainOptions: core.TrainOptions{Steps: steps, LR: 1e-2, Seed: 7},
		Hidden: 32, Embed: 4, Context: 2, Unconditional: !conditional, Batch: 16, ClassDrop: 0.2, ValImages: NoValidation}
}

// tinyModel trains a small model on bars for the given steps.
func tinyModel(t testing.TB, conditional bool, steps int) (*Model, *Dataset) {
	t.Helper()
	d := bars(400, 1)
	m, _, err := Train(context.Background(), d, nil, tinyOptions(conditional, steps))
	if err != nil {
		t.Fatal(err)
	}
	return m, d
}

// untrained returns the model Train would start from with o on d's images.
func untrained(t testing.TB, d *Dataset, o TrainOptions) *Model {
	t.Helper()
	o = o.withDefaults()
	if err := o.check(); err != nil {
		t.Fatal(err)
	}
	m, err := newModel(d, o)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestTrainLearnsBars(t *testing.T) {
	test := bars(200, 99)
	m := untrained(t, test, tinyOptions(false, 150))
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

// Two tiers: a row-level LSTM conditioning the raster LSTM. It learns the
// bars as well as one tier in the same steps; its file round-trips and a
// layout that does not fit the network is refused; batched evaluation agrees with the step-by-step path that
// sampling uses, in whole images and in windows of rows; completion keeps
// the known rows.
func TestTwoTiers(t *testing.T) {
	ctx := context.Background()
	d, test := bars(400, 1), bars(200, 99)
	o := tinyOptions(true, 150)
	o.Tiers, o.FrameHidden, o.Cond = 2, 32, 8
	m, _, err := Train(ctx, d, nil, o)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := m.Net.(*core.Tiered); !ok || !m.Raster.Prev {
		t.Fatalf("network %T, raster %+v", m.Net, m.Raster)
	}
	one, _ := tinyModel(t, true, 150)
	s2, err := m.Evaluate(ctx, test, EvalOptions{})
	if err != nil {
		t.Fatal(err)
	}
	s1, _ := one.Evaluate(ctx, test, EvalOptions{})
	t.Logf("test NLL after 150 steps: one tier %.2f, two tiers %.2f nats/image", s1.NatsPerImage, s2.NatsPerImage)
	if s2.NatsPerImage > 22 || s2.NatsPerImage > s1.NatsPerImage+1 {
		t.Errorf("two tiers: %.2f nats/image (one tier %.2f): did not learn", s2.NatsPerImage, s1.NatsPerImage)
	}
	if !strings.Contains(m.String(), "row LSTM 1x32") {
		t.Errorf("String: %s", m)
	}

	got := saveLoad(t, m)
	opts := SampleOptions{Seed: 9, Class: "v", Temperature: 0.7}
	a, _ := m.Sample(ctx, 5, opts)
	b, _ := got.Sample(ctx, 5, opts)
	if !slices.EqualFunc(a, b, slices.Equal) {
		t.Error("the loaded model samples other images")
	}
	// The layout must fit the network: a two-tier file saying one tier's
	// layout, and a one-tier file saying two tiers', are refused.
	plainLayout := m.Meta()
	plainLayout[MetaLayout] = FeatureLayout
	prevLayout := one.Meta()
	prevLayout[MetaLayout] = FeatureLayoutPrev
	for _, c := range []struct {
		net  core.Net
		meta map[string]string
	}{{m.Net, plainLayout}, {one.Net, prevLayout}} {
		p := filepath.Join(t.TempDir(), "bad.safetensors")
		if err := c.net.Save(p, c.meta, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := Load(p); !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), "does not fit the network") {
			t.Errorf("%T saved with layout %q: %v", c.net, c.meta[MetaLayout], err)
		}
	}

	small := test.Subset([]int{0, 1, 2, 3, 4})
	whole, _ := m.Evaluate(ctx, small, EvalOptions{Batch: 2})
	windowed, _ := m.Evaluate(ctx, small, EvalOptions{Batch: 3, WindowRows: 2})
	if step := stepByStep(m, small); math.Abs(whole.NatsPerImage-step) > 1e-3*step || math.Abs(windowed.NatsPerImage-step) > 1e-3*step {
		t.Errorf("Evaluate %.5f (windows %.5f) nats/image, step by step %.5f", whole.NatsPerImage, windowed.NatsPerImage, step)
	}

	comps, err := m.Complete(ctx, small, 3, 2, SampleOptions{Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	for i, cs := range comps {
		for _, c := range cs {
			if !slices.Equal(c[:3*m.Raster.W], small.Images[i][:3*m.Raster.W]) {
				t.Fatalf("image %d: a completion changed the known rows", i)
			}
		}
	}
}

// saveLoad saves m, loads it back and checks that the loaded model has m's
// raster, classes and parameters.
func saveLoad(t *testing.T, m *Model) *Model {
	t.Helper()
	path := filepath.Join(t.TempDir(), "m.safetensors")
	if err := m.Save(path); err != nil {
		t.Fatal(err)
	}
	got, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if got.Raster != m.Raster || !slices.Equal(got.ClassNames, m.ClassNames) || !slices.Equal(got.Net.Params().W, m.Net.Params().W) {
		t.Fatalf("loaded %+v %v, saved %+v %v", got.Raster, got.ClassNames, m.Raster, m.ClassNames)
	}
	return got
}

// stepByStep scores d's images through the network's Next, the path
// sampling takes, in nats per image.
func stepByStep(m *Model, d *Dataset) float64 {
	L := m.Raster.Levels
	var nll float64
	for t, out := range logitsByStep(m, d.Images, m.labels(d)) {
		for b, img := range d.Images {
			logits := out[b*L : (b+1)*L]
			mx := slices.Max(logits)
			var z float64
			for _, v := range logits {
				z += math.Exp(float64(v - mx))
			}
			nll -= float64(logits[img[t]]-mx) - math.Log(z)
		}
	}
	return nll / float64(len(d.Images))
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
	got := saveLoad(t, m)
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

func TestLoadRefusesOtherFiles(t *testing.T) {
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
		if _, err := Load(tc.path); !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.path) {
			t.Errorf("%s: error %v, want %v naming the file", tc.name, err, tc.want)
		}
	}
	if _, err := Load(filepath.Join(dir, "missing.st")); err == nil {
		t.Error("missing file accepted")
	}
}

// Training 12 steps, or 8 then 4 more from the checkpoint, ends with the
// same parameters, best parameters, optimizer state and metadata.
func TestResumeIsExact(t *testing.T) {
	d := bars(100, 4)
	dir := t.TempDir()
	opts := TrainOptions{Hidden: 16, Embed: 4, Batch: 8, WindowRows: 3, ClassDrop: 0.3, ValImages: 10,
		TrainOptions: core.TrainOptions{Seed: 11, LR: 5e-3, Decay: core.DecayLinear, Steps: 12, ValEvery: 4}}

	straight := opts
	straight.Out = filepath.Join(dir, "straight.st")
	if _, _, err := Train(context.Background(), d, nil, straight); err != nil {
		t.Fatal(err)
	}

	part := opts
	part.Out = filepath.Join(dir, "part.st")
	ctx, cancel := context.WithCancel(context.Background())
	part.Progress = func(p core.Progress) {
		if p.Step == 8 {
			cancel()
		}
	}
	_, res, err := Train(ctx, d, nil, part)
	if err != nil {
		t.Fatal(err)
	}
	if res.Reason != "canceled" || res.Steps != 8 {
		t.Fatalf("interrupted run: %+v", res)
	}
	var plan core.Plan
	resumed := TrainOptions{TrainOptions: core.TrainOptions{Out: part.Out, Resume: true, Steps: 12,
		Start: func(p core.Plan) { plan = p }}}
	if _, res, err = Train(context.Background(), d, nil, resumed); err != nil {
		t.Fatal(err)
	}
	if plan.ResumedAt != 8 || !strings.Contains(plan.Network, "LSTM 1x16") || plan.ValSize != 10*64 || res.Steps != 12 {
		t.Fatalf("resumed run: plan %+v, result %+v", plan, res)
	}

	want, err := core.ReadTensorsFile(straight.Out)
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
		if g, ok := got.Get(w.Name); !ok || !slices.Equal(g.Data, w.Data) {
			t.Errorf("tensor %s differs after resuming", w.Name)
		}
	}
	for _, k := range []string{core.MetaSettings(Domain), core.MetaTrainData, core.MetaDomain, MetaClasses} {
		if got.Meta[k] != want.Meta[k] {
			t.Errorf("metadata %s: %q, want %q", k, got.Meta[k], want.Meta[k])
		}
	}
}

func resume(path string) TrainOptions {
	return TrainOptions{TrainOptions: core.TrainOptions{Out: path, Resume: true}}
}

// TestResumeRefusals checks that a resumed run refuses other images and
// other settings, and that a new run refuses to replace a model file.
func TestResumeRefusals(t *testing.T) {
	dir := t.TempDir()
	d := bars(100, 4)
	opts := tinyOptions(true, 3)
	opts.Out = filepath.Join(dir, "m.st")
	if _, _, err := Train(context.Background(), d, nil, opts); err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(opts.Out)
	if err != nil {
		t.Fatal(err)
	}
	saved := untrained(t, bars(4, 1), TrainOptions{Hidden: 4})
	plain := filepath.Join(dir, "plain.st")
	if err := saved.Save(plain); err != nil {
		t.Fatal(err)
	}
	withBatch := resume(opts.Out)
	withBatch.Batch = 3
	unconditional := resume(opts.Out)
	unconditional.Unconditional = true
	for _, tc := range []struct {
		name string
		data *Dataset
		opts TrainOptions
		want string
	}{
		{"other images", bars(100, 5), resume(opts.Out), "trained on other data (100 images, now 100)"},
		{"fewer images", bars(50, 4), resume(opts.Out), "trained on other data (100 images, now 50)"},
		{"other batch", d, withBatch, "cannot resume with batch 3: the run started with 16"},
		{"unconditional", d, unconditional, "cannot resume with unconditional true"},
		{"no training state", d, resume(plain), "holds no training state"},
		{"missing file", d, resume(filepath.Join(dir, "none.st")), "no such file"},
		{"existing file", d, TrainOptions{TrainOptions: core.TrainOptions{Out: opts.Out, Steps: 3}}, "already exists"},
	} {
		if _, _, err := Train(context.Background(), tc.data, nil, tc.opts); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.want)
		}
	}
	if after, err := os.ReadFile(opts.Out); err != nil || !bytes.Equal(after, before) {
		t.Errorf("the refused runs changed %s (%v)", opts.Out, err)
	}
	forced := opts
	forced.Force = true
	if _, _, err := Train(context.Background(), d, nil, forced); err != nil {
		t.Errorf("Force: %v", err)
	}
}

func TestValidationKeepsBest(t *testing.T) {
	d := bars(120, 5)
	var vals []float64
	opts := TrainOptions{Hidden: 16, Embed: 4, Batch: 8, ValImages: 20, TrainOptions: core.TrainOptions{Steps: 40, ValEvery: 10, LR: 1e-2,
		Progress: func(p core.Progress) {
			if p.Validated {
				vals = append(vals, p.ValLoss)
			}
		}}}
	m, res, err := Train(context.Background(), d, nil, opts)
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
	step := stepByStep(m, d)
	for _, s := range []Score{whole, windowed} {
		if math.Abs(s.NatsPerImage-step) > 1e-3*step {
			t.Errorf("Evaluate %.5f nats/image, step by step %.5f", s.NatsPerImage, step)
		}
	}
}

// With compact weights, Evaluate scores what sampling reads: close to the
// float32 score, not equal to it; fp32 again gives float32's exactly.
func TestEvaluateCompactWeights(t *testing.T) {
	m, d := tinyModel(t, true, 20)
	d = d.Subset([]int{0, 1, 2, 3, 4})
	ctx := context.Background()
	fp32, err := m.Evaluate(ctx, d, EvalOptions{Batch: 2})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []core.Weights{core.WeightsInt8, core.WeightsBF16, core.WeightsFP32} {
		m.Net.SetWeights(w)
		sc, err := m.Evaluate(ctx, d, EvalOptions{Batch: 3, WindowRows: 3})
		if err != nil {
			t.Fatal(err)
		}
		diff := math.Abs(sc.NatsPerImage - fp32.NatsPerImage)
		if w == core.WeightsFP32 && diff > 1e-9*fp32.NatsPerImage || w != core.WeightsFP32 && (diff == 0 || diff > 1e-2*fp32.NatsPerImage) {
			t.Errorf("%s: %.6f nats/image, float32 %.6f", w, sc.NatsPerImage, fp32.NatsPerImage)
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

func TestTrainBadOptions(t *testing.T) {
	d := bars(4, 1)
	with := func(edit func(*TrainOptions)) TrainOptions {
		o := TrainOptions{ValImages: NoValidation, TrainOptions: core.TrainOptions{Steps: 1}}
		edit(&o)
		return o
	}
	badLevels := *d
	badLevels.Levels = 1
	other := bars(2, 1)
	other.Width, other.Height = 4, 16
	for _, tc := range []struct {
		name       string
		train, val *Dataset
		opts       TrainOptions
		want       string
	}{
		{"context too large", d, nil, with(func(o *TrainOptions) { o.Context = MaxContext + 1 }), "context 9 outside 1..8"},
		{"negative hidden", d, nil, with(func(o *TrainOptions) { o.Hidden = -1 }), "negative size"},
		{"too large", d, nil, with(func(o *TrainOptions) { o.Hidden = 9000 }), "too large"},
		{"dropout 1", d, nil, with(func(o *TrainOptions) { o.Dropout = 1 }), "dropout 1 outside [0, 1)"},
		{"window past height", d, nil, with(func(o *TrainOptions) { o.WindowRows = 9 }), "window of 9 rows outside 0..8"},
		{"class drop 2", d, nil, with(func(o *TrainOptions) { o.ClassDrop = 2 }), "class drop 2 outside [0, 1]"},
		{"negative validation images", d, nil, with(func(o *TrainOptions) { o.ValImages = -2 }), "-2 validation images"},
		{"negative steps", d, nil, with(func(o *TrainOptions) { o.Steps = -1 }), "steps -1 is negative"},
		{"bad levels", &badLevels, nil, with(func(*TrainOptions) {}), "1 levels outside 2..256"},
		{"no images", &Dataset{Width: 8, Height: 8, Channels: 1, Levels: 2}, nil, with(func(*TrainOptions) {}), "no images"},
		{"validation of another size", d, other, with(func(*TrainOptions) {}), "validation set: pixels: images are 4x16"},
	} {
		if _, _, err := Train(context.Background(), tc.train, tc.val, tc.opts); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.want)
		}
	}
}

// A model is class-conditional when its training images are labelled,
// unless Unconditional says otherwise.
func TestTrainConditionsWhenLabelled(t *testing.T) {
	d := bars(8, 1)
	unlabelled := d.Subset([]int{0, 1, 2, 3})
	unlabelled.Labels, unlabelled.ClassNames = nil, nil
	for _, tc := range []struct {
		name          string
		data          *Dataset
		unconditional bool
		classes       int
	}{{"labelled", d, false, 2}, {"unconditional", d, true, 0}, {"unlabelled", unlabelled, false, 0}} {
		o := TrainOptions{Hidden: 4, Embed: 2, Unconditional: tc.unconditional, ValImages: NoValidation,
			TrainOptions: core.TrainOptions{Steps: 1}}
		m, _, err := Train(context.Background(), tc.data, nil, o)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if m.Raster.Classes != tc.classes || len(m.ClassNames) != tc.classes {
			t.Errorf("%s: %d classes %v, want %d", tc.name, m.Raster.Classes, m.ClassNames, tc.classes)
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
		opts := TrainOptions{Hidden: h, Batch: 32, ValImages: NoValidation, TrainOptions: core.TrainOptions{Steps: 1}}
		var m *Model
		b.Run(fmt.Sprintf("train_16x16_hidden%d_batch32", h), func(b *testing.B) {
			for b.Loop() {
				var err error
				if m, _, err = Train(ctx, d, nil, opts); err != nil {
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

// Load's metadata checks never panic, whatever the values.
func FuzzModelMeta(f *testing.F) {
	m := untrained(f, bars(4, 1), TrainOptions{Hidden: 4, Embed: 2, Context: 1})
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
		got, err := fromCheckpoint(ck, "fuzz.st")
		if err != nil {
			return
		}
		if got.Raster.FeatureDim() != m.Raster.FeatureDim() || got.Raster.Tokens() != m.Raster.Tokens() {
			t.Fatalf("accepted %+v for a network of %+v", got.Raster, m.Raster)
		}
	})
}

// Load gives a checkpoint's best validated parameters (as text and audio
// do), not its last ones. The case arises by construction: the model
// learns 16 training images by heart at a constant, high learning rate, so
// that its validation on other images improves for about 40 steps and then
// gets worse until the end of the run.
func TestLoadUsesBest(t *testing.T) {
	train, val := bars(16, 4), bars(40, 5)
	out := filepath.Join(t.TempDir(), "m.st")
	var vals []float64
	o := TrainOptions{Hidden: 32, Embed: 4, Batch: 4, TrainOptions: core.TrainOptions{Seed: 3, LR: 2e-2,
		Decay: core.DecayConstant, Steps: 200, ValEvery: 10, Out: out,
		Progress: func(p core.Progress) {
			if p.Validated {
				vals = append(vals, p.ValLoss)
			}
		}}}
	m, res, err := Train(context.Background(), train, val, o)
	if err != nil {
		t.Fatal(err)
	}
	best := slices.Index(vals, slices.Min(vals))
	t.Logf("validations %.3f", vals)
	if best >= len(vals)-2 || res.BestVal != vals[best] {
		t.Fatalf("validations %v (best %v): the run does not overfit late as it should", vals, res.BestVal)
	}
	ck, err := core.LoadModel(out)
	if err != nil {
		t.Fatal(err)
	}
	last := ck.Model.Params().W
	loaded, err := Load(out)
	if err != nil {
		t.Fatal(err)
	}
	if slices.Equal(loaded.Net.Params().W, last) {
		t.Error("Load gave the last parameters, not the best")
	}
	if !slices.Equal(loaded.Net.Params().W, m.Net.Params().W) {
		t.Error("Load did not give the best parameters Train returned")
	}
	sc, err := loaded.Evaluate(context.Background(), val, EvalOptions{Batch: 4})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(sc.NatsPerDim()-res.BestVal) > 1e-4 {
		t.Errorf("the loaded model validates at %v, the best was %v", sc.NatsPerDim(), res.BestVal)
	}
}

// TestRowTierReadsTheRowAbove checks the row tier's wiring on its own: with
// the step level blinded (it keeps only its inputs from the row tier: no
// recurrence, no previous level, no raster features), what it predicts for
// row r can come only through the row tier, and must change when a pixel of
// row r-1 changes and not when one of row r or below does.
func TestRowTierReadsTheRowAbove(t *testing.T) {
	o := tinyOptions(false, 1)
	o.Tiers, o.FrameHidden, o.Cond = 2, 8, 4
	m, _, err := Train(context.Background(), bars(40, 1), nil, o)
	if err != nil {
		t.Fatal(err)
	}
	cfg := m.Net.(*core.Tiered).Config()
	params := m.Net.Params()
	clear(params.Get("step.lstm.weight_hh_l0").W)
	ih := params.Get("step.lstm.weight_ih_l0")
	in := ih.Shape[1] // the previous level's embedding, the raster features, then the Cond conditioning values
	for row := range ih.Shape[0] {
		clear(ih.W[row*in : (row+1)*in-cfg.Cond])
	}
	m = saveLoad(t, m) // a fresh network from the edited weights

	r := m.Raster
	rng := rand.New(rand.NewPCG(5, 5))
	base := make([]uint8, r.Len())
	for i := range base {
		base[i] = uint8(rng.IntN(r.Levels))
	}
	const row, col = 3, 2
	for _, c := range []struct {
		name    string
		at      int // the sub-pixel flipped
		firstOn int // the first row whose predictions may change
	}{
		{"a pixel of the row above", r.Index(row-1, col, 0), row},
		{"a pixel of the same row", r.Index(row, col, 0), row + 1},
	} {
		other := slices.Clone(base)
		other[c.at] ^= 1
		changed := slices.IndexFunc(logitsByStep(m, [][]uint8{base, other}, nil), func(l []float32) bool {
			return !slices.Equal(l[:r.Levels], l[r.Levels:])
		})
		if changed != r.Index(c.firstOn, 0, 0) {
			t.Errorf("%s (sub-pixel %d) first changes the prediction of sub-pixel %d, want the first of row %d (sub-pixel %d)",
				c.name, c.at, changed, c.firstOn, r.Index(c.firstOn, 0, 0))
		}
	}
}

// logitsByStep runs m's network through Next over imgs of the given classes
// (nil for none) and returns, per sub-pixel, the logits of every image side
// by side.
func logitsByStep(m *Model, imgs [][]uint8, classes []int) [][]float32 {
	r := m.Raster
	f := &feeder{r: r, imgs: imgs, classes: classes}
	st := m.Net.NewState(len(imgs))
	in := core.Input{Tokens: make([]int32, len(imgs)), Features: make([]float32, len(imgs)*r.FeatureDim())}
	all := make([][]float32, r.Len())
	for t := range r.Len() {
		f.Input(t, &in)
		all[t] = make([]float32, len(imgs)*r.Levels)
		m.Net.Next(st, in, all[t])
	}
	return all
}
