// The Network interface: what the Trainer trains. A Model is one; a Tiered
// (a frame-level LSTM conditioning a step-level Model) is another.

package core

import (
	"io"
	"math/rand/v2"
)

// Network is a trainable autoregressive network.
type Network interface {
	// Params returns all parameters and their gradients.
	Params() *Params
	// NewState returns the zero state for b sequences.
	NewState(b int) *State
	// NewBatch allocates a window of t steps for b sequences.
	NewBatch(t, b int) *Batch
	// Forward runs a window from st (updated to the state after it) and
	// returns the summed negative log-likelihood and mask weight; dropout is
	// active when rng is not nil.
	Forward(b *Batch, st *State, rng *rand.Rand) (nll, weight float64)
	// Backward adds the gradient of the last Forward's mean loss.
	Backward()
	// Tensors returns the parameters and metadata for a model file, with
	// the training state of tr when tr is not nil.
	Tensors(meta map[string]string, tr *Trainer) *Tensors
}

// Net is what a domain model holds: a Network that the Trainer trains, a
// Step that a Generator drives, saved as a model file, reading weights of a
// chosen precision. *Model (one LSTM stack) and *Tiered (two or three
// tiers) are Nets.
type Net interface {
	Network
	Step
	Save(path string, meta map[string]string, tr *Trainer) error
	// SetWeights chooses the precision of the weights Next reads
	// (generation, and evaluation when not fp32).
	SetWeights(w Weights)
	Weights() Weights
}

// Save writes n, its metadata and (with tr not nil) the training state to
// path atomically.
func Save(path string, n Network, meta map[string]string, tr *Trainer) error {
	ts := n.Tensors(meta, tr)
	return WriteFileAtomic(path, func(w io.Writer) error { return WriteTensors(w, ts) })
}

var (
	_ Network = (*Model)(nil)
	_ Network = (*Tiered)(nil)
	_ Step    = (*Tiered)(nil)
	_ Net     = (*Model)(nil)
	_ Net     = (*Tiered)(nil)
)
