// Fast float32 exp, sigmoid and tanh. The assembly in lstm_amd64.s computes
// the same formulas eight lanes at a time; the bounds are in doc.go and are
// checked by TestSigmoidTanhAccuracy.

package kernel

import "math"

const (
	expLo    = -87.33 // exp(expLo) is still a normal float32
	expHi    = 88.37  // exp(expHi) is still finite
	log2e    = 1.44269504088896341
	ln2Hi    = 0.693359375 // ln2 in two parts: fx*ln2Hi is exact
	ln2Lo    = -2.12194440e-4
	tanhPoly = 0.625 // below this |x|, tanh uses its odd polynomial
)

// expf returns e^x for x in [expLo, expHi] (Cephes expf): x = n·ln2 + r with
// |r| ≤ ln2/2, e^r by a polynomial, 2^n placed in the exponent bits.
func expf(x float32) float32 {
	fx := float32(math.RoundToEven(float64(x * log2e)))
	r := x - fx*ln2Hi
	r = r - fx*ln2Lo
	p := ((((1.9875691500e-4*r+1.3981999507e-3)*r+8.3334519073e-3)*r+4.1665795894e-2)*r+1.6666665459e-1)*r + 5.0000001201e-1
	p = (p*r+1)*r + 1
	return p * math.Float32frombits(uint32(int32(fx)+127)<<23)
}

// clampExp limits x to [expLo, expHi]; NaN passes through.
func clampExp(x float32) float32 {
	if x < expLo {
		return expLo
	}
	if x > expHi {
		return expHi
	}
	return x
}

// Sigmoid returns 1/(1+e^-x), within the error bound stated in the package
// documentation. It saturates to exactly 1 for large x and propagates NaN.
func Sigmoid(x float32) float32 {
	return 1 / (1 + expf(clampExp(-x)))
}

// Tanh returns the hyperbolic tangent of x, within the error bound stated in
// the package documentation. It saturates to exactly ±1 and propagates NaN.
func Tanh(x float32) float32 {
	a := float32(math.Abs(float64(x)))
	if a < tanhPoly {
		z := x * x
		p := (((-5.70498872745e-3*z+2.06390887954e-2)*z-5.37397155531e-2)*z+1.33314422036e-1)*z - 3.33332819422e-1
		return x + x*z*p
	}
	t := 1 - 2/(expf(clampExp(2*a))+1)
	return float32(math.Copysign(float64(t), float64(x)))
}

// SigmoidVec sets dst[i] = Sigmoid(x[i]) (to the same error bound). It
// panics if dst is shorter than x.
func SigmoidVec(dst, x []float32) {
	dst = dst[:len(x)]
	n := simdLen(len(x))
	if n > 0 {
		sigmoidVec(&dst[0], &x[0], n)
	}
	for i := n; i < len(x); i++ {
		dst[i] = Sigmoid(x[i])
	}
}

// TanhVec sets dst[i] = Tanh(x[i]) (to the same error bound). It panics if
// dst is shorter than x.
func TanhVec(dst, x []float32) {
	dst = dst[:len(x)]
	n := simdLen(len(x))
	if n > 0 {
		tanhVec(&dst[0], &x[0], n)
	}
	for i := n; i < len(x); i++ {
		dst[i] = Tanh(x[i])
	}
}
