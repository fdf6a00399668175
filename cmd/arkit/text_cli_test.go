// End-to-end tests of arkit text: the bad-input rows and one small
// train -> generate -> eval round through the built binary.

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/arkit-go/arkit/core"
	"github.com/arkit-go/arkit/text"
)

const tinyCorpus = "To be, or not to be, that is the question:\nWhether 'tis nobler in the mind to suffer\n"

// writeTinyTextModel trains a one-step model in process and saves it.
func writeTinyTextModel(t *testing.T, path string) {
	t.Helper()
	opts := text.TrainOptions{Embed: 4, Hidden: 8, Layers: 1, Seq: 8, Batch: 2, ValFraction: text.NoValidation,
		TrainOptions: core.TrainOptions{Steps: 1}}
	m, _, err := text.Train(context.Background(), strings.Repeat(tinyCorpus, 3), "", opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Save(path); err != nil {
		t.Fatal(err)
	}
}

func TestTextBadInputs(t *testing.T) {
	corpus := func(name string, data []byte) func(*testing.T, string) {
		return func(t *testing.T, dir string) { writeFile(t, filepath.Join(dir, name), data) }
	}
	model := func(t *testing.T, dir string) { writeTinyTextModel(t, filepath.Join(dir, "m.safetensors")) }
	good := corpus("in.txt", []byte(strings.Repeat(tinyCorpus, 50)))
	train := func(extra ...string) []string {
		return append([]string{"text", "train", "--input", "in.txt", "--out", "out.safetensors", "--quiet"}, extra...)
	}
	binary := append([]byte{0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0}, bytes.Repeat([]byte{0, 1, 2, 0xff}, 100)...)
	checkBadInputs(t, []badInput{
		{name: "train without input", args: []string{"text", "train", "--out", "out.safetensors"}, want: "--input is required"},
		{name: "train without out", setup: good, args: []string{"text", "train", "--input", "in.txt"}, want: "--out is required"},
		{name: "missing corpus", args: train(), want: "in.txt: no such file or directory", out: "out.safetensors"},
		{name: "empty corpus", setup: corpus("in.txt", nil), args: train(), want: "corpus is empty", out: "out.safetensors"},
		{name: "short corpus", setup: corpus("in.txt", []byte("Hello there\n")), args: train(),
			want: "corpus has 10 tokens; 16 streams with a window of 100 need at least 1616", out: "out.safetensors"},
		{name: "binary corpus", setup: corpus("in.txt", binary), args: train(), want: "looks like a binary file", out: "out.safetensors"},
		{name: "invalid UTF-8", setup: corpus("in.txt", []byte(strings.Repeat(tinyCorpus, 50)+"caf\xe9\n")), args: train(),
			want: "invalid UTF-8 at byte offset 4253", out: "out.safetensors"},
		{name: "negative hidden", setup: good, args: train("--hidden", "-3"), want: "--hidden -3 must be positive", out: "out.safetensors"},
		{name: "zero seq", setup: good, args: train("--seq", "0"), want: "--seq 0 must be positive", out: "out.safetensors"},
		{name: "negative lr", setup: good, args: train("--lr", "-0.1"), want: "--lr -0.1 is negative", out: "out.safetensors"},
		{name: "dropout of 1", setup: good, args: train("--dropout", "1"), want: "dropout 1 outside [0, 1)", out: "out.safetensors"},
		{name: "bad val fraction", setup: good, args: train("--val-fraction", "1.5"), want: "--val-fraction 1.5 must be in [0, 1)", out: "out.safetensors"},
		{name: "unknown tokenizer", setup: good, args: train("--tokenizer", "word"), want: `unknown tokenizer "word"`, out: "out.safetensors"},
		{name: "bad decay", setup: good, args: train("--decay", "step"), want: `unknown decay "step"`, out: "out.safetensors"},
		{name: "resume without checkpoint", setup: good, args: train("--resume"), want: "out.safetensors: no such file", out: "out.safetensors"},
		{name: "output is a directory", setup: func(t *testing.T, dir string) {
			good(t, dir)
			os.Mkdir(filepath.Join(dir, "out.safetensors"), 0o755)
		}, args: train(), want: "is a directory"},

		{name: "generate without model", args: []string{"text", "generate"}, want: "--model is required"},
		{name: "missing model", args: []string{"text", "generate", "--model", "none.safetensors"}, want: "none.safetensors: no such file"},
		{name: "corrupt model", setup: corpus("m.safetensors", []byte("\x10\x00\x00\x00\x00\x00\x00\x00{not json}      ")),
			args: []string{"text", "generate", "--model", "m.safetensors"}, want: "malformed safetensors file"},
		{name: "series model", setup: func(t *testing.T, dir string) {
			m := core.NewModel(core.Config{Features: 1, Hidden: 4, Likelihood: core.Gaussian{}}, rand.New(rand.NewPCG(1, 2)))
			if err := m.Save(filepath.Join(dir, "m.safetensors"), map[string]string{core.MetaDomain: "series"}, nil); err != nil {
				t.Fatal(err)
			}
		}, args: []string{"text", "generate", "--model", "m.safetensors"}, want: `not a text model: it is a "series" model`},
		{name: "unknown prompt symbols", setup: model, args: []string{"text", "generate", "--model", "m.safetensors", "--prompt", "ROMEO: Zounds!"},
			want: `prompt: text: 6 symbols not in the vocabulary (first at byte offset 0): "R", "O", "M", "E", "Z", "!"`},
		{name: "negative temperature", setup: model, args: []string{"text", "generate", "--model", "m.safetensors", "--temperature", "-1"},
			want: "--temperature -1 must not be negative"},
		{name: "top-p above 1", setup: model, args: []string{"text", "generate", "--model", "m.safetensors", "--top-p", "1.5"},
			want: "--top-p 1.5 must be in [0, 1]"},
		{name: "zero length", setup: model, args: []string{"text", "generate", "--model", "m.safetensors", "--length", "0"},
			want: "--length 0 must be positive"},
		{name: "unknown weights", setup: model, args: []string{"text", "generate", "--model", "m.safetensors", "--weights", "fp16"},
			want: `weights "fp16": choose fp32, bf16, int8 or auto`},

		{name: "eval without input", setup: model, args: []string{"text", "eval", "--model", "m.safetensors"}, want: "--input is required"},
		{name: "eval unknown symbols", setup: func(t *testing.T, dir string) {
			model(t, dir)
			writeFile(t, filepath.Join(dir, "e.txt"), []byte("Zebra"))
		}, args: []string{"text", "eval", "--model", "m.safetensors", "--input", "e.txt"}, want: `not in the vocabulary (first at byte offset 0): "Z"`},
		{name: "eval one symbol", setup: func(t *testing.T, dir string) {
			model(t, dir)
			writeFile(t, filepath.Join(dir, "e.txt"), []byte("T"))
		}, args: []string{"text", "eval", "--model", "m.safetensors", "--input", "e.txt"}, want: "text to score has 1 symbol; need at least 2"},
	})
}

// TestTextRoundTrip trains through the binary from standard input, then
// generates twice with one seed and scores a text.
func TestTextRoundTrip(t *testing.T) {
	dir := t.TempDir()
	cmd := exec.Command(arkitBin, "text", "train", "--input", "-", "--out", "m.safetensors", "--hidden", "16",
		"--embed", "8", "--seq", "20", "--batch", "4", "--steps", "30", "--val-every", "10", "--quiet")
	cmd.Dir = dir
	cmd.Stdin = strings.NewReader(strings.Repeat(tinyCorpus, 20))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("train: %v\n%s", err, out)
	}
	gen := func(seed string) string {
		out, stderr, code := runArkit(t, dir, "text", "generate", "--model", "m.safetensors", "--prompt", "To be",
			"--length", "60", "--seed", seed)
		if code != 0 {
			t.Fatalf("generate: %s", stderr)
		}
		return out
	}
	a, b, c := gen("4"), gen("4"), gen("5")
	if a != b || a == c || !strings.HasPrefix(a, "To be") {
		t.Errorf("generation: %q, %q, %q", a, b, c)
	}
	writeFile(t, filepath.Join(dir, "e.txt"), []byte(tinyCorpus))
	out, stderr, code := runArkit(t, dir, "text", "eval", "--model", "m.safetensors", "--input", "e.txt", "--json")
	if code != 0 {
		t.Fatalf("eval: %s", stderr)
	}
	var s map[string]any
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatalf("eval output %q: %v", out, err)
	}
	num := func(k string) float64 { v, _ := s[k].(float64); return v }
	if num("symbols") != float64(len(tinyCorpus)-1) || !(num("nats_per_symbol") > 0) || num("bits_per_symbol") == 0 || num("perplexity") == 0 ||
		s["model"] != "m.safetensors" || s["data"] != "e.txt" {
		t.Errorf("eval: %v", s)
	}
}

// TestTextTrainInterrupt sends SIGINT to a long training run: it must save
// the model, say how to resume, and exit 0.
func TestTextTrainInterrupt(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "in.txt"), []byte(strings.Repeat(tinyCorpus, 20)))
	cmd := exec.Command(arkitBin, "text", "train", "--input", "in.txt", "--out", "m.safetensors", "--hidden", "16",
		"--embed", "8", "--seq", "20", "--batch", "4", "--steps", "1000000")
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1500 * time.Millisecond)
	cmd.Process.Signal(os.Interrupt)
	if err := cmd.Wait(); !interrupted(err) {
		t.Fatalf("interrupted training: %v, want exit status 130\n%s", err, stderr.String())
	}
	if !strings.Contains(stderr.String(), "(interrupted)") || !strings.Contains(stderr.String(), "--resume") {
		t.Errorf("stderr lacks the interruption report:\n%s", stderr.String())
	}
	if _, err := text.Load(filepath.Join(dir, "m.safetensors")); err != nil {
		t.Errorf("model after interruption: %v", err)
	}
}

// TestTextResume re-runs a finished training command with --resume and a
// higher step limit, then with a conflicting setting.
func TestTextResume(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "in.txt"), []byte(strings.Repeat(tinyCorpus, 20)))
	args := []string{"text", "train", "--input", "in.txt", "--out", "m.safetensors", "--hidden", "16", "--embed", "8",
		"--seq", "20", "--batch", "4", "--dropout", "0.1", "--lr", "0.003", "--decay", "cosine", "--val-every", "10"}
	_, stderr, code := runArkit(t, dir, append(args, "--steps", "20")...)
	if code != 0 {
		t.Fatalf("train: %s", stderr)
	}
	// The plan says what --precision auto (text's default) became here.
	if p, _ := core.PrecisionAuto.Resolve(); !strings.Contains(stderr, "; "+string(p)+" products") {
		t.Errorf("the plan does not say %s products:\n%s", p, stderr)
	}
	_, stderr, code = runArkit(t, dir, append(args, "--steps", "40", "--resume")...)
	if code != 0 || !strings.Contains(stderr, "resuming at step 20") || !strings.Contains(stderr, "after 40 steps") {
		t.Fatalf("resume: code %d\n%s", code, stderr)
	}
	_, stderr, code = runArkit(t, dir, "text", "train", "--input", "in.txt", "--out", "m.safetensors", "--resume", "--hidden", "32")
	if code == 0 || !strings.Contains(stderr, "cannot resume with hidden 32: the run started with 16") {
		t.Fatalf("conflicting resume: code %d\n%s", code, stderr)
	}
}
