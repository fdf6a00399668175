// Training: whole images (or windows of rows) in seeded random order as
// core.Batch windows, with a held-out part (or a separate set) for
// validation. core.Harness does the rest: defaults, the settings saved in
// the model file and locked on resume, checkpoints, the schedule.

package pixels

import (
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/arkit-go/arkit/core"
)

// Defaults of TrainOptions.
const (
	DefaultHidden          = 128
	DefaultLayers          = 1
	DefaultEmbed           = 16
	DefaultBatch           = 32
	DefaultLR              = 2e-3
	DefaultClip            = 1
	DefaultFinalLR         = 0.05
	DefaultValEvery        = 200
	DefaultValImages       = 1000
	DefaultCheckpointEvery = 5 * time.Minute
	DefaultTiers           = 1
	// The row tier of two tiers: 1x256 giving 32 values per sub-pixel. On
	// binarized MNIST in an hour, 1x512 giving 64 overfitted (validation
	// 81.47 nats under a 1x256 step network, against 80.59 for 1x256 giving
	// 32 under 2x256; docs/benchmarks.md, "A row tier").
	DefaultFrameHidden = 256
	DefaultFrameLayers = 1
	DefaultCond        = 32
)

// NoValidation as TrainOptions.ValImages holds no image out for validation.
const NoValidation = -1

// Defaults returns the pixels domain's defaults of the shared training
// settings: the values that zero fields of core.TrainOptions take. The
// learning rate decays along a cosine to DefaultFinalLR of itself over the
// run's steps, or over its time budget when only MaxTime limits it. There
// is no default limit: without Steps, Epochs or MaxTime a run trains until
// its context is canceled. The products run in bf16 where the CPU makes
// that faster (core.PrecisionAuto: AMX, or AMD's AVX-512 BF16): on
// binarized MNIST 1.6-2.4x the images per second of fp32 at widths 128 and
// 256 on AMX, and the same validation after the same 4,000 steps (87.40
// against 87.24 nats per image; docs/benchmarks.md, "bf16 training on
// binarized MNIST").
func Defaults() core.TrainOptions {
	return core.TrainOptions{LR: DefaultLR, Clip: DefaultClip, Decay: core.DecayCosine, FinalLR: DefaultFinalLR,
		ValEvery: DefaultValEvery, CheckpointEvery: DefaultCheckpointEvery, Precision: core.PrecisionAuto}
}

// TrainOptions configures Train: the shared training settings (see
// core.TrainOptions and Defaults) and the pixel model's own. The zero value
// of each field is the documented default. The fields with a JSON name are
// saved in the model file and locked on resume.
type TrainOptions struct {
	core.TrainOptions

	// Tiers is 1 (one LSTM stack over the raster sequence) or 2 (the stack
	// conditioned by a row-level LSTM that reads each image row once it is
	// complete: a core.Tiered whose frames are rows); 0 means DefaultTiers.
	// FrameHidden, FrameLayers and Cond shape the row tier (two tiers only;
	// 0 means their defaults).
	Tiers       int `json:"tiers"`
	FrameHidden int `json:"frame_hidden"`
	FrameLayers int `json:"frame_layers"`
	Cond        int `json:"cond"`

	Hidden  int     `json:"hidden"`  // LSTM width; 0 means DefaultHidden
	Layers  int     `json:"layers"`  // LSTM layers; 0 means DefaultLayers
	Embed   int     `json:"embed"`   // width of the previous level's embedding; 0 means DefaultEmbed
	Dropout float32 `json:"dropout"` // dropout between LSTM layers while training, in [0, 1)
	// Context is the reach of the causal neighbourhood the features carry
	// (see Raster.Context); 0 means DefaultContext.
	Context int `json:"context"`
	// Unconditional trains a model that ignores the classes. By default a
	// model is class-conditional when the training images are labelled.
	Unconditional bool `json:"unconditional"`

	Batch int `json:"batch"` // images per step; 0 means DefaultBatch
	// WindowRows splits each image into windows of this many rows, trained
	// one after the other with the state carried between them (truncated
	// backpropagation through time): more, cheaper steps. 0 means whole
	// images.
	WindowRows int `json:"window_rows"`
	// ClassDrop is the fraction of images a class-conditional model sees
	// without their class, so that it also samples and completes when none
	// is given. 0 means never.
	ClassDrop float64 `json:"class_drop"`
	// ValImages images of the training set, chosen by Seed, are held out
	// for validation when Train gets no validation set, at most a fifth of
	// them; 0 means DefaultValImages, NoValidation none.
	ValImages int `json:"val_images"`
}

// withDefaults fills the zero fields of the pixels settings.
func (o TrainOptions) withDefaults() TrainOptions {
	core.Default(&o.Hidden, DefaultHidden)
	core.Default(&o.Layers, DefaultLayers)
	core.Default(&o.Embed, DefaultEmbed)
	core.Default(&o.Context, DefaultContext)
	core.Default(&o.Batch, DefaultBatch)
	core.Default(&o.ValImages, DefaultValImages)
	core.Default(&o.Tiers, DefaultTiers)
	if o.Tiers == 2 {
		core.Default(&o.FrameHidden, DefaultFrameHidden)
		core.Default(&o.FrameLayers, DefaultFrameLayers)
		core.Default(&o.Cond, DefaultCond)
	} else {
		o.FrameHidden, o.FrameLayers, o.Cond = 0, 0, 0
	}
	return o
}

// check rejects out-of-range pixels settings (after withDefaults).
func (o TrainOptions) check() error {
	bad := func(format string, args ...any) error { return fmt.Errorf("pixels: "+format, args...) }
	switch {
	case o.Hidden < 0 || o.Layers < 0 || o.Embed < 0:
		return bad("negative size: hidden %d, layers %d, embed %d", o.Hidden, o.Layers, o.Embed)
	case o.Tiers < 1 || o.Tiers > 2:
		return bad("tiers %d: want 1 or 2", o.Tiers)
	case o.FrameHidden < 0 || o.FrameLayers < 0 || o.Cond < 0:
		return bad("negative row tier size: frame hidden %d, frame layers %d, cond %d", o.FrameHidden, o.FrameLayers, o.Cond)
	case o.FrameHidden > 8192 || o.FrameLayers > 16 || o.Cond > 4096:
		return bad("row tier of frame hidden %d, frame layers %d, cond %d is too large: %w", o.FrameHidden, o.FrameLayers, o.Cond, ErrTooLarge)
	case o.Hidden > 8192 || o.Layers > 16 || o.Embed > 4096:
		return bad("network of hidden %d, layers %d, embed %d is too large: %w", o.Hidden, o.Layers, o.Embed, ErrTooLarge)
	case !(o.Dropout >= 0 && o.Dropout < 1):
		return bad("dropout %g outside [0, 1)", o.Dropout)
	case o.Context < 1 || o.Context > MaxContext:
		return bad("context %d outside 1..%d", o.Context, MaxContext)
	case o.Batch < 1 || o.Batch > 1<<16:
		return bad("batch of %d images outside 1..%d", o.Batch, 1<<16)
	case o.WindowRows < 0:
		return bad("window of %d rows is negative", o.WindowRows)
	case !(o.ClassDrop >= 0 && o.ClassDrop <= 1):
		return bad("class drop %v outside [0, 1]", o.ClassDrop)
	case o.ValImages < 0 && o.ValImages != NoValidation:
		return bad("%d validation images is negative", o.ValImages)
	}
	return nil
}

// fingerprint identifies the training images and their labels, so that a
// resumed run can check it reads the same data.
func fingerprint(d *Dataset) string {
	var f core.Fingerprint
	var b [8]byte
	for i, img := range d.Images {
		f.Write(img)
		if d.Labels != nil {
			binary.LittleEndian.PutUint64(b[:], uint64(d.Labels[i]))
			f.Write(b[:])
			f.Write([]byte(d.ClassNames[d.Labels[i]]))
		}
	}
	return f.Sum()
}

// Train trains a model on train's images and returns it with the
// parameters of its best validation (its last ones without validation) and
// how training ended. It validates on val or, when val is nil, on
// opts.ValImages images held out of train (see Dataset.Split). A new model
// has train's format (size, channels, levels) and, unless
// opts.Unconditional, is conditioned on its classes when the images are
// labelled; val, and train when resuming, must have the model's format.
// Canceling ctx stops training cleanly: Train validates, writes the
// checkpoint and returns with Result.Reason "canceled" and no error.
//
// With opts.Out set, the file holds the model and the training state (the
// last parameters, the optimizer's moments and the best parameters), so
// that opts.Resume continues the run exactly on the same images; Load reads
// it as the best model. An existing opts.Out is replaced only with
// opts.Resume or opts.Force.
//
// Errors: out-of-range options; an existing model file without Resume or
// Force (wrapping core.ErrExists); no images (ErrNoImages) or images of
// another format than the model's; a checkpoint to resume that is missing,
// of another domain or trained on other images; a loss that becomes
// non-finite (core.ErrNonFinite); a file that cannot be written. No model
// file is written when Train fails before training starts.
func Train(ctx context.Context, train, val *Dataset, opts TrainOptions) (*Model, core.Result, error) {
	h := &core.Harness{Domain: Domain, Options: &opts, Shared: &opts.TrainOptions, Defaults: Defaults()}
	m, err := core.OpenModel(h, fromCheckpoint)
	if err != nil {
		return nil, core.Result{}, err
	}
	opts = opts.withDefaults()
	if err := opts.check(); err != nil {
		return nil, core.Result{}, err
	}
	if train == nil || len(train.Images) == 0 {
		return nil, core.Result{}, fmt.Errorf("pixels: training set: %w", ErrNoImages)
	}
	if err := train.Validate(); err != nil {
		return nil, core.Result{}, fmt.Errorf("training set: %w", err)
	}
	if val == nil && opts.ValImages > 0 {
		if n := min(opts.ValImages, len(train.Images)/5); n > 0 {
			train, val = train.Split(n, opts.Seed)
		}
	}

	// The model.
	if m == nil {
		if m, err = newModel(train, opts); err != nil {
			return nil, core.Result{}, err
		}
	}
	r := m.Raster
	if err := m.checkData(train); err != nil {
		return nil, core.Result{}, fmt.Errorf("training set: %w", err)
	}
	if val != nil {
		if err := m.checkData(val); err != nil {
			return nil, core.Result{}, fmt.Errorf("validation set: %w", err)
		}
	}
	if opts.WindowRows > r.H {
		return nil, core.Result{}, fmt.Errorf("pixels: window of %d rows outside 0..%d (the height)", opts.WindowRows, r.H)
	}
	if err := h.SetData(len(train.Images), fingerprint(train), "images"); err != nil {
		return nil, core.Result{}, err
	}

	data := newBatches(m, train, opts)
	job := core.Job{
		Net: m.Net, Data: data, T: data.T, B: opts.Batch,
		StepsPerEpoch: (len(train.Images) + opts.Batch - 1) / opts.Batch * data.windows,
		Meta:          m.Meta,
		Plan: core.Plan{
			Network: m.describe(), Unit: "pixels", TrainSize: len(train.Images) * r.Len(),
		},
	}
	if val != nil {
		job.Plan.ValSize = len(val.Images) * r.Len()
		eo := EvalOptions{Batch: opts.Batch, WindowRows: opts.WindowRows}
		job.Validate = func(core.Network) (float64, error) {
			sc, err := m.Evaluate(context.WithoutCancel(ctx), val, eo)
			return sc.NatsPerDim(), err
		}
	}
	res, err := h.Run(ctx, job)
	if err != nil {
		return nil, res, err
	}
	return m, res, nil
}

// Split returns d without n of its images, chosen at random by seed, and
// those n images, both in d's order. The images are shared, not copied. It
// panics unless 0 <= n <= len(d.Images).
func (d *Dataset) Split(n int, seed uint64) (rest, held *Dataset) {
	if n < 0 || n > len(d.Images) {
		panic(fmt.Sprintf("pixels: Split: %d of %d images", n, len(d.Images)))
	}
	pick := make([]bool, len(d.Images))
	for _, i := range rand.New(rand.NewPCG(seed, 0x5eed)).Perm(len(d.Images))[:n] {
		pick[i] = true
	}
	var a, b []int
	for i, p := range pick {
		if p {
			b = append(b, i)
		} else {
			a = append(a, i)
		}
	}
	return d.Subset(a), d.Subset(b)
}

// Subset returns the images of d at the given indices, in that order, with
// their labels. The images are shared, not copied. It panics if an index is
// out of range.
func (d *Dataset) Subset(indices []int) *Dataset {
	out := *d
	out.Images = make([][]uint8, len(indices))
	if d.Labels != nil {
		out.Labels = make([]int, len(indices))
	}
	for k, i := range indices {
		if i < 0 || i >= len(d.Images) {
			panic(fmt.Sprintf("pixels: Subset: index %d of %d images", i, len(d.Images)))
		}
		out.Images[k] = d.Images[i]
		if d.Labels != nil {
			out.Labels[k] = d.Labels[i]
		}
	}
	return &out
}

// batches feeds core.Trainer: step k is window k%W of image batch k/W, where
// W is the number of windows per image. Image batches walk through a fresh
// seeded permutation of the training images each epoch, so a step's window
// depends on the step number alone.
type batches struct {
	r       Raster
	imgs    [][]uint8
	labels  []int // model class per image, nil for none
	seed    uint64
	drop    float64 // ClassDrop
	T       int     // sub-pixels per window
	windows int     // windows per image

	loaded   int // image batch in cur, -1 for none
	cur      [][]uint8
	curClass []int
	perms    map[int][]int // epoch -> permutation (the last two epochs)
}

var _ core.Data = (*batches)(nil)

func newBatches(m *Model, d *Dataset, o TrainOptions) *batches {
	r := m.Raster
	T := r.Len()
	if o.WindowRows > 0 {
		T = o.WindowRows * r.W * r.C
	}
	b := &batches{r: r, imgs: d.Images, labels: m.labels(d), seed: o.Seed, drop: o.ClassDrop, T: T,
		windows: (r.Len() + T - 1) / T, loaded: -1,
		cur: make([][]uint8, o.Batch), perms: map[int][]int{}}
	if b.labels != nil {
		b.curClass = make([]int, o.Batch)
	}
	return b
}

func (d *batches) perm(epoch int) []int {
	p, ok := d.perms[epoch]
	if !ok {
		delete(d.perms, epoch-2)
		p = rand.New(rand.NewPCG(d.seed, uint64(epoch))).Perm(len(d.imgs))
		d.perms[epoch] = p
	}
	return p
}

// load puts the images of image batch k in cur.
func (d *batches) load(k int) {
	if d.loaded == k {
		return
	}
	n := len(d.imgs)
	for i := range d.cur {
		pos := k*len(d.cur) + i
		idx := d.perm(pos / n)[pos%n]
		d.cur[i] = d.imgs[idx]
		if d.curClass != nil {
			d.curClass[i] = d.labels[idx]
			if d.drop > 0 && rand.New(rand.NewPCG(d.seed^0xc1a55, uint64(pos))).Float64() < d.drop {
				d.curClass[i] = -1
			}
		}
	}
	d.loaded = k
}

func (d *batches) Batch(step int, b *core.Batch) (bool, error) {
	k, w := step/d.windows, step%d.windows
	d.load(k)
	fill(b, d.r, d.cur, d.curClass, w*d.T, len(d.cur))
	return w == 0, nil
}

// fill writes into b the window of sub-pixels t0 .. t0+b.T-1 of imgs (the
// first n of b.B rows; the others and any position past the image end get
// mask weight 0).
func fill(b *core.Batch, r Raster, imgs [][]uint8, classes []int, t0, n int) {
	B, F, L := b.B, r.FeatureDim(), r.Len()
	full := n == B && t0+b.T <= L
	if full {
		b.Mask = nil
	} else if len(b.Mask) != b.T*B {
		b.Mask = make([]float32, b.T*B)
	}
	for s := range b.T {
		t := t0 + s
		toks := b.Tokens[s*B : (s+1)*B]
		feats := b.Features[s*B*F : (s+1)*B*F]
		tgt := b.Targets[s*B : (s+1)*B]
		if t >= L {
			clear(toks)
			clear(feats)
			clear(tgt)
			clear(b.Mask[s*B : (s+1)*B])
			continue
		}
		var cl []int
		if classes != nil {
			cl = classes[:n]
		}
		r.BatchInputTokens(toks[:n], imgs[:n], t)
		r.BatchFeatures(feats[:n*F], imgs[:n], t, cl)
		for i, img := range imgs[:n] {
			tgt[i] = float32(img[t])
		}
		if !full {
			mask := b.Mask[s*B : (s+1)*B]
			for i := range mask {
				mask[i] = float32(min(1, max(0, n-i)))
			}
			clear(toks[n:])
			clear(feats[n*F:])
			clear(tgt[n:])
		}
	}
}

// NatsPerDim returns the score's mean negative log-likelihood per sub-pixel
// in nats.
func (s Score) NatsPerDim() float64 {
	if s.Dims == 0 {
		return math.NaN()
	}
	return s.NatsPerImage / float64(s.Dims)
}
