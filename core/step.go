// The autoregressive step: the one interface generation is written against.

package core

// Step is one autoregressive step for a batch of sequences: given the state
// and the current input, it writes the parameters of the next element's
// distribution and advances the state.
type Step interface {
	// NewState returns the zero state for b sequences.
	NewState(b int) *State
	// Next advances st by in and writes b×OutSize() raw outputs to out.
	Next(st *State, in Input, out []float32)
	// OutSize is the number of raw outputs per element.
	OutSize() int
	// Likelihood interprets the raw outputs.
	Likelihood() Likelihood
	// Inputs reports whether each step takes a token and how many
	// real-valued features.
	Inputs() (tokens bool, features int)
}
