// Vector routines: softmax with cross-entropy, the Adam update and small
// helpers used by the optimizer and clipping.

package kernel

import "math"

// LogSoftmax writes log(softmax(x)) to dst and returns log Σ exp(x).
func LogSoftmax(dst, x []float32) float32 {
	mx := float32(math.Inf(-1))
	for _, v := range x {
		if v > mx {
			mx = v
		}
	}
	var s float64
	for _, v := range x {
		s += math.Exp(float64(v - mx))
	}
	lse := mx + float32(math.Log(s))
	dst = dst[:len(x)]
	for i, v := range x {
		dst[i] = v - lse
	}
	return lse
}

// SoftmaxCrossEntropy returns -log softmax(logits)[target] and writes the
// gradient of that loss times scale, (softmax - onehot)*scale, to dlogits.
func SoftmaxCrossEntropy(dlogits, logits []float32, target int, scale float32) float32 {
	mx := float32(math.Inf(-1))
	for _, v := range logits {
		if v > mx {
			mx = v
		}
	}
	var s float32
	dlogits = dlogits[:len(logits)]
	for i, v := range logits {
		e := float32(math.Exp(float64(v - mx)))
		dlogits[i] = e
		s += e
	}
	inv := scale / s
	for i := range dlogits {
		dlogits[i] *= inv
	}
	dlogits[target] -= scale
	return float32(math.Log(float64(s))) + mx - logits[target]
}

// SumSquares returns Σ x².
func SumSquares(x []float32) float64 {
	var s float64
	for _, v := range x {
		s += float64(v) * float64(v)
	}
	return s
}

// Scale multiplies x by a in place.
func Scale(a float32, x []float32) {
	for i := range x {
		x[i] *= a
	}
}

// Axpy computes y += a*x.
func Axpy(a float32, x, y []float32) {
	y = y[:len(x)]
	for i, v := range x {
		y[i] += a * v
	}
}

// Adam applies one AdamW update to w given the gradient g and the moment
// estimates m and v (updated in place), exactly as torch.optim.AdamW does
// (torch.optim.Adam when wd is 0). bc1 = 1-β1^t and bc2 = 1-β2^t are the
// bias corrections of step t; wd is the decoupled weight decay.
func Adam(w, g, m, v []float32, lr, beta1, beta2, eps, wd, bc1, bc2 float32) {
	n := len(w)
	g, m, v = g[:n], m[:n], v[:n]
	sb2 := float32(math.Sqrt(float64(bc2)))
	step := lr / bc1
	for i := range w {
		gi := g[i]
		mi := beta1*m[i] + (1-beta1)*gi
		vi := beta2*v[i] + (1-beta2)*gi*gi
		m[i], v[i] = mi, vi
		if wd != 0 {
			w[i] -= lr * wd * w[i]
		}
		w[i] -= step * mi / (float32(math.Sqrt(float64(vi)))/sb2 + eps)
	}
}
