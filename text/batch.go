// Batchers cut a token sequence into (input, target) windows for training:
// StreamBatcher for stateful truncated backpropagation through time, where
// each batch row continues where it stopped, and RandomBatcher for training
// on independent random windows. Both fill time-major slices: element
// t*batch+b is step t of row b, and the target is the input one step later.

package text

import (
	"fmt"
	"math/rand/v2"
)

// StreamBatcher lays ids out as batch contiguous streams of length
// L = len(ids)/batch (the remainder is unused; stream b is
// ids[b*L:(b+1)*L]) and walks them window by window, as char-rnn does. After
// the last full window of an epoch it wraps around to the start. It is
// deterministic.
type StreamBatcher struct {
	ids           []int32
	batch, window int
	streamLen     int
	steps         int // windows per epoch
	step          int // next window in the current epoch
	epoch         int
}

// NewStreamBatcher returns a StreamBatcher over ids, which it keeps and
// reads but never changes. It returns an error if batch or window is not
// positive, and an error wrapping ErrCorpusTooShort, saying how many tokens
// there are and how many are needed, if a stream cannot hold one window plus
// its target.
func NewStreamBatcher(ids []int32, batch, window int) (*StreamBatcher, error) {
	if batch < 1 || window < 1 {
		return nil, fmt.Errorf("text: batch size %d and window %d must be positive", batch, window)
	}
	if need := batch * (window + 1); len(ids) < need {
		return nil, fmt.Errorf("text: corpus has %d tokens; %d streams with a window of %d need at least %d: %w",
			len(ids), batch, window, need, ErrCorpusTooShort)
	}
	l := len(ids) / batch
	return &StreamBatcher{ids: ids, batch: batch, window: window, streamLen: l, steps: (l - 1) / window}, nil
}

// Next fills x with the next window of every stream and y with the same
// window shifted one step ahead, both time-major with length window*batch:
// x[t*batch+b] = stream_b[pos+t] and y[t*batch+b] = stream_b[pos+t+1].
// It reports whether this batch starts an epoch, where a stateful model
// must reset its state because the streams jump back to their starts.
// The first batch starts an epoch. Next panics if len(x) or len(y) is not
// window*batch.
func (s *StreamBatcher) Next(x, y []int32) (reset bool) {
	checkBatchLen(x, y, s.window*s.batch)
	reset = s.step == 0
	pos := s.step * s.window
	for t := range s.window {
		row := t * s.batch
		for b := range s.batch {
			i := b*s.streamLen + pos + t
			x[row+b] = s.ids[i]
			y[row+b] = s.ids[i+1]
		}
	}
	s.step++
	if s.step == s.steps {
		s.step = 0
		s.epoch++
	}
	return reset
}

// StepsPerEpoch returns the number of windows in one pass over the streams.
func (s *StreamBatcher) StepsPerEpoch() int { return s.steps }

// Epoch returns the number of completed passes.
func (s *StreamBatcher) Epoch() int { return s.epoch }

// Seek positions the batcher so that the next call to Next returns the
// window of the given global step (counted from the first window of the
// first epoch), as if Next had been called step times. Training uses it to
// make each step's window a function of the step number, so that a resumed
// run sees the same windows. It panics if step is negative.
func (s *StreamBatcher) Seek(step int) {
	if step < 0 {
		panic(fmt.Sprintf("text: StreamBatcher.Seek: negative step %d", step))
	}
	s.epoch, s.step = step/s.steps, step%s.steps
}

// Rewind goes back to the first window of an epoch, keeping the epoch count.
// Evaluation rewinds before each pass so that every pass sees the same data.
func (s *StreamBatcher) Rewind() { s.step = 0 }

// RandomBatcher draws each row of a batch from an independent random offset.
type RandomBatcher struct {
	ids           []int32
	batch, window int
	rng           *rand.Rand
}

// NewRandomBatcher returns a RandomBatcher over ids drawing offsets from
// rng. It returns an error if batch or window is not positive or, wrapping
// ErrCorpusTooShort, if ids cannot hold one window plus its target.
// It panics if rng is nil.
func NewRandomBatcher(ids []int32, batch, window int, rng *rand.Rand) (*RandomBatcher, error) {
	if rng == nil {
		panic("text: NewRandomBatcher: nil rng")
	}
	if batch < 1 || window < 1 {
		return nil, fmt.Errorf("text: batch size %d and window %d must be positive", batch, window)
	}
	if need := window + 1; len(ids) < need {
		return nil, fmt.Errorf("text: corpus has %d tokens; a window of %d needs at least %d: %w",
			len(ids), window, need, ErrCorpusTooShort)
	}
	return &RandomBatcher{ids: ids, batch: batch, window: window, rng: rng}, nil
}

// Next fills x and y like StreamBatcher.Next, each row starting at an offset
// drawn uniformly from [0, len(ids)-window-1]. It always reports reset,
// because no row continues the previous batch. Next panics if len(x) or
// len(y) is not window*batch.
func (r *RandomBatcher) Next(x, y []int32) (reset bool) {
	checkBatchLen(x, y, r.window*r.batch)
	for b := range r.batch {
		off := r.rng.IntN(len(r.ids) - r.window)
		for t := range r.window {
			x[t*r.batch+b] = r.ids[off+t]
			y[t*r.batch+b] = r.ids[off+t+1]
		}
	}
	return true
}

func checkBatchLen(x, y []int32, n int) {
	if len(x) != n || len(y) != n {
		panic(fmt.Sprintf("text: batch slices have lengths %d and %d, want window*batch = %d", len(x), len(y), n))
	}
}
