// The model every domain uses: an input stage (token embedding, real-valued
// features, or both concatenated), a stack of LSTM layers and a linear head
// whose outputs parameterise a likelihood. Tensor names and layouts are those
// of PyTorch's state_dict for the equivalent module (see docs/format.md).

package core

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/arkit-go/arkit/core/internal/kernel"
)

// Config describes a model. The zero value of each optional field is its
// default.
type Config struct {
	Vocab int // tokens in the input vocabulary; 0 for no token input
	Embed int // embedding width (required when Vocab > 0)

	Features int // real-valued input features per step; 0 for none
	Proj     int // width of the dense input projection; 0 feeds features straight to the LSTM

	Hidden int // LSTM width
	Layers int // LSTM layers (0 means 1)

	Dropout float32 // dropout between LSTM layers while training

	// Likelihood turns the head's outputs into a distribution of the next
	// element. nil means Categorical over Vocab.
	Likelihood Likelihood
}

func (c Config) layers() int {
	if c.Layers <= 0 {
		return 1
	}
	return c.Layers
}

func (c Config) likelihood() Likelihood {
	if c.Likelihood == nil {
		return Categorical{N: c.Vocab}
	}
	return c.Likelihood
}

// InputSize returns the width of the first LSTM layer's input.
func (c Config) InputSize() int {
	n := 0
	if c.Vocab > 0 {
		n += c.Embed
	}
	if c.Proj > 0 {
		n += c.Proj
	} else {
		n += c.Features
	}
	return n
}

// MaxParams bounds the number of parameters of a model: 2^28 (1 GiB of
// float32), far beyond what trains on a CPU, so that a mistyped size gives an
// error instead of exhausting memory.
const MaxParams = 1 << 28

// Validate reports whether the configuration describes a model that can be
// built (NewModel panics otherwise): consistent, positive sizes, at most
// MaxParams parameters.
func (c Config) Validate() error { return c.validate() }

// paramCount returns the number of parameters the configuration implies,
// saturating above MaxParams.
func (c Config) paramCount() int64 {
	const big = MaxParams + 1
	sat := func(a, b int64) int64 {
		if a > 0 && b > big/a {
			return big
		}
		return min(a*b, big)
	}
	h := int64(c.Hidden)
	n := sat(int64(c.Vocab), int64(c.Embed)) + sat(int64(c.Proj), int64(c.Features)+1)
	in := int64(c.InputSize())
	for l := 0; l < c.layers(); l++ {
		n += sat(4*h, in+h+2)
		in = h
		if n > big {
			return big
		}
	}
	return min(n+sat(int64(c.likelihood().Size()), h+1), big)
}

func (c Config) validate() error {
	if c.Vocab < 0 || c.Embed < 0 || c.Features < 0 || c.Proj < 0 || c.Hidden < 0 || c.Layers < 0 {
		return fmt.Errorf("negative size in %+v", c)
	}
	if c.Layers > 1024 || c.paramCount() > MaxParams {
		return fmt.Errorf("a model of hidden %d, %d layers, vocabulary %d, embedding %d and %d features has more than %d parameters",
			c.Hidden, c.layers(), c.Vocab, c.Embed, c.Features, MaxParams)
	}
	switch {
	case c.Vocab < 0 || c.Embed < 0 || c.Features < 0 || c.Proj < 0 || c.Hidden < 0 || c.Layers < 0:
		return fmt.Errorf("negative size in %+v", c)
	case c.Vocab > 0 && c.Embed == 0:
		return fmt.Errorf("vocabulary of %d needs an embedding width", c.Vocab)
	case c.Proj > 0 && c.Features == 0:
		return fmt.Errorf("input projection without features")
	case c.InputSize() == 0:
		return fmt.Errorf("no input: set Vocab and Embed, or Features")
	case c.Hidden <= 0:
		return fmt.Errorf("hidden width must be positive")
	case c.Dropout < 0 || c.Dropout >= 1:
		return fmt.Errorf("dropout %g outside [0, 1)", c.Dropout)
	case c.likelihood().Size() <= 0:
		return fmt.Errorf("likelihood %s has no outputs", c.likelihood().Name())
	}
	return nil
}

// Model is an LSTM language model over tokens, real-valued vectors or both.
// A Model holds workspaces: it is not safe for concurrent use.
type Model struct {
	cfg    Config
	lik    Likelihood
	out    int
	params *Params

	emb          *Param // [Vocab, Embed]
	inW, inB     *Param // [Proj, Features], [Proj]
	headW, headB *Param // [Out, Hidden], [Out]
	layers       []lstmLayer

	tr  trainWS
	gen genWS

	reg Regularization // see SetRegularization

	prec Precision // of the training steps' products (precision.go); "" is fp32

	// inputGrad makes backwardRaw keep the gradient w.r.t. the first
	// layer's input (used by Tiered to train its frame tier).
	inputGrad bool
}

var _ Step = (*Model)(nil)

// NewModel builds a model with PyTorch's default initialisation drawn from
// rng (the forget-gate bias starts at 1). It panics if cfg is inconsistent.
func NewModel(cfg Config, rng *rand.Rand) *Model {
	m, err := newModel(cfg)
	if err != nil {
		panic("core: " + err.Error())
	}
	m.Init(rng)
	return m
}

func newModel(cfg Config) (*Model, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	cfg.Layers = cfg.layers()
	lik := cfg.likelihood()
	out := lik.Size()
	var specs []paramSpec
	if cfg.Vocab > 0 {
		specs = append(specs, paramSpec{"embedding.weight", []int{cfg.Vocab, cfg.Embed}, false})
	}
	if cfg.Proj > 0 {
		specs = append(specs,
			paramSpec{"input.weight", []int{cfg.Proj, cfg.Features}, true},
			paramSpec{"input.bias", []int{cfg.Proj}, false})
	}
	in := cfg.InputSize()
	H := cfg.Hidden
	for l := 0; l < cfg.Layers; l++ {
		k := fmt.Sprint(l)
		specs = append(specs,
			paramSpec{"lstm.weight_ih_l" + k, []int{4 * H, in}, true},
			paramSpec{"lstm.weight_hh_l" + k, []int{4 * H, H}, true},
			paramSpec{"lstm.bias_ih_l" + k, []int{4 * H}, false},
			paramSpec{"lstm.bias_hh_l" + k, []int{4 * H}, false})
		in = H
	}
	specs = append(specs,
		paramSpec{"head.weight", []int{out, H}, true},
		paramSpec{"head.bias", []int{out}, false})
	p := newParams(specs)
	m := &Model{cfg: cfg, lik: lik, out: out, params: p}
	m.emb = p.Get("embedding.weight")
	m.inW, m.inB = p.Get("input.weight"), p.Get("input.bias")
	m.headW, m.headB = p.Get("head.weight"), p.Get("head.bias")
	in = cfg.InputSize()
	for l := 0; l < cfg.Layers; l++ {
		k := fmt.Sprint(l)
		m.layers = append(m.layers, lstmLayer{
			in: in, hid: H,
			wih: p.Get("lstm.weight_ih_l" + k), whh: p.Get("lstm.weight_hh_l" + k),
			bih: p.Get("lstm.bias_ih_l" + k), bhh: p.Get("lstm.bias_hh_l" + k),
			bias: make([]float32, 4*H), db: make([]float32, 4*H),
		})
		in = H
	}
	return m, nil
}

// Init redraws every parameter as PyTorch initialises the equivalent
// modules: embeddings N(0, 1); linear and LSTM weights and biases
// U(-1/√fan_in, 1/√fan_in); then the forget-gate bias is set to 1 (b_ih) and
// 0 (b_hh) so the cell remembers by default.
func (m *Model) Init(rng *rand.Rand) {
	uniform := func(w []float32, bound float64) {
		for i := range w {
			w[i] = float32((2*rng.Float64() - 1) * bound)
		}
	}
	if m.emb != nil {
		for i := range m.emb.W {
			m.emb.W[i] = float32(rng.NormFloat64())
		}
	}
	if m.inW != nil {
		b := 1 / math.Sqrt(float64(m.cfg.Features))
		uniform(m.inW.W, b)
		uniform(m.inB.W, b)
	}
	H := m.cfg.Hidden
	b := 1 / math.Sqrt(float64(H))
	for _, l := range m.layers {
		uniform(l.wih.W, b)
		uniform(l.whh.W, b)
		uniform(l.bih.W, b)
		uniform(l.bhh.W, b)
		for j := H; j < 2*H; j++ {
			l.bih.W[j], l.bhh.W[j] = 1, 0
		}
	}
	uniform(m.headW.W, b)
	uniform(m.headB.W, b)
}

// Config returns the model's configuration.
func (m *Model) Config() Config { return m.cfg }

// Params returns the model's parameters.
func (m *Model) Params() *Params { return m.params }

// Likelihood returns the distribution the head parameterises.
func (m *Model) Likelihood() Likelihood { return m.lik }

// Inputs reports whether the model takes tokens and how many features.
func (m *Model) Inputs() (tokens bool, features int) { return m.cfg.Vocab > 0, m.cfg.Features }

// OutSize returns the number of head outputs per element.
func (m *Model) OutSize() int { return m.out }

// State is the recurrent state of a batch of sequences: for each layer, the
// hidden and cell vectors of every sequence (B×Hidden, row-major). Networks
// that read several steps at once (Tiered) also keep recent inputs in Buf,
// per-step conditioning in Cond and the step count since the reset in Pos.
type State struct {
	B    int
	H, C [][]float32
	Buf  []float32 // B rows
	Cond []float32 // B rows
	Pos  int
}

// NewState returns the zero state for b sequences.
func (m *Model) NewState(b int) *State {
	s := &State{B: b}
	for range m.layers {
		s.H = append(s.H, make([]float32, b*m.cfg.Hidden))
		s.C = append(s.C, make([]float32, b*m.cfg.Hidden))
	}
	return s
}

// Reset zeroes the state.
func (s *State) Reset() {
	for l := range s.H {
		clear(s.H[l])
		clear(s.C[l])
	}
	clear(s.Buf)
	clear(s.Cond)
	s.Pos = 0
}

// ResetRow zeroes the recurrent state of sequence r only. (Pos is shared by
// all sequences, so a Tiered network's rows restart together.)
func (s *State) ResetRow(r int) {
	row := func(x []float32) {
		n := len(x) / s.B
		clear(x[r*n : (r+1)*n])
	}
	for l := range s.H {
		row(s.H[l])
		row(s.C[l])
	}
	row(s.Buf)
	row(s.Cond)
}

// Batch is a window of T steps for B sequences, time-major: the element of
// sequence b at step t is at index t*B+b (times the width for features).
type Batch struct {
	T, B     int
	Tokens   []int32   // T*B input tokens (when the model has a vocabulary)
	Features []float32 // T*B*Features input features (when it has features)
	Targets  []float32 // T*B next elements: class indices or values
	Mask     []float32 // T*B weights (0 for padding); nil means all 1
}

// NewBatch allocates a batch shaped for m.
func (m *Model) NewBatch(t, b int) *Batch {
	bt := &Batch{T: t, B: b, Targets: make([]float32, t*b)}
	if m.cfg.Vocab > 0 {
		bt.Tokens = make([]int32, t*b)
	}
	if m.cfg.Features > 0 {
		bt.Features = make([]float32, t*b*m.cfg.Features)
	}
	return bt
}

func (m *Model) checkBatch(b *Batch) {
	n := b.T * b.B
	switch {
	case b.T <= 0 || b.B <= 0:
		panic(fmt.Sprintf("core: batch of %d×%d", b.T, b.B))
	case len(b.Targets) != n:
		panic(fmt.Sprintf("core: %d targets for a %d×%d batch", len(b.Targets), b.T, b.B))
	case m.cfg.Vocab > 0 && len(b.Tokens) != n:
		panic(fmt.Sprintf("core: %d tokens for a %d×%d batch", len(b.Tokens), b.T, b.B))
	case m.cfg.Features > 0 && len(b.Features) != n*m.cfg.Features:
		panic(fmt.Sprintf("core: %d features for a %d×%d batch of width %d", len(b.Features), b.T, b.B, m.cfg.Features))
	case b.Mask != nil && len(b.Mask) != n:
		panic(fmt.Sprintf("core: %d mask weights for a %d×%d batch", len(b.Mask), b.T, b.B))
	}
}

// trainWS is the workspace of Forward and Backward.
type trainWS struct {
	stack   stackWS
	batch   *Batch
	raw     []float32 // T*B*Out head outputs
	rawT    []float32 // Out*T*B: a narrow head's outputs before the bias, transposed
	draw    []float32 // T*B*Out gradient of the loss w.r.t. raw (non-categorical heads)
	grad    []float32 // the gradient Backward uses: draw, or raw overwritten in place
	weight  float64
	dropout bool
	dh0     [][]float32 // per layer: gradient w.r.t. the window's initial h
	dc0     [][]float32 // per layer: gradient w.r.t. the initial c
	reg     regWS       // the regularisers' masks (regularize.go)

	// keepRaw makes Forward keep the head outputs in raw (tests that
	// compare them) instead of overwriting them with the gradient.
	keepRaw bool
}

// Forward runs the model over batch b from state st (updated to the state
// after the window, detached: no gradient flows into earlier windows) and
// returns the summed negative log-likelihood of the targets and the summed
// mask weight. With a non-nil rng, dropout is active (training). A
// following Backward adds the gradient of the mean loss (sum/weight) to the
// parameters' gradients. Forward panics if the batch does not fit the model.
//
// With a categorical head, the softmax cross-entropy writes its gradient
// over the logits, row by row (fused: each row's softmax is computed once,
// in cache, and no second T×B×Vocab buffer exists); other heads write it to
// a buffer of their own.
func (m *Model) Forward(b *Batch, st *State, rng *rand.Rand) (nll, weight float64) {
	m.checkBatch(b)
	raw := m.forwardRaw(b, st, rng)
	ws := &m.tr
	O := m.out
	n := b.T * b.B
	cat, fused := m.lik.(Categorical)
	if fused && !ws.keepRaw {
		ws.grad = raw[:n*O]
	} else {
		ws.draw = grow(ws.draw, n*O)
		ws.grad = ws.draw
	}
	for r := 0; r < n; r++ {
		w := float32(1)
		if b.Mask != nil {
			w = b.Mask[r]
		}
		d := ws.grad[r*O : (r+1)*O]
		if w == 0 {
			clear(d)
			continue
		}
		var l float32
		if fused {
			l = cat.NLL(d, raw[r*O:(r+1)*O], b.Targets[r], w)
		} else {
			l = m.lik.NLL(d, raw[r*O:(r+1)*O], b.Targets[r], w)
		}
		nll += float64(w) * float64(l)
		weight += float64(w)
	}
	ws.weight = weight
	return nll, weight
}

// forwardRaw runs the window and returns the head outputs (T*B×Out), kept in
// the workspace for backwardRaw. Targets and mask are not read.
func (m *Model) forwardRaw(b *Batch, st *State, rng *rand.Rand) []float32 {
	if st.B != b.B || len(st.H) != len(m.layers) {
		panic(fmt.Sprintf("core: state for %d sequences, batch of %d", st.B, b.B))
	}
	T, B, H := b.T, b.B, m.cfg.Hidden
	ws := &m.tr
	ws.batch = b
	ws.dropout = rng != nil && m.cfg.Dropout > 0
	locked := rng != nil && m.reg.LockedDropout > 0
	ws.stack.ensure(m.layers, T, B, ws.dropout || locked)
	m.beginReg(T, B, rng)
	m.fillInput(ws.stack.layers[0].x, b.Tokens, b.Features, T*B)
	m.dropInput(ws.stack.layers[0].x, b.Tokens, T, B)
	for l := range m.layers {
		lw := &ws.stack.layers[l]
		if l > 0 {
			prev := ws.stack.layers[l-1].h[B*H:]
			copy(lw.x, prev)
			if ws.dropout {
				fillDropout(lw.drop, m.cfg.Dropout, rng)
			}
			if locked {
				m.lockBetween(lw.drop, ws.dropout, rng)
			}
			if ws.dropout || locked {
				for i := range lw.x {
					lw.x[i] *= lw.drop[i]
				}
			}
		}
		m.layers[l].forward(lw, T, B, st.H[l], st.C[l], st.H[l], st.C[l])
	}
	top := m.headInput(ws.stack.layers[len(m.layers)-1].h[B*H:], T, B)
	O := m.out
	ws.raw = grow(ws.raw, T*B*O)
	if O <= narrowHead {
		// A few outputs (a distribution's parameters): rawᵀ = W·topᵀ fills
		// the kernel's tiles along T*B instead of padding O to a tile's
		// width; the same sums, then the bias.
		n := T * B
		ws.rawT = grow(ws.rawT, O*n)
		gemmOf(m.prec)(false, true, O, n, H, 1, m.headW.W, H, top, H, 0, ws.rawT, n)
		for o, bo := range m.headB.W[:O] {
			for r, v := range ws.rawT[o*n : (o+1)*n] {
				ws.raw[r*O+o] = v + bo
			}
		}
		return ws.raw
	}
	for r := 0; r < T*B; r++ {
		copy(ws.raw[r*O:(r+1)*O], m.headB.W)
	}
	gemmOf(m.prec)(false, true, T*B, O, H, 1, top, H, m.headW.W, H, 1, ws.raw, O)
	return ws.raw
}

// narrowHead is the most outputs the head computes transposed.
const narrowHead = 4

// fillInput writes the first layer's input rows: the token embedding, then
// the projected (or raw) features.
func (m *Model) fillInput(x []float32, tokens []int32, feats []float32, n int) {
	c := m.cfg
	in := c.InputSize()
	E := 0
	if c.Vocab > 0 {
		E = c.Embed
		for r := 0; r < n; r++ {
			tok := int(tokens[r])
			if tok < 0 || tok >= c.Vocab {
				panic(fmt.Sprintf("core: token %d outside vocabulary of %d", tok, c.Vocab))
			}
			copy(x[r*in:r*in+E], m.emb.W[tok*E:(tok+1)*E])
		}
	}
	if c.Features == 0 {
		return
	}
	F := c.Features
	if c.Proj == 0 {
		for r := 0; r < n; r++ {
			copy(x[r*in+E:(r+1)*in], feats[r*F:(r+1)*F])
		}
		return
	}
	for r := 0; r < n; r++ {
		copy(x[r*in+E:(r+1)*in], m.inB.W)
	}
	kernel.Gemm(false, true, n, c.Proj, F, 1, feats, F, m.inW.W, F, 1, x[E:], in)
}

// Backward adds to the parameters' gradients the gradient of the mean loss
// of the last Forward. It panics if no Forward preceded it.
func (m *Model) Backward() {
	ws := &m.tr
	if ws.batch == nil {
		panic("core: Backward without Forward")
	}
	n := ws.batch.T * ws.batch.B
	if ws.weight > 0 {
		kernel.Scale(float32(1/ws.weight), ws.grad[:n*m.out])
	}
	m.backwardRaw(ws.grad)
}

// backwardRaw adds to the parameters' gradients the gradient flowing from
// draw, the gradient w.r.t. the head outputs of the last forwardRaw. With
// m.inputGrad set, it also leaves the gradient w.r.t. the first layer's
// input in m.tr.stack.dx.
func (m *Model) backwardRaw(draw []float32) {
	ws := &m.tr
	b := ws.batch
	T, B, H, O := b.T, b.B, m.cfg.Hidden, m.out
	n := T * B
	top := ws.stack.layers[len(m.layers)-1].h[B*H:]
	in := top // the head's input
	if ws.reg.on.LockedDropout > 0 {
		in = ws.reg.topd
	}
	gemmOf(m.prec)(true, false, O, H, n, 1, draw, O, in, H, 1, m.headW.G, H)
	for r := 0; r < n; r++ {
		kernel.Axpy(1, draw[r*O:(r+1)*O], m.headB.G)
	}
	dh := ws.stack.dh[:n*H]
	gemmOf(m.prec)(false, false, n, H, O, 1, draw, O, m.headW.W, H, 0, dh, H)
	m.headInputBackward(dh, top, T, B)
	for l := len(m.layers) - 1; l >= 0; l-- {
		lw := &ws.stack.layers[l]
		layer := &m.layers[l]
		var dx []float32
		if l > 0 || m.emb != nil || m.inW != nil || m.inputGrad {
			dx = ws.stack.dx[:n*layer.in]
		}
		clear(ws.stack.dhn)
		clear(ws.stack.dcn)
		layer.backward(lw, T, B, dh, dx, ws.stack.dhn, ws.stack.dcn)
		if len(ws.dh0) != len(m.layers) || len(ws.dh0[l]) != B*H {
			ws.dh0, ws.dc0 = make([][]float32, len(m.layers)), make([][]float32, len(m.layers))
			for k := range ws.dh0 {
				ws.dh0[k], ws.dc0[k] = make([]float32, B*H), make([]float32, B*H)
			}
		}
		copy(ws.dh0[l], ws.stack.dhn)
		copy(ws.dc0[l], ws.stack.dcn)
		if l > 0 {
			if lw.drop != nil {
				for i := range dx {
					dx[i] *= lw.drop[i]
				}
			}
			copy(dh, dx) // layer l's input is layer l-1's output
		}
	}
	m.undropInput(ws.stack.dx, b.Tokens, T, B)
	m.backwardInput(ws.stack.dx, b, n)
}

func (m *Model) backwardInput(dx []float32, b *Batch, n int) {
	c := m.cfg
	in := c.InputSize()
	E := 0
	if m.emb != nil {
		E = c.Embed
		for r := 0; r < n; r++ {
			tok := int(b.Tokens[r])
			kernel.Axpy(1, dx[r*in:r*in+E], m.emb.G[tok*E:(tok+1)*E])
		}
	}
	if m.inW != nil {
		F := c.Features
		kernel.Gemm(true, false, c.Proj, F, n, 1, dx[E:], in, b.Features, F, 1, m.inW.G, F)
		for r := 0; r < n; r++ {
			kernel.Axpy(1, dx[r*in+E:(r+1)*in], m.inB.G)
		}
	}
}

// Input is one step's input for a batch of sequences.
type Input struct {
	Tokens   []int32   // one token per sequence (when the model has a vocabulary)
	Features []float32 // B×Features (when it has features)
}

// genWS is the workspace of Next.
type genWS struct {
	b  int
	x  []float32
	z  []float32
	tc []float32

	// During a Generator's run (session > 0), a model whose input is a
	// token alone keeps the first layer's input products W_ih·e(token) of
	// the tokens seen: a table row replaces a pass over W_ih at every
	// later step, so more of the weights a step reads stay in cache.
	// The rows are forgotten when the run ends, since the weights may
	// change after it.
	session int
	tab     []float32 // Vocab×4H
	have    []bool    // Vocab

	compact compactWeights // the weights in a compact precision (SetWeights)
}

// maxInputTable bounds the input table (floats): 16 MiB.
const maxInputTable = 1 << 22

// beginGeneration and endGeneration bracket a Generator's run (see genWS).
func (m *Model) beginGeneration() {
	g := &m.gen
	g.session++
	if g.session == 1 && g.have != nil {
		clear(g.have)
	}
}

func (m *Model) endGeneration() { m.gen.session-- }

// inputRow returns W_ih·e(tok) of the first layer from the table, computing
// it on first use; nil when no table applies.
func (m *Model) inputRow(tok int32) []float32 {
	c := m.cfg
	g := &m.gen
	G := 4 * c.Hidden
	if g.session == 0 || c.Vocab == 0 || c.Features > 0 || c.Vocab*G > maxInputTable ||
		tok < 0 || int(tok) >= c.Vocab {
		return nil
	}
	if g.tab == nil {
		g.tab = make([]float32, c.Vocab*G)
		g.have = make([]bool, c.Vocab)
	}
	row := g.tab[int(tok)*G : (int(tok)+1)*G]
	if !g.have[tok] {
		E := c.Embed
		kernel.Gemv(false, G, E, 1, m.layers[0].wih.W, E, m.emb.W[int(tok)*E:(int(tok)+1)*E], 0, row)
		g.have[tok] = true
	}
	return row
}

// Next advances the state of B sequences by one input and writes the head's
// outputs (B×OutSize: logits, or distribution parameters) to out. It panics
// if the sizes disagree.
func (m *Model) Next(st *State, in Input, out []float32) {
	B, H, O := st.B, m.cfg.Hidden, m.out
	if len(out) != B*O {
		panic(fmt.Sprintf("core: output of %d for %d sequences of %d", len(out), B, O))
	}
	if m.cfg.Vocab > 0 && len(in.Tokens) != B {
		panic(fmt.Sprintf("core: %d tokens for %d sequences", len(in.Tokens), B))
	}
	if m.cfg.Features > 0 && len(in.Features) != B*m.cfg.Features {
		panic(fmt.Sprintf("core: %d features for %d sequences of width %d", len(in.Features), B, m.cfg.Features))
	}
	g := &m.gen
	if g.b != B {
		g.b = B
		g.x = make([]float32, B*m.cfg.InputSize())
		g.z = make([]float32, B*4*H)
		g.tc = make([]float32, B*H)
	}
	m.fillInput(g.x, in.Tokens, in.Features, B)
	x := g.x
	var pre []float32
	if B == 1 && in.Tokens != nil {
		pre = m.inputRow(in.Tokens[0])
	}
	for l := range m.layers {
		if g.compact.w != "" {
			m.compactStep(l, x, pre, st.H[l], st.C[l], g.z, g.tc, B)
		} else {
			m.layers[l].step(x, pre, st.H[l], st.C[l], g.z, g.tc, B)
		}
		x, pre = st.H[l], nil
	}
	for r := 0; r < B; r++ {
		copy(out[r*O:(r+1)*O], m.headB.W)
	}
	if g.compact.w != "" {
		for r := 0; r < B; r++ {
			g.compact.head.mulVecAdd(out[r*O:(r+1)*O], x[r*H:(r+1)*H])
		}
	} else if B == 1 {
		kernel.Gemv(false, O, H, 1, m.headW.W, H, x, 1, out)
	} else {
		kernel.Gemm(false, true, B, O, H, 1, x, H, m.headW.W, H, 1, out, O)
	}
}
