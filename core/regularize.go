// Regularisation of a Model while training: the AWD-LSTM set (Merity,
// Keskar and Socher, 2017, "Regularizing and Optimizing LSTM Language
// Models"; reference code salesforce/awd-lstm-lm). Each piece is active only
// in a training Forward (rng not nil); evaluation (Forward with nil rng) and
// generation (Next) use the plain weights and activations, as PyTorch's
// eval() does. Every mask is drawn from the trainer's rng, which is seeded
// by the step, so a resumed run draws the same masks.
//
// PyTorch equivalents (x: T×B×in, time-major; h: the top layer's outputs,
// T×B×H; p the rate; the masks are drawn once per Forward, i.e. per window):
//
//	# weight drop (WeightDrop on every layer's weight_hh_l0): DropConnect
//	w_hh = F.dropout(raw_w_hh, p, training=True)          # one mask per window
//	# locked (variational) dropout: one mask per sequence over all time steps
//	def locked(x, p):
//	    m = x.new_empty(1, x.size(1), x.size(2)).bernoulli_(1 - p) / (1 - p)
//	    return m.expand_as(x) * x
//	# embedding dropout: whole rows (tokens) of the embedding matrix
//	m = emb.weight.new_empty(V, 1).bernoulli_(1 - p) / (1 - p)
//	x = F.embedding(tokens, emb.weight * m)
//	# the stack: locked dropout on the first layer's input, between layers
//	# and on the top layer's output (AWD-LSTM's dropouti, dropouth and
//	# dropout, here one rate)
//	x = locked(x, p); h_l = lstm_l(x); x = locked(h_l, p) ...; y = head(locked(h_top, p))
//	# AR and TAR, added to the mean NLL
//	loss = nll + alpha * locked(h_top).pow(2).mean() \
//	           + beta * (h_top[1:] - h_top[:-1]).pow(2).mean()
//
// AR and TAR average over every element of the window, padding included
// (AWD-LSTM's batches have none); the training loss the trainer reports is
// the NLL alone, as AWD-LSTM's raw_loss.

package core

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Regularization is the AWD-LSTM set of training regularisers of a Model.
// The zero value is off; each field is independent. These are training
// settings (they change how the weights are learnt, not the network the
// weights describe), so they live in TrainOptions and are saved with the
// run's settings in the model file, which a resumed run must repeat.
type Regularization struct {
	// WeightDrop is the DropConnect rate on every layer's hidden-to-hidden
	// weights W_hh: one mask per window, the same at every time step,
	// kept weights scaled by 1/(1-p).
	WeightDrop float32 `json:"weight_drop,omitempty"`
	// LockedDropout is the rate of variational dropout: one mask per
	// sequence and window, held over all its time steps, on the first
	// layer's input, between layers and on the top layer's output before
	// the head. It composes with Config.Dropout (a fresh mask at every
	// step, between layers only), which stays as it was.
	LockedDropout float32 `json:"locked_dropout,omitempty"`
	// EmbedDropout drops whole rows (tokens) of the embedding matrix, one
	// mask per window, scaled by 1/(1-p). Models without a vocabulary
	// ignore it.
	EmbedDropout float32 `json:"embed_dropout,omitempty"`
	// AR adds AR·mean(h²) over the top layer's (dropped) outputs to the
	// loss; TAR adds TAR·mean((h_t - h_{t-1})²) over its undropped outputs.
	AR  float32 `json:"ar,omitempty"`
	TAR float32 `json:"tar,omitempty"`
}

// IsZero reports whether every regulariser is off.
func (r Regularization) IsZero() bool { return r.Active() == Regularization{} }

// Active returns r with the fields set to Off (the training options' way of
// turning off a domain's default) at zero.
func (r Regularization) Active() Regularization {
	for _, p := range []*float32{&r.WeightDrop, &r.LockedDropout, &r.EmbedDropout, &r.AR, &r.TAR} {
		if *p == Off {
			*p = 0
		}
	}
	return r
}

// Validate checks the rates: the dropouts in [0, 1), AR and TAR finite and
// not negative (Off, for any of them, is valid).
func (r Regularization) Validate() error {
	r = r.Active()
	for _, d := range []struct {
		name string
		v    float32
	}{{"weight drop", r.WeightDrop}, {"locked dropout", r.LockedDropout}, {"embedding dropout", r.EmbedDropout}} {
		if !(d.v >= 0 && d.v < 1) {
			return fmt.Errorf("%s %g outside [0, 1)", d.name, d.v)
		}
	}
	for _, d := range []struct {
		name string
		v    float32
	}{{"AR", r.AR}, {"TAR", r.TAR}} {
		if !(d.v >= 0) || math.IsInf(float64(d.v), 0) {
			return fmt.Errorf("%s %g must be a non-negative number", d.name, d.v)
		}
	}
	return nil
}

// Regularizer is a Network that takes the AWD-LSTM regularisers (a Model
// and a Tiered do). The Trainer sets them before training.
type Regularizer interface {
	SetRegularization(Regularization) error
}

var _ Regularizer = (*Model)(nil)

// SetRegularization sets the regularisers of the training Forward passes
// that follow (those with an rng); the zero value turns them off.
func (m *Model) SetRegularization(r Regularization) error {
	if err := r.Validate(); err != nil {
		return err
	}
	m.reg = r.Active()
	return nil
}

// Regularization returns the regularisers set by SetRegularization.
func (m *Model) Regularization() Regularization { return m.reg }

// regWS is the workspace of the regularisers for one window.
type regWS struct {
	on      Regularization // what the last Forward applied (zero without rng)
	emb     []float32      // Vocab multipliers of the embedding rows
	in      []float32      // B×in locked multipliers of the first layer's input
	out     []float32      // B×H locked multipliers of the top layer's output
	lock    []float32      // B×H locked multipliers between layers (drawn per layer)
	topd    []float32      // T×B×H dropped top outputs (the head's input)
	regLoss float64        // AR + TAR of the window
}

// beginReg settles which regularisers apply to this window and draws the
// embedding, input and weight masks. Nothing is drawn when all are off, so
// a run without them draws the same numbers as before they existed.
func (m *Model) beginReg(T, B int, rng *rand.Rand) {
	ws := &m.tr
	r := &ws.reg
	r.on = Regularization{}
	if rng != nil {
		r.on = m.reg
	}
	r.regLoss = 0
	if m.emb == nil {
		r.on.EmbedDropout = 0
	}
	if p := r.on.EmbedDropout; p > 0 {
		r.emb = grow(r.emb, m.cfg.Vocab)
		fillDropout(r.emb, p, rng)
	}
	if p := r.on.LockedDropout; p > 0 {
		r.in = grow(r.in, B*m.cfg.InputSize())
		fillDropout(r.in, p, rng)
		r.out = grow(r.out, B*m.cfg.Hidden)
		fillDropout(r.out, p, rng)
		r.lock = grow(r.lock, B*m.cfg.Hidden)
	}
	for l := range m.layers {
		lw := &ws.stack.layers[l]
		p := r.on.WeightDrop
		if p == 0 {
			lw.whh = nil
			continue
		}
		W := m.layers[l].whh.W
		lw.wmask = grow(lw.wmask, len(W))
		lw.whhd = grow(lw.whhd, len(W))
		lw.dwhh = grow(lw.dwhh, len(W))
		fillDropout(lw.wmask, p, rng)
		for i, w := range W {
			lw.whhd[i] = w * lw.wmask[i]
		}
		lw.whh = lw.whhd
	}
}

// dropInput applies embedding dropout (scaling each row of an embedded
// token by its token's multiplier) and locked dropout to the first layer's
// input x (T*B rows).
func (m *Model) dropInput(x []float32, tokens []int32, T, B int) {
	r := &m.tr.reg
	in := m.cfg.InputSize()
	if r.on.EmbedDropout > 0 {
		m.scaleEmbedded(x, tokens[:T*B])
	}
	if r.on.LockedDropout > 0 {
		lockRows(x[:T*B*in], r.in)
	}
}

// undropInput turns dx, the gradient w.r.t. the first layer's (dropped)
// input, into the gradient w.r.t. the input before locked dropout, with
// the embedding part scaled by the token's multiplier: what reaches the
// embedding rows.
func (m *Model) undropInput(dx []float32, tokens []int32, T, B int) {
	r := &m.tr.reg
	in := m.cfg.InputSize()
	if r.on.LockedDropout > 0 {
		lockRows(dx[:T*B*in], r.in)
	}
	if r.on.EmbedDropout > 0 {
		m.scaleEmbedded(dx, tokens[:T*B])
	}
}

// lockRows multiplies every time step's B×w block of x by mask (B×w).
func lockRows(x, mask []float32) {
	n := len(mask)
	for t := 0; t < len(x); t += n {
		blk := x[t : t+n]
		for i, s := range mask {
			blk[i] *= s
		}
	}
}

// lockBetween makes drop (T×B×H, the multipliers of a layer's input above
// the first) include a fresh locked mask: drop holds Config.Dropout's
// multipliers when hasDrop, otherwise it is set to the locked mask alone.
func (m *Model) lockBetween(drop []float32, hasDrop bool, rng *rand.Rand) {
	r := &m.tr.reg
	fillDropout(r.lock, r.on.LockedDropout, rng)
	n := len(r.lock)
	for t := 0; t < len(drop); t += n {
		blk := drop[t : t+n]
		if hasDrop {
			for i, s := range r.lock {
				blk[i] *= s
			}
		} else {
			copy(blk, r.lock)
		}
	}
}

// headInput returns the head's input: the top outputs with the output's
// locked mask applied (in the workspace), or top itself. It also computes
// AR and TAR of the window.
func (m *Model) headInput(top []float32, T, B int) []float32 {
	r := &m.tr.reg
	H := m.cfg.Hidden
	in := top
	if r.on.LockedDropout > 0 {
		r.topd = grow(r.topd, len(top))
		copy(r.topd, top)
		lockRows(r.topd, r.out)
		in = r.topd
	}
	if a := r.on.AR; a > 0 {
		s := 0.0
		for _, v := range in {
			s += float64(v) * float64(v)
		}
		r.regLoss += float64(a) * s / float64(len(in))
	}
	if b := r.on.TAR; b > 0 && T > 1 {
		s := 0.0
		n := B * H
		for i := n; i < len(top); i++ {
			d := float64(top[i]) - float64(top[i-n])
			s += d * d
		}
		r.regLoss += float64(b) * s / float64(len(top)-n)
	}
	return in
}

// headInputBackward turns dh, the gradient w.r.t. the head's input, into
// the gradient w.r.t. the top outputs: adds AR's gradient, applies the
// output's locked mask, adds TAR's gradient.
func (m *Model) headInputBackward(dh, top []float32, T, B int) {
	r := &m.tr.reg
	H := m.cfg.Hidden
	in := top
	if r.on.LockedDropout > 0 {
		in = r.topd
	}
	if a := r.on.AR; a > 0 {
		c := 2 * a / float32(len(in))
		for i, v := range in {
			dh[i] += c * v
		}
	}
	if r.on.LockedDropout > 0 {
		lockRows(dh, r.out)
	}
	if b := r.on.TAR; b > 0 && T > 1 {
		n := B * H
		c := 2 * b / float32(len(top)-n)
		for i := n; i < len(top); i++ {
			d := c * (top[i] - top[i-n])
			dh[i] += d
			dh[i-n] -= d
		}
	}
}

// regLoss returns AR + TAR of the last Forward (0 without them), the part
// of the training objective beyond the mean NLL; Backward includes its
// gradient.
func (m *Model) regLoss() float64 { return m.tr.reg.regLoss }

// scaleEmbedded multiplies the embedding part of each input row of v (one
// row per token) by its token's embedding-dropout multiplier: the same
// diagonal map forward (on the input) and backward (on its gradient).
func (m *Model) scaleEmbedded(v []float32, tokens []int32) {
	r := &m.tr.reg
	in, E := m.cfg.InputSize(), m.cfg.Embed
	for i, tok := range tokens {
		row := v[i*in : i*in+E]
		s := r.emb[tok]
		for j := range row {
			row[j] *= s
		}
	}
}
