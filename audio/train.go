// Training: random windows of whole frames cut from the recordings, each
// read from a fresh (zero) state, as SampleRNN and DeepAR train. The window
// of each step is drawn from a generator seeded by the step number, so a run
// resumed from a checkpoint sees exactly the windows it would have seen.
// core.Trainer does all the training; this file supplies the windows,
// validation on held-out recordings, and checkpoints.

package audio

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"sort"
	"time"

	"github.com/arkit-go/arkit/core"
)

// Defaults of TrainOptions, suited to a few thousand spoken words at 8 kHz
// such as the Free Spoken Digit Dataset. In 8-minute pilots there, windows
// of 16×512 samples beat 32×1024 (more updates for the same arithmetic),
// and a learning rate of 8e-3 beat 4e-3 and 2e-3 at equal steps, with the
// gradient clipped at 1.
const (
	DefaultTiers           = 2
	DefaultEmbed           = 64
	DefaultHistory         = 16
	DefaultHidden          = 256
	DefaultLayers          = 1
	DefaultFrame           = 16
	DefaultFrameHidden     = 512
	DefaultFrameLayers     = 1
	DefaultCond            = 64
	DefaultWindow          = 512
	DefaultBatch           = 16
	DefaultLR              = 8e-3
	DefaultClip            = 1
	DefaultSteps           = 2000
	DefaultValFraction     = 0.05
	DefaultValEvery        = 200
	DefaultValSamples      = 200_000
	DefaultCheckpointEvery = 5 * time.Minute
)

// TrainOptions configures Train. The zero value of each field is the
// documented default.
type TrainOptions struct {
	// Network. Tiers is 1 (a sample-level LSTM alone) or 2 (the default: a
	// frame-level LSTM running every Frame samples conditions it, see
	// core.Tiered).
	Tiers       int
	Embed       int // embedding width of the previous code; 0 means DefaultEmbed
	History     int // past sample values the sample level reads; 0 means DefaultHistory
	Hidden      int // sample-level LSTM width; 0 means DefaultHidden
	Layers      int // sample-level LSTM layers; 0 means DefaultLayers
	Frame       int // samples per frame; 0 means DefaultFrame
	FrameHidden int // frame-level LSTM width; 0 means DefaultFrameHidden
	FrameLayers int // frame-level LSTM layers; 0 means DefaultFrameLayers
	Cond        int // conditioning values per sample from the frame tier; 0 means DefaultCond
	// Conditioned makes the model read each recording's label as a
	// one-hot vector, so that generation can ask for a class. The
	// training recordings must then all be labelled.
	Conditioned bool

	// Windows: Batch windows of Window samples per step (Window is rounded
	// up to whole frames).
	Window int // 0 means DefaultWindow
	Batch  int // 0 means DefaultBatch

	LR      float32 // Adam's learning rate; 0 means DefaultLR
	Clip    float32 // gradient-norm limit; 0 means DefaultClip, negative is off
	Warmup  int     // steps of linear learning-rate warmup
	Decay   string  // "" (constant), "cosine" or "linear" decay to FinalLR×LR over the run
	FinalLR float32 // learning-rate factor at the end of the decay, in [0, 1]

	// Stopping: at Steps steps (counting those before a resume) or after
	// MaxTime of this run, whichever comes first. With neither set,
	// training stops at DefaultSteps.
	Steps   int
	MaxTime time.Duration

	Seed uint64 // seeds the weights and the windows

	// Validation: without a separate validation set, every
	// (1/ValFraction)-th training recording is held out; 0 means
	// DefaultValFraction, negative means no validation.
	ValFraction float64
	ValEvery    int // steps between validations; 0 means DefaultValEvery (with Resume: the saved run's)
	ValSamples  int // validate on at most this many samples; 0 means DefaultValSamples

	// Out is the model file. Train writes checkpoints there every
	// CheckpointEvery (0 means DefaultCheckpointEvery) and at the end,
	// including when ctx is canceled. Empty means no file.
	Out             string
	CheckpointEvery time.Duration
	// Resume continues the run saved in Out with the settings saved there;
	// the training recordings must be the ones the run started with.
	Resume bool
}

// TrainHooks receive reports during training. Either may be nil.
type TrainHooks struct {
	Start    func(TrainPlan)     // once the data and the model are ready
	Progress func(core.Progress) // core.Trainer's report after every step
}

// TrainPlan describes a run about to start.
type TrainPlan struct {
	Model          string // the model's description (Model.String)
	TrainFiles     int
	TrainSamples   int
	ValFiles       int
	ValSamples     int // samples validated on (0: no validation)
	SamplesPerStep int
	Steps          int // step limit (0: time only)
	ResumedAt      int // steps done before this run (0: a new run)
	Options        TrainOptions
}

// savedOptions are the settings a resumed run takes from its checkpoint.
type savedOptions struct {
	Tiers       int     `json:"tiers"`
	Embed       int     `json:"embed"`
	History     int     `json:"history"`
	Hidden      int     `json:"hidden"`
	Layers      int     `json:"layers"`
	Frame       int     `json:"frame"`
	FrameHidden int     `json:"frame_hidden"`
	FrameLayers int     `json:"frame_layers"`
	Cond        int     `json:"cond"`
	Conditioned bool    `json:"conditioned"`
	Window      int     `json:"window"`
	Batch       int     `json:"batch"`
	LR          float32 `json:"lr"`
	Clip        float32 `json:"clip"`
	Warmup      int     `json:"warmup"`
	Decay       string  `json:"decay,omitempty"`
	FinalLR     float32 `json:"final_lr"`
	DecaySteps  int     `json:"decay_steps,omitempty"`
	Seed        uint64  `json:"seed"`
	ValFraction float64 `json:"val_fraction"`
	ValSamples  int     `json:"val_samples"`
	ValEvery    int     `json:"val_every,omitempty"`
	DataSamples int     `json:"train_samples"`
	DataHash    string  `json:"train_hash"`
}

func (o TrainOptions) withDefaults() TrainOptions {
	def := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	def(&o.Tiers, DefaultTiers)
	def(&o.Embed, DefaultEmbed)
	def(&o.History, DefaultHistory)
	def(&o.Hidden, DefaultHidden)
	def(&o.Layers, DefaultLayers)
	def(&o.Frame, DefaultFrame)
	def(&o.FrameHidden, DefaultFrameHidden)
	def(&o.FrameLayers, DefaultFrameLayers)
	def(&o.Cond, DefaultCond)
	def(&o.Window, DefaultWindow)
	def(&o.Batch, DefaultBatch)
	def(&o.ValEvery, DefaultValEvery)
	def(&o.ValSamples, DefaultValSamples)
	if o.LR == 0 {
		o.LR = DefaultLR
	}
	if o.Clip == 0 {
		o.Clip = DefaultClip
	}
	if o.ValFraction == 0 {
		o.ValFraction = DefaultValFraction
	}
	if o.CheckpointEvery == 0 {
		o.CheckpointEvery = DefaultCheckpointEvery
	}
	if o.Steps == 0 && o.MaxTime == 0 {
		o.Steps = DefaultSteps
	}
	if o.Tiers == 1 {
		o.Frame = 1 // windows need no alignment
	}
	if r := o.Window % o.Frame; r != 0 {
		o.Window += o.Frame - r
	}
	return o
}

func (o TrainOptions) check() error {
	bad := func(format string, args ...any) error { return fmt.Errorf("audio: "+format, args...) }
	const maxWidth = 1 << 14
	for _, f := range []struct {
		name string
		v    int
	}{{"embedding width", o.Embed}, {"history", o.History}, {"hidden width", o.Hidden}, {"frame hidden width", o.FrameHidden},
		{"conditioning width", o.Cond}, {"frame", o.Frame}} {
		if f.v < 0 || f.v > maxWidth {
			return bad("%s %d outside 1 to %d", f.name, f.v, maxWidth)
		}
	}
	switch {
	case o.History > MaxHistory:
		return bad("history %d outside 1 to %d", o.History, MaxHistory)
	case o.Tiers != 1 && o.Tiers != 2:
		return bad("tiers %d: want 1 or 2", o.Tiers)
	case o.Layers < 0 || o.Layers > 16 || o.FrameLayers < 0 || o.FrameLayers > 16:
		return bad("layers %d and frame layers %d must be 1 to 16", o.Layers, o.FrameLayers)
	case o.Window < 0 || o.Window > 1<<20:
		return bad("window %d outside 1 to %d samples", o.Window, 1<<20)
	case o.Batch < 0 || o.Batch > 4096:
		return bad("batch %d outside 1 to 4096", o.Batch)
	case !(o.LR > 0) || math.IsInf(float64(o.LR), 0):
		return bad("learning rate %g must be positive", o.LR)
	case math.IsNaN(float64(o.Clip)):
		return bad("clip is not a number")
	case o.Warmup < 0:
		return bad("warmup %d is negative", o.Warmup)
	case o.Decay != "" && o.Decay != "constant" && o.Decay != "cosine" && o.Decay != "linear":
		return bad("unknown decay %q (want constant, cosine or linear)", o.Decay)
	case !(o.FinalLR >= 0 && o.FinalLR <= 1):
		return bad("final learning-rate factor %g outside [0, 1]", o.FinalLR)
	case o.Steps < 0:
		return bad("steps %d is negative", o.Steps)
	case o.MaxTime < 0:
		return bad("max time %v is negative", o.MaxTime)
	case o.ValFraction >= 0.5 || math.IsNaN(o.ValFraction):
		return bad("validation fraction %g must be below 0.5", o.ValFraction)
	case o.ValEvery < 0 || o.ValSamples < 0:
		return bad("validation interval %d and samples %d must not be negative", o.ValEvery, o.ValSamples)
	case o.CheckpointEvery < 0:
		return bad("checkpoint interval %v is negative", o.CheckpointEvery)
	case o.Resume && o.Out == "":
		return bad("resuming needs the model file to resume from")
	}
	return nil
}

func (o TrainOptions) saved() savedOptions {
	return savedOptions{Tiers: o.Tiers, Embed: o.Embed, History: o.History, Hidden: o.Hidden, Layers: o.Layers, Frame: o.Frame,
		FrameHidden: o.FrameHidden, FrameLayers: o.FrameLayers, Cond: o.Cond, Conditioned: o.Conditioned,
		Window: o.Window, Batch: o.Batch, LR: o.LR, Clip: o.Clip, Warmup: o.Warmup, Decay: o.Decay,
		FinalLR: o.FinalLR, Seed: o.Seed, ValFraction: o.ValFraction, ValSamples: o.ValSamples, ValEvery: o.ValEvery}
}

// adopt takes the saved settings of a checkpoint into o. A field the caller
// set (non-zero) to another value than the saved one is an error: a resumed
// run cannot change the network, the data order or the optimizer.
func (o *TrainOptions) adopt(s savedOptions, path string) error {
	var conflict error
	lock := func(name string, set, same bool) {
		if set && !same && conflict == nil {
			conflict = fmt.Errorf("audio: %s: cannot resume with a different %s than the run started with", path, name)
		}
	}
	lock("number of tiers", o.Tiers != 0, o.Tiers == s.Tiers)
	lock("embedding width", o.Embed != 0, o.Embed == s.Embed)
	lock("history", o.History != 0, o.History == s.History)
	lock("hidden width", o.Hidden != 0, o.Hidden == s.Hidden)
	lock("number of layers", o.Layers != 0, o.Layers == s.Layers)
	lock("frame", o.Frame != 0 && s.Tiers == 2, o.Frame == s.Frame)
	lock("frame hidden width", o.FrameHidden != 0, o.FrameHidden == s.FrameHidden)
	lock("number of frame layers", o.FrameLayers != 0, o.FrameLayers == s.FrameLayers)
	lock("conditioning width", o.Cond != 0, o.Cond == s.Cond)
	lock("class conditioning", o.Conditioned, o.Conditioned == s.Conditioned)
	lock("window", o.Window != 0, o.Window == s.Window)
	lock("batch size", o.Batch != 0, o.Batch == s.Batch)
	lock("learning rate", o.LR != 0, o.LR == s.LR)
	lock("clip", o.Clip != 0, o.Clip == s.Clip)
	lock("warmup", o.Warmup != 0, o.Warmup == s.Warmup)
	lock("decay", o.Decay != "", o.Decay == s.Decay)
	lock("final learning-rate factor", o.FinalLR != 0, o.FinalLR == s.FinalLR)
	lock("seed", o.Seed != 0, o.Seed == s.Seed)
	lock("validation fraction", o.ValFraction != 0, o.ValFraction == s.ValFraction)
	lock("validation samples", o.ValSamples != 0, o.ValSamples == s.ValSamples)
	if conflict != nil {
		return conflict
	}
	o.Tiers, o.Embed, o.History, o.Hidden, o.Layers, o.Frame = s.Tiers, s.Embed, s.History, s.Hidden, s.Layers, s.Frame
	o.FrameHidden, o.FrameLayers, o.Cond, o.Conditioned = s.FrameHidden, s.FrameLayers, s.Cond, s.Conditioned
	o.Window, o.Batch, o.LR, o.Clip, o.Warmup, o.Decay, o.FinalLR = s.Window, s.Batch, s.LR, s.Clip, s.Warmup, s.Decay, s.FinalLR
	o.Seed, o.ValFraction, o.ValSamples = s.Seed, s.ValFraction, s.ValSamples
	if o.ValEvery == 0 { // the validation schedule may change; by default it does not
		o.ValEvery = s.ValEvery
	}
	return nil
}

// fingerprint identifies training data, so that a resumed run can check it
// reads the same recordings.
func fingerprint(seqs []Sequence) (int, string) {
	h := fnv.New64a()
	var b [4]byte
	n := 0
	for _, s := range seqs {
		h.Write([]byte(s.Label))
		binary.LittleEndian.PutUint32(b[:], uint32(len(s.Codes)))
		h.Write(b[:])
		for _, c := range s.Codes {
			b[0] = byte(c)
			h.Write(b[:1])
		}
		n += len(s.Codes)
	}
	return n, fmt.Sprintf("%016x", h.Sum64())
}

// holdOut splits off every k-th sequence, k = round(1/frac), for validation.
func holdOut(seqs []Sequence, frac float64) (train, val []Sequence) {
	if frac <= 0 || len(seqs) < 2 {
		return seqs, nil
	}
	k := max(2, int(math.Round(1/frac)))
	for i, s := range seqs {
		if i%k == k-1 {
			val = append(val, s)
		} else {
			train = append(train, s)
		}
	}
	if len(val) == 0 {
		val, train = train[len(train)-1:], train[:len(train)-1]
	}
	return train, val
}

// networkConfig returns the configuration of the network that opts
// describe for a model with the given number of classes: the step-level
// model alone (one tier) or with a frame tier.
func networkConfig(opts TrainOptions, classes int) (step core.Config, tiered *core.TieredConfig) {
	step = core.Config{Vocab: levels, Embed: opts.Embed, Hidden: opts.Hidden, Layers: opts.Layers}
	if opts.Tiers == 1 {
		step.Features = opts.History + classes
		return step, nil
	}
	step.Features = opts.History + classes + opts.Cond
	return step, &core.TieredConfig{Frame: opts.Frame, FrameInputs: 1, FrameHidden: opts.FrameHidden,
		FrameLayers: opts.FrameLayers, Cond: opts.Cond, Step: step}
}

// checkNetwork reports, as an error, a network that opts describe but
// that cannot be built (more than core.MaxParams parameters), on which
// newNetwork would panic.
func checkNetwork(opts TrainOptions, classes int) error {
	step, tiered := networkConfig(opts, classes)
	err := step.Validate()
	if tiered != nil {
		err = tiered.Validate()
	}
	if err != nil {
		return fmt.Errorf("audio: %w", err)
	}
	return nil
}

// newNetwork builds the network that opts describe for a model with the
// given number of classes. It panics if checkNetwork fails.
func newNetwork(opts TrainOptions, classes int, rng *rand.Rand) Network {
	step, tiered := networkConfig(opts, classes)
	if tiered == nil {
		return core.NewModel(step, rng)
	}
	return core.NewTiered(*tiered, rng)
}

// initHeadBias sets the bias of the network's head to the log frequency of
// each code in seqs (add-one smoothed), so that training starts from the
// unigram model rather than from a uniform distribution, about a bit per
// sample better.
func initHeadBias(net Network, seqs []Sequence) {
	bias := net.Params().Get("head.bias")
	if bias == nil {
		bias = net.Params().Get("step.head.bias")
	}
	if bias == nil || len(bias.W) != levels {
		return
	}
	var count [levels]float64
	total := 0.0
	for _, s := range seqs {
		for _, c := range s.Codes {
			count[c]++
		}
		total += float64(len(s.Codes))
	}
	for c := range count {
		bias.W[c] = float32(math.Log((count[c] + 1) / (total + levels)))
	}
}

// Train trains a model on the recordings of train, validating on val or,
// when val is nil, on recordings held out of train (see
// TrainOptions.ValFraction). It returns the model with the parameters of its
// best validation (its last ones without validation) and how training
// ended. Canceling ctx stops training cleanly: Train validates, writes the
// checkpoint and returns with Result.Reason "canceled" and no error.
//
// With opts.Out set, the file holds the model and the training state, so
// that opts.Resume continues the run exactly; Load reads it as the best
// model.
//
// Errors: out-of-range options; no training recordings, or unlabelled ones
// for a conditioned model; recordings at another rate than the model's; a
// checkpoint to resume that is missing, of another domain or trained on
// other recordings; a loss that becomes non-finite (core.ErrNonFinite); a
// file that cannot be written.
func Train(ctx context.Context, train, val *Dataset, opts TrainOptions, hooks TrainHooks) (*Model, core.Result, error) {
	fail := func(err error) (*Model, core.Result, error) { return nil, core.Result{}, err }
	var (
		ck    *core.Checkpoint
		model *Model
		saved savedOptions
	)
	if opts.Resume && opts.Out != "" {
		var err error
		if ck, model, err = loadCheckpoint(opts.Out); err != nil {
			return fail(err)
		}
		js, ok := ck.Meta[MetaTrainOptions]
		if !ok || ck.Optimizer == nil {
			return fail(fmt.Errorf("audio: %s holds no training state to resume", opts.Out))
		}
		if err := json.Unmarshal([]byte(js), &saved); err != nil {
			return fail(fmt.Errorf("audio: %s: metadata %s: %v", opts.Out, MetaTrainOptions, err))
		}
		if err := opts.adopt(saved, opts.Out); err != nil {
			return fail(err)
		}
	}
	opts = opts.withDefaults()
	if err := opts.check(); err != nil {
		return fail(err)
	}
	if train == nil || len(train.Seqs) == 0 {
		return fail(fmt.Errorf("audio: %w to train on", ErrNoAudio))
	}
	if err := CheckRate(train.Rate); err != nil {
		return fail(err)
	}
	if val != nil && val.Rate != train.Rate {
		return fail(fmt.Errorf("audio: validation recordings at %d Hz, training ones at %d Hz", val.Rate, train.Rate))
	}
	if opts.Out != "" {
		if err := CheckOutputPath(opts.Out); err != nil {
			return fail(err)
		}
	}
	trainSeqs, valSeqs := train.Seqs, []Sequence(nil)
	if val != nil {
		valSeqs = val.Seqs
	} else if opts.ValFraction > 0 {
		trainSeqs, valSeqs = holdOut(train.Seqs, opts.ValFraction)
	}
	nTrain, hash := fingerprint(trainSeqs)
	if ck != nil && (saved.DataSamples != nTrain || saved.DataHash != hash) {
		return fail(fmt.Errorf("audio: %s was trained on other recordings (%d samples, now %d): resume with the same ones",
			opts.Out, saved.DataSamples, nTrain))
	}

	// The model.
	if model == nil {
		var labels []string
		if opts.Conditioned {
			labels = (&Dataset{Seqs: trainSeqs}).Labels()
			if len(labels) == 0 {
				return fail(errors.New("audio: a class-conditioned model needs labelled recordings"))
			}
		}
		if err := checkNetwork(opts, len(labels)); err != nil {
			return fail(err)
		}
		net := newNetwork(opts, len(labels), rand.New(rand.NewPCG(opts.Seed, 0xa0d10)))
		initHeadBias(net, trainSeqs)
		model = &Model{Net: net, Rate: train.Rate, History: opts.History, Labels: labels}
	} else if model.Rate != train.Rate {
		return fail(fmt.Errorf("audio: %s is a %d Hz model; the recordings were loaded at %d Hz", opts.Out, model.Rate, train.Rate))
	}
	data, err := newWindows(model, trainSeqs, opts.Window, opts.Batch, opts.Seed)
	if err != nil {
		return fail(err)
	}
	var valSet []Sequence
	valN := 0
	for _, s := range valSeqs {
		if valN >= opts.ValSamples {
			break
		}
		if len(s.Codes) > opts.ValSamples-valN {
			s.Codes = s.Codes[:opts.ValSamples-valN]
		}
		if _, err := model.labelIndex(s.Label); err != nil {
			return fail(fmt.Errorf("audio: validation recording %s: %w", s.Path, err))
		}
		valSet = append(valSet, s)
		valN += len(s.Codes)
	}

	// The trainer.
	clip := max(opts.Clip, 0)
	tr := &core.Trainer{
		Model:           model.Net,
		Optimizer:       &core.Adam{LR: opts.LR},
		Schedule:        core.Schedule{Warmup: opts.Warmup, Decay: opts.Decay, Steps: opts.Steps, Final: opts.FinalLR},
		Clip:            clip,
		T:               opts.Window,
		B:               opts.Batch,
		Steps:           opts.Steps,
		MaxTime:         opts.MaxTime,
		Seed:            opts.Seed,
		ValEvery:        opts.ValEvery,
		CheckpointEvery: opts.CheckpointEvery,
	}
	resumeAt := 0
	if ck != nil {
		ck.Resume(tr)
		resumeAt = ck.Optimizer.Steps
		if saved.DecaySteps > 0 && opts.Steps == 0 {
			tr.Schedule.Steps = saved.DecaySteps
		}
	}
	if len(valSet) > 0 {
		tr.KeepBest = true
		tr.Validate = func(core.Network) (float64, error) {
			s, err := model.evaluate(context.Background(), valSet)
			if err != nil {
				return 0, err
			}
			return s.NatsPerSample, nil
		}
	}
	autoDecay := opts.Decay != "" && opts.Decay != "constant" && opts.Steps == 0 && opts.MaxTime > 0
	tr.Progress = func(p core.Progress) {
		if autoDecay && (p.Step-resumeAt)%25 == 0 && p.Elapsed > 0 {
			// Estimate where the time budget ends from the speed so far.
			rate := float64(p.Step-resumeAt) / p.Elapsed.Seconds()
			tr.Schedule.Steps = p.Step + int(rate*p.Remaining.Seconds())
		}
		if hooks.Progress != nil {
			hooks.Progress(p)
		}
	}
	if opts.Out != "" {
		so := opts.saved()
		so.DataSamples, so.DataHash = nTrain, hash
		tr.Checkpoint = func(tr *core.Trainer) error {
			so.DecaySteps = tr.Schedule.Steps
			js, _ := json.Marshal(so)
			meta := model.meta()
			meta[MetaTrainOptions] = string(js)
			if err := model.Net.Save(opts.Out, meta, tr); err != nil {
				return fmt.Errorf("audio: writing %s: %w", opts.Out, err)
			}
			return nil
		}
	}
	if hooks.Start != nil {
		hooks.Start(TrainPlan{Model: model.String(), TrainFiles: len(trainSeqs), TrainSamples: nTrain,
			ValFiles: len(valSet), ValSamples: valN, SamplesPerStep: opts.Window * opts.Batch,
			Steps: opts.Steps, ResumedAt: resumeAt, Options: opts})
	}
	res, err := tr.Run(ctx, data)
	if err != nil {
		return nil, res, fmt.Errorf("audio: training: %w", err)
	}
	return model, res, nil
}

// windows serves random training windows: each row of step s is a window
// of T samples from a recording chosen with probability proportional to its
// length, at a uniform offset, drawn from a generator seeded by (seed, s).
// Every window starts from the zero state (fresh): its first input is the
// sample before the window (or silence at a recording's start) but the
// frame tier's memory and the LSTM states start empty, as at the start of a
// recording. Recordings shorter than T are padded with masked steps.
type windows struct {
	m      *Model
	seqs   []Sequence
	class  []int // one-hot index per sequence (-1: none)
	cum    []int // cumulative lengths
	T, B   int
	seed   uint64
	padded bool // some recording is shorter than a window
}

var _ core.Data = (*windows)(nil)

func newWindows(m *Model, seqs []Sequence, T, B int, seed uint64) (*windows, error) {
	w := &windows{m: m, seqs: seqs, T: T, B: B, seed: seed}
	total := 0
	for _, s := range seqs {
		if len(s.Codes) == 0 {
			return nil, fmt.Errorf("audio: recording %s has no samples: %w", s.Path, ErrEmpty)
		}
		k, err := m.labelIndex(s.Label)
		if err != nil {
			return nil, fmt.Errorf("audio: recording %s: %w", s.Path, err)
		}
		w.class = append(w.class, k)
		total += len(s.Codes)
		w.cum = append(w.cum, total)
		w.padded = w.padded || len(s.Codes) < T
	}
	return w, nil
}

func (w *windows) Batch(step int, b *core.Batch) (bool, error) {
	rng := rand.New(rand.NewPCG(w.seed, uint64(step)))
	F := w.m.features()
	if w.padded && b.Mask == nil {
		b.Mask = make([]float32, b.T*b.B)
	}
	total := w.cum[len(w.cum)-1]
	for r := 0; r < b.B; r++ {
		i := sort.SearchInts(w.cum, rng.IntN(total)+1)
		codes := w.seqs[i].Codes
		start := 0
		if len(codes) > w.T {
			start = rng.IntN(len(codes) - w.T + 1)
		}
		for t := 0; t < b.T; t++ {
			k := t*b.B + r
			pos := start + t
			w.m.setInput(&b.Tokens[k], b.Features[k*F:(k+1)*F], codes, pos, w.class[i])
			if pos < len(codes) {
				b.Targets[k] = float32(codes[pos])
				if b.Mask != nil {
					b.Mask[k] = 1
				}
			} else {
				b.Targets[k] = float32(silence)
				b.Mask[k] = 0
			}
		}
	}
	return true, nil
}
