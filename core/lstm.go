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
// Efficiency by construction. A large layer: the input term W_ih x_t of all
// T steps is one matrix multiply before the time loop; inside the loop only
// the recurrent B×H by H×4H product runs; the weight gradients are one
// multiply each after the backward time loop. A small layer (fused) does
// each step's gates in one product with its weights packed once per window
// and in cache, and all its weight gradients in one multiply. The time loops
// are split by batch rows over the cores. All buffers belong to a workspace
// reused across windows, so a training step allocates nothing once warmed up.

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
	dz   []float32 // T*B*4H: z itself (LSTMCellBackward reads the gates before writing dz)

	// A fused layer's (see fused): hx (T*B×K, K = H+in+1) the rows
	// [h_{t-1} | x_t | 1], wcat (4H×K) [W_hh | W_ih | b_ih+b_hh], dwcat
	// its gradient transposed (K×4H), dhx (B×(H+in)) one step's
	// [dh_{t-1} | dx_t].
	hx, wcat, dwcat, dhx []float32

	// Weight drop (see regularize.go): whh is the dropped W_hh this
	// window uses (nil: the parameter itself), whhd its storage, wmask the
	// multipliers (0 or 1/(1-p)), dwhh the gradient w.r.t. the dropped
	// matrix before it is masked into the parameter's.
	whh, whhd, wmask, dwhh []float32

	// Under bf16 (precision.go): the recurrent weights (fused: wcat)
	// rounded and packed once per window, for the T products of forward
	// (W_hhᵀ) and of backward (W_hh).
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
		w.dz = w.z // backward overwrites each step's gates with their gradient
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

// fused reports whether layer l runs its window fused: the gates of each
// step as one product [h_{t-1} | x_t | 1]·[W_hh | W_ih | b]ᵀ, the gradients
// reaching h_{t-1} and x_t as one product per step, and all weight and bias
// gradients as one product over the window. That saves whole passes over
// the window's T×B×4H gates (writing the input product, adding the bias,
// packing dz three more times) and suits a small layer, whose weights stay
// in cache from step to step; a large one (a 4H×(H+in+1) block over
// fuseMaxFloats) keeps the input product as one multiply over the window,
// where B panels are reused across all T*B rows.
func (l *lstmLayer) fused() bool {
	return 4*l.hid*(l.hid+l.in+1) <= fuseMaxFloats
}

// fuseMaxFloats bounds the weights of a fused layer (512 KiB; tests change it).
var fuseMaxFloats = 128 << 10

// forward runs layer l over the window whose input is already in w.x,
// starting from state (h0, c0) and leaving the final state in (hT, cT)
// (which may alias h0, c0).
func (l *lstmLayer) forward(w *layerWS, t, b int, h0, c0, hT, cT []float32) {
	H, in := l.hid, l.in
	G := 4 * H
	bias := l.sumBias()
	whh := l.whh.W
	if w.whh != nil {
		whh = w.whh
	}
	bf16 := l.prec == PrecisionBF16
	w.loop = timeLoop{l: l, w: w, t: t, b: b, bias: bias, bf16: bf16, fused: l.fused()}
	w.whhPF.Serial, w.whhPB.Serial = w.loop.fused, w.loop.fused
	if w.loop.fused {
		// wcat = [W_hh | W_ih | b], 4H×K; hx rows [h_{t-1} | x_t | 1].
		K := H + in + 1
		w.wcat = grow(w.wcat, G*K)
		w.hx = grow(w.hx, t*b*K)
		for g := 0; g < G; g++ {
			row := w.wcat[g*K : (g+1)*K]
			copy(row, whh[g*H:(g+1)*H])
			copy(row[H:], l.wih.W[g*in:(g+1)*in])
			row[H+in] = bias[g]
		}
		if bf16 {
			w.whhF.Pack(true, K, G, w.wcat, K)
		} else {
			w.whhPF.Pack(true, K, G, w.wcat, K)
		}
	} else {
		gemmOf(l.prec)(false, true, t*b, G, in, 1, w.x, in, l.wih.W, in, 0, w.z, G)
		if bf16 {
			w.whhF.Pack(true, H, G, whh, H)
		} else {
			w.whhPF.Pack(true, H, G, whh, H)
		}
	}
	copy(w.h[:b*H], h0)
	copy(w.c[:b*H], c0)
	kernel.Split(w.loop.parts(), &w.loop)
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
	H, in := l.hid, l.in
	G := 4 * H
	gemm := gemmOf(l.prec)
	whh := l.whh.W
	if w.whh != nil {
		whh = w.whh
	}
	bf16 := l.prec == PrecisionBF16
	fused := l.fused()
	w.loop = timeLoop{l: l, w: w, t: t, b: b, bf16: bf16, fused: fused, back: true, dh: dh, dx: dx, dhn: dhn, dcn: dcn}
	w.whhPF.Serial, w.whhPB.Serial = fused, fused
	switch {
	case fused && dx != nil:
		// [dh_{t-1} | dx_t] = dz·[W_hh | W_ih], from wcat as forward left it.
		K := H + in + 1
		w.dhx = grow(w.dhx, b*(H+in))
		if bf16 {
			w.whhB.Pack(false, G, H+in, w.wcat, K)
		} else {
			w.whhPB.Pack(false, G, H+in, w.wcat, K)
		}
	case fused:
		if bf16 {
			w.whhB.Pack(false, G, H, w.wcat, H+in+1)
		} else {
			w.whhPB.Pack(false, G, H, w.wcat, H+in+1)
		}
	case bf16:
		w.whhB.Pack(false, G, H, whh, H)
	default:
		w.whhPB.Pack(false, G, H, whh, H)
	}
	kernel.Split(w.loop.parts(), &w.loop)
	w.loop = timeLoop{}
	if fused {
		l.fusedWeightGrads(w, t, b)
		return
	}
	// Weight gradients: one multiply each over all T*B rows.
	if in == 1 {
		// W_ih is a column: its gradient dzᵀx is a matrix-vector product.
		kernel.Gemm(true, false, 1, G, t*b, 1, w.x, 1, w.dz, G, 1, l.wih.G, G)
	} else {
		gemm(true, false, G, in, t*b, 1, w.dz, G, w.x, in, 1, l.wih.G, in)
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
	clear(l.db)
	for r := 0; r < t*b; r++ {
		kernel.Axpy(1, w.dz[r*G:(r+1)*G], l.db)
	}
	kernel.Axpy(1, l.db, l.bih.G)
	kernel.Axpy(1, l.db, l.bhh.G)
	if dx != nil {
		gemm(false, false, t*b, in, G, 1, w.dz, G, l.wih.W, in, 0, dx, in)
	}
}

// fusedWeightGrads adds the gradients of a fused layer's weights and biases:
// dzᵀ·[h_{t-1} | x_t | 1] over the window is [dW_hh | dW_ih | db] at once.
// It is computed transposed, as [h_{t-1} | x_t | 1]ᵀ·dz (K×4H), which packs
// the narrower operand across its rows (and rounds K, not 4H, up to the
// kernel's tile), with the same sums in the same order.
func (l *lstmLayer) fusedWeightGrads(w *layerWS, t, b int) {
	H, in := l.hid, l.in
	G, K := 4*H, H+in+1
	w.dwcat = grow(w.dwcat, K*G)
	gemmOf(l.prec)(true, false, K, G, t*b, 1, w.hx, K, w.dz, G, 0, w.dwcat, G)
	d := w.dwcat
	for g := 0; g < G; g++ {
		dwhh := l.whh.G[g*H : (g+1)*H]
		if w.whh == nil {
			for j := range dwhh {
				dwhh[j] += d[j*G+g]
			}
		} else { // through the weight-drop mask: dW_hh = dW_dropped ⊙ mask
			for j, m := range w.wmask[g*H : (g+1)*H] {
				dwhh[j] += d[j*G+g] * m
			}
		}
		dwih := l.wih.G[g*in : (g+1)*in]
		for i := range dwih {
			dwih[i] += d[(H+i)*G+g]
		}
		// b_ih and b_hh enter z the same way, so they share one gradient.
		l.bih.G[g] += d[(H+in)*G+g]
		l.bhh.G[g] += d[(H+in)*G+g]
	}
}

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
	l                 *lstmLayer
	w                 *layerWS
	t, b              int
	bias              []float32 // b_ih + b_hh
	bf16, back, fused bool
	dh, dx, dhn, dcn  []float32 // backward: see lstmLayer.backward
}

// parts returns how many parts the loop runs in. A large layer's loop runs
// in one, its products shared step by step instead (Gemm's goroutines):
// they are large enough to share, and its weights too large for every core
// to read them all at each step.
func (j *timeLoop) parts() int {
	if !j.fused {
		return 1
	}
	return kernel.SplitParts(j.b, minPartRows)
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

// forward runs rows [r0, r1) of every step: the gates z = W_ih x + b_ih +
// b_hh + W_hh h (fused: one product; else W_ih x is already in z), then
// the cell.
func (j *timeLoop) forward(r0, r1 int) {
	w, t, b, n := j.w, j.t, j.b, r1-r0
	H, in := j.l.hid, j.l.in
	G, K := 4*H, H+in+1
	for s := 0; s < t; s++ {
		zs := w.z[(s*b+r0)*G : (s*b+r1)*G]
		hp := w.h[(s*b+r0)*H : (s*b+r1)*H]
		if j.fused {
			hx := w.hx[(s*b+r0)*K : (s*b+r1)*K]
			x := w.x[(s*b+r0)*in : (s*b+r1)*in]
			for r := 0; r < n; r++ {
				row := hx[r*K : (r+1)*K]
				copy(row, hp[r*H:(r+1)*H])
				copy(row[H:], x[r*in:(r+1)*in])
				row[H+in] = 1
			}
			if j.bf16 {
				kernel.GemmPackedBF16(false, n, hx, K, &w.whhF, 0, zs, G)
			} else {
				kernel.GemmPacked(false, n, hx, K, &w.whhPF, 0, zs, G)
			}
		} else {
			for r := 0; r < n; r++ {
				kernel.Axpy(1, j.bias, zs[r*G:(r+1)*G])
			}
			if j.bf16 {
				kernel.GemmPackedBF16(false, n, hp, H, &w.whhF, 1, zs, G)
			} else {
				kernel.GemmPacked(false, n, hp, H, &w.whhPF, 1, zs, G)
			}
		}
		kernel.LSTMCell(zs, w.c[(s*b+r0)*H:(s*b+r1)*H], w.c[((s+1)*b+r0)*H:((s+1)*b+r1)*H], w.tc[(s*b+r0)*H:(s*b+r1)*H], w.h[((s+1)*b+r0)*H:((s+1)*b+r1)*H], n, H)
	}
}

// backward runs rows [r0, r1) of every step from the last: the cell's
// backward, then the gradient reaching h_{s-1} (dz W_hh) and, fused, x_s
// (dz W_ih) in the same product.
func (j *timeLoop) backward(r0, r1 int) {
	w, t, b, n := j.w, j.t, j.b, r1-r0
	H, in := j.l.hid, j.l.in
	G := 4 * H
	dhn, dcn := j.dhn[r0*H:r1*H], j.dcn[r0*H:r1*H]
	both := j.fused && j.dx != nil
	for s := t - 1; s >= 0; s-- {
		dhs := j.dh[(s*b+r0)*H : (s*b+r1)*H]
		kernel.Axpy(1, dhn, dhs)
		dzs := w.dz[(s*b+r0)*G : (s*b+r1)*G]
		kernel.LSTMCellBackward(dzs, w.z[(s*b+r0)*G:(s*b+r1)*G], w.c[(s*b+r0)*H:(s*b+r1)*H], w.tc[(s*b+r0)*H:(s*b+r1)*H], dhs, dcn, n, H)
		if !both {
			if j.bf16 {
				kernel.GemmPackedBF16(false, n, dzs, G, &w.whhB, 0, dhn, H)
			} else {
				kernel.GemmPacked(false, n, dzs, G, &w.whhPB, 0, dhn, H)
			}
			continue
		}
		dhx := w.dhx[r0*(H+in) : r1*(H+in)]
		if j.bf16 {
			kernel.GemmPackedBF16(false, n, dzs, G, &w.whhB, 0, dhx, H+in)
		} else {
			kernel.GemmPacked(false, n, dzs, G, &w.whhPB, 0, dhx, H+in)
		}
		dx := j.dx[(s*b+r0)*in : (s*b+r1)*in]
		for r := 0; r < n; r++ {
			row := dhx[r*(H+in) : (r+1)*(H+in)]
			copy(dhn[r*H:(r+1)*H], row[:H])
			copy(dx[r*in:(r+1)*in], row[H:])
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
