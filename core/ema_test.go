// Tests of the moving average of the weights (Trainer.EMA): its definition,
// what validation scores, what a run ends with, what a file gives for
// inference, and exact resume with it.

package core

import (
	"bytes"
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestEMADefinition(t *testing.T) {
	m := NewModel(Config{Vocab: 5, Embed: 4, Hidden: 6, Layers: 1}, rand.New(rand.NewPCG(1, 1)))
	var seen [][]float32 // the parameters after each step
	var validated [][]float32
	const d = 0.75
	tr := &Trainer{Model: m, Optimizer: &Adam{LR: 0.05}, T: 4, B: 2, Steps: 40, EMA: d, ValEvery: 20,
		Progress: func(Progress) { seen = append(seen, slices.Clone(m.Params().W)) },
		Validate: func(n Network) (float64, error) {
			validated = append(validated, slices.Clone(n.Params().W))
			return float64(10 - len(validated)), nil // every validation improves
		},
		KeepBest: true,
	}
	if _, err := tr.Run(context.Background(), &cycleData{n: 5}); err != nil {
		t.Fatal(err)
	}
	// Avg starts as the parameters after the first step, then after the
	// n-th step Avg = dn·Avg + (1−dn)·W with the warmed-up decay
	// dn = min(d, (1+n)/(10+n)): 3/12, 4/13, ..., and d = 0.75 itself from
	// the 26th step on, in float32 as the trainer computes it. The formula
	// is written out here, not taken from emaDecay, so that a wrong decay
	// there fails this test.
	want := slices.Clone(seen[0])
	avgAt := [][]float32{slices.Clone(want)}
	for k, w := range seen[1:] {
		n := k + 2
		dn := min(d, float64(1+n)/float64(10+n))
		for i := range want {
			want[i] = float32(dn)*want[i] + float32(1-dn)*w[i]
		}
		avgAt = append(avgAt, slices.Clone(want))
	}
	if !slices.Equal(tr.Avg, want) {
		t.Fatal("the average after 40 steps is not the warmed-up EMA of the parameters after each step")
	}
	// Validation at steps 20 and 40 scored the average of those steps, and
	// the parameters went back afterwards.
	if len(validated) != 2 || !slices.Equal(validated[0], avgAt[19]) || !slices.Equal(validated[1], avgAt[39]) {
		t.Fatal("validation did not score the averaged weights")
	}
	// The run ends with the best validated (averaged) weights in memory.
	if !slices.Equal(m.Params().W, avgAt[39]) || !slices.Equal(tr.Best, avgAt[39]) {
		t.Fatal("the run did not end with the best averaged weights")
	}
}

func TestEMAFileAndResume(t *testing.T) {
	dir := t.TempDir()
	run := func(name string, cancelAt int, resume bool) *toyOptions {
		t.Helper()
		o := &toyOptions{}
		o.Out, o.Steps, o.Seed, o.Resume, o.EMA = filepath.Join(dir, name), 12, 3, resume, 0.9
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
		return o
	}
	straight := run("straight.safetensors", 0, false)
	run("split.safetensors", 7, false)
	if r := run("split.safetensors", 0, true); r.EMA != 0.9 {
		t.Fatalf("the resumed run's decay is %g, want the saved 0.9", r.EMA)
	}
	a, _ := os.ReadFile(straight.Out)
	b, _ := os.ReadFile(filepath.Join(dir, "split.safetensors"))
	if !bytes.Equal(a, b) {
		t.Fatal("with EMA, an interrupted and resumed run saved another file than an uninterrupted one")
	}
	ck, err := LoadModel(straight.Out)
	if err != nil {
		t.Fatal(err)
	}
	if len(ck.Avg) != len(ck.Net.Params().W) || slices.Equal(ck.Avg, ck.Net.Params().W) {
		t.Fatal("the file holds no average distinct from the last parameters")
	}
	// For inference the file gives the best validated weights: here the
	// toy validation improves to the end, so the best are the average at
	// the last scheduled validation (step 12).
	if !ck.UseBest() || !slices.Equal(ck.Net.Params().W, ck.Best) {
		t.Fatal("UseBest did not take the best averaged weights")
	}
	if _, err := toyRun(context.Background(), t, &toyOptions{TrainOptions: TrainOptions{Out: straight.Out, Resume: true, EMA: 0.5}}); err == nil {
		t.Fatal("resuming with another decay was accepted")
	}
}
