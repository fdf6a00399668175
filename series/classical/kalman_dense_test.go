// The dense Kalman filter that the fast one in kalman.go replaced: O(r^2)
// per step and O(r^3) per doubling for the stationary covariance. It is
// kept as the reference that the fast filter must reproduce.

package classical

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// denseKalman holds the workspace of the exact likelihood.
type denseKalman struct {
	r              int
	phi, rv        []float64 // T's first column (padded) and R = (1, theta)
	p, pn, tp, tmp []float64 // r x r
	a, an          []float64
}

func newDenseKalman(ar, ma []float64) *denseKalman {
	r := max(len(ar), len(ma)+1)
	k := &denseKalman{r: r, phi: make([]float64, r), rv: make([]float64, r)}
	copy(k.phi, ar)
	k.rv[0] = 1
	copy(k.rv[1:], ma)
	k.p, k.pn, k.tp, k.tmp = make([]float64, r*r), make([]float64, r*r), make([]float64, r*r), make([]float64, r*r)
	k.a, k.an = make([]float64, r), make([]float64, r)
	return k
}

// tpt sets dst = T src T' for the companion T (T[i][0] = phi_i,
// T[i][i+1] = 1), using k.tmp.
func (k *denseKalman) tpt(dst, src []float64) {
	r := k.r
	// tmp = T src: row i = phi_i * src[0,:] + src[i+1,:].
	for i := range r {
		for j := range r {
			v := k.phi[i] * src[j]
			if i+1 < r {
				v += src[(i+1)*r+j]
			}
			k.tmp[i*r+j] = v
		}
	}
	// dst = tmp T': column j = tmp[:,0] phi_j + tmp[:,j+1].
	for i := range r {
		for j := range r {
			v := k.tmp[i*r] * k.phi[j]
			if j+1 < r {
				v += k.tmp[i*r+j+1]
			}
			dst[i*r+j] = v
		}
	}
}

// stationary sets k.p to the stationary state covariance P = T P T' + R R'
// (sigma^2 = 1) by doubling: P = sum_k A^k V A'^k with A squared at each
// step. ok is false if it does not converge (a non-stationary AR part).
func (k *denseKalman) stationary() bool {
	r := k.r
	p := k.p
	for i := range r {
		for j := range r {
			p[i*r+j] = k.rv[i] * k.rv[j]
		}
	}
	if r == 1 {
		p[0] = 1 / (1 - k.phi[0]*k.phi[0])
		return p[0] > 0 && !math.IsInf(p[0], 0)
	}
	A := make([]float64, r*r)
	for i := range r {
		A[i*r] = k.phi[i]
		if i+1 < r {
			A[i*r+i+1] = 1
		}
	}
	AP, A2 := make([]float64, r*r), make([]float64, r*r)
	for it := 0; it < 100; it++ {
		// AP = A P; P += AP A'; A = A A.
		denseMatmul(AP, A, p, r, false)
		denseMatmul(k.tmp, AP, A, r, true)
		change, size := 0.0, 0.0
		for i, v := range k.tmp {
			p[i] += v
			change = math.Max(change, math.Abs(v))
			size = math.Max(size, math.Abs(p[i]))
		}
		if math.IsNaN(size) || math.IsInf(size, 0) {
			return false
		}
		if change <= 1e-13*size {
			return true
		}
		denseMatmul(A2, A, A, r, false)
		A, A2 = A2, A
	}
	return false
}

// matmul sets dst = a b (or a b' when bt), all r x r.
func denseMatmul(dst, a, b []float64, r int, bt bool) {
	for i := range r {
		for j := range r {
			s := 0.0
			for l := range r {
				if bt {
					s += a[i*r+l] * b[j*r+l]
				} else {
					s += a[i*r+l] * b[l*r+j]
				}
			}
			dst[i*r+j] = s
		}
	}
}

// filter runs the Kalman filter over x (already centred) and returns the
// sum of squared standardised innovations, the sum of their log variances
// and whether the state covariance was valid. The final state is left in
// k.a.
func (k *denseKalman) filter(x []float64) (ssq, sumlog float64, ok bool) {
	if !k.stationary() {
		return 0, 0, false
	}
	r := k.r
	clear(k.a)
	steady := false
	gain := make([]float64, r)
	for t, y := range x {
		// Predict: an = T a, pn = T P T' + V (at t = 0 the prior).
		if t == 0 {
			copy(k.an, k.a)
			copy(k.pn, k.p)
		} else {
			for i := range r {
				v := k.phi[i] * k.a[0]
				if i+1 < r {
					v += k.a[i+1]
				}
				k.an[i] = v
			}
			if !steady {
				k.tpt(k.pn, k.p)
				for i := range r {
					for j := range r {
						k.pn[i*r+j] += k.rv[i] * k.rv[j]
					}
				}
			}
		}
		v := y - k.an[0]
		F := k.pn[0]
		if !(F > 0) || math.IsInf(F, 0) {
			return 0, 0, false
		}
		ssq += v * v / F
		sumlog += math.Log(F)
		if !steady {
			for i := range r {
				gain[i] = k.pn[i*r] / F
			}
			for i := range r {
				for j := range r {
					k.p[i*r+j] = k.pn[i*r+j] - k.pn[i*r]*k.pn[j*r]/F
				}
			}
			// Once the innovation variance has reached its limit (1 for an
			// invertible model) the covariance no longer changes.
			if t > r && math.Abs(F-1) < 1e-9 {
				steady = true
			}
		}
		for i := range r {
			k.a[i] = k.an[i] + gain[i]*v
		}
	}
	return ssq, sumlog, !math.IsNaN(ssq)
}

// TestKalmanMatchesDense checks the fast likelihood and final state
// against the dense filter on random stationary seasonal ARMA models (the
// dense filter freezes its covariance once F is within 1e-9 of 1, hence
// the looser tolerance on the log variances).
func TestKalmanMatchesDense(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for c := range 40 {
		m := []int{1, 4, 12, 24}[c%4]
		p, q, P, Q := rng.IntN(4), rng.IntN(4), rng.IntN(3), rng.IntN(3)
		if m == 1 {
			P, Q = 0, 0
		}
		raw := func(n int) []float64 {
			x := make([]float64, n)
			for i := range x {
				x[i] = rng.NormFloat64()
			}
			return x
		}
		small := func(n int) []float64 {
			x := raw(n)
			for i := range x {
				x[i] *= 0.4
			}
			return x
		}
		ar, ma := expand(pacfToAR(raw(p)), small(q), pacfToAR(raw(P)), small(Q), m)
		x := raw(200 + 3*m)
		fast, dense := newKalman(ar, ma), newDenseKalman(ar, ma)
		s1, l1, ok1 := fast.filter(x, 0)
		s2, l2, ok2 := dense.filter(x)
		if ok1 != ok2 {
			t.Fatalf("case %d: ok %v, dense %v", c, ok1, ok2)
		}
		if !ok1 {
			continue
		}
		if math.Abs(s1-s2) > 1e-7*math.Abs(s2) || math.Abs(l1-l2) > 1e-6*(1+math.Abs(l2)) {
			t.Errorf("case %d (%d,%d)(%d,%d)[%d]: ssq %.12g sumlog %.12g, dense %.12g %.12g", c, p, q, P, Q, m, s1, l1, s2, l2)
		}
		// The fast filter keeps the predicted state T a.
		want := make([]float64, dense.r)
		for i := range want {
			want[i] = dense.phi[i] * dense.a[0]
			if i+1 < dense.r {
				want[i] += dense.a[i+1]
			}
		}
		for i := range want {
			if math.Abs(fast.a[i]-want[i]) > 1e-6*(1+math.Abs(want[i])) {
				t.Errorf("case %d: state[%d] %g, dense %g", c, i, fast.a[i], want[i])
				break
			}
		}
	}
}

// BenchmarkLikelihood times one likelihood evaluation of an
// ARIMA(2,0,1)(1,0,1)[m] model on 700 points, fast and dense.
func BenchmarkLikelihood(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	x := make([]float64, 700)
	for i := range x {
		x[i] = rng.NormFloat64()
	}
	for _, m := range []int{4, 12, 24, 52} {
		ar, ma := expand([]float64{0.5, -0.2}, []float64{0.3}, []float64{0.6}, []float64{-0.4}, m)
		b.Run(fmt.Sprintf("fast/m=%d", m), func(b *testing.B) {
			for range b.N {
				newKalman(ar, ma).filter(x, 0)
			}
		})
		b.Run(fmt.Sprintf("dense/m=%d", m), func(b *testing.B) {
			for range b.N {
				newDenseKalman(ar, ma).filter(x)
			}
		})
	}
}

// solveGamma gives gonum's SolveVec's answer bit for bit, and refuses
// the systems SolveVec refuses, on the systems the stationary covariance
// solves: I minus a stationary AR polynomial's coefficients folded at
// each lag, non-seasonal and seasonal, and at a unit root.
func TestSolveGammaMatchesGonum(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	raw := func(n int) []float64 {
		x := make([]float64, n)
		for i := range x {
			x[i] = 1.5 * rng.NormFloat64()
		}
		return x
	}
	for c := range 300 {
		p, P, m := rng.IntN(4), rng.IntN(3), []int{1, 4, 12, 24}[rng.IntN(4)]
		if m == 1 {
			P = 0
		}
		phi, _ := expand(pacfToAR(raw(p)), nil, pacfToAR(raw(P)), nil, m)
		if c%50 == 0 && len(phi) > 0 { // a unit root: singular
			clear(phi)
			phi[0] = 1
		}
		np := len(phi)
		if np == 0 {
			continue
		}
		n := np + 1
		k := newKalman(phi, nil)
		k.gammaSystem(phi)
		A, b := k.sysA[:n*n], k.sysB[:n]
		for kk := range b {
			b[kk] = rng.NormFloat64()
		}
		dA := mat.NewDense(n, n, slices.Clone(A))
		db := mat.NewVecDense(n, slices.Clone(b))
		var want mat.VecDense
		err := want.SolveVec(dA, db)
		ok := k.solveGamma(n)
		if ok != (err == nil) {
			t.Fatalf("case %d (p=%d P=%d m=%d): ok %v, gonum's error %v", c, p, P, m, ok, err)
		}
		if !ok {
			continue
		}
		for i := range n {
			if b[i] != want.AtVec(i) {
				t.Fatalf("case %d (p=%d P=%d m=%d): x[%d] = %v, gonum %v", c, p, P, m, i, b[i], want.AtVec(i))
			}
		}
	}
}
