// The exact ARMA likelihood in O(p^3 + n r) instead of O(n r^2 + r^3 log):
// a seasonal model at m = 24 or 52 has a state of r = 50-110, and the
// dense Kalman filter (kalman_dense_test.go, kept as the reference) spent
// minutes per hourly series.
//
// The state is Harvey's (R's arima): a_t[0] = x_t, T the companion matrix
// (T[i][0] = phi_{i+1}, T[i][i+1] = 1), R = (1, theta_1, ..., theta_{r-1}),
// a_{t+1} = T a_t + R e_{t+1}, y_t = a_t[0].
//
// Two shortcuts, both exact:
//
//  1. The stationary covariance P0 = T P0 T' + R R' from the
//     autocovariances: the first row is P0[0][j] = sum_k (phi_{j+1+k}
//     gamma(k+1) + theta_{j+k} psi_k), and the rest follows from the
//     Lyapunov equation written element-wise,
//     P[i][j] = phi_{i+1} phi_{j+1} P[0][0] + phi_{i+1} P[0][j+1]
//     + phi_{j+1} P[i+1][0] + P[i+1][j+1] + R_i R_j,
//     filled from the last row up: O(r^2). gamma(0..p) solve a (p+1)-square
//     linear system.
//  2. The Chandrasekhar recursions (Morf, Sidhu and Kailath 1974): for a
//     time-invariant model started at P0 the change P_{t+1} - P_t has rank
//     one, W M W' with W a vector and M a scalar, so the gain and the
//     innovation variance update in O(r) per step:
//     F_{t+1} = F_t + M u^2 (u = W[0]), K_{t+1} = K_t + M u T W,
//     M_{t+1} = M + M^2 u^2 / F_t, W_{t+1} = T W - K_{t+1} u / F_{t+1},
//     starting from K_1 = W_1 = T P0[:,0], M_1 = -1/F_1.

package classical

import (
	"math"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/lapack"
	"gonum.org/v1/gonum/lapack/lapack64"
)

// kalman holds the workspace of the exact likelihood. It is made once
// per model order and reused (set) for every likelihood evaluation of an
// optimisation: an evaluation allocates nothing.
type kalman struct {
	r       int
	phi, rv []float64 // T's first column (padded to r) and R = (1, theta)
	p0      []float64 // r x r stationary covariance
	a       []float64 // predicted state; after filter, for the step after the last
	k, w    []float64 // unnormalised gain T P Z' and the rank-one factor
	col     []float64
	// stationary's workspace: psi weights, autocovariances, and the
	// (p+1)-square system for gamma(0..p) with its LU pivots and the
	// condition estimate's work.
	psi, gamma []float64
	sysA, sysB []float64
	ipiv       []int
	work       []float64
	iwork      []int
}

// condTolerance is gonum's mat.ConditionTolerance.
const condTolerance = 1e16

func newKalman(ar, ma []float64) *kalman {
	r := max(len(ar), len(ma)+1)
	k := &kalman{r: r, phi: make([]float64, r), rv: make([]float64, r)}
	k.p0 = make([]float64, r*r)
	k.a, k.k, k.w, k.col = make([]float64, r), make([]float64, r), make([]float64, r), make([]float64, r)
	k.psi, k.gamma = make([]float64, r+1), make([]float64, r+1)
	k.sysA, k.sysB = make([]float64, (r+1)*(r+1)), make([]float64, r+1)
	k.ipiv, k.work, k.iwork = make([]int, r+1), make([]float64, 4*(r+1)), make([]int, r+1)
	k.set(ar, ma)
	return k
}

// set makes k the workspace of the ARMA polynomials ar and ma, whose
// state dimension max(len(ar), len(ma)+1) must be k's.
func (k *kalman) set(ar, ma []float64) {
	clear(k.phi)
	copy(k.phi, ar)
	clear(k.rv)
	k.rv[0] = 1
	copy(k.rv[1:], ma)
}

// applyT sets dst = T src.
func (k *kalman) applyT(dst, src []float64) {
	s0 := src[0]
	r := k.r
	for i := range r - 1 {
		dst[i] = k.phi[i]*s0 + src[i+1]
	}
	dst[r-1] = k.phi[r-1] * s0
}

// solveGamma solves the n-square system in k.sysA (row-major) for the
// right-hand side k.sysB, in place, as gonum's mat.VecDense.SolveVec does,
// with the same arithmetic in the same order (LAPACK's unblocked getf2
// with partial pivoting, then getrs), written out for these small systems
// without its allocations and per-column BLAS calls; systems above 64
// (gonum's block size) go to LAPACK itself. ok is false when the matrix
// is singular or its estimated condition number (in gonum's CondNorm,
// the max-row-sum norm) exceeds 1e16, where SolveVec returns an error.
// The estimate (LAPACK's gecon, 10-30% of an evaluation) is made only
// when a pivot of U is below 1e-6 of the matrix's norm: the condition
// number is at least the norm over the last pivot, and these systems (I
// minus the AR coefficients at each lag) only approach singularity as an
// AR root approaches the unit circle, which shrinks the pivots.
func (k *kalman) solveGamma(n int) bool {
	A, b, ipiv := k.sysA[:n*n], k.sysB[:n], k.ipiv[:n]
	g := blas64.General{Rows: n, Cols: n, Stride: n, Data: A}
	anorm := lapack64.Lange(lapack.MaxRowSum, g, k.work)
	if n > 64 {
		if !lapack64.Getrf(g, ipiv) {
			return false
		}
	} else if !getf2(A, n, ipiv) {
		return false
	}
	small := false
	for i := range n {
		if math.Abs(A[i*n+i]) < 1e-6*anorm {
			small = true
		}
	}
	if small {
		if 1/lapack64.Gecon(lapack.MaxRowSum, g, anorm, k.work[:4*n], k.iwork[:n]) > condTolerance {
			return false
		}
	}
	if n > 64 {
		lapack64.Getrs(blas.NoTrans, g, blas64.General{Rows: n, Cols: 1, Stride: 1, Data: b}, ipiv)
		return true
	}
	// getrs: the row swaps, L (unit lower) forward, U backward.
	for i, p := range ipiv {
		if p != i {
			b[i], b[p] = b[p], b[i]
		}
	}
	for i := range n {
		bi := b[i]
		for kk, v := range A[i*n : i*n+i] {
			if v != 0 {
				bi += -v * b[kk]
			}
		}
		b[i] = bi
	}
	for i := n - 1; i >= 0; i-- {
		bi := b[i]
		for kk, v := range A[i*n+i+1 : i*n+n] {
			if v != 0 {
				bi += -v * b[i+1+kk]
			}
		}
		b[i] = bi * (1 / A[i*n+i])
	}
	return true
}

// getf2 is LAPACK's dgetf2 as gonum runs it, on the n-square row-major
// a: the LU factorisation with partial pivoting (the first largest
// |a[i][j]| of each column), row swaps in ipiv. ok is false at a zero
// pivot, where it stops (the solve is refused then).
func getf2(a []float64, n int, ipiv []int) bool {
	for j := range n {
		jp, big := j, math.Abs(a[j*n+j])
		for i := j + 1; i < n; i++ {
			if v := math.Abs(a[i*n+j]); v > big {
				jp, big = i, v
			}
		}
		ipiv[j] = jp
		if a[jp*n+j] == 0 {
			return false
		}
		if jp != j {
			rj, rp := a[j*n:j*n+n], a[jp*n:jp*n+n]
			for c := range rj {
				rj[c], rp[c] = rp[c], rj[c]
			}
		}
		if j == n-1 {
			break
		}
		aj := a[j*n+j]
		if math.Abs(aj) >= dlamchS {
			r := 1 / aj
			for i := j + 1; i < n; i++ {
				a[i*n+j] *= r
			}
		} else {
			// gonum divides only the first entry below the pivot, n-j-1
			// times; kept for the same result.
			for range n - j - 1 {
				a[(j+1)*n+j] /= aj
			}
		}
		rowj := a[j*n+j+1 : j*n+n]
		for i := j + 1; i < n; i++ {
			l := -a[i*n+j]
			rowi := a[i*n+j+1 : i*n+n]
			for c, u := range rowj {
				rowi[c] += l * u
			}
		}
	}
	return true
}

// dlamchS is LAPACK's safe minimum (gonum's dlamchS).
const dlamchS = 0x1p-1022

// gammaSystem writes into k.sysA (row-major, n = len(phi)+1 square) the
// matrix of the autocovariances' equations gamma(kk) - sum_j phi_j
// gamma(|kk-j|) = rhs(kk), kk = 0..len(phi), which solveGamma solves.
func (k *kalman) gammaSystem(phi []float64) {
	n := len(phi) + 1
	A := k.sysA[:n*n]
	clear(A)
	for kk := range n {
		A[kk*n+kk]++
		for j := 1; j < n; j++ {
			c := kk - j
			if c < 0 {
				c = -c
			}
			A[kk*n+c] -= phi[j-1]
		}
	}
}

// stationary sets k.p0 (sigma^2 = 1). ok is false when the AR part is
// not stationary enough for the autocovariances to be found.
func (k *kalman) stationary() bool {
	r, phi, th := k.r, k.phi, k.rv // th[j] = theta_j, th[0] = 1
	p := len(phi)
	for p > 0 && phi[p-1] == 0 {
		p--
	}
	// psi weights 0..r.
	psi := k.psi
	for j := range psi {
		v := 0.0
		if j < r {
			v = th[j]
		}
		for i := 1; i <= min(j, p); i++ {
			v += phi[i-1] * psi[j-i]
		}
		psi[j] = v
	}
	// rhs_k = sum_{j>=k} theta_j psi_{j-k}.
	rhs := func(kk int) float64 {
		s := 0.0
		for j := kk; j < r; j++ {
			s += th[j] * psi[j-kk]
		}
		return s
	}
	gamma := k.gamma
	if p == 0 {
		for kk := range gamma {
			gamma[kk] = rhs(kk)
		}
	} else {
		n := p + 1
		k.gammaSystem(phi[:p])
		b := k.sysB[:n]
		for kk := range b {
			b[kk] = rhs(kk)
		}
		if !k.solveGamma(n) {
			return false
		}
		copy(gamma, b)
		for kk := p + 1; kk <= r; kk++ {
			v := rhs(kk)
			for j := 1; j <= p; j++ {
				v += phi[j-1] * gamma[kk-j]
			}
			gamma[kk] = v
		}
	}
	if !(gamma[0] > 0) || math.IsInf(gamma[0], 0) {
		return false
	}
	P := k.p0
	// First row.
	for j := range r {
		s := 0.0
		for kk := 0; kk <= r-1-j; kk++ {
			s += phi[j+kk]*gamma[kk+1] + th[j+kk]*psi[kk]
		}
		P[j] = s
	}
	P[0] = gamma[0]
	// Rows r-1 .. 1 from the Lyapunov equation, upper triangle, mirrored.
	at := func(i, j int) float64 {
		if i >= r || j >= r {
			return 0
		}
		return P[i*r+j]
	}
	for i := r - 1; i >= 1; i-- {
		for j := r - 1; j >= i; j-- {
			v := phi[i]*phi[j]*P[0] + th[i]*th[j] + at(i+1, j+1)
			if j+1 < r {
				v += phi[i] * P[j+1]
			}
			if i+1 < r {
				v += phi[j] * P[i+1]
			}
			P[i*r+j], P[j*r+i] = v, v
		}
	}
	for j := 1; j < r; j++ {
		P[j*r] = P[j]
	}
	return true
}

// filter runs the Kalman filter over x - mu and returns the
// sum of squared standardised innovations, the sum of their log variances
// and whether the state covariance was valid. The predicted state for the
// step after the last observation is left in k.a.
func (k *kalman) filter(x []float64, mu float64) (ssq, sumlog float64, ok bool) {
	if !k.stationary() {
		return 0, 0, false
	}
	r := k.r
	clear(k.a)
	F := k.p0[0]
	col := k.col
	for i := range r {
		col[i] = k.p0[i*r]
	}
	k.applyT(k.k, col)
	copy(k.w, k.k)
	M := -1 / F
	a, w, kk, phi := k.a[:r], k.w[:r], k.k[:r], k.phi[:r]
	for _, y := range x {
		if !(F > 0) || math.IsInf(F, 0) {
			return 0, 0, false
		}
		v := (y - mu) - a[0]
		ssq += v * v / F
		sumlog += math.Log(F)
		// a <- T a + K v / F, in place: a[i+1] is read before it is
		// written.
		g := v / F
		a0 := a[0]
		for i := range r - 1 {
			a[i] = phi[i]*a0 + a[i+1] + kk[i]*g
		}
		a[r-1] = phi[r-1]*a0 + kk[r-1]*g
		// K <- K + M u T W, W <- T W - K u / F_{t+1}.
		u := w[0]
		Mu := M * u
		Fn := F + Mu*u
		c := u / Fn
		for i := range r {
			tw := phi[i] * u
			if i+1 < r {
				tw += w[i+1]
			}
			kk[i] += Mu * tw
			w[i] = tw - kk[i]*c
		}
		M += Mu * Mu / F
		F = Fn
	}
	return ssq, sumlog, !math.IsNaN(ssq)
}
