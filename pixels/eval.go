// Evaluation: the negative log-likelihood of a set of images under a model,
// each image from the zero state: the network's Forward without dropout, or,
// when the model reads compact weights (Net.SetWeights), step by step as
// sampling runs.

package pixels

import (
	"context"
	"fmt"
	"math"

	"github.com/arkit-go/arkit/core"
)

// Score is the likelihood of a set of images under a model.
type Score struct {
	Images       int     `json:"images"`
	Dims         int     `json:"dims_per_image"` // sub-pixels per image: W*H*C
	NatsPerImage float64 `json:"nats_per_image"` // mean negative log-likelihood of an image
	BitsPerDim   float64 `json:"bits_per_dim"`   // the same per sub-pixel, in bits
	// Conditional reports that the images were scored given their classes
	// (p(x | class)), which is not comparable with unconditional figures.
	Conditional bool `json:"class_conditional"`
}

// EvalOptions says how Evaluate runs. The zero value of each field is its
// default.
type EvalOptions struct {
	Batch int // images per forward pass; 0 means 32
	// WindowRows runs each image in windows of this many rows, carrying the
	// state, to bound memory; 0 means whole images. The result is the same.
	WindowRows int
	// IgnoreLabels scores a class-conditional model's images without their
	// classes, even when the Dataset is labelled.
	IgnoreLabels bool
}

// Evaluate returns the likelihood of d's images under m. d must have the
// model's format. A class-conditional model is given the images' classes
// when d is labelled with class names the model knows (unless
// opts.IgnoreLabels); images of other classes are scored without one.
func (m *Model) Evaluate(ctx context.Context, d *Dataset, opts EvalOptions) (Score, error) {
	if err := m.checkData(d); err != nil {
		return Score{}, err
	}
	r := m.Raster
	if opts.Batch < 0 || opts.WindowRows < 0 || opts.WindowRows > r.H {
		return Score{}, fmt.Errorf("pixels: evaluation batch %d or window of %d rows out of range", opts.Batch, opts.WindowRows)
	}
	B := opts.Batch
	if B == 0 {
		B = 32
	}
	B = min(B, len(d.Images))
	T := r.Len()
	if opts.WindowRows > 0 {
		T = opts.WindowRows * r.W * r.C
	}
	var labels []int
	if !opts.IgnoreLabels {
		labels = m.labels(d)
	}
	batch := m.Net.NewBatch(T, B)
	st := m.Net.NewState(B)
	var nll float64
	for start := 0; start < len(d.Images); start += B {
		if err := ctx.Err(); err != nil {
			return Score{}, err
		}
		n := min(B, len(d.Images)-start)
		imgs := d.Images[start : start+n]
		var classes []int
		if labels != nil {
			classes = labels[start : start+n]
		}
		st.Reset()
		for t0 := 0; t0 < r.Len(); t0 += T {
			fill(batch, r, imgs, classes, t0, n)
			v, _, err := core.Score(ctx, m.Net, st, batch)
			if err != nil {
				return Score{}, err
			}
			nll += v
		}
	}
	if math.IsNaN(nll) || math.IsInf(nll, 0) {
		return Score{}, fmt.Errorf("pixels: evaluation: log-likelihood is %v", nll)
	}
	per := nll / float64(len(d.Images))
	return Score{
		Images: len(d.Images), Dims: r.Len(), NatsPerImage: per,
		BitsPerDim:  per / float64(r.Len()) / math.Ln2,
		Conditional: labels != nil,
	}, nil
}
