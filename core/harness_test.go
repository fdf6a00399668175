// Tests of the training harness: settings adopted and locked on resume,
// refusal to replace a model file, the data fingerprint, a schedule over a
// time budget, and an interrupted run resumed to the same file.

package core

import (
	"bytes"
	"context"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// toyOptions is a domain's options struct as adapters write them.
type toyOptions struct {
	TrainOptions
	Hidden int     `json:"hidden"`
	Rate   float64 `json:"rate"`
	Note   string  `json:"-"`
}

func toyHarness(o *toyOptions) *Harness {
	return &Harness{Domain: "toy", Options: o, Shared: &o.TrainOptions,
		Defaults: TrainOptions{LR: 0.05, Clip: 1, ValEvery: 4, Epochs: 2}}
}

// toyRun trains a small model on a cycle through the harness.
func toyRun(ctx context.Context, t *testing.T, o *toyOptions) (Result, error) {
	t.Helper()
	h := toyHarness(o)
	ck, err := h.Open()
	if err != nil {
		return Result{}, err
	}
	if o.Hidden == 0 {
		o.Hidden = 8
	}
	var net Network
	if ck != nil {
		net = ck.Net
	} else {
		net = NewModel(Config{Vocab: 5, Embed: 4, Hidden: o.Hidden, Layers: 1}, rand.New(rand.NewPCG(o.Seed, 1)))
	}
	var f Fingerprint
	f.Write([]byte("01234"))
	if err := h.SetData(5, f.Sum(), "symbols"); err != nil {
		return Result{}, err
	}
	val := &cycleData{n: 5}
	return h.Run(ctx, Job{
		Net: net, Data: &cycleData{n: 5}, T: 6, B: 2, StepsPerEpoch: 5,
		Validate: func(n Network) (float64, error) { return validateOn(n, val) },
		Meta:     func() map[string]string { return map[string]string{MetaDomain: "toy"} },
	})
}

// cycleData serves windows of the cycle 0 1 2 3 4 0 1 ..., fresh each step.
type cycleData struct{ n int }

func (d *cycleData) Batch(step int, b *Batch) (bool, error) {
	for t := 0; t < b.T; t++ {
		for r := 0; r < b.B; r++ {
			k := t*b.B + r
			b.Tokens[k] = int32((step + r + t) % d.n)
			b.Targets[k] = float32((step + r + t + 1) % d.n)
		}
	}
	return true, nil
}

func validateOn(n Network, d *cycleData) (float64, error) {
	b := n.NewBatch(6, 2)
	d.Batch(0, b)
	nll, w := n.Forward(b, n.NewState(2), nil)
	return nll / w, nil
}

func TestHarnessDefaultsAndEpochs(t *testing.T) {
	o := &toyOptions{}
	o.Out = filepath.Join(t.TempDir(), "m.safetensors")
	res, err := toyRun(context.Background(), t, o)
	if err != nil {
		t.Fatal(err)
	}
	// Two epochs of five steps; the defaults filled in.
	if res.Steps != 10 || o.LR != 0.05 || o.Clip != 1 || o.ValEvery != 4 {
		t.Fatalf("result %+v, options %+v", res, o.TrainOptions)
	}
	ck, err := LoadModel(o.Out)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(ck.Meta[MetaSettings("toy")], `"hidden":8`) || ck.Meta[MetaTrainData] == "" {
		t.Fatalf("saved settings %q, data %q", ck.Meta[MetaSettings("toy")], ck.Meta[MetaTrainData])
	}
}

func TestHarnessResumeLocksSettings(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "m.safetensors")
	o := &toyOptions{Hidden: 6, Rate: 0.5}
	o.Out, o.Steps, o.Seed = out, 3, 7
	if _, err := toyRun(context.Background(), t, o); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(out)

	tests := []struct {
		name string
		opts toyOptions
		want string
	}{
		{"new run over the file", toyOptions{TrainOptions: TrainOptions{Out: out}}, "already exists"},
		{"other width", toyOptions{TrainOptions: TrainOptions{Out: out, Resume: true}, Hidden: 9}, "cannot resume with hidden 9: the run started with 6"},
		{"other seed", toyOptions{TrainOptions: TrainOptions{Out: out, Resume: true, Seed: 8}}, "cannot resume with seed 8"},
		{"resume and nothing to resume", toyOptions{TrainOptions: TrainOptions{Resume: true}}, "needs the model file"},
	}
	for _, tc := range tests {
		_, err := toyRun(context.Background(), t, &tc.opts)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.want)
		}
	}
	if _, err := toyRun(context.Background(), t, &toyOptions{TrainOptions: TrainOptions{Out: out}}); !errors.Is(err, ErrExists) {
		t.Errorf("a new run over a model file: %v, want ErrExists", err)
	}
	if after, _ := os.ReadFile(out); !bytes.Equal(before, after) {
		t.Fatal("a refused run changed the model file")
	}

	// A resume that repeats nothing takes every saved setting; the
	// validation interval may change.
	r := &toyOptions{Note: "kept"}
	r.Out, r.Resume, r.Steps, r.ValEvery = out, true, 5, 2
	res, err := toyRun(context.Background(), t, r)
	if err != nil {
		t.Fatal(err)
	}
	if r.Hidden != 6 || r.Rate != 0.5 || r.Seed != 7 || r.ValEvery != 2 || r.Note != "kept" || res.Steps != 5 {
		t.Fatalf("resumed options %+v, result %+v", r, res)
	}

	// --force replaces the file with a new run.
	f := &toyOptions{Hidden: 4}
	f.Out, f.Force, f.Steps = out, true, 2
	if _, err := toyRun(context.Background(), t, f); err != nil {
		t.Fatal(err)
	}
	if ck, _ := LoadModel(out); ck.Optimizer.Steps != 2 {
		t.Fatalf("after --force the file holds step %d", ck.Optimizer.Steps)
	}
}

func TestHarnessResumeIsExact(t *testing.T) {
	dir := t.TempDir()
	run := func(name string, steps int, cancelAt int, resume bool) []byte {
		t.Helper()
		o := &toyOptions{}
		o.Out, o.Steps, o.Seed, o.Resume = filepath.Join(dir, name), steps, 3, resume
		o.Decay, o.Warmup = DecayCosine, 2
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		if cancelAt > 0 {
			o.Progress = func(p Progress) {
				if p.Step == cancelAt {
					cancel()
				}
			}
		}
		if _, err := toyRun(ctx, t, o); err != nil {
			t.Fatal(err)
		}
		b, _ := os.ReadFile(o.Out)
		return b
	}
	straight := run("straight.safetensors", 12, 0, false)
	run("split.safetensors", 12, 5, false)
	if split := run("split.safetensors", 12, 0, true); !bytes.Equal(straight, split) {
		t.Fatal("a run interrupted at step 5 and resumed saved another file than an uninterrupted one")
	}
}

func TestScheduleOverTime(t *testing.T) {
	s := Schedule{Warmup: 2, Decay: DecayLinear, Final: 0.5, Duration: 10 * time.Second}
	for _, c := range []struct {
		step    int
		elapsed time.Duration
		want    float32
	}{
		{0, 0, 0.5},                 // warmup counts steps
		{5, 0, 1},                   // no time spent: full rate
		{5, 5 * time.Second, 0.75},  // half the budget
		{5, 10 * time.Second, 0.5},  // the end
		{50, 20 * time.Second, 0.5}, // past the end
	} {
		if got := s.At(c.step, c.elapsed); got != c.want {
			t.Errorf("At(%d, %v) = %v, want %v", c.step, c.elapsed, got, c.want)
		}
	}
	// With a step limit, time does not matter.
	s.Steps = 12
	if got := s.At(7, time.Hour); got != 0.75 {
		t.Errorf("over steps: At(7) = %v, want 0.75", got)
	}
}

func TestHarnessBadSettings(t *testing.T) {
	for _, c := range []struct {
		o    TrainOptions
		want string
	}{
		{TrainOptions{LR: -1}, "learning rate -1"},
		{TrainOptions{Clip: -3}, "clip -3"},
		{TrainOptions{Decay: "step"}, `unknown decay "step"`},
		{TrainOptions{FinalLR: 2}, "final learning-rate factor 2"},
		{TrainOptions{Patience: -1}, "patience -1"},
	} {
		o := &toyOptions{TrainOptions: c.o}
		_, err := toyHarness(o).Open()
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "toy: ") {
			t.Errorf("%+v: error %v, want %q", c.o, err, c.want)
		}
	}
}
