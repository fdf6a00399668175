// Training: random windows of whole frames cut from the recordings, each
// read from a fresh (zero) state, as SampleRNN and DeepAR train. The window
// of each step is drawn from a generator seeded by the step number, so a run
// resumed from a checkpoint sees exactly the windows it would have seen.
// core.Harness does the training, the checkpoints and the resume; this file
// supplies the windows, the network and validation on held-out recordings.

package audio

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strings"
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
	DefaultTopFrame        = 8
	DefaultTopHidden       = 512
	DefaultTopCond         = 64
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

// NoValidation as TrainOptions.ValFraction holds no recording out for
// validation.
const NoValidation = -1

// ErrUnlabelled is wrapped by Train's error when some training recordings
// have a class and others none, and the model is to be class-conditioned.
var ErrUnlabelled = errors.New("recording without a class among labelled ones")

// Defaults returns the audio domain's defaults of the shared training
// settings: the values that zero fields of core.TrainOptions take. Audio
// draws random windows, so it has no epochs: without Steps or MaxTime a
// run stops at DefaultSteps.
func Defaults() core.TrainOptions {
	return core.TrainOptions{LR: DefaultLR, Clip: DefaultClip, Steps: DefaultSteps, ValEvery: DefaultValEvery,
		CheckpointEvery: DefaultCheckpointEvery}
}

// TrainOptions configures Train: the shared training settings (see
// core.TrainOptions and Defaults; Epochs does not apply) and the audio
// model's own. The zero value of each field is the documented default.
type TrainOptions struct {
	core.TrainOptions

	// Network. Tiers is 1 (a sample-level LSTM alone), 2 (the default: a
	// frame-level LSTM running every Frame samples conditions it, see
	// core.Tiered) or 3 (a top LSTM running every TopFrame frames
	// conditions the frame tier in turn, SampleRNN's three tiers).
	Tiers       int `json:"tiers"`
	Embed       int `json:"embed"`        // embedding width of the previous code; 0 means DefaultEmbed
	History     int `json:"history"`      // past sample values the sample level reads; 0 means DefaultHistory
	Hidden      int `json:"hidden"`       // sample-level LSTM width; 0 means DefaultHidden
	Layers      int `json:"layers"`       // sample-level LSTM layers; 0 means DefaultLayers
	Frame       int `json:"frame"`        // samples per frame; 0 means DefaultFrame
	FrameHidden int `json:"frame_hidden"` // frame-level LSTM width; 0 means DefaultFrameHidden
	FrameLayers int `json:"frame_layers"` // frame-level LSTM layers; 0 means DefaultFrameLayers
	Cond        int `json:"cond"`         // conditioning values per sample from the frame tier; 0 means DefaultCond
	// The top tier of three (ignored for fewer): its LSTM (one layer) runs
	// once every TopFrame frames and gives TopCond conditioning values per
	// frame to the frame tier.
	TopFrame  int `json:"top_frame,omitempty"`  // frames per top step; 0 means DefaultTopFrame
	TopHidden int `json:"top_hidden,omitempty"` // top LSTM width; 0 means DefaultTopHidden
	TopCond   int `json:"top_cond,omitempty"`   // conditioning values per frame from the top tier; 0 means DefaultTopCond
	// Codes is how many past codes the sample level embeds (SampleRNN's
	// learned embeddings; two tiers only): 0 or 1 the previous code alone,
	// K > 1 also the K-1 before it, through the same embedding.
	Codes int `json:"codes,omitempty"`
	// Unconditional trains a model that ignores the recordings' classes.
	// By default the model reads each recording's class as a one-hot
	// vector, so that generation can ask for one, when every training
	// recording has a class, and is unconditioned when none has; a mix is
	// an error (ErrUnlabelled).
	Unconditional bool `json:"unconditional"`

	// Windows: Batch windows of Window samples per step (Window is rounded
	// up to whole frames, with three tiers to whole top steps).
	Window int `json:"window"` // 0 means DefaultWindow
	Batch  int `json:"batch"`  // 0 means DefaultBatch

	// Validation: without a separate validation set, every
	// (1/ValFraction)-th training recording is held out; 0 means
	// DefaultValFraction, NoValidation none.
	ValFraction float64 `json:"val_fraction"`
	ValSamples  int     `json:"val_samples"` // validate on at most this many samples; 0 means DefaultValSamples
}

// withDefaults fills the zero fields of the audio settings.
func (o TrainOptions) withDefaults() TrainOptions {
	core.Default(&o.Tiers, DefaultTiers)
	core.Default(&o.Embed, DefaultEmbed)
	core.Default(&o.History, DefaultHistory)
	core.Default(&o.Hidden, DefaultHidden)
	core.Default(&o.Layers, DefaultLayers)
	core.Default(&o.Frame, DefaultFrame)
	core.Default(&o.FrameHidden, DefaultFrameHidden)
	core.Default(&o.FrameLayers, DefaultFrameLayers)
	core.Default(&o.Cond, DefaultCond)
	core.Default(&o.Window, DefaultWindow)
	core.Default(&o.Batch, DefaultBatch)
	core.Default(&o.ValSamples, DefaultValSamples)
	if o.ValFraction == 0 {
		o.ValFraction = DefaultValFraction
	}
	if o.Tiers == 3 {
		core.Default(&o.TopFrame, DefaultTopFrame)
		core.Default(&o.TopHidden, DefaultTopHidden)
		core.Default(&o.TopCond, DefaultTopCond)
	} else {
		o.TopFrame, o.TopHidden, o.TopCond = 0, 0, 0
	}
	if o.Tiers == 1 {
		o.Frame = 1 // windows need no alignment
	}
	if span := o.Frame * max(o.TopFrame, 1); o.Window%span != 0 {
		o.Window += span - o.Window%span
	}
	return o
}

// check rejects out-of-range audio settings (after withDefaults).
func (o TrainOptions) check() error {
	bad := func(format string, args ...any) error { return fmt.Errorf("audio: "+format, args...) }
	const maxWidth = 1 << 14
	for _, f := range []struct {
		name string
		v    int
	}{{"embedding width", o.Embed}, {"history", o.History}, {"hidden width", o.Hidden}, {"frame hidden width", o.FrameHidden},
		{"conditioning width", o.Cond}, {"frame", o.Frame},
		{"top frame", o.TopFrame}, {"top hidden width", o.TopHidden}, {"top conditioning width", o.TopCond}} {
		if f.v < 0 || f.v > maxWidth {
			return bad("%s %d outside 1 to %d", f.name, f.v, maxWidth)
		}
	}
	switch {
	case o.History > MaxHistory:
		return bad("history %d outside 1 to %d", o.History, MaxHistory)
	case o.Tiers < 1 || o.Tiers > 3:
		return bad("tiers %d: want 1, 2 or 3", o.Tiers)
	case o.Codes < 0 || o.Codes > core.MaxCodes:
		return bad("embedded codes %d outside 1 to %d", o.Codes, core.MaxCodes)
	case o.Codes > 1 && o.Tiers == 1:
		return bad("embedded codes %d need two or three tiers", o.Codes)
	case o.Layers < 0 || o.Layers > 16 || o.FrameLayers < 0 || o.FrameLayers > 16:
		return bad("layers %d and frame layers %d must be 1 to 16", o.Layers, o.FrameLayers)
	case o.Window < 0 || o.Window > 1<<20:
		return bad("window %d outside 1 to %d samples", o.Window, 1<<20)
	case o.Batch < 0 || o.Batch > 4096:
		return bad("batch %d outside 1 to 4096", o.Batch)
	case o.ValFraction >= 0.5 || math.IsNaN(o.ValFraction):
		return bad("validation fraction %g must be below 0.5", o.ValFraction)
	case o.ValSamples < 0:
		return bad("validation samples %d is negative", o.ValSamples)
	}
	return nil
}

// fingerprint identifies the training recordings, so that a resumed run
// can check it reads the same ones: their codes and, for a conditioned
// model, their classes (an unconditioned one ignores them).
func fingerprint(seqs []Sequence, conditioned bool) (int, string) {
	var f core.Fingerprint
	var b [4]byte
	n := 0
	for _, s := range seqs {
		if conditioned {
			f.Write([]byte(s.Label))
		}
		binary.LittleEndian.PutUint32(b[:], uint32(len(s.Codes)))
		f.Write(b[:])
		for _, c := range s.Codes {
			b[0] = byte(c)
			f.Write(b[:1])
		}
		n += len(s.Codes)
	}
	return n, f.Sum()
}

// conditioned reports whether a new model reads the recordings' classes:
// when every recording has a class, unless unconditional is set. A mix of
// recordings with and without a class is an error naming one without.
func conditioned(seqs []Sequence, unconditional bool) (bool, error) {
	if unconditional {
		return false, nil
	}
	labelled, unlabelled := 0, -1
	for i, s := range seqs {
		if s.Label != "" {
			labelled++
		} else if unlabelled < 0 {
			unlabelled = i
		}
	}
	if labelled > 0 && unlabelled >= 0 {
		name := seqs[unlabelled].Path
		if name == "" {
			name = fmt.Sprintf("recording %d", unlabelled+1)
		}
		return false, fmt.Errorf("audio: %s: %w (%d of the %d training recordings have one)", name, ErrUnlabelled, labelled, len(seqs))
	}
	return labelled > 0, nil
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
// model alone (one tier), with a frame tier, or with a frame and a top tier.
func networkConfig(opts TrainOptions, classes int) (step core.Config, tiered *core.TieredConfig) {
	step = core.Config{Vocab: levels, Embed: opts.Embed, Hidden: opts.Hidden, Layers: opts.Layers}
	if opts.Tiers == 1 {
		step.Features = opts.History + classes
		return step, nil
	}
	codes := 0 // the previous code alone: a model file as before
	if opts.Codes > 1 {
		codes = opts.Codes
	}
	step.Features = opts.History + classes + max(codes-1, 0)*opts.Embed + opts.Cond
	tc := &core.TieredConfig{Frame: opts.Frame, FrameInputs: 1, FrameHidden: opts.FrameHidden,
		FrameLayers: opts.FrameLayers, Cond: opts.Cond, Codes: codes, Step: step}
	if opts.Tiers == 3 {
		tc.Top, tc.TopHidden, tc.TopCond = opts.TopFrame, opts.TopHidden, opts.TopCond
	}
	return step, tc
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
func newNetwork(opts TrainOptions, classes int, rng *rand.Rand) core.Net {
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
func initHeadBias(net core.Net, seqs []Sequence) {
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
// model. An existing opts.Out is replaced only with opts.Resume or
// opts.Force.
//
// Errors: out-of-range options; an existing model file without Resume or
// Force (wrapping core.ErrExists); no training recordings, or recordings
// with and without a class for a conditioned model (ErrUnlabelled);
// recordings at another rate than the model's; a checkpoint to resume that
// is missing, of another domain or trained on other recordings; a loss that
// becomes non-finite (core.ErrNonFinite); a file that cannot be written. No
// model file is written when Train fails before training starts.
func Train(ctx context.Context, train, val *Dataset, opts TrainOptions) (*Model, core.Result, error) {
	fail := func(err error) (*Model, core.Result, error) { return nil, core.Result{}, err }
	h := &core.Harness{Domain: Domain, Options: &opts, Shared: &opts.TrainOptions, Defaults: Defaults()}
	model, err := core.OpenModel(h, fromCheckpoint)
	if err != nil {
		return fail(err)
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
	trainSeqs, valSeqs := train.Seqs, []Sequence(nil)
	if val != nil {
		valSeqs = val.Seqs
	} else if opts.ValFraction > 0 {
		trainSeqs, valSeqs = holdOut(train.Seqs, opts.ValFraction)
	}

	// The model.
	if model == nil {
		cond, err := conditioned(train.Seqs, opts.Unconditional)
		if err != nil {
			return fail(err)
		}
		var labels []string
		if cond {
			labels = (&Dataset{Seqs: trainSeqs}).Labels()
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
	nTrain, hash := fingerprint(trainSeqs, len(model.Labels) > 0)
	if err := h.SetData(nTrain, hash, "samples"); err != nil {
		return fail(err)
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

	job := core.Job{
		Net: model.Net, Data: data, T: opts.Window, B: opts.Batch,
		Meta: model.meta,
		Plan: core.Plan{Network: model.network() + "; " + conditioning(model, opts),
			Unit: "samples", TrainSize: nTrain, ValSize: valN},
	}
	if len(valSet) > 0 {
		job.Validate = func(core.Network) (float64, error) {
			s, err := model.evaluate(context.Background(), valSet)
			if err != nil {
				return 0, err
			}
			return s.NatsPerSample, nil
		}
	}
	res, err := h.Run(ctx, job)
	if err != nil {
		return nil, res, err
	}
	return model, res, nil
}

// conditioning says, for the plan, whether and why the model reads the
// recordings' classes.
func conditioning(m *Model, opts TrainOptions) string {
	switch {
	case len(m.Labels) > 0:
		return "conditioned on the classes " + strings.Join(m.Labels, " ")
	case opts.Unconditional:
		return "unconditioned"
	}
	return "unconditioned: the recordings have no classes"
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
