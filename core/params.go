// Parameters live in one flat slice (and their gradients in another) so that
// the optimizer, gradient clipping, checkpointing and the gradient check are
// each a single loop. A Param is a named view into both.

package core

import "fmt"

// Param is one named tensor of a model: a view into the model's flat weight
// and gradient slices, with the shape PyTorch gives the same tensor.
type Param struct {
	Name  string
	Shape []int
	W, G  []float32
	// Decay reports whether decoupled weight decay (AdamW) applies: true for
	// weight matrices, false for biases and embeddings.
	Decay bool
}

// Params is the ordered set of a model's parameters.
type Params struct {
	W, G []float32 // all weights and all gradients, concatenated
	List []*Param
}

type paramSpec struct {
	name  string
	shape []int
	decay bool
}

func numel(shape []int) int {
	n := 1
	for _, d := range shape {
		n *= d
	}
	return n
}

func newParams(specs []paramSpec) *Params {
	total := 0
	for _, s := range specs {
		total += numel(s.shape)
	}
	p := &Params{W: make([]float32, total), G: make([]float32, total)}
	off := 0
	for _, s := range specs {
		n := numel(s.shape)
		p.List = append(p.List, &Param{
			Name: s.name, Shape: append([]int(nil), s.shape...),
			W: p.W[off : off+n : off+n], G: p.G[off : off+n : off+n], Decay: s.decay,
		})
		off += n
	}
	return p
}

// ZeroGrad clears every gradient.
func (p *Params) ZeroGrad() { clear(p.G) }

// Get returns the parameter with the given name, or nil.
func (p *Params) Get(name string) *Param {
	for _, q := range p.List {
		if q.Name == name {
			return q
		}
	}
	return nil
}

// Count returns the number of scalar parameters.
func (p *Params) Count() int { return len(p.W) }

func (q *Param) String() string { return fmt.Sprintf("%s%v", q.Name, q.Shape) }
