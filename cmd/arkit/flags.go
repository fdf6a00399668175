// Flag helpers shared by the commands.

package main

import (
	"errors"
	"flag"
	"fmt"
	"strconv"
	"strings"

	"github.com/arkit-go/arkit/core"
)

// parseSet parses a comma-separated subset of allowed names; empty means all.
func parseSet(s string, allowed ...string) (map[string]bool, error) {
	out := map[string]bool{}
	if strings.TrimSpace(s) == "" {
		for _, a := range allowed {
			out[a] = true
		}
		return out, nil
	}
	for _, p := range strings.Split(s, ",") {
		p = strings.TrimSpace(p)
		ok := false
		for _, a := range allowed {
			ok = ok || a == p
		}
		if !ok {
			return nil, fmt.Errorf("unknown name %q (choose from %s)", p, strings.Join(allowed, ", "))
		}
		out[p] = true
	}
	return out, nil
}

// multiFlag collects a repeatable string flag.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

// copyGiven runs, for every flag given on the command line, its entry of
// copiers (flags without one are ignored): resuming commands pass on only
// the settings the user repeated, which must agree with the checkpoint.
func copyGiven(fs *flag.FlagSet, copiers map[string]func()) {
	fs.Visit(func(f *flag.Flag) {
		if c, ok := copiers[f.Name]; ok {
			c()
		}
	})
}

// settingFlags declares flags bound to the fields of a training options
// struct. With --resume, the fields of the flags not given on the command
// line go back to zero, so that the saved run's settings apply (and those
// given must agree with them).
type settingFlags struct {
	fs    *flag.FlagSet
	reset map[string]func()
	check []func() error // range checks of the given flags
}

func newSettingFlags(fs *flag.FlagSet) *settingFlags {
	return &settingFlags{fs: fs, reset: map[string]func(){}}
}

// checkRange adds the check of a numeric flag: positive when its default
// is (a size), otherwise not negative.
func (f *settingFlags) checkRange(name string, v func() float64, positive bool) {
	f.check = append(f.check, func() error {
		switch x := v(); {
		case x != x:
			return usageError{fmt.Errorf("--%s is not a number", name)}
		case positive && x <= 0:
			return usageError{fmt.Errorf("--%s %g must be positive", name, x)}
		case x < 0:
			return usageError{fmt.Errorf("--%s %g is negative", name, x)}
		}
		return nil
	})
}

// float32Value is a flag.Value for a float32 field.
type float32Value struct{ p *float32 }

func (v float32Value) String() string {
	if v.p == nil {
		return "0"
	}
	return strconv.FormatFloat(float64(*v.p), 'g', -1, 32)
}

func (v float32Value) Set(s string) error {
	f, err := strconv.ParseFloat(s, 32)
	if err != nil {
		return errors.New("not a number")
	}
	*v.p = float32(f)
	return nil
}

// usages are the help texts of the settings that several domains share, so
// that one flag reads the same everywhere.
var usages = map[string]string{
	"embed":   "embedding width",
	"hidden":  "LSTM width",
	"layers":  "LSTM layers",
	"dropout": "dropout between LSTM layers while training, in [0, 1) (0: off)",
	"batch":   "windows (sequences) per step",
	"seq":     "window length (steps of backpropagation through time)",
}

func (f *settingFlags) usage(name, usage string) string {
	if usage == "" {
		usage = usages[name]
	}
	return usage
}

func (f *settingFlags) Int(p *int, name string, def int, usage string) {
	f.fs.IntVar(p, name, def, f.usage(name, usage))
	f.reset[name] = func() { *p = 0 }
	f.checkRange(name, func() float64 { return float64(*p) }, def > 0)
}

// IntMin declares an integer setting whose values from least up are
// meaningful (0 or -1 may name a choice, such as "none"), where Int would
// ask for a positive or non-negative value.
func (f *settingFlags) IntMin(p *int, name string, def, least int, usage string) {
	f.fs.IntVar(p, name, def, f.usage(name, usage))
	f.reset[name] = func() { *p = 0 }
	f.check = append(f.check, func() error {
		if *p < least {
			return usageError{fmt.Errorf("--%s %d must be at least %d", name, *p, least)}
		}
		return nil
	})
}

func (f *settingFlags) Float64(p *float64, name string, def float64, usage string) {
	f.fs.Float64Var(p, name, def, f.usage(name, usage))
	f.reset[name] = func() { *p = 0 }
	f.checkRange(name, func() float64 { return *p }, false)
}

func (f *settingFlags) Float32(p *float32, name string, def float32, usage string) {
	*p = def
	f.fs.Var(float32Value{p}, name, f.usage(name, usage))
	f.reset[name] = func() { *p = 0 }
	f.check = append(f.check, func() error { // a float32 prints as given
		switch x := *p; {
		case x != x:
			return usageError{fmt.Errorf("--%s is not a number", name)}
		case x < 0:
			return usageError{fmt.Errorf("--%s %v is negative", name, x)}
		}
		return nil
	})
}

// Float32Off is Float32 for a setting whose default def may be on: given
// as 0 it is core.Off (off), since a zero setting means the default.
func (f *settingFlags) Float32Off(p *float32, name string, def float32, usage string) {
	f.Float32(p, name, def, usage)
	f.check = append(f.check, func() error {
		if *p == 0 && def != 0 {
			*p = core.Off
		}
		return nil
	})
}

func (f *settingFlags) String(p *string, name string, def string, usage string) {
	f.fs.StringVar(p, name, def, f.usage(name, usage))
	f.reset[name] = func() { *p = "" }
}

func (f *settingFlags) Bool(p *bool, name string, def bool, usage string) {
	f.fs.BoolVar(p, name, def, f.usage(name, usage))
	f.reset[name] = func() { *p = false }
}

func (f *settingFlags) Uint64(p *uint64, name string, def uint64, usage string) {
	f.fs.Uint64Var(p, name, def, f.usage(name, usage))
	f.reset[name] = func() { *p = 0 }
}

// notBool declares a flag whose value is the negation of *p, for a setting
// whose zero value (false) is the flag's default true, such as
// the Unconditional of audio's and pixels' options behind --classes. With
// --resume it resets like the other settings.
func (f *settingFlags) notBool(p *bool, name string, def bool, usage string) {
	*p = !def
	f.fs.Var(notBoolValue{p}, name, f.usage(name, usage))
	f.reset[name] = func() { *p = false }
}

// notBoolValue is a boolean flag.Value that stores its negation.
type notBoolValue struct{ p *bool }

func (v notBoolValue) String() string {
	if v.p == nil {
		return "false"
	}
	return strconv.FormatBool(!*v.p)
}

func (v notBoolValue) Set(s string) error {
	b, err := strconv.ParseBool(s)
	if err != nil {
		return errors.New("not a boolean")
	}
	*v.p = !b
	return nil
}

func (v notBoolValue) IsBoolFlag() bool { return true }

// given reports whether the flag name was on the command line.
func (f *settingFlags) given(name string) bool {
	found := false
	f.fs.Visit(func(fl *flag.Flag) { found = found || fl.Name == name })
	return found
}

// resume zeroes the settings whose flags were not given.
func (f *settingFlags) resume() {
	given := map[string]bool{}
	f.fs.Visit(func(fl *flag.Flag) { given[fl.Name] = true })
	for name, reset := range f.reset {
		if !given[name] {
			reset()
		}
	}
}

// trainFlags are the training flags every domain declares the same way.
type trainFlags struct {
	*settingFlags
	o       *core.TrainOptions
	clip    float64
	quiet   bool
	outFlag string // the flag of the model file: "out", or "save" where --out is another output
}

// declareTrainFlags declares the shared training flags into o, showing the
// domain's defaults d, with the model file as the required --out. Flags
// that do not apply are left out: --epochs without d.Epochs (data without
// epochs), --val-every and --patience without d.ValEvery (no validation).
// Call finish after parsing.
func declareTrainFlags(fs *flag.FlagSet, o *core.TrainOptions, d core.TrainOptions) *trainFlags {
	return declareTrainFlagsSaving(fs, o, d, "out", "model file to write (checkpoints go there too)")
}

// declareTrainFlagsSaving is declareTrainFlags for a command whose main
// output is not the model: the model file is the optional flag outFlag
// (series forecast: --save).
func declareTrainFlagsSaving(fs *flag.FlagSet, o *core.TrainOptions, d core.TrainOptions, outFlag, usage string) *trainFlags {
	t := &trainFlags{settingFlags: newSettingFlags(fs), o: o, outFlag: outFlag}
	fs.StringVar(&o.Out, outFlag, "", usage)
	t.Float32(&o.LR, "lr", d.LR, "learning rate (Adam)")
	t.Float32(&o.WeightDecay, "weight-decay", 0, "AdamW weight decay of the weight matrices")
	fs.Float64Var(&t.clip, "clip", float64(d.Clip), "gradient-norm clipping (0: off)")
	t.reset["clip"] = func() { t.clip = 0; o.Clip = 0 }
	t.checkRange("clip", func() float64 { return t.clip }, false)
	if d.Steps > 0 {
		// The domain's step limit applies only without --max-time (and
		// --epochs): the flag shows 0 and the library fills it in.
		fs.IntVar(&o.Steps, "steps", 0, fmt.Sprintf("stop at this many steps in all (default %d without --max-time)", d.Steps))
	} else {
		fs.IntVar(&o.Steps, "steps", 0, "stop at this many steps in all (0: no step limit)")
	}
	t.checkRange("steps", func() float64 { return float64(o.Steps) }, false)
	t.Int(&o.Warmup, "warmup", d.Warmup, "steps of learning-rate warmup")
	t.String(&o.Decay, "decay", d.Decay, "learning-rate decay over the run's steps, or its --max-time: cosine, linear or constant")
	t.Float32(&o.FinalLR, "final-lr", d.FinalLR, "learning-rate factor reached at the end of --decay")
	t.Uint64(&o.Seed, "seed", 1, "random seed (weights, data order, dropout)")
	o.Precision = d.Precision
	precisionFlag(fs, &o.Precision)
	t.reset["precision"] = func() { o.Precision = "" }
	t.Float64(&o.EMA, "ema", 0, "validate, keep and save an exponential moving average of the weights with this decay per step, warmed up over the first steps as min(decay, (1+n)/(10+n)), e.g. 0.999 (0: off)")
	// The AWD-LSTM regularisers (core.Regularization): training only.
	t.Float32Off(&o.WeightDrop, "weight-drop", d.WeightDrop, "DropConnect rate on the LSTM's hidden-to-hidden weights while training (one mask per window), in [0, 1) (0: off)")
	t.Float32Off(&o.LockedDropout, "locked-dropout", d.LockedDropout, "variational dropout rate while training (one mask per sequence over the window) on the LSTM's input, between layers and before the head, in [0, 1) (0: off)")
	t.Float32Off(&o.EmbedDropout, "embed-dropout", d.EmbedDropout, "rate of dropping whole embedding rows (tokens) while training, one mask per window, in [0, 1) (0: off)")
	t.Float32Off(&o.AR, "ar", d.AR, "activation regularisation: add this times mean(h²) of the top LSTM outputs to the training loss (0: off)")
	t.Float32Off(&o.TAR, "tar", d.TAR, "temporal activation regularisation: add this times mean((h_t - h_{t-1})²) of the top LSTM outputs to the training loss (0: off)")
	if d.ValEvery > 0 { // a domain that validates
		t.Int(&o.ValEvery, "val-every", d.ValEvery, "steps between validations (with --resume: the saved run's unless given)")
		t.Int(&o.Patience, "patience", 0, "stop after this many validations without improvement (0: off; with --resume: the saved run's unless given)")
	}
	if d.Epochs > 0 {
		fs.Float64Var(&o.Epochs, "epochs", 0, fmt.Sprintf("stop after this many passes over the training data (default %g without --steps or --max-time)", d.Epochs))
		t.checkRange("epochs", func() float64 { return o.Epochs }, false)
	}
	fs.DurationVar(&o.MaxTime, "max-time", 0, "stop after this much training time, e.g. 30m")
	fs.DurationVar(&o.CheckpointEvery, "checkpoint-every", d.CheckpointEvery, "time between checkpoints")
	t.checkRange("max-time", func() float64 { return o.MaxTime.Seconds() }, false)
	t.checkRange("checkpoint-every", func() float64 { return o.CheckpointEvery.Seconds() }, false)
	fs.BoolVar(&o.Resume, "resume", false, "continue the run saved in --"+outFlag+" (its settings apply; the ones given must agree)")
	fs.BoolVar(&o.Force, "force", false, "replace an existing --"+outFlag+" model file with a new run")
	fs.BoolVar(&t.quiet, "quiet", false, "print nothing while training")
	return t
}

// finish completes the options after parsing: --clip 0 turns clipping off,
// and with --resume only the settings given on the command line remain.
func (t *trainFlags) finish() error {
	switch {
	case t.o.Out == "" && t.outFlag == "out":
		return usageError{errors.New("--out is required")}
	case t.o.Out == "" && t.o.Resume:
		return usageError{fmt.Errorf("--resume needs --%s, the model file to continue", t.outFlag)}
	}
	if t.o.Resume && t.o.Force {
		return usageError{errors.New("--resume and --force exclude each other")}
	}
	for _, check := range t.check {
		if err := check(); err != nil {
			return err
		}
	}
	if _, err := t.o.Precision.Resolve(); err != nil {
		return usageError{fmt.Errorf("--%w", err)}
	}
	t.o.Clip = float32(t.clip)
	if t.clip == 0 {
		t.o.Clip = core.NoClip
	}
	if t.o.Resume {
		t.resume()
	}
	return nil
}

// weightsFlag declares --weights, the precision of the weight matrices a
// loaded model reads (core.Weights): the same flag in every command that
// generates or scores. Generation defaults to core.GenerationWeights,
// scoring to fp32 (def), so a reported score is float32's unless asked.
func weightsFlag(fs *flag.FlagSet, def core.Weights) *core.Weights {
	w := def
	fs.Var((*weightsValue)(&w), "weights", "precision of the weight matrices the model reads: fp32, bf16, int8 or auto (int8 on CPUs with AVX512-VNNI, elsewhere for weights over 4 MiB, else fp32; the model file keeps fp32)")
	return &w
}

type weightsValue core.Weights

func (v *weightsValue) String() string { return string(*v) }

func (v *weightsValue) Set(s string) error {
	w, err := core.ParseWeights(s)
	*v = weightsValue(w)
	return err
}

// precisionFlag declares --precision, the arithmetic of the training steps'
// matrix products (core.Precision): the same flag in every command that
// trains, and in bench.
func precisionFlag(fs *flag.FlagSet, p *core.Precision) {
	fs.Var((*precisionValue)(p), "precision", "arithmetic of the training steps' matrix products: fp32; bf16 (inputs rounded to bfloat16, float32 accumulation and weights; needs AVX-512 BF16); auto (bf16 where it is faster: Intel AMX, AMD AVX-512 BF16)")
}

type precisionValue core.Precision

func (v *precisionValue) String() string {
	if *v == "" {
		return string(core.PrecisionFP32)
	}
	return string(*v)
}

func (v *precisionValue) Set(s string) error {
	p, err := core.ParsePrecision(s)
	*v = precisionValue(p)
	return err
}
