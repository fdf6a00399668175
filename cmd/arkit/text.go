// arkit text: train a language model on a corpus, generate from a prompt,
// score a text. Each command parses flags and calls package text.

package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/arkit-go/arkit/core"
	"github.com/arkit-go/arkit/text"
)

func init() {
	register(&command{
		name:    "text train",
		summary: "train a character (or byte, BPE) language model on text files",
		usage:   "--input PATH [--input PATH...] --out MODEL [flags]",
		examples: `arkit text train --input input.txt --out shakespeare.safetensors --max-time 30m
			arkit text train --input input.txt --out shakespeare.safetensors --max-time 30m --resume
			arkit text train --input input.txt --out plain.safetensors --steps 5000 --dropout 0 --ar 0 --decay constant --batch 32
			cat *.txt | arkit text train --input - --out model.safetensors --tokenizer bpe --vocab-size 1024 --steps 2000`,
		setup: textTrainSetup,
	})
	register(&command{
		name:    "text generate",
		summary: "generate text from a trained model, streamed as it is made",
		usage:   "--model MODEL [--prompt TEXT] [--length N] [--temperature F] [flags]",
		examples: `arkit text generate --model shakespeare.safetensors --prompt "ROMEO:" --length 400
			arkit text generate --model shakespeare.safetensors --temperature 0.6 --top-p 0.9 --n 3 --seed 7
			arkit text generate --model shakespeare.safetensors --prompt "KING" --stop "\n\n"`,
		setup: textGenerateSetup,
	})
	register(&command{
		name:     "text eval",
		summary:  "score a text under a model: nats and bits per symbol, perplexity",
		usage:    "--model MODEL --input PATH [--input PATH...] [--json]",
		examples: `arkit text eval --model shakespeare.safetensors --input heldout.txt --json`,
		setup:    textEvalSetup,
	})
}

// positive checks integer size flags.
func positive(flags map[string]int) error {
	for name, v := range flags {
		if v <= 0 {
			return usageError{fmt.Errorf("--%s %d must be positive", name, v)}
		}
	}
	return nil
}

func textTrainSetup(fs *flag.FlagSet) func(context.Context, []string) error {
	var opts text.TrainOptions
	var inputs, vals multiFlag
	fs.Var(&inputs, "input", "training text: a file, a directory (its text files) or - for stdin; repeatable")
	builtin := fs.Bool("builtin", false, "train on the built-in corpus (149 KB of Newton's Opticks) instead of --input")
	fs.Var(&vals, "val", "validation text (default: the last --val-fraction of the input); repeatable")
	tf := declareTrainFlags(fs, &opts.TrainOptions, text.Defaults())
	tf.String(&opts.Tokenizer, "tokenizer", text.KindChar, "tokenizer: char, byte or bpe")
	tf.Int(&opts.VocabSize, "vocab-size", text.DefaultBPEVocabSize, "BPE vocabulary size")
	tf.Int(&opts.Embed, "embed", text.DefaultEmbed, "")
	tf.Int(&opts.Hidden, "hidden", text.DefaultHidden, "")
	tf.Int(&opts.Layers, "layers", text.DefaultLayers, "")
	tf.Float32Off(&opts.Dropout, "dropout", text.DefaultDropout, "")
	tf.Int(&opts.Seq, "seq", text.DefaultSeq, "")
	tf.Int(&opts.Batch, "batch", text.DefaultBatch, "parallel streams per step")
	tf.Float64(&opts.ValFraction, "val-fraction", text.DefaultValFraction, "share of the input held out for validation (0: none) without --val")
	tf.Int(&opts.ValSymbols, "val-symbols", text.DefaultValSymbols, "validate on at most this many symbols")
	fs.IntVar(&opts.SampleLength, "sample-length", text.DefaultSampleLength, "symbols of the preview printed at each validation (0: none)")
	return func(ctx context.Context, args []string) error {
		if len(args) > 0 {
			return usageError{fmt.Errorf("unexpected argument %q", args[0])}
		}
		if len(inputs) == 0 && !*builtin {
			return usageError{errors.New("--input is required (or --builtin)")}
		}
		if len(inputs) > 0 && *builtin {
			return usageError{errors.New("--input and --builtin exclude each other")}
		}
		if opts.ValFraction < 0 || opts.ValFraction >= 1 {
			return usageError{fmt.Errorf("--val-fraction %g must be in [0, 1)", opts.ValFraction)}
		}
		if err := tf.finish(); err != nil {
			return err
		}
		if opts.ValFraction == 0 && (!opts.Resume || tf.given("val-fraction")) {
			opts.ValFraction = text.NoValidation
		}
		if opts.Tokenizer != text.KindBPE && !tf.given("vocab-size") {
			opts.VocabSize = 0
		}
		if opts.SampleLength == 0 {
			opts.SampleLength = text.NoPreview
		}
		removeStaleTemps(os.Stderr, opts.Out)
		corpus := &text.Corpus{Text: text.Builtin()}
		if !*builtin {
			var err error
			if corpus, err = text.LoadCorpus(inputs, text.CorpusOptions{}); err != nil {
				return err
			}
		}
		var valText string
		if len(vals) > 0 {
			vc, err := text.LoadCorpus(vals, text.CorpusOptions{})
			if err != nil {
				return err
			}
			valText = vc.Text
		}
		report := newTrainReport(tf.quiet, "symbols")
		report.hook(&opts.TrainOptions)
		if report != nil {
			for _, s := range corpus.Skipped {
				fmt.Fprintf(os.Stderr, "skipped %s (%s)\n", s.Path, s.Reason)
			}
			var preview string
			opts.Preview = func(s string) { preview = s }
			report.bar.Sample = func() string { return preview }
		}
		_, res, err := text.Train(ctx, corpus.Text, valText, opts)
		report.done(opts.Out, res, err)
		return err
	}
}

func isNaN(v float64) bool { return v != v }

func textGenerateSetup(fs *flag.FlagSet) func(context.Context, []string) error {
	model := fs.String("model", "", "model file")
	prompt := fs.String("prompt", "", "text to continue (written first)")
	length := fs.Int("length", text.DefaultLength, "symbols (tokens) to generate per sample")
	temp := fs.Float64("temperature", 0.8, "sampling temperature (0: always the most likely symbol)")
	topK := fs.Int("top-k", 0, "sample among the k most likely symbols only (0: all)")
	topP := fs.Float64("top-p", 1, "sample among the most likely symbols of total probability p, in [0, 1]")
	minP := fs.Float64("min-p", 0, "drop symbols less likely than min-p times the most likely, in [0, 1]")
	rep := fs.Float64("repetition-penalty", 1, "penalise recently seen symbols (> 1; 1: off)")
	var stops multiFlag
	fs.Var(&stops, "stop", `end a sample at this string (Go escapes such as "\n" allowed); repeatable`)
	seed := fs.Uint64("seed", 1, "random seed: the same seed and flags give the same text")
	n := fs.Int("n", 1, "number of samples, drawn together")
	weights := weightsFlag(fs, core.GenerationWeights)
	return func(ctx context.Context, args []string) error {
		if len(args) > 0 {
			return usageError{fmt.Errorf("unexpected argument %q", args[0])}
		}
		if *model == "" {
			return usageError{errors.New("--model is required")}
		}
		if err := positive(map[string]int{"length": *length, "n": *n}); err != nil {
			return err
		}
		switch {
		case *temp < 0:
			return usageError{fmt.Errorf("--temperature %g must not be negative", *temp)}
		case *topP < 0 || *topP > 1:
			return usageError{fmt.Errorf("--top-p %g must be in [0, 1]", *topP)}
		case *minP < 0 || *minP > 1:
			return usageError{fmt.Errorf("--min-p %g must be in [0, 1]", *minP)}
		case *topK < 0:
			return usageError{fmt.Errorf("--top-k %d must not be negative", *topK)}
		case *rep < 0:
			return usageError{fmt.Errorf("--repetition-penalty %g must not be negative", *rep)}
		}
		var stopStrings []string
		for _, s := range stops {
			u, err := unescape(s)
			if err != nil {
				return usageError{fmt.Errorf("--stop %q: %v", s, err)}
			}
			stopStrings = append(stopStrings, u)
		}
		m, err := text.Load(*model)
		if err != nil {
			return err
		}
		m.Net.SetWeights(*weights)
		opts := text.GenerateOptions{
			Prompt: *prompt, Length: *length, Temperature: float32(*temp), TopK: *topK, TopP: float32(*topP),
			MinP: float32(*minP), RepetitionPenalty: float32(*rep), Stop: stopStrings, Seed: *seed, N: *n,
		}
		err = m.Generate(ctx, opts, os.Stdout)
		if *n == 1 {
			fmt.Println()
		}
		if errors.Is(err, context.Canceled) {
			return nil
		}
		return err
	}
}

// unescape interprets Go string escapes such as \n and \t.
func unescape(s string) (string, error) {
	if !strings.Contains(s, `\`) {
		return s, nil
	}
	var out string
	if err := json.Unmarshal([]byte(`"`+strings.ReplaceAll(s, `"`, `\"`)+`"`), &out); err != nil {
		return "", errors.New("bad escape sequence")
	}
	return out, nil
}

func textEvalSetup(fs *flag.FlagSet) func(context.Context, []string) error {
	model := fs.String("model", "", "model file")
	var inputs multiFlag
	fs.Var(&inputs, "input", "text to score: a file, a directory or - for stdin; repeatable")
	js := fs.Bool("json", false, "print one JSON object")
	weights := weightsFlag(fs, core.WeightsFP32)
	return func(ctx context.Context, args []string) error {
		if len(args) > 0 {
			return usageError{fmt.Errorf("unexpected argument %q", args[0])}
		}
		if *model == "" {
			return usageError{errors.New("--model is required")}
		}
		if len(inputs) == 0 {
			return usageError{errors.New("--input is required")}
		}
		m, err := text.Load(*model)
		if err != nil {
			return err
		}
		m.Net.SetWeights(*weights) // scored step by step, as generation reads them, unless fp32
		corpus, err := text.LoadCorpus(inputs, text.CorpusOptions{})
		if err != nil {
			return err
		}
		start := time.Now()
		s, err := m.Score(ctx, corpus.Text)
		if err != nil {
			return err
		}
		if *js {
			return printScore(s, *model, inputs, start)
		}
		fmt.Printf("%s (%.1fs)\n", s, time.Since(start).Seconds())
		return nil
	}
}
