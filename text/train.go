// Training, char-rnn style: the corpus is laid out as Batch parallel streams
// and the model reads them window by window, carrying its state from one
// window to the next (stateful truncated backpropagation through time). The
// window of each step is computed from the step number, so a run resumed
// from a checkpoint sees exactly the windows it would have seen. core.Trainer
// does all the training; this file supplies the windows, validation on the
// held-out text, previews and checkpoints.

package text

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"

	"github.com/arkit-go/arkit/core"
)

// Defaults of TrainOptions, suited to a corpus of about a megabyte such as
// tiny-shakespeare.
const (
	DefaultEmbed           = 64
	DefaultHidden          = 256
	DefaultLayers          = 2
	DefaultSeq             = 100
	DefaultBatch           = 32
	DefaultLR              = 2e-3
	DefaultClip            = 5
	DefaultEpochs          = 10
	DefaultValEvery        = 200
	DefaultValSymbols      = 1 << 20
	DefaultSampleLength    = 200
	DefaultSampleTemp      = 0.8
	DefaultCheckpointEvery = 5 * time.Minute
)

// TrainOptions configures Train. The zero value of each field is the
// documented default.
type TrainOptions struct {
	Tokenizer string // KindChar (default), KindByte or KindBPE
	VocabSize int    // BPE vocabulary size; 0 means DefaultBPEVocabSize

	Embed   int     // embedding width; 0 means DefaultEmbed
	Hidden  int     // LSTM width; 0 means DefaultHidden
	Layers  int     // LSTM layers; 0 means DefaultLayers
	Dropout float32 // dropout between LSTM layers while training, in [0, 1)

	Seq   int // window length (steps of backpropagation through time); 0 means DefaultSeq
	Batch int // parallel streams; 0 means DefaultBatch

	LR          float32 // Adam's learning rate; 0 means DefaultLR
	WeightDecay float32 // AdamW decay of the weight matrices; 0 is plain Adam
	Clip        float32 // gradient-norm limit; 0 means DefaultClip, negative is off
	Warmup      int     // steps of linear learning-rate warmup
	// Decay is "" (constant learning rate), "cosine" or "linear": a decay
	// from LR to FinalLR×LR over the run. The run's length is Steps (or
	// Epochs); with only MaxTime it is estimated from the measured speed as
	// training goes.
	Decay   string
	FinalLR float32 // learning-rate factor at the end of the decay, in [0, 1]

	// Stopping: at Steps steps (counting those before a resume), after
	// Epochs passes over the training text when Steps is 0, or after
	// MaxTime of this run, whichever comes first. With none of them set,
	// training stops after DefaultEpochs epochs.
	Steps   int
	Epochs  float64
	MaxTime time.Duration

	Seed uint64 // seeds the initial weights, dropout and previews

	// ValFraction is the share of the corpus held out for validation when
	// Train gets no separate validation text; 0 means DefaultValFraction,
	// negative means no validation.
	ValFraction float64
	ValEvery    int // steps between validations; 0 means DefaultValEvery (with Resume: the saved run's)
	ValSymbols  int // validate on at most this many symbols; 0 means DefaultValSymbols
	Patience    int // stop after this many validations without improvement; 0 is off (with Resume: the saved run's)

	SampleLength      int     // tokens of the preview after each validation; 0 means DefaultSampleLength
	SampleTemperature float32 // 0 means DefaultSampleTemp

	// Out is the model file. Train writes checkpoints there every
	// CheckpointEvery (0 means DefaultCheckpointEvery) and at the end,
	// including when ctx is canceled. Empty means no file.
	Out             string
	CheckpointEvery time.Duration
	// Resume continues the run saved in Out: the model, tokenizer and
	// training settings come from the file, and the training text must be
	// the one the run started with.
	Resume bool
}

// TrainHooks receive reports during training. Any of them may be nil.
type TrainHooks struct {
	// Start receives the plan once the data and model are ready.
	Start func(TrainPlan)
	// Progress receives core.Trainer's report after every step.
	Progress func(core.Progress)
	// Sample receives a short generated preview after each validation,
	// before the Progress report that follows the validation.
	Sample func(string)
}

// TrainPlan describes a run about to start.
type TrainPlan struct {
	Tokenizer     string // tokenizer kind
	Vocab         int    // tokenizer size
	TrainSymbols  int    // tokens of training text
	ValSymbols    int    // tokens validated on (0: no validation)
	Params        int    // model parameters
	StepsPerEpoch int
	Steps         int // step limit (0: none, only time)
	ResumedAt     int // steps done before this run (0: a new run)
	Options       TrainOptions
}

// savedOptions are the settings a resumed run takes from its checkpoint.
type savedOptions struct {
	Tokenizer   string  `json:"tokenizer"`
	VocabSize   int     `json:"vocab_size,omitempty"`
	Embed       int     `json:"embed"`
	Hidden      int     `json:"hidden"`
	Layers      int     `json:"layers"`
	Dropout     float32 `json:"dropout"`
	Seq         int     `json:"seq"`
	Batch       int     `json:"batch"`
	LR          float32 `json:"lr"`
	WeightDecay float32 `json:"weight_decay"`
	Clip        float32 `json:"clip"`
	Warmup      int     `json:"warmup"`
	Decay       string  `json:"decay,omitempty"`
	FinalLR     float32 `json:"final_lr"`
	DecaySteps  int     `json:"decay_steps,omitempty"`
	Seed        uint64  `json:"seed"`
	ValFraction float64 `json:"val_fraction"`
	ValSymbols  int     `json:"val_symbols"`
	ValEvery    int     `json:"val_every,omitempty"`
	Patience    int     `json:"patience,omitempty"`
	CorpusLen   int     `json:"train_symbols"`
	CorpusHash  string  `json:"train_hash"`
}

// withDefaults fills the zero fields.
func (o TrainOptions) withDefaults() TrainOptions {
	def := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	if o.Tokenizer == "" {
		o.Tokenizer = KindChar
	}
	if o.Tokenizer == KindBPE && o.VocabSize == 0 {
		o.VocabSize = DefaultBPEVocabSize
	}
	def(&o.Embed, DefaultEmbed)
	def(&o.Hidden, DefaultHidden)
	def(&o.Layers, DefaultLayers)
	def(&o.Seq, DefaultSeq)
	def(&o.Batch, DefaultBatch)
	def(&o.ValEvery, DefaultValEvery)
	def(&o.ValSymbols, DefaultValSymbols)
	def(&o.SampleLength, DefaultSampleLength)
	if o.LR == 0 {
		o.LR = DefaultLR
	}
	if o.Clip == 0 {
		o.Clip = DefaultClip
	}
	if o.ValFraction == 0 {
		o.ValFraction = DefaultValFraction
	}
	if o.SampleTemperature == 0 {
		o.SampleTemperature = DefaultSampleTemp
	}
	if o.CheckpointEvery == 0 {
		o.CheckpointEvery = DefaultCheckpointEvery
	}
	if o.Steps == 0 && o.Epochs == 0 && o.MaxTime == 0 {
		o.Epochs = DefaultEpochs
	}
	return o
}

// check rejects out-of-range options (after withDefaults).
func (o TrainOptions) check() error {
	bad := func(format string, args ...any) error { return fmt.Errorf("text: "+format, args...) }
	switch {
	case o.Tokenizer != KindChar && o.Tokenizer != KindByte && o.Tokenizer != KindBPE:
		return bad("unknown tokenizer %q (want %s, %s or %s)", o.Tokenizer, KindChar, KindByte, KindBPE)
	case o.VocabSize < 0 || (o.Tokenizer == KindBPE && o.VocabSize < 256):
		return bad("BPE vocabulary size %d must be at least 256", o.VocabSize)
	case o.Embed < 0:
		return bad("embedding width %d is negative", o.Embed)
	case o.Hidden < 0:
		return bad("hidden width %d is negative", o.Hidden)
	case o.Layers < 0 || o.Layers > 64:
		return bad("layers %d outside [1, 64]", o.Layers)
	case !(o.Dropout >= 0 && o.Dropout < 1):
		return bad("dropout %g outside [0, 1)", o.Dropout)
	case o.Seq < 0:
		return bad("window length %d is negative", o.Seq)
	case o.Batch < 0:
		return bad("batch size %d is negative", o.Batch)
	case !(o.LR > 0) || math.IsInf(float64(o.LR), 0):
		return bad("learning rate %g must be positive", o.LR)
	case !(o.WeightDecay >= 0):
		return bad("weight decay %g is negative", o.WeightDecay)
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
	case !(o.Epochs >= 0) || math.IsInf(o.Epochs, 0):
		return bad("epochs %g must be a non-negative number", o.Epochs)
	case o.MaxTime < 0:
		return bad("max time %v is negative", o.MaxTime)
	case o.ValFraction >= 1 || math.IsNaN(o.ValFraction):
		return bad("validation fraction %g must be below 1", o.ValFraction)
	case o.ValEvery < 0:
		return bad("validation interval %d is negative", o.ValEvery)
	case o.ValSymbols < 0:
		return bad("validation symbols %d is negative", o.ValSymbols)
	case o.Patience < 0:
		return bad("patience %d is negative", o.Patience)
	case o.SampleLength < 0:
		return bad("sample length %d is negative", o.SampleLength)
	case !(o.SampleTemperature >= 0):
		return bad("sample temperature %g is negative", o.SampleTemperature)
	case o.CheckpointEvery < 0:
		return bad("checkpoint interval %v is negative", o.CheckpointEvery)
	case o.Resume && o.Out == "":
		return bad("resuming needs the model file to resume from")
	}
	return nil
}

func (o TrainOptions) saved() savedOptions {
	return savedOptions{
		Tokenizer: o.Tokenizer, VocabSize: o.VocabSize, Embed: o.Embed, Hidden: o.Hidden, Layers: o.Layers,
		Dropout: o.Dropout, Seq: o.Seq, Batch: o.Batch, LR: o.LR, WeightDecay: o.WeightDecay, Clip: o.Clip,
		Warmup: o.Warmup, Decay: o.Decay, FinalLR: o.FinalLR, Seed: o.Seed, ValFraction: o.ValFraction,
		ValSymbols: o.ValSymbols, ValEvery: o.ValEvery, Patience: o.Patience,
	}
}

// adopt takes the saved settings of a checkpoint into o. A field the caller
// set (non-zero) to another value than the saved one is an error: a resumed
// run cannot change them. The validation schedule and patience may change;
// left at zero, they are the saved run's, so that the resumed run validates
// (and stops early) where the uninterrupted one would.
func (o *TrainOptions) adopt(s savedOptions, path string) error {
	var conflict error
	lock := func(name string, set bool, same bool) {
		if set && !same && conflict == nil {
			conflict = fmt.Errorf("text: %s: cannot resume with a different %s than the run started with", path, name)
		}
	}
	lock("tokenizer", o.Tokenizer != "", o.Tokenizer == s.Tokenizer)
	lock("BPE vocabulary size", o.VocabSize != 0, o.VocabSize == s.VocabSize)
	lock("embedding width", o.Embed != 0, o.Embed == s.Embed)
	lock("hidden width", o.Hidden != 0, o.Hidden == s.Hidden)
	lock("number of layers", o.Layers != 0, o.Layers == s.Layers)
	lock("dropout", o.Dropout != 0, o.Dropout == s.Dropout)
	lock("window length", o.Seq != 0, o.Seq == s.Seq)
	lock("batch size", o.Batch != 0, o.Batch == s.Batch)
	lock("learning rate", o.LR != 0, o.LR == s.LR)
	lock("weight decay", o.WeightDecay != 0, o.WeightDecay == s.WeightDecay)
	lock("clip", o.Clip != 0, o.Clip == s.Clip)
	lock("warmup", o.Warmup != 0, o.Warmup == s.Warmup)
	lock("decay", o.Decay != "", o.Decay == s.Decay)
	lock("final learning-rate factor", o.FinalLR != 0, o.FinalLR == s.FinalLR)
	lock("seed", o.Seed != 0, o.Seed == s.Seed)
	lock("validation fraction", o.ValFraction != 0, o.ValFraction == s.ValFraction)
	lock("validation symbols", o.ValSymbols != 0, o.ValSymbols == s.ValSymbols)
	if conflict != nil {
		return conflict
	}
	o.Tokenizer, o.VocabSize, o.Embed, o.Hidden, o.Layers, o.Dropout = s.Tokenizer, s.VocabSize, s.Embed, s.Hidden, s.Layers, s.Dropout
	o.Seq, o.Batch, o.LR, o.WeightDecay, o.Clip = s.Seq, s.Batch, s.LR, s.WeightDecay, s.Clip
	o.Warmup, o.Decay, o.FinalLR, o.Seed = s.Warmup, s.Decay, s.FinalLR, s.Seed
	o.ValFraction, o.ValSymbols = s.ValFraction, s.ValSymbols
	if o.ValEvery == 0 {
		o.ValEvery = s.ValEvery
	}
	if o.Patience == 0 {
		o.Patience = s.Patience
	}
	return nil
}

// hashIDs fingerprints the training ids, so that a resumed run can check it
// reads the same text.
func hashIDs(ids []int32) string {
	h := fnv.New64a()
	var b [4]byte
	for _, id := range ids {
		binary.LittleEndian.PutUint32(b[:], uint32(id))
		h.Write(b[:])
	}
	return fmt.Sprintf("%016x", h.Sum64())
}

// streamData serves the training windows: step s is window s mod S of the
// stream layout (S windows per epoch), fresh at every epoch start.
type streamData struct {
	sb *StreamBatcher
	y  []int32
}

var _ core.Data = (*streamData)(nil)

func (d *streamData) Batch(step int, b *core.Batch) (bool, error) {
	d.sb.Seek(step)
	fresh := d.sb.Next(b.Tokens, d.y)
	for i, v := range d.y {
		b.Targets[i] = float32(v)
	}
	return fresh, nil
}

// Train trains a model on corpus, validating on val or, when val is empty,
// on the last opts.ValFraction of the corpus (see Split), and returns the
// model with the parameters of its best validation (its last ones without
// validation) and how training ended. Canceling ctx stops training cleanly:
// Train validates, writes the checkpoint and returns with Result.Reason
// "canceled" and no error.
//
// With opts.Out set, the file holds the model, its tokenizer and the
// training state (the last parameters, the optimizer's moments, the carried
// state and the best parameters), so that opts.Resume continues the run
// exactly; Load reads it as the best model.
//
// Errors: out-of-range options; a corpus the tokenizer rejects (binary or
// invalid UTF-8 for char) or too short for one window per stream (saying
// how many symbols it has and needs, wrapping ErrCorpusTooShort); a
// checkpoint to resume that is missing, of another domain or trained on
// another text; a loss that becomes non-finite (core.ErrNonFinite); a file
// that cannot be written. No model file is written when Train fails before
// training starts.
func Train(ctx context.Context, corpus, val string, opts TrainOptions, hooks TrainHooks) (*Model, core.Result, error) {
	var (
		ck       *textCheckpoint
		resumeAt int
		tok      Tokenizer
		saved    savedOptions
	)
	if opts.Resume && opts.Out != "" {
		var err error
		if ck, err = loadCheckpoint(opts.Out); err != nil {
			return nil, core.Result{}, err
		}
		js, ok := ck.Meta[MetaTrainOptions]
		if !ok || ck.Optimizer == nil {
			return nil, core.Result{}, fmt.Errorf("text: %s holds no training state to resume", opts.Out)
		}
		if err := json.Unmarshal([]byte(js), &saved); err != nil {
			return nil, core.Result{}, fmt.Errorf("text: %s: metadata %s: %v", opts.Out, MetaTrainOptions, err)
		}
		if err := opts.adopt(saved, opts.Out); err != nil {
			return nil, core.Result{}, err
		}
		tok = ck.text.Tok
		resumeAt = ck.Optimizer.Steps
	}
	opts = opts.withDefaults()
	if err := opts.check(); err != nil {
		return nil, core.Result{}, err
	}
	if opts.Out != "" {
		if err := checkWritable(opts.Out); err != nil {
			return nil, core.Result{}, err
		}
	}
	if corpus == "" {
		return nil, core.Result{}, fmt.Errorf("text: training text is empty: %w", ErrCorpusTooShort)
	}

	// Tokenize. A char vocabulary covers the validation text too, as
	// char-rnn's does (it builds it before splitting).
	if tok == nil {
		var err error
		vocabText := corpus
		if opts.Tokenizer == KindChar && val != "" {
			vocabText = corpus + val
		}
		if opts.Tokenizer == KindChar {
			tok, err = NewCharTokenizer(vocabText)
		} else {
			tok, err = NewTokenizer(opts.Tokenizer, corpus, opts.VocabSize)
		}
		if err != nil {
			return nil, core.Result{}, err
		}
	}
	ids, err := tok.Encode(corpus)
	if err != nil {
		return nil, core.Result{}, fmt.Errorf("training text: %w", err)
	}
	var trainIDs, valIDs []int32
	switch {
	case val != "":
		trainIDs = ids
		if valIDs, err = tok.Encode(val); err != nil {
			return nil, core.Result{}, fmt.Errorf("validation text: %w", err)
		}
	case opts.ValFraction > 0:
		if trainIDs, valIDs, err = Split(ids, opts.ValFraction); err != nil {
			return nil, core.Result{}, err
		}
	default:
		trainIDs = ids
	}
	sb, err := NewStreamBatcher(trainIDs, opts.Batch, opts.Seq)
	if err != nil {
		return nil, core.Result{}, fmt.Errorf("training text: %w", err)
	}
	if len(valIDs) > opts.ValSymbols {
		valIDs = valIDs[:opts.ValSymbols]
	}
	if valIDs != nil && len(valIDs) < 2 {
		return nil, core.Result{}, fmt.Errorf("text: validation text has %d symbols; need at least 2: %w", len(valIDs), ErrCorpusTooShort)
	}
	hash := hashIDs(trainIDs)
	if ck != nil && (saved.CorpusLen != len(trainIDs) || saved.CorpusHash != hash) {
		return nil, core.Result{}, fmt.Errorf("text: %s was trained on another text (%d symbols, now %d): resume with the same input",
			opts.Out, saved.CorpusLen, len(trainIDs))
	}

	// The model and the trainer.
	var net *core.Model
	if ck != nil {
		net = ck.Model
	} else {
		cfg := core.Config{Vocab: tok.Size(), Embed: opts.Embed, Hidden: opts.Hidden, Layers: opts.Layers, Dropout: opts.Dropout}
		if err := cfg.Validate(); err != nil {
			return nil, core.Result{}, fmt.Errorf("text: %w", err)
		}
		net = core.NewModel(cfg, rand.New(rand.NewPCG(opts.Seed, 0x1417)))
	}
	tm := &Model{Core: net, Tok: tok}
	clip := opts.Clip
	if clip < 0 {
		clip = 0
	}
	steps := opts.Steps
	S := sb.StepsPerEpoch()
	if steps == 0 && opts.Epochs > 0 {
		steps = int(math.Ceil(opts.Epochs * float64(S)))
	}
	tr := &core.Trainer{
		Model:           net,
		Optimizer:       &core.Adam{LR: opts.LR, WeightDecay: opts.WeightDecay},
		Schedule:        core.Schedule{Warmup: opts.Warmup, Decay: opts.Decay, Steps: steps, Final: opts.FinalLR},
		Clip:            clip,
		T:               opts.Seq,
		B:               opts.Batch,
		Steps:           steps,
		MaxTime:         opts.MaxTime,
		Seed:            opts.Seed,
		ValEvery:        opts.ValEvery,
		Patience:        opts.Patience,
		CheckpointEvery: opts.CheckpointEvery,
	}
	if ck != nil {
		ck.Resume(tr)
		if saved.DecaySteps > 0 && steps == 0 {
			tr.Schedule.Steps = saved.DecaySteps
		}
	}
	data := &streamData{sb: sb, y: make([]int32, opts.Seq*opts.Batch)}

	if valIDs != nil {
		tr.KeepBest = true
		streams := max(1, min(opts.Batch, len(valIDs)/(opts.Seq+1)))
		previewSeed := opts.Seed
		tr.Validate = func(core.Network) (float64, error) {
			nll, n, err := evalStreams(context.Background(), net, valIDs, streams, opts.Seq)
			if err != nil {
				return 0, err
			}
			v := nll / float64(n)
			if hooks.Sample != nil && opts.SampleLength > 0 {
				previewSeed++
				s, err := tm.Samples(context.Background(), GenerateOptions{
					Length: opts.SampleLength, Temperature: opts.SampleTemperature, Seed: previewSeed})
				if err != nil {
					return 0, err
				}
				hooks.Sample(s[0])
			}
			return v, nil
		}
	}
	autoDecay := opts.Decay != "" && opts.Decay != "constant" && steps == 0 && opts.MaxTime > 0
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
		so.CorpusLen, so.CorpusHash = len(trainIDs), hash
		tr.Checkpoint = func(tr *core.Trainer) error {
			so.DecaySteps = tr.Schedule.Steps
			js, _ := json.Marshal(so)
			meta := tm.meta()
			meta[MetaTrainOptions] = string(js)
			if err := net.Save(opts.Out, meta, tr); err != nil {
				return fmt.Errorf("text: saving %s: %w", opts.Out, err)
			}
			return nil
		}
	}
	if hooks.Start != nil {
		plan := TrainPlan{
			Tokenizer: tok.Kind(), Vocab: tok.Size(), TrainSymbols: len(trainIDs), ValSymbols: len(valIDs),
			Params: len(net.Params().W), StepsPerEpoch: S, Steps: steps, ResumedAt: resumeAt, Options: opts,
		}
		hooks.Start(plan)
	}
	res, err := tr.Run(ctx, data)
	if err != nil {
		return nil, res, fmt.Errorf("text: training: %w", err)
	}
	return tm, res, nil
}

// checkWritable fails early, before any training, if path's directory
// cannot take the model file.
func checkWritable(path string) error {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return fmt.Errorf("text: %s is a directory, not a model file", path)
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		if inner := errors.Unwrap(err); inner != nil {
			err = inner // the PathError names the temporary file, not path
		}
		return fmt.Errorf("text: %s: cannot write the model file there: %w", path, err)
	}
	name := f.Name()
	f.Close()
	return os.Remove(name)
}
