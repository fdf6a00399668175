// Tests of the sigmoid/tanh approximations (scalar and vector) against
// math over a dense grid and extreme values, and of the fused LSTM cell
// against a float64 reference.

package kernel

import (
	"math"
	"math/rand/v2"
	"testing"
)

// Error bounds promised in doc.go.
const (
	tanhMaxRel    = 2e-7  // relative, every x
	sigmoidMaxRel = 2e-7  // relative, x ≥ -87
	sigmoidMaxAbs = 5e-39 // absolute, x < -87
)

func refSigmoid(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

// approxInputs returns a dense grid on [-30, 30], a sweep over float32 bit
// patterns of both signs and the extreme values.
func approxInputs() []float32 {
	var xs []float32
	for x := -30.0; x <= 30; x += 1.0 / 1024 {
		xs = append(xs, float32(x))
	}
	for b := uint32(0); b < 0x7f800000; b += 4099 {
		v := math.Float32frombits(b)
		xs = append(xs, v, -v)
	}
	xs = append(xs, 0, float32(math.Copysign(0, -1)), math.MaxFloat32, -math.MaxFloat32,
		math.SmallestNonzeroFloat32, 0.625, -0.625, math.Nextafter32(0.625, 0), 87.33, -87.33, 88.37, -88.37, 89, -89, 1e-20, -1e-20)
	for len(xs)%8 != 0 {
		xs = append(xs, 1)
	}
	return xs
}

func TestSigmoidTanhAccuracy(t *testing.T) {
	xs := approxInputs()
	vs, vt := make([]float32, len(xs)), make([]float32, len(xs))
	SigmoidVec(vs, xs)
	TanhVec(vt, xs)
	var maxT, maxS, maxSAbs float64
	for i, x := range xs {
		wt, ws := math.Tanh(float64(x)), refSigmoid(float64(x))
		for _, got := range []float32{Tanh(x), vt[i]} {
			e := math.Abs(float64(got) - wt)
			if wt != 0 {
				e /= math.Abs(wt)
			}
			if !(e <= tanhMaxRel) {
				t.Fatalf("Tanh(%g) = %g, want %g (rel err %g)", x, got, wt, e)
			}
			maxT = max(maxT, e)
		}
		for _, got := range []float32{Sigmoid(x), vs[i]} {
			e := math.Abs(float64(got) - ws)
			if x >= -87 {
				if !(e/ws <= sigmoidMaxRel) {
					t.Fatalf("Sigmoid(%g) = %g, want %g (rel err %g)", x, got, ws, e/ws)
				}
				maxS = max(maxS, e/ws)
			} else {
				if !(e <= sigmoidMaxAbs) {
					t.Fatalf("Sigmoid(%g) = %g, want %g (abs err %g)", x, got, ws, e)
				}
				maxSAbs = max(maxSAbs, e)
			}
		}
	}
	// The same inputs through LSTMCell's gates i (sigmoid) and g (tanh),
	// which may use wider vectors than TanhVec and SigmoidVec.
	const hid = 256
	z := make([]float32, 4*hid)
	zero := make([]float32, hid)
	c, tc, h := make([]float32, hid), make([]float32, hid), make([]float32, hid)
	for lo := 0; lo < len(xs); lo += hid {
		n := min(hid, len(xs)-lo)
		clear(z)
		copy(z[:n], xs[lo:lo+n])
		copy(z[2*hid:2*hid+n], xs[lo:lo+n])
		LSTMCell(z, zero, c, tc, h, 1, hid)
		for j, x := range xs[lo : lo+n] {
			wt, ws := math.Tanh(float64(x)), refSigmoid(float64(x))
			if e := math.Abs(float64(z[2*hid+j]) - wt); !(e <= tanhMaxRel*math.Abs(wt)) {
				t.Fatalf("LSTMCell tanh(%g) = %g, want %g", x, z[2*hid+j], wt)
			}
			e := math.Abs(float64(z[j]) - ws)
			if !(x >= -87 && e <= sigmoidMaxRel*ws || x < -87 && e <= sigmoidMaxAbs) {
				t.Fatalf("LSTMCell sigmoid(%g) = %g, want %g", x, z[j], ws)
			}
		}
	}
	t.Logf("%d inputs: tanh max rel err %.3g, sigmoid max rel err %.3g (x ≥ -87), max abs err %.3g below", len(xs), maxT, maxS, maxSAbs)
}

func TestSigmoidTanhSpecial(t *testing.T) {
	nan, inf := float32(math.NaN()), float32(math.Inf(1))
	// wantS -1 means "tiny but not negative": below -87 the sigmoid is
	// within 5e-39 of its true value, not exactly 0.
	in := []float32{nan, inf, -inf, 20, -20, 10, -10, 0, 100, -100}
	wantT := []float64{math.NaN(), 1, -1, 1, -1, 1, -1, 0, 1, -1}
	wantS := []float64{math.NaN(), 1, -1, 1, -1, 0.9999546, 4.5397868e-05, 0.5, 1, -1}
	x := make([]float32, 16)
	copy(x, in)
	vt, vs := make([]float32, 16), make([]float32, 16)
	TanhVec(vt, x)
	SigmoidVec(vs, x)
	// and through LSTMCell's gates i (sigmoid) and g (tanh)
	z := make([]float32, 4*16)
	copy(z, x)
	copy(z[32:], x)
	LSTMCell(z, make([]float32, 16), make([]float32, 16), make([]float32, 16), make([]float32, 16), 1, 16)
	for i, v := range in {
		for _, got := range []float32{Tanh(v), vt[i], z[32+i]} {
			if w := wantT[i]; float64(got) != w && !(math.IsNaN(w) && got != got) {
				t.Errorf("Tanh(%v) = %v, want %v", v, got, w)
			}
		}
		for _, got := range []float32{Sigmoid(v), vs[i], z[i]} {
			w := wantS[i]
			switch {
			case math.IsNaN(w) && got == got:
				t.Errorf("Sigmoid(NaN) = %v", got)
			case w >= 0 && float64(got) != w && math.Abs(float64(got)-w) > 1e-6*w:
				t.Errorf("Sigmoid(%v) = %v, want %v", v, got, w)
			case w < 0 && !(got >= 0 && got < 1e-8): // very small positive
				t.Errorf("Sigmoid(%v) = %v, want tiny", v, got)
			}
		}
	}
}

// TestLSTMCell checks the cell against float64 math on every code path
// (the variants select the AVX-512 or the AVX2 row kernels).
func TestLSTMCell(t *testing.T) {
	for _, v := range gemmVariants() {
		t.Run(v.name, func(t *testing.T) {
			defer v.use()()
			testLSTMCell(t)
		})
	}
}

func testLSTMCell(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for _, b := range []int{1, 3} {
		for _, hid := range []int{1, 7, 8, 9, 16, 33, 64, 256} {
			z := make([]float32, b*4*hid)
			for i := range z {
				z[i] = 6 * (2*r.Float32() - 1)
			}
			cPrev, dh, dc := randSlice(r, b*hid), randSlice(r, b*hid), randSlice(r, b*hid)
			z0, dc0 := append([]float32(nil), z...), append([]float32(nil), dc...)
			c, tc, h := make([]float32, b*hid), make([]float32, b*hid), make([]float32, b*hid)
			LSTMCell(z, cPrev, c, tc, h, b, hid)
			dz := make([]float32, b*4*hid)
			inPlace, dcIn := append([]float32(nil), z...), append([]float32(nil), dc...)
			LSTMCellBackward(dz, z, cPrev, tc, dh, dc, b, hid)
			LSTMCellBackward(inPlace, inPlace, cPrev, tc, dh, dcIn, b, hid)
			for i := range dz {
				if math.Float32bits(inPlace[i]) != math.Float32bits(dz[i]) {
					t.Fatalf("b=%d hid=%d: dz[%d] = %v in place, %v apart", b, hid, i, inPlace[i], dz[i])
				}
			}
			check := func(what string, got float32, want float64) {
				t.Helper()
				if d := math.Abs(float64(got) - want); !(d <= 2e-6*(1+math.Abs(want))) {
					t.Fatalf("b=%d hid=%d: %s = %v, want %v", b, hid, what, got, want)
				}
			}
			for rr := 0; rr < b; rr++ {
				for j := 0; j < hid; j++ {
					g := func(q int) float64 { return float64(z0[rr*4*hid+q*hid+j]) }
					i, f, gg, o := refSigmoid(g(0)), refSigmoid(g(1)), math.Tanh(g(2)), refSigmoid(g(3))
					cp := float64(cPrev[rr*hid+j])
					cc := f*cp + i*gg
					tt := math.Tanh(cc)
					k := rr*hid + j
					check("i", z[rr*4*hid+j], i)
					check("f", z[rr*4*hid+hid+j], f)
					check("g", z[rr*4*hid+2*hid+j], gg)
					check("o", z[rr*4*hid+3*hid+j], o)
					check("c", c[k], cc)
					check("tanh(c)", tc[k], tt)
					check("h", h[k], o*tt)
					dhv := float64(dh[k])
					dcc := float64(dc0[k]) + dhv*o*(1-tt*tt)
					check("do", dz[rr*4*hid+3*hid+j], dhv*tt*o*(1-o))
					check("di", dz[rr*4*hid+j], dcc*gg*i*(1-i))
					check("df", dz[rr*4*hid+hid+j], dcc*cp*f*(1-f))
					check("dg", dz[rr*4*hid+2*hid+j], dcc*i*(1-gg*gg))
					check("dcPrev", dc[k], dcc*f)
				}
			}
		}
	}
}
