// ARIMA: seasonal ARIMA(p,d,q)(P,D,Q)m with a mean or drift, fitted as R's
// stats::arima fits it (conditional sum of squares for starting values,
// then the exact Gaussian likelihood from a Kalman filter), forecast with
// normal intervals from the model's psi weights.
//
// The series y is differenced, w = (1-B)^d (1-B^m)^D y, and w - mu is a
// stationary ARMA process
//
//	phi(B) Phi(B^m) (w_t - mu) = theta(B) Theta(B^m) e_t,  e_t ~ N(0, sigma^2)
//
// with phi(B) = 1 - phi_1 B - ..., theta(B) = 1 + theta_1 B + ... (R's
// signs). mu is the mean (d = D = 0) or the drift per step times the lag
// of the one difference (d + D = 1). The likelihood of w equals R's
// diffuse-prior likelihood of y, which conditions on the first d + Dm
// values.

package classical

import (
	"fmt"
	"math"
	"math/cmplx"
	"slices"

	"github.com/arkit-go/arkit/series/internal/neldermead"
	"gonum.org/v1/gonum/mat"
)

// arimaOrder is a model's orders; m is 1 for a non-seasonal model.
type arimaOrder struct {
	p, d, q, P, D, Q, m int
	constant            bool
}

func (o arimaOrder) String() string {
	s := fmt.Sprintf("ARIMA(%d,%d,%d)", o.p, o.d, o.q)
	if o.P+o.D+o.Q > 0 && o.m > 1 {
		s += fmt.Sprintf("(%d,%d,%d)[%d]", o.P, o.D, o.Q, o.m)
	}
	if o.constant {
		if o.d+o.D == 0 {
			s += " with non-zero mean"
		} else {
			s += " with drift"
		}
	}
	return s
}

// ncoef counts the estimated coefficients (sigma^2 not included).
func (o arimaOrder) ncoef() int {
	k := o.p + o.q + o.P + o.Q
	if o.constant {
		k++
	}
	return k
}

// arimaFit is a fitted model.
type arimaFit struct {
	order              arimaOrder
	phi, theta         []float64 // non-seasonal AR and MA coefficients
	sphi, stheta       []float64 // seasonal ones
	mu                 float64
	sigma2             float64 // residual variance, ssq / (nstar - ncoef) as R's auto.arima
	loglik, aic, aicc  float64
	css                bool // fitted by CSS only (aic from the CSS variance)
	ok                 bool
	nstar              int
	state              []float64 // Kalman state predicted for the step after the last observation
	w                  []float64 // differenced series
	fullPhi, fullTheta []float64
	cssX               []float64 // the CSS estimates (fitARIMAFrom)
}

// difference returns (1-B)^d (1-B^m)^D y.
func difference(y []float64, d, D, m int) []float64 {
	w := slices.Clone(y)
	for range D {
		for t := len(w) - 1; t >= m; t-- {
			w[t] -= w[t-m]
		}
		w = w[m:]
	}
	for range d {
		for t := len(w) - 1; t >= 1; t-- {
			w[t] -= w[t-1]
		}
		w = w[1:]
	}
	return w
}

// expand multiplies the non-seasonal and seasonal polynomials as R's
// ArimaTransPars does: AR (1 - sum phi B^i)(1 - sum Phi B^jm) and MA
// (1 + sum theta B^i)(1 + sum Theta B^jm), returned as the coefficients
// of B^1.. (AR with R's sign: 1 - sum c_k B^k).
func expand(phi, theta, sphi, stheta []float64, m int) (ar, ma []float64) {
	ar = make([]float64, len(phi)+len(sphi)*m)
	ma = make([]float64, len(theta)+len(stheta)*m)
	expandInto(ar, ma, phi, theta, sphi, stheta, m)
	return ar, ma
}

// expandInto is expand writing into ar and ma of the lengths expand
// returns.
func expandInto(ar, ma, phi, theta, sphi, stheta []float64, m int) {
	clear(ar)
	copy(ar, phi)
	for j, s := range sphi {
		ar[(j+1)*m-1] += s
		for i, a := range phi {
			ar[(j+1)*m+i] -= a * s
		}
	}
	clear(ma)
	copy(ma, theta)
	for j, s := range stheta {
		ma[(j+1)*m-1] += s
		for i, a := range theta {
			ma[(j+1)*m+i] += a * s
		}
	}
}

// pacfToAR maps unconstrained values to a stationary AR polynomial: tanh
// gives partial autocorrelations in (-1, 1), Durbin-Levinson the
// coefficients (R's partrans).
func pacfToAR(raw []float64) []float64 {
	nw := make([]float64, len(raw))
	pacfToARInto(nw, make([]float64, len(raw)), raw)
	return nw
}

// pacfToARInto is pacfToAR writing into nw, with work of the same length.
func pacfToARInto(nw, work, raw []float64) {
	p := len(raw)
	for i, r := range raw {
		nw[i] = math.Tanh(r)
	}
	copy(work, nw)
	for j := 1; j < p; j++ {
		a := nw[j]
		for k := range j {
			work[k] -= a * nw[j-k-1]
		}
		copy(nw[:j], work[:j])
	}
}

// arToPACF inverts pacfToAR (R's invpartrans); ok is false unless phi is
// stationary.
func arToPACF(phi []float64) (raw []float64, ok bool) {
	p := len(phi)
	nw := slices.Clone(phi)
	work := slices.Clone(phi)
	for j := p - 1; j > 0; j-- {
		a := nw[j]
		if math.Abs(a) >= 1 {
			return nil, false
		}
		for k := range j {
			work[k] = (nw[k] + a*nw[j-k-1]) / (1 - a*a)
		}
		copy(nw[:j], work[:j])
	}
	raw = make([]float64, p)
	for i, v := range nw {
		if math.Abs(v) >= 1 {
			return nil, false
		}
		raw[i] = math.Atanh(v)
	}
	return raw, true
}

// minRoot returns the smallest modulus of the roots of 1 - sum c_k z^k:
// the reciprocal of the largest eigenvalue modulus of its companion
// matrix. It is +Inf when every c_k is 0.
func minRoot(c []float64) float64 {
	k := len(c)
	for k > 0 && math.Abs(c[k-1]) <= 1e-8 {
		k--
	}
	if k == 0 {
		return math.Inf(1)
	}
	a := mat.NewDense(k, k, nil)
	for j := range k {
		a.Set(0, j, c[j])
		if j+1 < k {
			a.Set(j+1, j, 1)
		}
	}
	var eig mat.Eigen
	if !eig.Factorize(a, mat.EigenNone) {
		return 0
	}
	big := 0.0
	for _, v := range eig.Values(nil) {
		big = math.Max(big, cmplx.Abs(v))
	}
	return 1 / big
}

// arimaParams maps an optimiser's vector to coefficients. With trans the
// AR blocks are PACF-transformed (pacfToAR); the mean is mu0 + scale*x.
type arimaParams struct {
	o          arimaOrder
	trans      bool
	mu0, scale float64
}

func (ap arimaParams) decode(x []float64) (phi, theta, sphi, stheta []float64, mu float64) {
	o := ap.o
	i := 0
	take := func(n int) []float64 { s := x[i : i+n]; i += n; return s }
	phi, theta, sphi, stheta = take(o.p), take(o.q), take(o.P), take(o.Q)
	if ap.trans {
		phi, sphi = pacfToAR(phi), pacfToAR(sphi)
	}
	if o.constant {
		mu = ap.mu0 + ap.scale*x[i]
	}
	return slices.Clone(phi), slices.Clone(theta), slices.Clone(sphi), slices.Clone(stheta), mu
}

// arimaWork is the workspace of one order's objective functions, so that
// an evaluation allocates nothing: the decoded and expanded
// coefficients, the non-zero lags, the CSS residuals and the Kalman
// filter.
type arimaWork struct {
	phi, theta, sphi, stheta []float64
	pw                       []float64 // pacfToARInto's work
	ar, ma                   []float64
	arLag, maLag             []int
	arC, maC                 []float64
	resid, wc                []float64
	kf                       *kalman
}

func newARIMAWork(o arimaOrder, n int) *arimaWork {
	nar, nma := o.p+o.P*o.m, o.q+o.Q*o.m
	return &arimaWork{
		phi: make([]float64, o.p), theta: make([]float64, o.q),
		sphi: make([]float64, o.P), stheta: make([]float64, o.Q),
		pw: make([]float64, max(o.p, o.P)),
		ar: make([]float64, nar), ma: make([]float64, nma),
		arLag: make([]int, 0, nar), maLag: make([]int, 0, nma),
		arC: make([]float64, 0, nar), maC: make([]float64, 0, nma),
		resid: make([]float64, n), wc: make([]float64, n),
	}
}

// decodeInto is decode writing the coefficients into ws and expanding
// them into ws.ar and ws.ma; it returns the mean.
func (ap arimaParams) decodeInto(ws *arimaWork, x []float64) float64 {
	o := ap.o
	i := 0
	take := func(n int) []float64 { s := x[i : i+n]; i += n; return s }
	phi, theta, sphi, stheta := take(o.p), take(o.q), take(o.P), take(o.Q)
	if ap.trans {
		pacfToARInto(ws.phi, ws.pw[:o.p], phi)
		pacfToARInto(ws.sphi, ws.pw[:o.P], sphi)
	} else {
		copy(ws.phi, phi)
		copy(ws.sphi, sphi)
	}
	copy(ws.theta, theta)
	copy(ws.stheta, stheta)
	expandInto(ws.ar, ws.ma, ws.phi, ws.theta, ws.sphi, ws.stheta, o.m)
	mu := 0.0
	if o.constant {
		mu = ap.mu0 + ap.scale*x[i]
	}
	return mu
}

// cssSSQ returns the conditional sum of squares of w - mu under the
// expanded polynomials, starting after ncond values (R's ARIMA_CSS), and
// the number of terms. Only the non-zero coefficients are visited: a
// seasonal polynomial at m = 24 has 3-9 of its 50-odd lags set.
func cssSSQ(w []float64, mu float64, ar, ma []float64, ncond int, resid []float64) (float64, int) {
	arLag, arC := nonZero(ar, nil, nil)
	maLag, maC := nonZero(ma, nil, nil)
	return cssSSQLags(w, mu, arLag, arC, maLag, maC, ncond, resid, make([]float64, len(w)))
}

// cssSSQLags is cssSSQ given the non-zero lags and values (nonZero),
// ascending; wc (len(w)) is scratch for w - mu. Every AR lag is at most
// ncond (len(ar)), so no AR term reaches before the start.
func cssSSQLags(w []float64, mu float64, arLag []int, arC []float64, maLag []int, maC []float64, ncond int, resid, wc []float64) (float64, int) {
	n := len(w)
	wc, resid = wc[:n], resid[:n]
	for t, v := range w {
		wc[t] = v - mu
	}
	clear(resid[:min(ncond, n)])
	arC = arC[:len(arLag)]
	maC = maC[:len(maLag)]
	ssq, nu := 0.0, 0
	for t := ncond; t < n; t++ {
		e := wc[t]
		for i, l := range arLag {
			e -= arC[i] * wc[t-l]
		}
		for i, l := range maLag {
			if t-l < ncond {
				break
			}
			e -= maC[i] * resid[t-l]
		}
		resid[t] = e
		ssq += e * e
		nu++
	}
	return ssq, nu
}

// nonZero returns the lags (1-based) and values of c's non-zero entries,
// appended to lags and vals.
func nonZero(c []float64, lags []int, vals []float64) ([]int, []float64) {
	for j, v := range c {
		if v != 0 {
			lags = append(lags, j+1)
			vals = append(vals, v)
		}
	}
	return lags, vals
}

// fitARIMA fits the orders o to y: CSS, then (unless cssOnly) exact
// maximum likelihood from the CSS estimates, as R's arima with method
// "CSS-ML" (or "CSS"). The result's ok is false when the fit fails (too
// few points, a non-stationary CSS AR part before ML, a non-finite
// likelihood).
func fitARIMA(y []float64, o arimaOrder, cssOnly bool) arimaFit {
	return fitARIMAFrom(y, o, cssOnly, nil)
}

// fitARIMAFrom is fitARIMA given, when cssX is not nil, the CSS
// estimates (arimaFit.cssX) of an earlier fit of the same y and orders:
// the CSS minimisation is deterministic, so it is not run again.
func fitARIMAFrom(y []float64, o arimaOrder, cssOnly bool, cssX []float64) arimaFit {
	fit := arimaFit{order: o}
	w := difference(y, o.d, o.D, o.m)
	n := len(w)
	fit.w, fit.nstar = w, n
	ncond := o.p + o.P*o.m
	k := o.ncoef()
	if n-ncond < k+2 {
		return fit
	}
	mu0, sd := 0.0, 0.0
	if o.constant {
		for _, v := range w {
			mu0 += v
		}
		mu0 /= float64(n)
		for _, v := range w {
			sd += (v - mu0) * (v - mu0)
		}
		sd = math.Sqrt(sd / float64(max(n-1, 1)))
	}
	scale := 10 * sd / math.Sqrt(float64(n))
	if scale == 0 {
		scale = 1
	}
	// CSS on the raw coefficients.
	cp := arimaParams{o: o, mu0: mu0, scale: scale}
	ws := newARIMAWork(o, n)
	resid := ws.resid
	cssObj := func(x []float64) float64 {
		mu := cp.decodeInto(ws, x)
		ws.arLag, ws.arC = nonZero(ws.ar, ws.arLag[:0], ws.arC[:0])
		ws.maLag, ws.maC = nonZero(ws.ma, ws.maLag[:0], ws.maC[:0])
		ssq, nu := cssSSQLags(w, mu, ws.arLag, ws.arC, ws.maLag, ws.maC, ncond, resid, ws.wc)
		if nu == 0 || !(ssq > 0) {
			return math.Inf(1)
		}
		return 0.5 * math.Log(ssq/float64(nu))
	}
	x := make([]float64, k)
	if cssX != nil {
		copy(x, cssX)
	} else if k > 0 {
		x = minimize(cssObj, x)
	}
	fit.cssX = x
	phi, theta, sphi, stheta, mu := cp.decode(x)
	if cssOnly {
		ar, ma := expand(phi, theta, sphi, stheta, o.m)
		ssq, nu := cssSSQ(w, mu, ar, ma, ncond, resid)
		fit.phi, fit.theta, fit.sphi, fit.stheta, fit.mu = phi, theta, sphi, stheta, mu
		fit.fullPhi, fit.fullTheta = ar, ma
		fit.css = true
		s2 := ssq / float64(nu)
		np := k + 1
		fit.aic = float64(n)*math.Log(s2) + 2*float64(np)
		fit.aicc = fit.aic + 2*float64(np*(np+1))/float64(n-np-1)
		fit.sigma2 = ssq / float64(n-np+1)
		fit.ok = !math.IsNaN(fit.aicc) && !math.IsInf(fit.aicc, 0)
		return fit
	}
	// Exact ML with the AR blocks transformed to stay stationary.
	rawp, ok1 := arToPACF(phi)
	rawP, ok2 := arToPACF(sphi)
	if !ok1 || !ok2 {
		return fit // R: "non-stationary AR part from CSS"
	}
	ml := arimaParams{o: o, trans: true, mu0: mu0, scale: scale}
	x0 := slices.Concat(rawp, theta, rawP, stheta)
	if o.constant {
		x0 = append(x0, x[k-1])
	}
	ws.kf = newKalman(ws.ar, ws.ma)
	mlObj := func(x []float64) float64 {
		mu := ml.decodeInto(ws, x)
		ws.kf.set(ws.ar, ws.ma)
		ssq, sumlog, ok := ws.kf.filter(w, mu)
		if !ok || !(ssq > 0) {
			return math.Inf(1)
		}
		return 0.5 * (math.Log(ssq/float64(n)) + sumlog/float64(n))
	}
	if k > 0 {
		x0 = minimize(mlObj, x0)
	}
	return finishML(fit, w, ml, x0)
}

// finishML fills a fit from the ML estimates x.
func finishML(fit arimaFit, w []float64, ml arimaParams, x []float64) arimaFit {
	o, n := fit.order, len(w)
	phi, theta, sphi, stheta, mu := ml.decode(x)
	ar, ma := expand(phi, theta, sphi, stheta, o.m)
	kf := newKalman(ar, ma)
	ssq, sumlog, ok := kf.filter(w, mu)
	if !ok || !(ssq > 0) {
		return fit
	}
	N := float64(n)
	obj := 0.5 * (math.Log(ssq/N) + sumlog/N)
	fit.phi, fit.theta, fit.sphi, fit.stheta, fit.mu = phi, theta, sphi, stheta, mu
	fit.fullPhi, fit.fullTheta = ar, ma
	fit.loglik = -0.5 * (2*N*obj + N + N*math.Log(2*math.Pi))
	np := o.ncoef() + 1
	fit.aic = -2*fit.loglik + 2*float64(np)
	fit.aicc = fit.aic + 2*float64(np*(np+1))/float64(n-np-1)
	fit.sigma2 = ssq / float64(n-np+1)
	fit.state = slices.Clone(kf.a)
	fit.ok = !math.IsNaN(fit.aicc) && !math.IsInf(fit.aicc, 0)
	return fit
}

// minimize runs Nelder-Mead from x0 and restarts it (at most twice) from
// the best point while a restart still improves: restarts rescue a
// collapsed simplex. The evaluation budget keeps seasonal fits, whose
// likelihood costs O(p^3 + n r) (kalman.go), affordable.
func minimize(f func([]float64) float64, x0 []float64) []float64 {
	budget := 150*len(x0) + 100
	best, val := neldermead.Minimize(f, x0, 0.1, budget, 1e-9)
	for range 2 {
		x, v := neldermead.Minimize(f, best, 0.05, budget, 1e-9)
		improved := v < val-1e-7*math.Abs(val)
		if v < val {
			best, val = x, v
		}
		if !improved {
			break
		}
	}
	return best
}

// forecast returns the h-step forecasts of y and their standard deviations
// from a fitted model (normal, psi-weight variance sigma^2 sum psi_j^2 of
// the integrated model, as R's forecast.Arima for a long series).
func (fit *arimaFit) forecast(y []float64, h int) (mean, sd []float64) {
	o := fit.order
	r := len(fit.state)
	// ARMA forecasts of w from the predicted state, a <- T a between steps.
	a := slices.Clone(fit.state)
	phi := make([]float64, r)
	copy(phi, fit.fullPhi)
	wf := make([]float64, h)
	for k := range h {
		wf[k] = a[0] + fit.mu
		a0 := a[0]
		for i := range r {
			v := phi[i] * a0
			if i+1 < r {
				v += a[i+1]
			}
			a[i] = v
		}
	}
	// Integrate: y_t = w_t + sum delta_j y_{t-j}.
	delta := diffPoly(o.d, o.D, o.m)
	hist := slices.Concat(y, make([]float64, h))
	n := len(y)
	mean = make([]float64, h)
	for k := range h {
		v := wf[k]
		for j, c := range delta {
			v += c * hist[n+k-j-1]
		}
		hist[n+k] = v
		mean[k] = v
	}
	// psi weights of theta(B) / (phi(B) delta(B)).
	c := polyMul(fit.fullPhi, delta)
	psi := make([]float64, h)
	sd = make([]float64, h)
	acc := 0.0
	for j := range h {
		v := 0.0
		if j == 0 {
			v = 1
		} else if j-1 < len(fit.fullTheta) {
			v = fit.fullTheta[j-1]
		}
		for i := 1; i <= min(j, len(c)); i++ {
			v += c[i-1] * psi[j-i]
		}
		psi[j] = v
		acc += v * v
		sd[j] = math.Sqrt(fit.sigma2 * acc)
	}
	return mean, sd
}

// diffPoly returns delta with (1-B)^d (1-B^m)^D = 1 - sum delta_j B^j.
func diffPoly(d, D, m int) []float64 {
	var c []float64
	for range d {
		c = polyMul(c, []float64{1})
	}
	seas := make([]float64, m)
	seas[m-1] = 1
	for range D {
		c = polyMul(c, seas)
	}
	return c
}

// polyMul returns c with (1 - sum a_i B^i)(1 - sum b_j B^j) = 1 - sum c_k B^k.
func polyMul(a, b []float64) []float64 {
	c := make([]float64, len(a)+len(b))
	copy(c, a)
	for j, v := range b {
		c[j] += v
		for i, u := range a {
			c[i+j+1] -= u * v
		}
	}
	return c
}
