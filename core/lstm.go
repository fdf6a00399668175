// The LSTM stack: forward and backward over a window of T steps for a batch of
// B sequences, with PyTorch's nn.LSTM semantics.
//
// For layer l with input x_t and state (h, c), gates in PyTorch's order i, f, g, o:
//
//	z = W_ih x_t + b_ih + W_hh h + b_hh        (4H values)
//	i = σ(z_i)  f = σ(z_f)  g = tanh(z_g)  o = σ(z_o)
//	c' = f⊙c + i⊙g
//	h' = o⊙tanh(c')
//
// Efficiency by construction: the input term W_ih x_t of all T steps is one
// matrix multiply before the time loop; inside the loop only the recurrent
// B×H by H×4H product runs; the weight gradients are one multiply each after
// the backward time loop. All buffers belong to a workspace reused across
// windows, so a training step allocates nothing once warmed up.

package core

import (
	"math/rand/v2"

	"github.com/arkit-go/arkit/core/internal/kernel"
)

// lstmLayer points at one layer's parameters.
type lstmLayer struct {
	in, hid  int
	wih, whh *Param    // [4H, in], [4H, H]
	bih, bhh *Param    // [4H]
	bias     []float32 // b_ih + b_hh, refreshed at every use
	db       []float32 // 4H scratch for the bias gradient
	prec     Precision // of the training steps' products (precision.go); "" is fp32
}

// layerWS holds one layer's activations over a window, kept for backward.
type layerWS struct {
	x    []float32 // T*B*in: the layer's input (after dropout for l > 0)
	z    []float32 // T*B*4H: gate activations
	h    []float32 // (T+1)*B*H: h_{-1} (initial) then the outputs
	c    []float32 // (T+1)*B*H
	tc   []float32 // T*B*H: tanh(c_t)
	drop []float32 // T*B*in dropout multipliers (nil without dropout)
	dz   []float32 // T*B*4H
	ones []float32 // T*B ones, to sum dz over rows as a product
	wihT []float32 // W_ihᵀ (in×4H) for a small input (smallIn)

	// Weight drop (see regularize.go): whh is the dropped W_hh this
	// window uses (nil: the parameter itself), whhd its storage, wmask the
	// multipliers (0 or 1/(1-p)), dwhh the gradient w.r.t. the dropped
	// matrix before it is masked into the parameter's.
	whh, whhd, wmask, dwhh []float32

	// Under bf16 (precision.go): the recurrent weights rounded and packed
	// once per window, for the T products of forward (W_hhᵀ) and of
	// backward (W_hh).
	whhF, whhB kernel.PackedBF16

	// Under fp32: the same, packed into the micro-kernel's panels.
	whhPF, whhPB kernel.Packed

	loop timeLoop // the time loop in progress
}

// stackWS is the workspace of the whole stack for one (T, B) shape.
type stackWS struct {
	t, b   int
	layers []layerWS
	dh     []float32 // T*B*H gradient reaching a layer's outputs
	dx     []float32 // T*B*max(in) gradient reaching a layer's inputs
	dhn    []float32 // B*H recurrent gradient carry
	dcn    []float32 // B*H
}

func (l *lstmLayer) sumBias() []float32 {
	for j := range l.bias {
		l.bias[j] = l.bih.W[j] + l.bhh.W[j]
	}
	return l.bias
}

func grow(s []float32, n int) []float32 {
	if cap(s) < n {
		return make([]float32, n)
	}
	return s[:n]
}

func (ws *stackWS) ensure(layers []lstmLayer, t, b int, dropout bool) {
	if ws.layers == nil || len(ws.layers) != len(layers) {
		ws.layers = make([]layerWS, len(layers))
	}
	ws.t, ws.b = t, b
	maxIn := 0
	for i, l := range layers {
		w := &ws.layers[i]
		w.x = grow(w.x, t*b*l.in)
		w.z = grow(w.z, t*b*4*l.hid)
		w.dz = grow(w.dz, t*b*4*l.hid)
		w.h = grow(w.h, (t+1)*b*l.hid)
		w.c = grow(w.c, (t+1)*b*l.hid)
		w.tc = grow(w.tc, t*b*l.hid)
		if len(w.ones) != t*b {
			w.ones = grow(w.ones, t*b)
			for i := range w.ones {
				w.ones[i] = 1
			}
		}
		if dropout && i > 0 {
			w.drop = grow(w.drop, t*b*l.in)
		} else {
			w.drop = nil
		}
		maxIn = max(maxIn, l.in)
	}
	hid := layers[0].hid
	ws.dh = grow(ws.dh, t*b*hid)
	ws.dx = grow(ws.dx, t*b*maxIn)
	ws.dhn = grow(ws.dhn, b*hid)
	ws.dcn = grow(ws.dcn, b*hid)
}

// forward runs layer l over the window whose input is already in w.x,
// starting from state (h0, c0) and leaving the final state in (hT, cT)
// (which may alias h0, c0).
func (l *lstmLayer) forward(w *layerWS, t, b int, h0, c0, hT, cT []float32) {
	H := l.hid
	G := 4 * H
	gemm := gemmOf(l.prec)
	bias := l.sumBias()
	whh := l.whh.W
	if w.whh != nil {
		whh = w.whh
	}
	switch {
	case l.in > smallIn:
		gemm(false, true, t*b, G, l.in, 1, w.x, l.in, l.wih.W, l.in, 0, w.z, G)
	case l.in == 1:
		w.wihT = l.wih.W
	default:
		w.wihT = grow(w.wihT, l.in*G)
		for g := 0; g < G; g++ {
			for i := 0; i < l.in; i++ {
				w.wihT[i*G+g] = l.wih.W[g*l.in+i]
			}
		}
	}
	copy(w.h[:b*H], h0)
	copy(w.c[:b*H], c0)
	bf16 := l.prec == PrecisionBF16
	if bf16 {
		w.whhF.Pack(true, H, G, whh, H)
	} else {
		w.whhPF.Pack(true, H, G, whh, H)
	}
	w.loop = timeLoop{l: l, w: w, t: t, b: b, bias: bias, bf16: bf16}
	kernel.Split(kernel.SplitParts(b, minPartRows), &w.loop)
	w.loop = timeLoop{}
	copy(hT, w.h[t*b*H:])
	copy(cT, w.c[t*b*H:])
}

// backward takes dh (T*B*H, gradient of the loss w.r.t. the layer's outputs;
// consumed) and the gradient (dhT, dcT) reaching the final state (nil for
// none), accumulates the parameter gradients and, when dx is not nil, writes
// the gradient w.r.t. the layer's input x. On return dhn and dcn hold the
// gradient w.r.t. the initial state.
func (l *lstmLayer) backward(w *layerWS, t, b int, dh, dx, dhn, dcn []float32) {
	H := l.hid
	G := 4 * H
	gemm := gemmOf(l.prec)
	whh := l.whh.W
	if w.whh != nil {
		whh = w.whh
	}
	bf16 := l.prec == PrecisionBF16
	if bf16 {
		w.whhB.Pack(false, G, H, whh, H)
	} else {
		w.whhPB.Pack(false, G, H, whh, H)
	}
	w.loop = timeLoop{l: l, w: w, t: t, b: b, bf16: bf16, back: true, dh: dh, dhn: dhn, dcn: dcn}
	kernel.Split(kernel.SplitParts(b, minPartRows), &w.loop)
	w.loop = timeLoop{}
	// Weight gradients: one multiply each over all T*B rows.
	if l.in == 1 {
		// W_ih is a column: its gradient dzᵀx is a matrix-vector product.
		kernel.Gemm(true, false, 1, G, t*b, 1, w.x, 1, w.dz, G, 1, l.wih.G, G)
	} else {
		gemm(true, false, G, l.in, t*b, 1, w.dz, G, w.x, l.in, 1, l.wih.G, l.in)
	}
	if w.whh == nil {
		gemm(true, false, G, H, t*b, 1, w.dz, G, w.h[:t*b*H], H, 1, l.whh.G, H)
	} else {
		// Through the mask: dW_hh = dW_dropped ⊙ mask.
		gemm(true, false, G, H, t*b, 1, w.dz, G, w.h[:t*b*H], H, 0, w.dwhh, H)
		for i, m := range w.wmask {
			l.whh.G[i] += w.dwhh[i] * m
		}
	}
	// b_ih and b_hh enter z the same way, so they share one gradient.
	kernel.Gemm(true, false, 1, G, t*b, 1, w.ones[:t*b], 1, w.dz, G, 0, l.db, G) // Σ_rows dz
	kernel.Axpy(1, l.db, l.bih.G)
	kernel.Axpy(1, l.db, l.bhh.G)
	if dx != nil {
		gemm(false, false, t*b, l.in, G, 1, w.dz, G, l.wih.W, l.in, 0, dx, l.in)
	}
}

// smallIn is the widest layer input whose product W_ih x runs step by step
// inside the time loop (in cache) rather than as one product over the
// window: a product of so few multiply-adds per gate costs what writing
// and rereading the window's T×B×4H gates costs. It runs in float32 in
// every precision (bf16 saves nothing at this size), as one multiply-add per
// input per gate: z = b + Σ_i x_i·W_ih[:, i].
const smallIn = 8

// minPartRows is the fewest batch rows worth a goroutine of their own in
// the time loop.
const minPartRows = 16

// timeLoop is one layer's loop over the T steps of a window, forward or
// backward, as a kernel.Job: the rows of a batch are independent through
// the recurrence, so the loop is split by rows (in blocks of 8, the
// kernels' row tile) and each part runs all T steps for its rows without
// waiting for the others. Every row's arithmetic is the same whatever the
// split, so results do not depend on the number of parts (GOMAXPROCS).
type timeLoop struct {
	l            *lstmLayer
	w            *layerWS
	t, b         int
	bias         []float32 // b_ih + b_hh
	bf16, back   bool
	dh, dhn, dcn []float32 // backward: see lstmLayer.backward
}

func (j *timeLoop) RunPart(p, parts int) {
	per := ((j.b+parts-1)/parts + 7) &^ 7
	r0, r1 := min(p*per, j.b), min((p+1)*per, j.b)
	if r0 == r1 {
		return
	}
	if j.back {
		j.backward(r0, r1)
	} else {
		j.forward(r0, r1)
	}
}

// forward runs rows [r0, r1) of every step: z = W_ih x (here for a small
// input, else already in z) + b_ih + b_hh + W_hh h, then the cell.
func (j *timeLoop) forward(r0, r1 int) {
	w, t, b, n := j.w, j.t, j.b, r1-r0
	H := j.l.hid
	G := 4 * H
	for s := 0; s < t; s++ {
		zs := w.z[(s*b+r0)*G : (s*b+r1)*G]
		hp := w.h[(s*b+r0)*H : (s*b+r1)*H]
		if in := j.l.in; in <= smallIn {
			x := w.x[(s*b+r0)*in : (s*b+r1)*in]
			for r := 0; r < n; r++ {
				zr := zs[r*G : (r+1)*G]
				copy(zr, j.bias)
				for i, v := range x[r*in : (r+1)*in] {
					kernel.Axpy(v, w.wihT[i*G:(i+1)*G], zr)
				}
			}
		} else {
			for r := 0; r < n; r++ {
				kernel.Axpy(1, j.bias, zs[r*G:(r+1)*G])
			}
		}
		if j.bf16 {
			kernel.GemmPackedBF16(false, n, hp, H, &w.whhF, 1, zs, G)
		} else {
			kernel.GemmPacked(false, n, hp, H, &w.whhPF, 1, zs, G)
		}
		kernel.LSTMCell(zs, w.c[(s*b+r0)*H:(s*b+r1)*H], w.c[((s+1)*b+r0)*H:((s+1)*b+r1)*H], w.tc[(s*b+r0)*H:(s*b+r1)*H], w.h[((s+1)*b+r0)*H:((s+1)*b+r1)*H], n, H)
	}
}

// backward runs rows [r0, r1) of every step from the last: the cell's
// backward, then the recurrent gradient dh_{s-1} = dz W_hh.
func (j *timeLoop) backward(r0, r1 int) {
	w, t, b, n := j.w, j.t, j.b, r1-r0
	H := j.l.hid
	G := 4 * H
	dhn, dcn := j.dhn[r0*H:r1*H], j.dcn[r0*H:r1*H]
	for s := t - 1; s >= 0; s-- {
		dhs := j.dh[(s*b+r0)*H : (s*b+r1)*H]
		kernel.Axpy(1, dhn, dhs)
		dzs := w.dz[(s*b+r0)*G : (s*b+r1)*G]
		kernel.LSTMCellBackward(dzs, w.z[(s*b+r0)*G:(s*b+r1)*G], w.c[(s*b+r0)*H:(s*b+r1)*H], w.tc[(s*b+r0)*H:(s*b+r1)*H], dhs, dcn, n, H)
		if j.bf16 {
			kernel.GemmPackedBF16(false, n, dzs, G, &w.whhB, 0, dhn, H)
		} else {
			kernel.GemmPacked(false, n, dzs, G, &w.whhPB, 0, dhn, H)
		}
	}
}

// step advances layer l by one time step for b rows: x (B×in) with state
// (h, c) updated in place. z (B×4H) and tc (B×H) are scratch. For one row,
// pre may hold W_ih·x already (else nil); the result is the same, bit for bit.
func (l *lstmLayer) step(x, pre, h, c, z, tc []float32, b int) {
	H := l.hid
	G := 4 * H
	if b == 1 {
		copy(z[:G], l.bih.W)
		kernel.Axpy(1, l.bhh.W, z[:G])
		if pre != nil {
			kernel.Axpy(1, pre, z[:G])
			kernel.Gemv(false, G, H, 1, l.whh.W, H, h, 1, z)
		} else {
			kernel.GemvPair(G, l.in, H, l.wih.W, l.in, x, l.whh.W, H, h, 1, z)
		}
	} else {
		bias := l.sumBias()
		for r := 0; r < b; r++ {
			copy(z[r*G:(r+1)*G], bias)
		}
		kernel.Gemm(false, true, b, G, l.in, 1, x, l.in, l.wih.W, l.in, 1, z, G)
		kernel.Gemm(false, true, b, G, H, 1, h, H, l.whh.W, H, 1, z, G)
	}
	kernel.LSTMCell(z, c, c, tc, h, b, H)
}

// fillDropout draws inverted-dropout multipliers (0 or 1/(1-p)).
func fillDropout(dst []float32, p float32, rng *rand.Rand) {
	keep := 1 / (1 - p)
	for i := range dst {
		if rng.Float32() < p {
			dst[i] = 0
		} else {
			dst[i] = keep
		}
	}
}
