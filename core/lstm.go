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

	// Weight drop (see regularize.go): whh is the dropped W_hh this
	// window uses (nil: the parameter itself), whhd its storage, wmask the
	// multipliers (0 or 1/(1-p)), dwhh the gradient w.r.t. the dropped
	// matrix before it is masked into the parameter's.
	whh, whhd, wmask, dwhh []float32

	// Under bf16 (precision.go): the recurrent weights rounded and packed
	// once per window, for the T products of forward (W_hhᵀ) and of
	// backward (W_hh).
	whhF, whhB kernel.PackedBF16
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
	for r := 0; r < t*b; r++ {
		copy(w.z[r*G:(r+1)*G], bias)
	}
	gemm(false, true, t*b, G, l.in, 1, w.x, l.in, l.wih.W, l.in, 1, w.z, G)
	copy(w.h[:b*H], h0)
	copy(w.c[:b*H], c0)
	bf16 := l.prec == PrecisionBF16
	if bf16 {
		w.whhF.Pack(true, H, G, whh, H)
	}
	for s := 0; s < t; s++ {
		zs := w.z[s*b*G : (s+1)*b*G]
		hp := w.h[s*b*H : (s+1)*b*H]
		if bf16 {
			kernel.GemmPackedBF16(false, b, hp, H, &w.whhF, 1, zs, G)
		} else {
			kernel.Gemm(false, true, b, G, H, 1, hp, H, whh, H, 1, zs, G)
		}
		kernel.LSTMCell(zs, w.c[s*b*H:(s+1)*b*H], w.c[(s+1)*b*H:(s+2)*b*H], w.tc[s*b*H:(s+1)*b*H], w.h[(s+1)*b*H:(s+2)*b*H], b, H)
	}
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
	}
	for s := t - 1; s >= 0; s-- {
		dhs := dh[s*b*H : (s+1)*b*H]
		kernel.Axpy(1, dhn, dhs)
		dzs := w.dz[s*b*G : (s+1)*b*G]
		kernel.LSTMCellBackward(dzs, w.z[s*b*G:(s+1)*b*G], w.c[s*b*H:(s+1)*b*H], w.tc[s*b*H:(s+1)*b*H], dhs, dcn, b, H)
		if bf16 {
			kernel.GemmPackedBF16(false, b, dzs, G, &w.whhB, 0, dhn, H)
		} else {
			kernel.Gemm(false, false, b, H, G, 1, dzs, G, whh, H, 0, dhn, H)
		}
	}
	// Weight gradients: one multiply each over all T*B rows.
	gemm(true, false, G, l.in, t*b, 1, w.dz, G, w.x, l.in, 1, l.wih.G, l.in)
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
	clear(l.db)
	for r := 0; r < t*b; r++ {
		kernel.Axpy(1, w.dz[r*G:(r+1)*G], l.db)
	}
	kernel.Axpy(1, l.db, l.bih.G)
	kernel.Axpy(1, l.db, l.bhh.G)
	if dx != nil {
		gemm(false, false, t*b, l.in, G, 1, w.dz, G, l.wih.W, l.in, 0, dx, l.in)
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
