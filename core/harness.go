// The training harness: everything around Trainer.Run that every domain
// needs once — the shared settings and their defaults and checks, the
// settings saved in the model file and the check that a resumed run uses the
// same ones on the same data, the refusal to replace a model file by
// accident, periodic and final checkpoints, stale temporaries, and the
// learning-rate schedule over steps or over a time budget. An adapter keeps
// only what is its own: how its data becomes batches and what its model's
// inputs and outputs mean.
//
// A run goes in three steps:
//
//	h := &core.Harness{Domain: "text", Options: &opts, Shared: &opts.TrainOptions, Defaults: defaults}
//	ck, err := h.Open()          // resume: the checkpoint, its settings adopted into opts
//	... build the data and the network (from ck when resuming) ...
//	res, err := h.Run(ctx, core.Job{Net: net, Data: data, ...})

package core

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"hash/fnv"
	"math"
	"os"
	"reflect"
	"strings"
	"time"
)

// Off, as a setting whose domain default is not zero (Clip, a
// Regularization weight), turns it off: zero means the domain's default.
const Off = -1

// NoClip as TrainOptions.Clip turns gradient clipping off (0 means the
// domain's default).
const NoClip = Off

// Decay names of TrainOptions.Decay and Schedule.Decay.
const (
	DecayConstant = "constant"
	DecayCosine   = "cosine"
	DecayLinear   = "linear"
)

// TrainOptions are the training settings every domain shares. A domain's
// options struct embeds it; the zero value of each field is the domain's
// default (see Harness.Defaults).
//
// The fields with a JSON name are saved in the model file: a resumed run
// takes them from there, and one given a different value is an error,
// except ValEvery and Patience, which may change (left at zero they are the
// saved run's, so that the resumed run validates and stops early where an
// uninterrupted one would). The others describe only this run.
type TrainOptions struct {
	LR          float32 `json:"lr"`           // Adam's learning rate
	WeightDecay float32 `json:"weight_decay"` // AdamW decay of the weight matrices; 0 is plain Adam
	Clip        float32 `json:"clip"`         // gradient-norm limit; NoClip is off
	Warmup      int     `json:"warmup"`       // steps of linear learning-rate warmup
	// Decay is DecayConstant (or ""), DecayCosine or DecayLinear: the
	// learning rate goes from LR to FinalLR×LR over the run's steps, or,
	// when the run is limited by MaxTime only, over its time budget.
	Decay   string  `json:"decay,omitempty"`
	FinalLR float32 `json:"final_lr"` // learning-rate factor at the end of the decay, in [0, 1]
	Seed    uint64  `json:"seed"`     // seeds the initial weights, the data order and dropout
	// Precision is the arithmetic of the training steps' matrix products:
	// "" or PrecisionFP32, PrecisionBF16 (an error on a CPU without it) or
	// PrecisionAuto. A resumed run keeps the saved one unless given.
	Precision Precision `json:"precision,omitempty" resume:"free"`
	// EMA, in (0, 1), validates and keeps an exponential moving average of
	// the weights with this decay per step (e.g. 0.999); 0 is off. See
	// Trainer.EMA.
	EMA float64 `json:"ema,omitempty"`
	// Regularization holds the AWD-LSTM regularisers (weight drop, locked
	// and embedding dropout, AR, TAR); zero takes the domain's default
	// (text: AR 2; otherwise off) and Off turns one off. They are saved
	// with the other settings: a resumed run takes them and refuses others.
	Regularization

	ValEvery int `json:"val_every,omitempty" resume:"free"` // steps between validations
	Patience int `json:"patience,omitempty" resume:"free"`  // stop after this many validations without improvement (0: off)

	// Stopping: at Steps steps (counting those before a resume), after
	// Epochs passes over the training data when Steps is 0, or after
	// MaxTime of this run, whichever comes first.
	Steps   int           `json:"-"`
	Epochs  float64       `json:"-"`
	MaxTime time.Duration `json:"-"`

	// Out is the model file: checkpoints go there every CheckpointEvery
	// and at the end, including when the run is canceled. Empty means no
	// file. An existing file is replaced only with Resume (which continues
	// the run saved there) or Force.
	Out             string        `json:"-"`
	CheckpointEvery time.Duration `json:"-"`
	Resume          bool          `json:"-"`
	Force           bool          `json:"-"`

	// Start, if not nil, receives the plan once the data and the network
	// are ready; Progress receives the trainer's report after every step.
	Start    func(Plan)     `json:"-"`
	Progress func(Progress) `json:"-"`
}

// Plan describes a training run about to start.
type Plan struct {
	Network       string // the domain's one-line description of the network
	Params        int    // trainable parameters
	Unit          string // what the data counts: "symbols", "samples", "pixels", "values"
	TrainSize     int    // elements of training data
	ValSize       int    // elements validated on (0: no validation)
	StepsPerEpoch int    // 0 when the data has no epochs (random windows)
	Steps         int    // step limit (0: none)
	MaxTime       time.Duration
	ResumedAt     int // steps done before this run (0: a new run)
	// Precision is the arithmetic the steps run in, resolved for this CPU:
	// PrecisionFP32 or PrecisionBF16 (what PrecisionAuto became).
	Precision Precision
}

// ErrExists is wrapped by the error of a run that would replace an existing
// model file without Resume or Force.
var ErrExists = errors.New("already exists")

// Harness runs the training of one domain's model. Domain, Options, Shared
// and Defaults are set by the adapter; Open and then Run do the rest.
type Harness struct {
	// Domain names the adapter ("text", "audio", ...). The saved settings
	// go under the metadata key "arkit.<Domain>.train", and a file to
	// resume must have this domain in core.MetaDomain.
	Domain string
	// Options points to the adapter's options struct, which embeds
	// TrainOptions; its fields with a JSON name are the saved settings.
	Options any
	// Shared points to the TrainOptions embedded in *Options.
	Shared *TrainOptions
	// Defaults holds the domain's defaults of the shared settings; zero
	// fields of *Shared take them in Open.
	Defaults TrainOptions

	ck   *Checkpoint
	data dataMeta // fingerprint of the training data (SetData)
}

// MetaTrainData holds the size and fingerprint of the training data, so
// that a resumed run can check it reads the same data.
const MetaTrainData = "arkit.train_data"

type dataMeta struct {
	Size int    `json:"size"`
	Hash string `json:"hash"`
}

// MetaSettings returns the metadata key of a domain's saved settings.
func MetaSettings(domain string) string { return "arkit." + domain + ".train" }

func (h *Harness) fail(format string, args ...any) error {
	return fmt.Errorf(h.Domain+": "+format, args...)
}

// Open settles the options before any work. With Resume it reads the
// checkpoint in Out, checks that it is a training checkpoint of this
// domain, takes its saved settings into *Options (an explicitly set,
// different one is an error) and returns it, so that the adapter rebuilds
// the network and its domain parts from it. Without Resume it refuses an
// existing Out unless Force is set, and returns nil. Either way it then
// fills the zero shared settings from Defaults, checks them, checks that
// Out can be written and removes temporary files a killed save left beside
// it. The adapter fills its own defaults after Open.
func (h *Harness) Open() (*Checkpoint, error) {
	o := h.Shared
	if o.Resume && o.Out == "" {
		return nil, h.fail("resuming needs the model file to resume from")
	}
	if o.Resume {
		ck, err := LoadModel(o.Out)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", h.Domain, err)
		}
		if d := ck.Meta[MetaDomain]; d != h.Domain {
			return nil, h.fail("%s is a %q model, not a %s one", o.Out, d, h.Domain)
		}
		js, ok := ck.Meta[MetaSettings(h.Domain)]
		if !ok || ck.Optimizer == nil {
			return nil, h.fail("%s holds no training state to resume", o.Out)
		}
		if err := adopt(h.Options, js); err != nil {
			return nil, h.fail("%s: %w", o.Out, err)
		}
		js, ok = ck.Meta[MetaTrainData]
		if !ok {
			return nil, h.fail("%s holds no fingerprint of its training data (an older arkit wrote it), so a resumed run cannot check it reads the same data: start anew with --force", o.Out)
		}
		if err := json.Unmarshal([]byte(js), &h.data); err != nil {
			return nil, h.fail("%s: metadata %s: %v", o.Out, MetaTrainData, err)
		}
		h.ck = ck
	} else if o.Out != "" && !o.Force {
		if fi, err := os.Stat(o.Out); err == nil && !fi.IsDir() {
			return nil, h.fail("%s %w: give --resume to continue its training or --force to replace it", o.Out, ErrExists)
		}
	}
	h.defaults()
	if err := h.check(); err != nil {
		return nil, err
	}
	if o.Out != "" {
		if err := CheckOutputPath(o.Out); err != nil {
			return nil, h.fail("%w", err)
		}
		RemoveStaleTemps(o.Out)
	}
	return h.ck, nil
}

func (h *Harness) defaults() {
	o, d := h.Shared, h.Defaults
	Default(&o.LR, d.LR)
	Default(&o.Clip, d.Clip)
	Default(&o.Decay, d.Decay)
	Default(&o.FinalLR, d.FinalLR)
	Default(&o.Warmup, d.Warmup)
	Default(&o.ValEvery, d.ValEvery)
	Default(&o.Precision, d.Precision)
	Default(&o.CheckpointEvery, d.CheckpointEvery)
	r, dr := &o.Regularization, d.Regularization
	for _, f := range []struct {
		p *float32
		d float32
	}{{&r.WeightDrop, dr.WeightDrop}, {&r.LockedDropout, dr.LockedDropout},
		{&r.EmbedDropout, dr.EmbedDropout}, {&r.AR, dr.AR}, {&r.TAR, dr.TAR}} {
		Default(f.p, f.d)
	}
	if o.Steps == 0 && o.Epochs == 0 && o.MaxTime == 0 {
		o.Steps, o.Epochs = d.Steps, d.Epochs
	}
}

func (h *Harness) check() error {
	o := h.Shared
	switch {
	case !(o.LR > 0) || math.IsInf(float64(o.LR), 0):
		return h.fail("learning rate %g must be positive", o.LR)
	case !(o.WeightDecay >= 0) || math.IsInf(float64(o.WeightDecay), 0):
		return h.fail("weight decay %g must be a non-negative number", o.WeightDecay)
	case math.IsNaN(float64(o.Clip)) || math.IsInf(float64(o.Clip), 0) || (o.Clip < 0 && o.Clip != NoClip):
		return h.fail("clip %g must be positive (or NoClip)", o.Clip)
	case o.Warmup < 0:
		return h.fail("warmup %d is negative", o.Warmup)
	case o.Decay != "" && o.Decay != DecayConstant && o.Decay != DecayCosine && o.Decay != DecayLinear:
		return h.fail("unknown decay %q (want constant, cosine or linear)", o.Decay)
	case !(o.FinalLR >= 0 && o.FinalLR <= 1):
		return h.fail("final learning-rate factor %g outside [0, 1]", o.FinalLR)
	case o.Steps < 0:
		return h.fail("steps %d is negative", o.Steps)
	case !(o.Epochs >= 0) || math.IsInf(o.Epochs, 0):
		return h.fail("epochs %g must be a non-negative number", o.Epochs)
	case o.MaxTime < 0:
		return h.fail("max time %v is negative", o.MaxTime)
	case o.ValEvery < 0:
		return h.fail("validation interval %d is negative", o.ValEvery)
	case o.Patience < 0:
		return h.fail("patience %d is negative", o.Patience)
	case o.CheckpointEvery < 0:
		return h.fail("checkpoint interval %v is negative", o.CheckpointEvery)
	case !(o.EMA >= 0 && o.EMA < 1):
		return h.fail("weight average decay %g outside [0, 1)", o.EMA)
	}
	if err := o.Regularization.Validate(); err != nil {
		return h.fail("%w", err)
	}
	if _, err := o.Precision.Resolve(); err != nil {
		return h.fail("%w", err)
	}
	return nil
}

// adopt takes the settings saved as JSON (js) into *opts. A saved setting
// that the caller set (non-zero) to another value is an error naming it.
// Settings tagged resume:"free" take the saved value only when zero.
func adopt(opts any, js string) error {
	saved := reflect.New(reflect.TypeOf(opts).Elem())
	if err := json.Unmarshal([]byte(js), saved.Interface()); err != nil {
		return fmt.Errorf("saved training settings: %v", err)
	}
	return adoptFields(reflect.ValueOf(opts).Elem(), saved.Elem())
}

func adoptFields(dst, saved reflect.Value) error {
	t := dst.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		d, s := dst.Field(i), saved.Field(i)
		if f.Anonymous && f.Type.Kind() == reflect.Struct {
			if err := adoptFields(d, s); err != nil {
				return err
			}
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" || name == "" {
			continue
		}
		if f.Tag.Get("resume") == "free" {
			if d.IsZero() {
				d.Set(s)
			}
			continue
		}
		if !d.IsZero() && !d.Equal(s) {
			return fmt.Errorf("cannot resume with %s %v: the run started with %v", name, d.Interface(), s.Interface())
		}
		d.Set(s)
	}
	return nil
}

// Fingerprint hashes training data for SetData. Write the data in a fixed
// order; the sum is FNV-1a of 64 bits.
type Fingerprint struct{ h hash.Hash64 }

// Write adds p to the fingerprint.
func (f *Fingerprint) Write(p []byte) {
	if f.h == nil {
		f.h = fnv.New64a()
	}
	f.h.Write(p)
}

// Sum returns the fingerprint as 16 hex digits.
func (f *Fingerprint) Sum() string {
	if f.h == nil {
		f.h = fnv.New64a()
	}
	return fmt.Sprintf("%016x", f.h.Sum64())
}

// SetData records the size and fingerprint of the training data (saved in
// the model file) and, when resuming, checks them against the saved run's:
// a resumed run must read the same data. unit names what size counts.
func (h *Harness) SetData(size int, fingerprint, unit string) error {
	if h.ck != nil && (h.data.Size != size || h.data.Hash != fingerprint) {
		return h.fail("%s was trained on other data (%d %s, now %d): resume with the same input",
			h.Shared.Out, h.data.Size, unit, size)
	}
	h.data = dataMeta{Size: size, Hash: fingerprint}
	return nil
}

// Job is what an adapter hands to Harness.Run: its network and data, and
// what the harness cannot know about them.
type Job struct {
	Net  Network
	Data Data
	T, B int // window length and batch size

	// StepsPerEpoch turns TrainOptions.Epochs into steps; 0 when the data
	// has no epochs.
	StepsPerEpoch int
	// Validate returns the validation loss (nil: no validation); the run
	// then keeps the best validated parameters.
	Validate func(Network) (float64, error)
	// Meta returns the domain's metadata of the model file (at least
	// core.MetaDomain); the harness adds the saved settings.
	Meta func() map[string]string
	// Plan fills the domain's parts of the plan (Network, Unit, sizes);
	// the harness adds Params, steps and the resume point.
	Plan Plan
}

// Run trains j.Net with the settled options and returns how training ended.
// With Out set it writes checkpoints there (every CheckpointEvery and at
// the end, also when ctx is canceled), holding the saved settings, the
// data's fingerprint and the training state, so that Resume continues the
// run exactly. Errors are wrapped with the domain's name.
func (h *Harness) Run(ctx context.Context, j Job) (Result, error) {
	o := h.Shared
	steps := o.Steps
	if steps == 0 && o.Epochs > 0 && j.StepsPerEpoch > 0 {
		steps = int(math.Ceil(o.Epochs * float64(j.StepsPerEpoch)))
	}
	tr := &Trainer{
		Model:           j.Net,
		Optimizer:       &Adam{LR: o.LR, WeightDecay: o.WeightDecay},
		Schedule:        Schedule{Warmup: o.Warmup, Decay: o.Decay, Steps: steps, Final: o.FinalLR},
		Clip:            max(o.Clip, 0),
		T:               j.T,
		B:               j.B,
		Steps:           steps,
		MaxTime:         o.MaxTime,
		Seed:            o.Seed,
		Precision:       o.Precision,
		EMA:             o.EMA,
		Regularization:  o.Regularization.Active(),
		Validate:        j.Validate,
		ValEvery:        o.ValEvery,
		Patience:        o.Patience,
		KeepBest:        j.Validate != nil,
		Progress:        o.Progress,
		CheckpointEvery: o.CheckpointEvery,
	}
	resumedAt := 0
	if h.ck != nil {
		h.ck.Resume(tr)
		resumedAt = tr.Optimizer.Steps
	}
	if steps == 0 && o.MaxTime > 0 {
		// The decay spans the time trained before plus this run's budget.
		tr.Schedule.Duration = tr.Elapsed + o.MaxTime
	}
	if o.Out != "" {
		js, err := json.Marshal(h.Options)
		if err != nil {
			return Result{}, h.fail("saving the training settings: %v", err)
		}
		data, _ := json.Marshal(h.data)
		tr.Checkpoint = func(tr *Trainer) error {
			meta := map[string]string{}
			if j.Meta != nil {
				meta = j.Meta()
			}
			meta[MetaSettings(h.Domain)] = string(js)
			meta[MetaTrainData] = string(data)
			if err := Save(o.Out, j.Net, meta, tr); err != nil {
				return h.fail("writing %s: %w", o.Out, err)
			}
			return nil
		}
	}
	if o.Start != nil {
		p := j.Plan
		p.Params, p.StepsPerEpoch, p.Steps, p.MaxTime, p.ResumedAt = len(j.Net.Params().W), j.StepsPerEpoch, steps, o.MaxTime, resumedAt
		p.Precision, _ = o.Precision.Resolve() // checked by the options' check
		o.Start(p)
	}
	res, err := tr.Run(ctx, j.Data)
	if err != nil {
		return res, h.fail("training: %w", err)
	}
	return res, nil
}

// OpenModel runs h.Open and, when it resumes a run, builds the domain's
// model from the checkpoint with build (given the checkpoint and its path);
// otherwise it returns the zero M.
func OpenModel[M any](h *Harness, build func(ck *Checkpoint, path string) (M, error)) (M, error) {
	var m M
	ck, err := h.Open()
	if err != nil || ck == nil {
		return m, err
	}
	return build(ck, h.Shared.Out)
}

// LoadBest reads a model file for inference and builds the domain's model
// from it with build; the network then holds the best validated parameters
// when the file has them (see Checkpoint.UseBest). Errors of reading the
// file are prefixed with the domain's name; build's are returned as they
// are.
func LoadBest[M any](path, domain string, build func(ck *Checkpoint, path string) (M, error)) (M, error) {
	var m M
	ck, err := LoadModel(path)
	if err != nil {
		return m, fmt.Errorf("%s: %w", domain, err)
	}
	if m, err = build(ck, path); err != nil {
		return m, err
	}
	ck.UseBest()
	return m, nil
}

// Default sets *p to def when it is the zero value: the rule of every
// options struct in arkit, where zero means the documented default.
func Default[T comparable](p *T, def T) {
	var zero T
	if *p == zero {
		*p = def
	}
}
