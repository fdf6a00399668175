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

	"github.com/arkit-go/arkit/text"
)

func init() {
	register(&command{
		name:    "text train",
		summary: "train a character (or byte, BPE) language model on text files",
		usage:   "--input PATH [--input PATH...] --out MODEL [flags]",
		examples: `arkit text train --input input.txt --out shakespeare.safetensors --max-time 30m --batch 16 --dropout 0.2 --decay cosine --final-lr 0.05 --val-every 400
			arkit text train --input input.txt --out shakespeare.safetensors --max-time 30m --batch 16 --dropout 0.2 --decay cosine --final-lr 0.05 --val-every 400 --resume
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
	var inputs, vals multiFlag
	fs.Var(&inputs, "input", "training text: a file, a directory (its text files) or - for stdin; repeatable")
	builtin := fs.Bool("builtin", false, "train on the built-in corpus (149 KB of Newton's Opticks) instead of --input")
	fs.Var(&vals, "val", "validation text (default: the last --val-fraction of the input); repeatable")
	out := fs.String("out", "", "model file to write (checkpoints go there too)")
	tok := fs.String("tokenizer", text.KindChar, "tokenizer: char, byte or bpe")
	vocab := fs.Int("vocab-size", text.DefaultBPEVocabSize, "BPE vocabulary size")
	embed := fs.Int("embed", text.DefaultEmbed, "embedding width")
	hidden := fs.Int("hidden", text.DefaultHidden, "LSTM width")
	layers := fs.Int("layers", text.DefaultLayers, "LSTM layers")
	dropout := fs.Float64("dropout", 0, "dropout between LSTM layers, in [0, 1)")
	seq := fs.Int("seq", text.DefaultSeq, "window length (steps of backpropagation through time)")
	batch := fs.Int("batch", text.DefaultBatch, "parallel streams per step")
	lr := fs.Float64("lr", text.DefaultLR, "learning rate (Adam)")
	wd := fs.Float64("weight-decay", 0, "AdamW weight decay of the weight matrices")
	clip := fs.Float64("clip", text.DefaultClip, "gradient-norm clipping (0: off)")
	warmup := fs.Int("warmup", 0, "steps of learning-rate warmup")
	decay := fs.String("decay", "", "learning-rate decay over the run: cosine or linear (default constant)")
	finalLR := fs.Float64("final-lr", 0, "learning-rate factor reached at the end of --decay")
	steps := fs.Int("steps", 0, "stop at this many steps (0: see --epochs)")
	epochs := fs.Float64("epochs", 0, "stop after this many passes over the input (default 10 without --steps or --max-time)")
	maxTime := fs.Duration("max-time", 0, "stop after this much training time, e.g. 30m")
	seed := fs.Uint64("seed", 1, "random seed (weights, dropout, previews)")
	valFrac := fs.Float64("val-fraction", text.DefaultValFraction, "share of the input held out for validation (0: none) without --val")
	valEvery := fs.Int("val-every", text.DefaultValEvery, "steps between validations (with --resume: as saved unless given)")
	valSymbols := fs.Int("val-symbols", text.DefaultValSymbols, "validate on at most this many symbols")
	patience := fs.Int("patience", 0, "stop after this many validations without improvement (0: off, or with --resume the saved run's)")
	sampleLen := fs.Int("sample-length", text.DefaultSampleLength, "symbols of the preview printed at each validation (0: none)")
	ckptEvery := fs.Duration("checkpoint-every", text.DefaultCheckpointEvery, "time between checkpoints")
	resume := fs.Bool("resume", false, "continue the run saved in --out")
	quiet := fs.Bool("quiet", false, "print nothing while training")
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
		if *out == "" {
			return usageError{errors.New("--out is required")}
		}
		if err := positive(map[string]int{"embed": *embed, "hidden": *hidden, "layers": *layers,
			"seq": *seq, "batch": *batch, "val-every": *valEvery, "val-symbols": *valSymbols, "vocab-size": *vocab}); err != nil {
			return err
		}
		if *valFrac < 0 || *valFrac >= 1 {
			return usageError{fmt.Errorf("--val-fraction %g must be in [0, 1)", *valFrac)}
		}
		for name, v := range map[string]float64{"lr": *lr, "weight-decay": *wd, "clip": *clip, "epochs": *epochs, "final-lr": *finalLR, "dropout": *dropout} {
			if v < 0 {
				return usageError{fmt.Errorf("--%s %g is negative", name, v)}
			}
		}
		for name, v := range map[string]int{"steps": *steps, "warmup": *warmup, "patience": *patience, "sample-length": *sampleLen} {
			if v < 0 {
				return usageError{fmt.Errorf("--%s %d is negative", name, v)}
			}
		}
		if *maxTime < 0 || *ckptEvery < 0 {
			return usageError{fmt.Errorf("--max-time and --checkpoint-every must not be negative")}
		}
		opts := text.TrainOptions{
			Tokenizer: *tok, VocabSize: *vocab, Embed: *embed, Hidden: *hidden, Layers: *layers,
			Dropout: float32(*dropout), Seq: *seq, Batch: *batch, LR: float32(*lr), WeightDecay: float32(*wd),
			Clip: float32(*clip), Warmup: *warmup, Decay: *decay, FinalLR: float32(*finalLR),
			Steps: *steps, Epochs: *epochs, MaxTime: *maxTime, Seed: *seed,
			ValFraction: *valFrac, ValEvery: *valEvery, ValSymbols: *valSymbols, Patience: *patience,
			SampleLength: *sampleLen, Out: *out, CheckpointEvery: *ckptEvery, Resume: *resume,
		}
		if *clip == 0 {
			opts.Clip = -1
		}
		if *valFrac == 0 {
			opts.ValFraction = -1
		}
		if opts.Tokenizer != text.KindBPE {
			opts.VocabSize = 0
		}
		if *resume {
			// The run's settings come from the checkpoint; pass on only
			// those given on this command line, which must agree.
			// The validation schedule and patience default to the saved run's.
			keep := text.TrainOptions{Steps: opts.Steps, Epochs: opts.Epochs, MaxTime: opts.MaxTime,
				SampleLength: opts.SampleLength, Out: opts.Out, CheckpointEvery: opts.CheckpointEvery, Resume: true}
			copyGiven(fs, map[string]func(){
				"tokenizer": func() { keep.Tokenizer = opts.Tokenizer }, "vocab-size": func() { keep.VocabSize = opts.VocabSize },
				"embed": func() { keep.Embed = opts.Embed }, "hidden": func() { keep.Hidden = opts.Hidden },
				"layers": func() { keep.Layers = opts.Layers }, "dropout": func() { keep.Dropout = opts.Dropout },
				"seq": func() { keep.Seq = opts.Seq }, "batch": func() { keep.Batch = opts.Batch },
				"lr": func() { keep.LR = opts.LR }, "weight-decay": func() { keep.WeightDecay = opts.WeightDecay },
				"clip": func() { keep.Clip = opts.Clip }, "warmup": func() { keep.Warmup = opts.Warmup },
				"decay": func() { keep.Decay = opts.Decay }, "final-lr": func() { keep.FinalLR = opts.FinalLR },
				"seed": func() { keep.Seed = opts.Seed }, "val-fraction": func() { keep.ValFraction = opts.ValFraction },
				"val-symbols": func() { keep.ValSymbols = opts.ValSymbols },
				"val-every":   func() { keep.ValEvery = opts.ValEvery }, "patience": func() { keep.Patience = opts.Patience },
			})
			opts = keep
		}
		removeStaleTemps(os.Stderr, *out)
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
		bar := newProgress(*quiet, "symbols")
		var preview string
		hooks := text.TrainHooks{}
		if bar != nil {
			for _, s := range corpus.Skipped {
				fmt.Fprintf(os.Stderr, "skipped %s (%s)\n", s.Path, s.Reason)
			}
			hooks.Progress = bar.Report
			if *sampleLen > 0 {
				hooks.Sample = func(s string) { preview = s }
				bar.Sample = func() string { return preview }
			}
			hooks.Start = func(p text.TrainPlan) {
				o := p.Options
				fmt.Fprintf(os.Stderr, "%d training and %d validation symbols, %s tokenizer of %d; model %dx%d (embed %d, dropout %g), %d parameters; %d steps per epoch of %dx%d windows",
					p.TrainSymbols, p.ValSymbols, p.Tokenizer, p.Vocab, o.Layers, o.Hidden, o.Embed, o.Dropout, p.Params, p.StepsPerEpoch, o.Batch, o.Seq)
				if p.ResumedAt > 0 {
					fmt.Fprintf(os.Stderr, "; resuming at step %d", p.ResumedAt)
				}
				fmt.Fprintln(os.Stderr)
			}
		}
		_, res, err := text.Train(ctx, corpus.Text, valText, opts, hooks)
		bar.Done()
		if err != nil {
			return err
		}
		if !*quiet {
			why := map[string]string{"steps": "step limit", "time": "time limit", "early-stop": "early stopping", "canceled": "interrupted"}[res.Reason]
			fmt.Fprintf(os.Stderr, "saved %s after %d steps (%s); training loss %.4f", *out, res.Steps, why, res.Loss)
			if !isNaN(res.BestVal) {
				fmt.Fprintf(os.Stderr, ", best validation %.4f nats/symbol", res.BestVal)
			}
			fmt.Fprintln(os.Stderr)
			if res.Reason == "canceled" {
				fmt.Fprintln(os.Stderr, "to continue, run the same command with --resume")
			}
		}
		return nil
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
			b, _ := json.Marshal(s)
			fmt.Println(string(b))
			return nil
		}
		fmt.Printf("%s (%.1fs)\n", s, time.Since(start).Seconds())
		return nil
	}
}
