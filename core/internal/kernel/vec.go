// Vector routines: softmax with cross-entropy, the Adam update and small
// helpers used by the optimizer and clipping. Whole groups of 8 elements run
// in assembly where available (vec_amd64.s), the rest in Go.

package kernel

import "math"

// LogSoftmax writes log(softmax(x)) to dst and returns log Σ exp(x). It
// panics if dst is shorter than x.
func LogSoftmax(dst, x []float32) float32 {
	mx := float32(math.Inf(-1))
	for _, v := range x {
		if v > mx {
			mx = v
		}
	}
	var s float64
	for _, v := range x {
		s += float64(expf(clampExp(v - mx)))
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
// dlogits may be logits itself (the gradient then replaces the logits).
func SoftmaxCrossEntropy(dlogits, logits []float32, target int, scale float32) float32 {
	lt := logits[target]
	mx := float32(math.Inf(-1))
	for _, v := range logits {
		if v > mx {
			mx = v
		}
	}
	dlogits = dlogits[:len(logits)]
	k, s := expSumSIMD(dlogits, logits, mx) // vector lanes sum in their own order
	for i := k; i < len(logits); i++ {
		e := expf(clampExp(logits[i] - mx))
		dlogits[i] = e
		s += e
	}
	Scale(scale/s, dlogits)
	dlogits[target] -= scale
	return float32(math.Log(float64(s))) + mx - lt
}

// SumSquares returns Σ x², accumulated in float64.
func SumSquares(x []float32) float64 {
	var s float64
	n := simdLen(len(x))
	if n > 0 {
		s = sumSquaresVec(&x[0], n)
	}
	for _, v := range x[n:] {
		s += float64(v) * float64(v)
	}
	return s
}

// Scale multiplies x by a in place.
func Scale(a float32, x []float32) {
	n := simdLen(len(x))
	if n > 0 {
		scaleVec(a, &x[0], n)
	}
	for i := n; i < len(x); i++ {
		x[i] *= a
	}
}

// Axpy computes y += a*x. It panics if y is shorter than x.
func Axpy(a float32, x, y []float32) {
	y = y[:len(x)]
	n := simdLen(len(x))
	if n > 0 {
		axpyVec(a, &x[0], &y[0], n)
	}
	for i := n; i < len(x); i++ {
		y[i] += a * x[i]
	}
}

// adamConsts are the per-step constants of Adam, laid out for adamVec.
type adamConsts struct {
	beta1, oneMinusBeta1, beta2, oneMinusBeta2 float32
	decay                                      float32 // 1 - lr*wd
	sqrtBC2, eps, step                         float32
}

// Adam applies one AdamW update to w given the gradient g and the moment
// estimates m and v (updated in place), as torch.optim.AdamW does
// (torch.optim.Adam when wd is 0):
//
//	m = β1·m + (1-β1)·g;  v = β2·v + (1-β2)·g²
//	w = w·(1 - lr·wd) - lr/bc1 · m / (√v/√bc2 + eps)
//
// bc1 = 1-β1^t and bc2 = 1-β2^t are the bias corrections of step t; wd is
// the decoupled weight decay. It panics if g, m or v is shorter than w.
func Adam(w, g, m, v []float32, lr, beta1, beta2, eps, wd, bc1, bc2 float32) {
	c := adamConsts{
		beta1, 1 - beta1, beta2, 1 - beta2,
		1 - lr*wd,
		float32(math.Sqrt(float64(bc2))), eps, lr / bc1,
	}
	n := len(w)
	g, m, v = g[:n], m[:n], v[:n]
	k := simdLen(n)
	if k > 0 {
		adamVec(&w[0], &g[0], &m[0], &v[0], k, &c)
	}
	for i := k; i < n; i++ {
		gi := g[i]
		mi := c.beta1*m[i] + c.oneMinusBeta1*gi
		vi := c.beta2*v[i] + c.oneMinusBeta2*gi*gi
		m[i], v[i] = mi, vi
		denom := float32(math.Sqrt(float64(vi)))/c.sqrtBC2 + c.eps
		w[i] = w[i]*c.decay - c.step*(mi/denom)
	}
}
