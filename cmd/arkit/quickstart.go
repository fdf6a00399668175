// arkit quickstart: the README's first command. It trains small models for
// the four domains on built-in data (a monthly series, a public-domain
// text, digits drawn from the Go fonts, synthetic tones) by running the
// same commands a user would, and writes what each makes into one folder.

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/arkit-go/arkit/core"
	"github.com/arkit-go/arkit/text"
)

func init() {
	register(&command{
		name:    "quickstart",
		summary: "train small models on built-in data for all four domains and write their outputs (about two minutes)",
		usage:   "[--out DIR] [--budget DURATION] [--quiet]",
		examples: `arkit quickstart
			arkit quickstart --out /tmp/arkit-demo --budget 4m`,
		setup: quickstartSetup,
	})
}

// quickstartStep is one command of the quickstart and the files it makes.
type quickstartStep struct {
	title string
	args  []string
	files []string // relative to the output folder, with a description
	run   func(ctx context.Context) error
}

func quickstartSetup(fs *flag.FlagSet) func(context.Context, []string) error {
	out := fs.String("out", "quickstart-out", "folder for the outputs (created if missing)")
	budget := fs.Duration("budget", 100*time.Second, "training time in all, shared by the four domains")
	quiet := fs.Bool("quiet", false, "no progress bars")
	small := fs.Bool("small", false, "tiny models and outputs (for tests): shorter text and audio, fewer images")
	return func(ctx context.Context, args []string) error {
		if len(args) > 0 {
			return usageError{fmt.Errorf("unexpected argument %q", args[0])}
		}
		if *budget < 4*time.Second || *budget > 24*time.Hour {
			return usageError{fmt.Errorf("--budget %v: give between 4s and 24h", *budget)}
		}
		if err := os.MkdirAll(*out, 0o755); err != nil {
			return fmt.Errorf("--out: %w", err)
		}
		each := (*budget / 4).Round(time.Second).String()
		p := func(name string) string { return filepath.Join(*out, name) }
		textLen, nImages, seconds := 600, "36", "2"
		if *small {
			textLen, nImages, seconds = 60, "4", "0.1"
		}
		q := []string{}
		if *quiet || !isTerminal(os.Stderr) {
			q = []string{"--quiet"}
		}
		steps := []quickstartStep{
			{
				title: "series: a global LSTM forecasts 24 months of the EU electrical-equipment index, beside simple baselines",
				args: append([]string{"series", "forecast", "--builtin", "--horizon", "24", "--max-time", each, "--hidden", "32",
					"--dropout", "0.2", "--out", p("forecast.csv"), "--plot", p("forecast.png"), "--report", p("report.html")}, q...),
				files: []string{"forecast.csv: median, mean and 10%/50%/90% quantiles per month",
					"forecast.png: history, median forecast, 80% and 95% bands", "report.html: plots, accuracy against baselines on a hold-out, training loss"},
			},
			{
				title: "text: a character LSTM learns Newton's Opticks, then writes a paragraph",
				args: append([]string{"text", "train", "--builtin", "--out", p("text.safetensors"), "--force", "--max-time", each,
					"--hidden", "192", "--layers", "1", "--seq", "64", "--batch", "16", "--val-every", "100000"}, q...),
				files: []string{"text.safetensors: the model (arkit text generate --model ...)", "text.txt: 600 generated characters"},
				run: func(ctx context.Context) error {
					m, err := text.Load(p("text.safetensors"))
					if err != nil {
						return err
					}
					return core.WriteFileAtomic(p("text.txt"), func(w io.Writer) error {
						return m.Generate(ctx, text.GenerateOptions{Prompt: "The Rays of Light", Length: textLen, Temperature: 0.7, Seed: 1}, w)
					})
				},
			},
			{
				title: "pixels: a raster-scan LSTM learns 16x16 digits drawn from the Go fonts, then draws and completes digits",
				args: append([]string{"pixels", "train", "--glyphs", "3000", "--size", "16x16", "--levels", "2", "--classes",
					"--out", p("pixels.safetensors"), "--force", "--max-time", each, "--hidden", "96", "--window-rows", "8"}, q...),
				files: []string{"pixels-samples.png: 36 digits drawn pixel by pixel", "pixels-completions.png: digits whose lower half was hidden, completed 4 ways"},
			},
		}
		steps = append(steps, audioQuickstart(p, each, seconds, q)...)
		more := []quickstartStep{
			{args: []string{"pixels", "sample", "--model", p("pixels.safetensors"), "--n", nImages, "--out", p("pixels-samples.png"), "--seed", "1"}},
			{args: []string{"pixels", "complete", "--model", p("pixels.safetensors"), "--glyphs", "3000", "--keep-rows", "8", "--n", "4",
				"--out", p("pixels-completions.png"), "--seed", "1"}},
		}
		start := time.Now()
		var made []string
		for i, s := range steps {
			fmt.Fprintf(os.Stderr, "[%d/%d] %s\n", i+1, len(steps), s.title)
			if err := runStep(ctx, s.args); err != nil {
				return err
			}
			if s.run != nil {
				if err := s.run(ctx); err != nil {
					return err
				}
			}
			if s.args[0] == "pixels" {
				for _, m := range more {
					if err := runStep(ctx, m.args); err != nil {
						return err
					}
				}
			}
			made = append(made, s.files...)
		}
		fmt.Printf("quickstart done in %s; in %s:\n", time.Since(start).Round(time.Second), *out)
		for _, f := range made {
			fmt.Printf("  %s\n", f)
		}
		return nil
	}
}

// runStep runs one arkit command line and turns its failure into an error.
func runStep(ctx context.Context, args []string) error {
	var errb stderrLine
	if code := run(ctx, args, os.Stdout, &errb); code != 0 {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return errors.New(errb.last)
	}
	return nil
}

// stderrLine keeps the last line a command wrote as its error (progress
// bars and warnings go to os.Stderr directly, not through it).
type stderrLine struct{ last string }

func (s *stderrLine) Write(p []byte) (int, error) {
	if l := len(p); l > 0 {
		s.last = strings.TrimRight(string(p), "\n")
	}
	return len(p), nil
}

// audioQuickstart trains a two-tier sample-level model on synthetic tones,
// chirps and notes, and generates a clip with its spectrogram.
func audioQuickstart(p func(string) string, each, seconds string, q []string) []quickstartStep {
	return []quickstartStep{{
		title: "audio: a two-tier LSTM learns mu-law tones, chirps and notes at 8 kHz, then generates two seconds",
		args: append([]string{"audio", "train", "--tones", "48", "--rate", "8000", "--out", p("audio.safetensors"), "--force",
			"--max-time", each, "--hidden", "96", "--frame-hidden", "96"}, q...),
		files: []string{"audio.wav: 2 s of generated 16-bit audio", "audio.png: its waveform and spectrogram"},
		run: func(ctx context.Context) error {
			return runStep(ctx, []string{"audio", "generate", "--model", p("audio.safetensors"), "--seconds", seconds,
				"--out", p("audio.wav"), "--plot", p("audio.png"), "--seed", "1"})
		},
	}}
}
