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
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/arkit-go/arkit/core"
)

// Defaults of TrainOptions, suited to a corpus of about a megabyte such as
// tiny-shakespeare: the settings measured best there (docs/benchmarks.md,
// "Text defaults"), so that a run without tuning flags gets the figure the
// README prints.
const (
	DefaultEmbed           = 64
	DefaultHidden          = 256
	DefaultLayers          = 2
	DefaultSeq             = 100
	DefaultBatch           = 16
	DefaultDropout         = 0.2 // between LSTM layers
	DefaultLR              = 2e-3
	DefaultFinalLR         = 0.05 // cosine decay to 5% of LR over the run
	DefaultAR              = 2    // activation regularisation, AWD-LSTM's alpha
	DefaultClip            = 5
	DefaultEpochs          = 10
	DefaultValEvery        = 200
	DefaultValSymbols      = 1 << 20
	DefaultSampleLength    = 200
	DefaultSampleTemp      = 0.8
	DefaultCheckpointEvery = 5 * time.Minute
)

// NoValidation as TrainOptions.ValFraction holds nothing out for
// validation; NoPreview as TrainOptions.SampleLength generates no previews.
const (
	NoValidation = -1
	NoPreview    = -1
)

// Defaults returns the text domain's defaults of the shared training
// settings: the values that zero fields of core.TrainOptions take.
func Defaults() core.TrainOptions {
	return core.TrainOptions{LR: DefaultLR, Clip: DefaultClip, Decay: core.DecayCosine, FinalLR: DefaultFinalLR, Precision: core.PrecisionAuto,
		ValEvery: DefaultValEvery, Epochs: DefaultEpochs, CheckpointEvery: DefaultCheckpointEvery,
		Regularization: core.Regularization{AR: DefaultAR}}
}

// TrainOptions configures Train: the shared training settings (see
// core.TrainOptions; here LR defaults to DefaultLR, Clip to DefaultClip,
// Decay to cosine down to DefaultFinalLR, AR to DefaultAR, Precision to
// auto (bf16 mixed precision where the CPU runs it faster: AMX, or
// AMD's AVX-512 BF16), ValEvery to DefaultValEvery, and without Steps,
// Epochs or MaxTime a run stops after DefaultEpochs epochs) and the text
// model's own. The zero value of each field is the documented default.
type TrainOptions struct {
	core.TrainOptions

	Tokenizer string `json:"tokenizer"`            // KindChar (default), KindByte or KindBPE
	VocabSize int    `json:"vocab_size,omitempty"` // BPE vocabulary size; 0 means DefaultBPEVocabSize

	Embed   int     `json:"embed"`   // embedding width; 0 means DefaultEmbed
	Hidden  int     `json:"hidden"`  // LSTM width; 0 means DefaultHidden
	Layers  int     `json:"layers"`  // LSTM layers; 0 means DefaultLayers
	Dropout float32 `json:"dropout"` // dropout between LSTM layers while training, in [0, 1); 0 means DefaultDropout, core.Off none

	Seq   int `json:"seq"`   // window length (steps of backpropagation through time); 0 means DefaultSeq
	Batch int `json:"batch"` // parallel streams; 0 means DefaultBatch

	// ValFraction is the share of the corpus held out for validation when
	// Train gets no separate validation text; 0 means DefaultValFraction,
	// NoValidation means none.
	ValFraction float64 `json:"val_fraction"`
	ValSymbols  int     `json:"val_symbols"` // validate on at most this many symbols; 0 means DefaultValSymbols

	SampleLength      int     `json:"-"` // tokens of the preview after each validation; 0 means DefaultSampleLength, NoPreview none
	SampleTemperature float32 `json:"-"` // 0 means DefaultSampleTemp
	// Preview, if not nil, receives a short generated text after each
	// validation, before the progress report that follows it.
	Preview func(string) `json:"-"`
}

// withDefaults fills the zero fields of the text settings.
func (o TrainOptions) withDefaults() TrainOptions {
	if o.Tokenizer == "" {
		o.Tokenizer = KindChar
	}
	if o.Tokenizer == KindBPE && o.VocabSize == 0 {
		o.VocabSize = DefaultBPEVocabSize
	}
	core.Default(&o.Embed, DefaultEmbed)
	core.Default(&o.Hidden, DefaultHidden)
	core.Default(&o.Layers, DefaultLayers)
	core.Default(&o.Seq, DefaultSeq)
	core.Default(&o.Batch, DefaultBatch)
	core.Default(&o.Dropout, DefaultDropout)
	core.Default(&o.ValSymbols, DefaultValSymbols)
	core.Default(&o.SampleLength, DefaultSampleLength)
	if o.ValFraction == 0 {
		o.ValFraction = DefaultValFraction
	}
	if o.SampleTemperature == 0 {
		o.SampleTemperature = DefaultSampleTemp
	}
	return o
}

// check rejects out-of-range text settings (after withDefaults).
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
	case !(o.Dropout >= 0 && o.Dropout < 1) && o.Dropout != core.Off:
		return bad("dropout %g outside [0, 1)", o.Dropout)
	case o.Seq < 0:
		return bad("window length %d is negative", o.Seq)
	case o.Batch < 0:
		return bad("batch size %d is negative", o.Batch)
	case o.ValFraction >= 1 || math.IsNaN(o.ValFraction):
		return bad("validation fraction %g must be below 1", o.ValFraction)
	case o.ValSymbols < 0:
		return bad("validation symbols %d is negative", o.ValSymbols)
	case o.SampleLength < 0 && o.SampleLength != NoPreview:
		return bad("sample length %d is negative", o.SampleLength)
	case !(o.SampleTemperature >= 0):
		return bad("sample temperature %g is negative", o.SampleTemperature)
	}
	return nil
}

// fingerprint identifies the training ids, so that a resumed run can check
// it reads the same text.
func fingerprint(ids []int32) string {
	var f core.Fingerprint
	var b [4]byte
	for _, id := range ids {
		binary.LittleEndian.PutUint32(b[:], uint32(id))
		f.Write(b[:])
	}
	return f.Sum()
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
// exactly; Load reads it as the best model. An existing opts.Out is
// replaced only with opts.Resume or opts.Force.
//
// Errors: out-of-range options; an existing model file without Resume or
// Force (wrapping core.ErrExists); a corpus the tokenizer rejects (binary or
// invalid UTF-8 for char) or too short for one window per stream (saying
// how many symbols it has and needs, wrapping ErrCorpusTooShort); a
// checkpoint to resume that is missing, of another domain or trained on
// another text; a loss that becomes non-finite (core.ErrNonFinite); a file
// that cannot be written. No model file is written when Train fails before
// training starts.
func Train(ctx context.Context, corpus, val string, opts TrainOptions) (*Model, core.Result, error) {
	h := &core.Harness{Domain: Domain, Options: &opts, Shared: &opts.TrainOptions, Defaults: Defaults()}
	tm, err := core.OpenModel(h, fromCheckpoint)
	if err != nil {
		return nil, core.Result{}, err
	}
	opts = opts.withDefaults()
	if err := opts.check(); err != nil {
		return nil, core.Result{}, err
	}
	if corpus == "" {
		return nil, core.Result{}, fmt.Errorf("text: training text is empty: %w", ErrCorpusTooShort)
	}

	// Tokenize. A char vocabulary covers the validation text too, as
	// char-rnn's does (it builds it before splitting).
	var tok Tokenizer
	if tm != nil {
		tok = tm.Tok
	} else {
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
	if err := h.SetData(len(trainIDs), fingerprint(trainIDs), "symbols"); err != nil {
		return nil, core.Result{}, err
	}

	// The model.
	if tm == nil {
		cfg := core.Config{Vocab: tok.Size(), Embed: opts.Embed, Hidden: opts.Hidden, Layers: opts.Layers, Dropout: max(opts.Dropout, 0)}
		if err := cfg.Validate(); err != nil {
			return nil, core.Result{}, fmt.Errorf("text: %w", err)
		}
		tm = &Model{Net: core.NewModel(cfg, rand.New(rand.NewPCG(opts.Seed, 0x1417))), Tok: tok}
	}
	net := tm.Net
	job := core.Job{
		Net: net, T: opts.Seq, B: opts.Batch, StepsPerEpoch: sb.StepsPerEpoch(),
		Data: &streamData{sb: sb, y: make([]int32, opts.Seq*opts.Batch)},
		Meta: tm.meta,
		Plan: core.Plan{
			Network: fmt.Sprintf("%s tokenizer of %d; LSTM %dx%d (embed %d, dropout %g)", tok.Kind(), tok.Size(),
				opts.Layers, opts.Hidden, opts.Embed, max(opts.Dropout, 0)),
			Unit: "symbols", TrainSize: len(trainIDs), ValSize: len(valIDs),
		},
	}
	if valIDs != nil {
		streams := max(1, min(opts.Batch, len(valIDs)/(opts.Seq+1)))
		previewSeed := opts.Seed
		job.Validate = func(core.Network) (float64, error) {
			nll, n, err := evalStreams(context.Background(), net, valIDs, streams, opts.Seq)
			if err != nil {
				return 0, err
			}
			v := nll / float64(n)
			if opts.Preview != nil && opts.SampleLength > 0 {
				previewSeed++
				s, err := tm.Samples(context.Background(), GenerateOptions{
					Length: opts.SampleLength, Temperature: opts.SampleTemperature, Seed: previewSeed})
				if err != nil {
					return 0, err
				}
				opts.Preview(s[0])
			}
			return v, nil
		}
	}
	res, err := h.Run(ctx, job)
	if err != nil {
		return nil, res, err
	}
	return tm, res, nil
}
