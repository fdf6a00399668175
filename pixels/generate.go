// Generation: whole batches of images drawn sub-pixel by sub-pixel through
// core.Generator, from scratch (Sample) or after priming the known top rows
// of images (Complete).

package pixels

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/arkit-go/arkit/core"
)

// SampleOptions says how images are drawn. The zero value of each field is
// its default.
type SampleOptions struct {
	// Temperature divides the logits: below 1 gives cleaner, more typical
	// images, above 1 more varied ones. 0 means 1.
	Temperature float32
	// Class names the class to draw for a class-conditional model; "" draws
	// without a class (Complete: the image's own class when known).
	Class string
	Seed  uint64 // seeds the draws
	// Batch bounds how many images are generated at once; 0 means all.
	Batch int
}

// feeder is the core.Feeder of a batch of images: the input of step t is
// the previous sub-pixel's level and the causal context of sub-pixel
// offset+t, read from the images drawn or known so far; each draw is
// written into the images.
type feeder struct {
	r       Raster
	imgs    [][]uint8
	classes []int // nil for none
	offset  int   // sub-pixels before step 0
}

var _ core.Feeder = (*feeder)(nil)

func (f *feeder) Input(t int, in *core.Input) {
	t += f.offset
	f.r.BatchInputTokens(in.Tokens, f.imgs, t)
	f.r.BatchFeatures(in.Features, f.imgs, t, f.classes)
}

func (f *feeder) Emit(t int, y []float32) bool {
	t += f.offset
	for b, img := range f.imgs {
		img[t] = uint8(y[b])
	}
	return true
}

// generator returns a core.Generator over m with opts' temperature and seed.
func (m *Model) generator(opts SampleOptions) (*core.Generator, error) {
	temp := opts.Temperature
	if temp == 0 {
		temp = 1
	}
	if !(temp > 0 && temp <= 100) || opts.Batch < 0 {
		return nil, fmt.Errorf("pixels: temperature %g outside (0, 100] or negative batch %d", opts.Temperature, opts.Batch)
	}
	return &core.Generator{
		Step:    m.Net,
		Sampler: core.Sampler{Temperature: temp},
		Rand:    rand.New(rand.NewPCG(opts.Seed, 0x5a3d1e)),
	}, nil
}

// Sample draws n images (each Raster.Len() levels) in batches of
// opts.Batch, all sub-pixels of a batch at once. The same model, n and
// options give the same images.
func (m *Model) Sample(ctx context.Context, n int, opts SampleOptions) ([][]uint8, error) {
	if n < 1 {
		return nil, fmt.Errorf("pixels: %d images to sample; want at least 1", n)
	}
	class, err := m.classIndex(opts.Class)
	if err != nil {
		return nil, err
	}
	g, err := m.generator(opts)
	if err != nil {
		return nil, err
	}
	r := m.Raster
	out := make([][]uint8, n)
	data := make([]uint8, n*r.Len())
	for i := range out {
		out[i] = data[i*r.Len() : (i+1)*r.Len() : (i+1)*r.Len()]
	}
	var classes []int
	if r.Classes > 0 {
		classes = make([]int, n)
		for i := range classes {
			classes[i] = class
		}
	}
	B := opts.Batch
	if B == 0 {
		B = n
	}
	for start := 0; start < n; start += B {
		end := min(n, start+B)
		f := &feeder{r: r, imgs: out[start:end]}
		if classes != nil {
			f.classes = classes[start:end]
		}
		st := m.Net.NewState(end - start)
		if err := g.Run(ctx, st, r.Len(), f); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Complete draws n completions of each of d's images: the top keepRows
// rows are kept and fed to the model (core.Generator.Prime), the rows below
// drawn. All len(d.Images)*n completions of a batch are generated at once.
// completions[i][j] is the j-th completion of image i. A class-conditional
// model is given opts.Class if set, else each image's class when d is
// labelled with class names it knows, else no class.
func (m *Model) Complete(ctx context.Context, d *Dataset, keepRows, n int, opts SampleOptions) ([][][]uint8, error) {
	if err := m.checkData(d); err != nil {
		return nil, err
	}
	r := m.Raster
	switch {
	case keepRows < 0 || keepRows >= r.H:
		return nil, fmt.Errorf("pixels: keeping %d rows of images %d high; want 0..%d", keepRows, r.H, r.H-1)
	case n < 1:
		return nil, fmt.Errorf("pixels: %d completions per image; want at least 1", n)
	}
	class, err := m.classIndex(opts.Class)
	if err != nil {
		return nil, err
	}
	g, err := m.generator(opts)
	if err != nil {
		return nil, err
	}
	labels := m.labels(d)
	total := len(d.Images) * n
	seqs := make([][]uint8, total)
	var classes []int
	if r.Classes > 0 {
		classes = make([]int, total)
	}
	out := make([][][]uint8, len(d.Images))
	data := make([]uint8, total*r.Len())
	for i, img := range d.Images {
		out[i] = make([][]uint8, n)
		for j := range n {
			k := i*n + j
			s := data[k*r.Len() : (k+1)*r.Len() : (k+1)*r.Len()]
			copy(s, img) // the hidden part is overwritten by the draws
			out[i][j], seqs[k] = s, s
			if classes != nil {
				classes[k] = class
				if opts.Class == "" {
					classes[k] = -1
					if labels != nil {
						classes[k] = labels[i]
					}
				}
			}
		}
	}
	known := keepRows * r.W * r.C
	B := opts.Batch
	if B == 0 {
		B = total
	}
	for start := 0; start < total; start += B {
		end := min(total, start+B)
		f := &feeder{r: r, imgs: seqs[start:end]}
		if classes != nil {
			f.classes = classes[start:end]
		}
		st := m.Net.NewState(end - start)
		if err := g.Prime(ctx, st, known, f); err != nil {
			return nil, err
		}
		f.offset = known
		if err := g.Run(ctx, st, r.Len()-known, f); err != nil {
			return nil, err
		}
	}
	return out, nil
}
