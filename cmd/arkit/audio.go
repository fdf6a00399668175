// arkit audio: train a sample-level model on WAV, FLAC or MP3 files, generate audio from
// it into WAV files, score recordings. Each command parses flags and calls
// package audio.

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"time"

	"github.com/arkit-go/arkit/audio"
	"github.com/arkit-go/arkit/core"
)

func init() {
	register(&command{
		name:    "audio train",
		summary: "train a two-tier (or one- or three-tier) sample-level model (mu-law codes) on WAV, FLAC or MP3 files",
		usage:   "(--wav PATH [--wav PATH...] | --tones N) --out MODEL [flags]",
		examples: `arkit audio train --wav recordings/ --fsdd-split train --out speech.safetensors --max-time 60m --warmup 100 --decay cosine --final-lr 0.03
			arkit audio train --wav recordings/ --fsdd-split train --out speech.safetensors --max-time 60m --resume
			arkit audio train --tones 48 --out tones.safetensors --max-time 2m --hidden 96 --frame-hidden 96
			arkit audio train --wav recordings/ --fsdd-split train --out speech3.safetensors --tiers 3 --top-frame 8 --top-hidden 512`,
		setup: audioTrainSetup,
	})
	register(&command{
		name:    "audio generate",
		summary: "generate audio sample by sample from a model into 16-bit WAV",
		usage:   "--model MODEL --seconds S --out WAV [--prime WAV] [--temperature F] [--weights fp32|bf16|int8] [flags]",
		examples: `arkit audio generate --model speech.safetensors --seconds 2 --out sample.wav --plot sample.png
			arkit audio generate --model speech.safetensors --class 7 --seconds 1 --n 4 --out seven.wav
			arkit audio generate --model speech.safetensors --prime recordings/7_jackson_0.wav --seconds 1 --out more.wav
			arkit audio generate --model speech.safetensors --seconds 2 --out fast.wav --weights int8`,
		setup: audioGenerateSetup,
	})
	register(&command{
		name:    "audio eval",
		summary: "score WAV, FLAC or MP3 files under a model: bits and nats per sample",
		usage:   "--model MODEL --wav PATH [--wav PATH...] [--weights fp32|bf16|int8] [--json]",
		examples: `arkit audio eval --model speech.safetensors --wav recordings/ --fsdd-split test --json
			arkit audio eval --model speech.safetensors --wav recordings/ --fsdd-split test --weights int8`,
		setup: audioEvalSetup,
	})
}

// audioRate checks --rate before anything reaches the resampler.
func audioRate(rate int) error {
	if rate < audio.MinRate || rate > audio.MaxModelRate {
		return usageError{fmt.Errorf("--rate %d must be in [%d, %d] Hz", rate, audio.MinRate, audio.MaxModelRate)}
	}
	return nil
}

func audioMaxDuration(d time.Duration) error {
	if d <= 0 {
		return usageError{fmt.Errorf("--max-duration %v must be positive", d)}
	}
	return nil
}

// audioHint names the flag that lifts a limit the error hit.
func audioHint(err error) error {
	switch {
	case errors.Is(err, audio.ErrTooLong):
		return fmt.Errorf("%w; raise --max-duration to read it", err)
	case errors.Is(err, audio.ErrUnlabelled):
		return fmt.Errorf("%w; give --classes=false to train without classes", err)
	}
	return err
}

func audioSplit(s string) error {
	switch s {
	case audio.SplitAll, audio.SplitTrain, audio.SplitTest:
		return nil
	}
	return usageError{fmt.Errorf("--fsdd-split %q: want train, test or all", s)}
}

func audioTrainSetup(fs *flag.FlagSet) func(context.Context, []string) error {
	var opts audio.TrainOptions
	var wavs, vals multiFlag
	fs.Var(&wavs, "wav", "training audio: a WAV, FLAC or MP3 file (found by content), a folder of them or - for stdin; repeatable")
	tones := fs.Int("tones", 0, "train on this many built-in synthetic sounds (tones, chirps, notes) instead of --wav")
	toneLength := fs.Duration("tone-length", 500*time.Millisecond, "length of each --tones sound")
	fs.Var(&vals, "val", "validation audio (default: every 1/--val-fraction-th training file); repeatable")
	split := fs.String("fsdd-split", audio.SplitAll, "keep the FSDD split by take in the file name: train (5-49), test (0-4) or all")
	rate := fs.Int("rate", audio.DefaultRate, "the model's sample rate in Hz (files are resampled)")
	maxDur := fs.Duration("max-duration", audio.DefaultMaxDuration, "refuse audio files longer than this")
	tf := declareTrainFlags(fs, &opts.TrainOptions, audio.Defaults())
	tf.notBool(&opts.Unconditional, "classes", true, "condition on the recordings' classes when they all have one, so that generate --class can ask for one: the digit of FSDD file names, or the kind of --tones sound")
	tf.Int(&opts.Tiers, "tiers", audio.DefaultTiers, "1: a sample-level LSTM alone; 2: conditioned by a frame-level LSTM; 3: the frame tier conditioned in turn by a top LSTM (--top-frame, --top-hidden, --top-cond)")
	tf.Int(&opts.Embed, "embed", audio.DefaultEmbed, "embedding width of the previous code")
	tf.Int(&opts.Codes, "embed-codes", 1, "past codes the sample level embeds, SampleRNN's learned embeddings (two or three tiers): 1 the previous code alone, K the last K")
	tf.Int(&opts.Hidden, "hidden", audio.DefaultHidden, "sample-level LSTM width")
	tf.Int(&opts.Layers, "layers", audio.DefaultLayers, "sample-level LSTM layers")
	tf.Int(&opts.Frame, "frame", audio.DefaultFrame, "samples per frame of the frame tier")
	tf.Int(&opts.FrameHidden, "frame-hidden", audio.DefaultFrameHidden, "frame-level LSTM width")
	tf.Int(&opts.FrameLayers, "frame-layers", audio.DefaultFrameLayers, "frame-level LSTM layers")
	tf.Int(&opts.Cond, "cond", audio.DefaultCond, "conditioning values per sample from the frame tier")
	tf.Int(&opts.TopFrame, "top-frame", audio.DefaultTopFrame, "frames per step of the top tier (--tiers 3)")
	tf.Int(&opts.TopHidden, "top-hidden", audio.DefaultTopHidden, "top-level LSTM width (--tiers 3)")
	tf.Int(&opts.TopCond, "top-cond", audio.DefaultTopCond, "conditioning values per frame from the top tier (--tiers 3)")
	tf.Int(&opts.Window, "window", audio.DefaultWindow, "samples per training window (rounded up to whole frames; with --tiers 3 to whole top steps)")
	tf.Int(&opts.Batch, "batch", audio.DefaultBatch, "windows per step")
	tf.Float64(&opts.ValFraction, "val-fraction", audio.DefaultValFraction, "share of the training files held out for validation without --val (0: none)")
	tf.Int(&opts.ValSamples, "val-samples", audio.DefaultValSamples, "validate on at most this many samples")
	return func(ctx context.Context, args []string) error {
		if len(args) > 0 {
			return usageError{fmt.Errorf("unexpected argument %q", args[0])}
		}
		switch {
		case len(wavs) == 0 && *tones == 0:
			return usageError{errors.New("--wav or --tones is required")}
		case len(wavs) > 0 && *tones != 0:
			return usageError{errors.New("give --wav or --tones, not both")}
		case *tones < 0:
			return usageError{fmt.Errorf("--tones %d must be positive", *tones)}
		}
		toneSeed := opts.Seed // --seed as given or its default, also with --resume
		if err := tf.finish(); err != nil {
			return err
		}
		for _, name := range []string{"top-frame", "top-hidden", "top-cond"} {
			if tf.given(name) && opts.Tiers != 3 && !opts.Resume {
				return usageError{fmt.Errorf("--%s sets the top tier: it needs --tiers 3 (given --tiers %d)", name, opts.Tiers)}
			}
		}
		if err := audioRate(*rate); err != nil {
			return err
		}
		if err := audioMaxDuration(*maxDur); err != nil {
			return err
		}
		if err := audioSplit(*split); err != nil {
			return err
		}
		if opts.ValFraction == 0 && (!opts.Resume || tf.given("val-fraction")) {
			opts.ValFraction = audio.NoValidation
		}
		removeStaleTemps(os.Stderr, opts.Out)
		// FSDD names give the classes; with --resume the saved run decides
		// whether they are used.
		load := audio.LoadOptions{Rate: *rate, MaxDuration: *maxDur, Split: *split, FSDDLabels: !opts.Unconditional}
		var skipped []string
		load.Skipped = func(p string) { skipped = append(skipped, p) }
		var train *audio.Dataset
		var err error
		if *tones > 0 {
			train, err = audio.ToneDataset(*tones, *rate, *toneLength, toneSeed)
		} else {
			train, err = audio.LoadDataset(wavs, load)
		}
		if err != nil {
			return audioHint(err)
		}
		var val *audio.Dataset
		if len(vals) > 0 {
			vload := load
			vload.Split = audio.SplitAll
			if val, err = audio.LoadDataset(vals, vload); err != nil {
				return audioHint(err)
			}
		}
		report := newTrainReport(tf.quiet, "samples")
		report.hook(&opts.TrainOptions)
		if report != nil && len(skipped) > 0 {
			fmt.Fprintf(os.Stderr, "skipped %d files that are not WAV, FLAC or MP3, e.g. %s\n", len(skipped), skipped[0])
		}
		_, res, err := audio.Train(ctx, train, val, opts)
		report.done(opts.Out, res, err)
		return audioHint(err)
	}
}

func audioGenerateSetup(fs *flag.FlagSet) func(context.Context, []string) error {
	model := fs.String("model", "", "model file")
	seconds := fs.Float64("seconds", 0, "seconds of audio to generate per clip (after the prime)")
	out := fs.String("out", "", "WAV file to write (with --n > 1: OUT-1.wav, OUT-2.wav, ...)")
	prime := fs.String("prime", "", "WAV, FLAC or MP3 file to continue: the model reads it first, then generates --seconds more (resampled to the model's rate; it heads the output)")
	class := fs.String("class", "", "class to generate with a class-conditioned model, e.g. a digit (default: one class per clip in turn)")
	temp := fs.Float64("temperature", 1, "sampling temperature: 1 draws from the model's distribution, below 1 more predictable (near 0 it hums), above 1 noisier")
	topK := fs.Int("top-k", 0, "sample among the k most likely codes only (0: all; 1: greedy)")
	topP := fs.Float64("top-p", 1, "sample among the most likely codes of total probability p, in (0, 1]")
	n := fs.Int("n", 1, "clips to generate together: they share every weight read, so 32 clips take a few times as long as one, not 32")
	seed := fs.Uint64("seed", 1, "random seed: the same seed and flags give the same audio")
	plot := fs.String("plot", "", "also draw the waveform and spectrogram to this PNG, SVG or PDF (numbered like --out)")
	maxDur := fs.Duration("max-duration", audio.DefaultMaxDuration, "refuse a --prime file longer than this")
	quiet := fs.Bool("quiet", false, "print nothing but errors")
	weights := weightsFlag(fs, core.GenerationWeights)
	return func(ctx context.Context, args []string) error {
		if len(args) > 0 {
			return usageError{fmt.Errorf("unexpected argument %q", args[0])}
		}
		switch {
		case *model == "":
			return usageError{errors.New("--model is required")}
		case *out == "":
			return usageError{errors.New("--out is required")}
		case !(*seconds > 0) || *seconds > audio.MaxGenerateSeconds:
			return usageError{fmt.Errorf("--seconds %g must be in (0, %d]", *seconds, audio.MaxGenerateSeconds)}
		case *n <= 0 || *n > 1024:
			return usageError{fmt.Errorf("--n %d must be in [1, 1024]", *n)}
		case !(*temp > 0) || math.IsInf(*temp, 0):
			return usageError{fmt.Errorf("--temperature %g must be positive", *temp)}
		case *topK < 0:
			return usageError{fmt.Errorf("--top-k %d must not be negative", *topK)}
		case !(*topP > 0 && *topP <= 1):
			return usageError{fmt.Errorf("--top-p %g must be in (0, 1]", *topP)}
		}
		if err := audioMaxDuration(*maxDur); err != nil {
			return err
		}
		// Fail before generating, not after.
		for _, p := range []string{*out, *plot} {
			if p != "" {
				if err := core.CheckOutputPath(p); err != nil {
					return err
				}
			}
		}
		m, err := audio.Load(*model)
		if err != nil {
			return err
		}
		m.Net.SetWeights(*weights)
		opts := audio.GenerateOptions{Seconds: *seconds, N: *n, Label: *class, Temperature: float32(*temp),
			TopK: *topK, TopP: float32(*topP), Seed: *seed}
		if *prime != "" {
			if opts.Prime, err = audio.Read(*prime, audio.ReadOptions{MaxDuration: *maxDur}); err != nil {
				return audioHint(err)
			}
		}
		start := time.Now()
		clips, err := m.Generate(ctx, opts)
		if err != nil {
			return err
		}
		wall := time.Since(start).Seconds()
		paths := audio.ClipPaths(*out, len(clips))
		for i, c := range clips {
			if err := audio.WriteWAV(paths[i], c); err != nil {
				return err
			}
		}
		if *plot != "" {
			for i, p := range audio.ClipPaths(*plot, len(clips)) {
				if err := audio.PlotClip(p, clips[i]); err != nil {
					return err
				}
			}
		}
		if !*quiet {
			total := *seconds * float64(len(clips))
			fmt.Fprintf(os.Stderr, "wrote %d clip(s) of %.2f s at %d Hz to %s; %.2f s of audio in %.2f s: real-time factor %.2f (%.2f per clip)\n",
				len(clips), clips[0].Duration().Seconds(), m.Rate, paths[0], total, wall, total/wall, *seconds/wall)
		}
		return nil
	}
}

func audioEvalSetup(fs *flag.FlagSet) func(context.Context, []string) error {
	model := fs.String("model", "", "model file")
	var wavs multiFlag
	fs.Var(&wavs, "wav", "audio to score: a WAV, FLAC or MP3 file (found by content), a folder of them or - for stdin; repeatable")
	split := fs.String("fsdd-split", audio.SplitAll, "keep the FSDD split by take in the file name: train (5-49), test (0-4) or all")
	maxDur := fs.Duration("max-duration", audio.DefaultMaxDuration, "refuse audio files longer than this")
	js := fs.Bool("json", false, "print one JSON object")
	weights := weightsFlag(fs, core.WeightsFP32)
	return func(ctx context.Context, args []string) error {
		if len(args) > 0 {
			return usageError{fmt.Errorf("unexpected argument %q", args[0])}
		}
		switch {
		case *model == "":
			return usageError{errors.New("--model is required")}
		case len(wavs) == 0:
			return usageError{errors.New("--wav is required")}
		}
		if err := audioSplit(*split); err != nil {
			return err
		}
		if err := audioMaxDuration(*maxDur); err != nil {
			return err
		}
		m, err := audio.Load(*model)
		if err != nil {
			return err
		}
		m.Net.SetWeights(*weights) // scored step by step, as generation reads them, unless fp32
		// A class-conditioned model reads the digit of each FSDD name.
		d, err := audio.LoadDataset(wavs, audio.LoadOptions{Rate: m.Rate, MaxDuration: *maxDur, Split: *split,
			FSDDLabels: len(m.Labels) > 0})
		if err != nil {
			return audioHint(err)
		}
		start := time.Now()
		s, err := m.Evaluate(ctx, d)
		if err != nil {
			return err
		}
		if *js {
			return printScore(s, *model, wavs, start)
		}
		fmt.Printf("%s (%.1fs)\n", s, time.Since(start).Seconds())
		return nil
	}
}
