// Training: whole images (or windows of rows) in seeded random order as
// core.Batch windows, trained by core.Trainer, with a held-out part for
// validation and checkpoints that --resume continues exactly.

package pixels

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/arkit-go/arkit/core"
)

// TrainOptions says how Train runs. The zero value of each field is its
// default.
type TrainOptions struct {
	Batch int // images per step; 0 means 32
	// WindowRows splits each image into windows of this many rows, trained
	// one after the other with the state carried between them (truncated
	// backpropagation through time): more, cheaper steps. 0 means whole
	// images.
	WindowRows int

	Steps   int           // stop at this many steps in all (0: no limit)
	MaxTime time.Duration // stop after this much time (0: no limit)
	LR      float32       // Adam learning rate; 0 means 2e-3
	// Schedule of the learning rate; the zero value with Steps > 0 means
	// cosine decay to 5% over Steps, and without Steps a constant rate.
	Schedule core.Schedule
	Clip     float32 // gradient-norm limit; 0 means 1
	Seed     uint64  // image order, the held-out part, class drop, dropout

	// ClassDrop is the fraction of images a class-conditional model sees
	// without their class, so that it also samples and completes when none
	// is given. 0 means never.
	ClassDrop float64

	// Validation: ValImages images of the training set, chosen by Seed, are
	// held out; or Val is used when it is not nil. Validation runs every
	// ValEvery steps (0 means 200) and at the end; the model ends with the
	// parameters of the best validation. Patience stops training after that
	// many validations without improvement (0: off). With Resume, ValEvery
	// and Patience left at 0 are the saved run's.
	ValImages int
	Val       *Dataset
	ValEvery  int
	Patience  int

	// Out, if not empty, receives checkpoints: every CheckpointEvery (0
	// means 5 minutes) and at the end, with the training state.
	Out             string
	CheckpointEvery time.Duration

	// Resume continues the training state the model was loaded with (see
	// LoadCheckpoint): the optimizer, the step counter and the image order.
	// Batch, WindowRows, Seed, ClassDrop and ValImages then come from the
	// checkpoint.
	Resume bool

	// Progress, if not nil, is called after every step.
	Progress func(core.Progress)
}

// trainSettings are the options that fix the sequence of batches, saved in
// checkpoints so that a resumed run sees the same batches.
type trainSettings struct {
	Seed       uint64  `json:"seed"`
	Batch      int     `json:"batch"`
	WindowRows int     `json:"window_rows"`
	ClassDrop  float64 `json:"class_drop"`
	ValImages  int     `json:"val_images"`
	Images     int     `json:"images"` // size of the training set given
	ValEvery   int     `json:"val_every,omitempty"`
	Patience   int     `json:"patience,omitempty"`
}

// Train trains m on d's images and returns how training ended. d must have
// the model's format; a class-conditional model uses d's labels (an image
// whose class the model does not know is trained without one).
// Cancellation through ctx is not an error: the run validates, checkpoints
// and returns. Errors come from the data, the options, the checkpoint file
// or a diverging loss (wrapping core.ErrNonFinite).
func (m *Model) Train(ctx context.Context, d *Dataset, opts TrainOptions) (core.Result, error) {
	if err := m.checkData(d); err != nil {
		return core.Result{}, err
	}
	s := &trainSettings{Seed: opts.Seed, Batch: opts.Batch, WindowRows: opts.WindowRows,
		ClassDrop: opts.ClassDrop, ValImages: opts.ValImages, Images: len(d.Images),
		ValEvery: opts.ValEvery, Patience: opts.Patience}
	if s.Batch == 0 {
		s.Batch = 32
	}
	if opts.Resume {
		if m.saved == nil {
			return core.Result{}, fmt.Errorf("pixels: resume: the model holds no training state")
		}
		if m.best {
			return core.Result{}, fmt.Errorf("pixels: resume: the model was loaded with its best parameters (LoadModel); load it with LoadCheckpoint to continue")
		}
		if m.saved.Images != len(d.Images) {
			return core.Result{}, fmt.Errorf("pixels: resume: the run trained on %d images, this data has %d", m.saved.Images, len(d.Images))
		}
		saved := *m.saved
		s = &saved
		// The validation schedule may change; by default it does not, so
		// that the run validates and stops early as an uninterrupted one.
		if opts.ValEvery != 0 {
			s.ValEvery = opts.ValEvery
		}
		if opts.Patience != 0 {
			s.Patience = opts.Patience
		}
	}
	switch {
	case s.Batch < 0 || s.Batch > 1<<16:
		return core.Result{}, fmt.Errorf("pixels: batch of %d images outside 1..%d", s.Batch, 1<<16)
	case s.WindowRows < 0 || s.WindowRows > m.Raster.H:
		return core.Result{}, fmt.Errorf("pixels: window of %d rows outside 0..%d (the height)", s.WindowRows, m.Raster.H)
	case !(s.ClassDrop >= 0 && s.ClassDrop <= 1):
		return core.Result{}, fmt.Errorf("pixels: class drop %v outside [0, 1]", s.ClassDrop)
	case s.ValImages < 0 || (s.ValImages > 0 && s.ValImages >= len(d.Images)):
		return core.Result{}, fmt.Errorf("pixels: cannot hold out %d of %d images for validation", s.ValImages, len(d.Images))
	case opts.Steps < 0 || opts.MaxTime < 0 || opts.LR < 0 || opts.Clip < 0 || opts.ValEvery < 0 || opts.Patience < 0:
		return core.Result{}, fmt.Errorf("pixels: negative training option in %+v", opts)
	}
	train, val := d, opts.Val
	if s.ValImages > 0 {
		train, val = d.Split(s.ValImages, s.Seed)
	}
	if val != nil {
		if err := m.checkData(val); err != nil {
			return core.Result{}, fmt.Errorf("validation set: %w", err)
		}
	}
	data := newBatches(m, train, s)
	lr := opts.LR
	if lr == 0 {
		lr = 2e-3
	}
	clip := opts.Clip
	if clip == 0 {
		clip = 1
	}
	sched := opts.Schedule
	if sched == (core.Schedule{}) && opts.Steps > 0 {
		sched = core.Schedule{Decay: "cosine", Steps: opts.Steps, Final: 0.05}
	}
	tr := &core.Trainer{
		Model: m.Net, Optimizer: &core.Adam{LR: lr}, Schedule: sched, Clip: clip,
		T: data.T, B: s.Batch, Steps: opts.Steps, MaxTime: opts.MaxTime, Seed: s.Seed,
		ValEvery: s.ValEvery, Patience: s.Patience, KeepBest: val != nil,
		Progress: opts.Progress, CheckpointEvery: opts.CheckpointEvery,
	}
	if tr.CheckpointEvery == 0 {
		tr.CheckpointEvery = 5 * time.Minute
	}
	if val != nil {
		eo := EvalOptions{Batch: s.Batch, WindowRows: s.WindowRows}
		tr.Validate = func(core.Network) (float64, error) {
			sc, err := m.Evaluate(context.WithoutCancel(ctx), val, eo)
			return sc.NatsPerDim(), err
		}
	}
	if opts.Out != "" {
		tr.Checkpoint = func(tr *core.Trainer) error { return m.saveCheckpoint(opts.Out, tr, s) }
	}
	if opts.Resume {
		m.ckpt.Resume(tr)
	}
	res, err := tr.Run(ctx, data)
	if err != nil {
		return res, fmt.Errorf("pixels: training: %w", err)
	}
	return res, nil
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
	s       *trainSettings
	T       int // sub-pixels per window
	windows int // windows per image

	loaded   int // image batch in cur, -1 for none
	cur      [][]uint8
	curClass []int
	perms    map[int][]int // epoch -> permutation (the last two epochs)
}

func newBatches(m *Model, d *Dataset, s *trainSettings) *batches {
	r := m.Raster
	T := r.Len()
	if s.WindowRows > 0 {
		T = s.WindowRows * r.W * r.C
	}
	b := &batches{r: r, imgs: d.Images, labels: m.labels(d), s: s, T: T,
		windows: (r.Len() + T - 1) / T, loaded: -1,
		cur: make([][]uint8, s.Batch), perms: map[int][]int{}}
	if b.labels != nil {
		b.curClass = make([]int, s.Batch)
	}
	return b
}

func (d *batches) perm(epoch int) []int {
	p, ok := d.perms[epoch]
	if !ok {
		delete(d.perms, epoch-2)
		p = rand.New(rand.NewPCG(d.s.Seed, uint64(epoch))).Perm(len(d.imgs))
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
			if d.s.ClassDrop > 0 && rand.New(rand.NewPCG(d.s.Seed^0xc1a55, uint64(pos))).Float64() < d.s.ClassDrop {
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
