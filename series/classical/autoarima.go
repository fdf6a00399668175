// The ARIMA forecaster and its order search: the Hyndman-Khandakar
// stepwise algorithm of R's forecast::auto.arima (KPSS tests for d, a
// seasonal-strength test for D, AICc over a neighbourhood walk).

package classical

import (
	"context"
	"fmt"
	"math"

	"github.com/arkit-go/arkit/series/forecast"
	"github.com/arkit-go/arkit/series/table"
)

// ARIMA fits a seasonal ARIMA(p,d,q)(P,D,Q)m model to each series, chosen
// as R's auto.arima chooses it with its defaults:
//
//   - D (0 or 1) is 1 when the seasonal strength of the series,
//     1 - Var(remainder)/Var(remainder + season) from a classical additive
//     decomposition, exceeds 0.64 (auto.arima uses an STL decomposition);
//   - d (0..2) is the number of differences after which the KPSS test no
//     longer rejects level stationarity at 5%;
//   - p, q <= 5 and P, Q <= 2 are found by the stepwise search, with a
//     constant (mean, or drift when d + D = 1) tried in and out, by AICc;
//     models with AR or MA roots within 1.01 of the unit circle are
//     refused. For series longer than 150 points or periods above 12 the
//     search scores models by conditional sum of squares and refits the
//     winner by maximum likelihood, as auto.arima's approximation does.
//
// Coefficients are estimated by conditional sum of squares followed by
// the exact Gaussian likelihood (Kalman filter). Intervals are normal.
// Series too short for any model get the naive forecast.
type ARIMA struct {
	// Period is the seasonal period; 0 takes each series' default
	// (Freq.SeasonalPeriod), 1 fits non-seasonal models only.
	Period int
}

var _ forecast.Forecaster = ARIMA{}

// Name returns "arima".
func (ARIMA) Name() string { return "arima" }

// Forecast implements Forecaster.
func (a ARIMA) Forecast(ctx context.Context, train []table.Series, horizon int, quantiles []float64) ([]forecast.Forecast, error) {
	return forecastLocal(ctx, a.Name(), train, horizon, quantiles, a.Period, arimaFitFunc)
}

func arimaFitFunc(y []float64, m, h int) localFit {
	fit := autoARIMA(y, m)
	if !fit.ok {
		return naiveFit(y, h)
	}
	mean, sd := fit.forecast(y, h)
	for k := range h {
		if math.IsNaN(mean[k]) || math.IsInf(mean[k], 0) || math.IsNaN(sd[k]) {
			return naiveFit(y, h)
		}
	}
	return localFit{model: fit.order.String(), mean: mean, sd: sd}
}

// isConstant reports whether every value equals the first.
func isConstant(x []float64) bool {
	for _, v := range x {
		if v != x[0] {
			return false
		}
	}
	return true
}

// kpssLevel returns the KPSS statistic for level stationarity with
// trunc(3 sqrt(n)/13) Bartlett lags, as urca's ur.kpss(type = "mu") in
// forecast's ndiffs.
func kpssLevel(x []float64) float64 {
	n := len(x)
	mean := 0.0
	for _, v := range x {
		mean += v
	}
	mean /= float64(n)
	e := make([]float64, n)
	s, eta := 0.0, 0.0
	for i, v := range x {
		e[i] = v - mean
		s += e[i]
		eta += s * s
	}
	eta /= float64(n) * float64(n)
	lags := int(3 * math.Sqrt(float64(n)) / 13)
	s2 := 0.0
	for _, v := range e {
		s2 += v * v
	}
	for l := 1; l <= lags; l++ {
		c := 0.0
		for t := l; t < n; t++ {
			c += e[t] * e[t-l]
		}
		s2 += 2 * (1 - float64(l)/float64(lags+1)) * c
	}
	s2 /= float64(n)
	return eta / s2
}

// kpssCritical5 is the 5% critical value of the level KPSS test
// (Kwiatkowski et al. 1992, table 1).
const kpssCritical5 = 0.463

// ndiffs returns how many first differences (at most 2) make x level
// stationary by the KPSS test at 5%.
func ndiffs(x []float64) int {
	d := 0
	for d < 2 {
		if len(x) < 3 || isConstant(x) || !(kpssLevel(x) > kpssCritical5) {
			return d
		}
		x = difference(x, 1, 0, 1)
		d++
	}
	return d
}

// seasonalStrength returns max(0, 1 - Var(R)/Var(R + S)) for x at period m,
// a stand-in for the STL decomposition of auto.arima's test: the trend is
// the centred moving average (2xm for even m), the season S at t the mean
// of the detrended values at t + km for |k| <= 5 (an 11-year window of
// each cycle-subseries, as mstl's first s.window), so that the seasonal
// pattern may evolve; R = detrended - S.
func seasonalStrength(x []float64, m int) float64 {
	n := len(x)
	half := m / 2
	det := make([]float64, n)
	for t := range det {
		det[t] = math.NaN()
	}
	for t := half; t < n-half; t++ {
		var tr float64
		if m%2 == 0 {
			tr = 0.5 * (x[t-half] + x[t+half])
			for j := t - half + 1; j < t+half; j++ {
				tr += x[j]
			}
		} else {
			for j := t - half; j <= t+half; j++ {
				tr += x[j]
			}
		}
		det[t] = x[t] - tr/float64(m)
	}
	var rem, rs []float64
	for t := half; t < n-half; t++ {
		s, c := 0.0, 0
		for k := -5; k <= 5; k++ {
			if j := t + k*m; j >= 0 && j < n && !math.IsNaN(det[j]) {
				s += det[j]
				c++
			}
		}
		S := s / float64(c)
		rem = append(rem, det[t]-S)
		rs = append(rs, det[t])
	}
	vr, vs := variance(rem), variance(rs)
	if !(vs > 0) {
		return 0
	}
	return max(0, min(1, 1-vr/vs))
}

func variance(x []float64) float64 {
	if len(x) < 2 {
		return 0
	}
	mean := 0.0
	for _, v := range x {
		mean += v
	}
	mean /= float64(len(x))
	s := 0.0
	for _, v := range x {
		s += (v - mean) * (v - mean)
	}
	return s / float64(len(x)-1)
}

// nsdiffs returns D: 1 when x has more than two periods and a seasonal
// strength above 0.64 (forecast's "seas" heuristic), else 0.
func nsdiffs(x []float64, m int) int {
	if m < 2 || len(x) <= 2*m || isConstant(x) {
		return 0
	}
	if seasonalStrength(x, m) > 0.64 {
		return 1
	}
	return 0
}

// autoARIMA searches orders as auto.arima(stepwise = TRUE) does.
func autoARIMA(y []float64, m int) arimaFit {
	n := len(y)
	if m < 2 {
		m = 1
	}
	if n < 3 {
		return arimaFit{}
	}
	if isConstant(y) {
		return fitARIMA(y, arimaOrder{m: 1, constant: true}, false)
	}
	D := 0
	if m > 1 {
		D = nsdiffs(y, m)
	}
	dx := difference(y, 0, D, m)
	d := ndiffs(dx)
	maxp, maxq := min(5, n/3), min(5, n/3)
	maxP, maxQ := min(2, n/3/m), min(2, n/3/m)
	if m == 1 {
		maxP, maxQ = 0, 0
	} else {
		maxp, maxq = min(maxp, m-1), min(maxq, m-1)
	}
	constant := d+D <= 1
	if len(difference(y, d, D, m)) < 3 || isConstant(difference(y, d, D, m)) {
		return fitARIMA(y, arimaOrder{d: d, D: D, m: m, constant: constant}, false)
	}
	approx := n > 150 || m > 12
	type key struct {
		p, q, P, Q int
		c          bool
	}
	seen := map[key]float64{}
	type cand struct {
		k    key
		ic   float64
		cssX []float64
	}
	var tried []cand
	fitIC := func(p, q, P, Q int, c bool) (arimaFit, float64) {
		o := arimaOrder{p: p, d: d, q: q, P: P, D: D, Q: Q, m: m, constant: c}
		if P+D+Q == 0 {
			o.m = 1
		}
		f := fitARIMA(y, o, approx)
		ic := math.Inf(1)
		if f.ok && minRoot(f.fullPhi) >= 1.01 && minRoot(negate(f.fullTheta)) >= 1.01 {
			ic = f.aicc
		}
		k := key{p, q, P, Q, c}
		seen[k] = ic
		tried = append(tried, cand{k, ic, f.cssX})
		return f, ic
	}
	p, q, P, Q := min(2, maxp), min(2, maxq), min(1, maxP), min(1, maxQ)
	best, bestIC := fitIC(p, q, P, Q, constant)
	try := func(np, nq, nP, nQ int, c bool) bool {
		if _, done := seen[key{np, nq, nP, nQ, c}]; done {
			return false
		}
		f, ic := fitIC(np, nq, nP, nQ, c)
		if ic < bestIC {
			best, bestIC = f, ic
			p, q, P, Q, constant = np, nq, nP, nQ, c
			return true
		}
		return false
	}
	b2i := func(b bool) int {
		if b {
			return 1
		}
		return 0
	}
	try(0, 0, 0, 0, constant)
	if maxp > 0 || maxP > 0 {
		try(b2i(maxp > 0), 0, b2i(m > 1 && maxP > 0), 0, constant)
	}
	if maxq > 0 || maxQ > 0 {
		try(0, b2i(maxq > 0), 0, b2i(m > 1 && maxQ > 0), constant)
	}
	if constant {
		try(0, 0, 0, 0, false)
	}
	allowConst := d+D <= 1
	for len(tried) < 94 {
		c := constant
		moves := [][4]int{
			{0, 0, -1, 0}, {0, 0, 0, -1}, {0, 0, 1, 0}, {0, 0, 0, 1},
			{0, 0, -1, -1}, {0, 0, -1, 1}, {0, 0, 1, -1}, {0, 0, 1, 1},
			{-1, 0, 0, 0}, {0, -1, 0, 0}, {1, 0, 0, 0}, {0, 1, 0, 0},
			{-1, -1, 0, 0}, {-1, 1, 0, 0}, {1, -1, 0, 0}, {1, 1, 0, 0},
		}
		improved := false
		for _, mv := range moves {
			np, nq, nP, nQ := p+mv[0], q+mv[1], P+mv[2], Q+mv[3]
			if np < 0 || nq < 0 || nP < 0 || nQ < 0 || np > maxp || nq > maxq || nP > maxP || nQ > maxQ {
				continue
			}
			if try(np, nq, nP, nQ, c) {
				improved = true
				break
			}
		}
		if !improved && allowConst {
			improved = try(p, q, P, Q, !c)
		}
		if !improved {
			break
		}
	}
	if !approx {
		return best
	}
	// Refit the candidates by maximum likelihood in order of their CSS
	// AICc until one is acceptable.
	for len(tried) > 0 {
		bi := 0
		for i, t := range tried {
			if t.ic < tried[bi].ic {
				bi = i
			}
		}
		t := tried[bi]
		if math.IsInf(t.ic, 1) {
			break
		}
		tried = append(tried[:bi], tried[bi+1:]...)
		o := arimaOrder{p: t.k.p, d: d, q: t.k.q, P: t.k.P, D: D, Q: t.k.Q, m: m, constant: t.k.c}
		if o.P+o.D+o.Q == 0 {
			o.m = 1
		}
		f := fitARIMAFrom(y, o, false, t.cssX)
		if f.ok && minRoot(f.fullPhi) >= 1.01 && minRoot(negate(f.fullTheta)) >= 1.01 {
			return f
		}
	}
	_ = best
	return arimaFit{}
}

func negate(x []float64) []float64 {
	out := make([]float64, len(x))
	for i, v := range x {
		out[i] = -v
	}
	return out
}

// String describes a fit for errors and tests.
func (fit *arimaFit) String() string {
	return fmt.Sprintf("%s ar=%v ma=%v sar=%v sma=%v mu=%g sigma2=%g loglik=%g aicc=%g",
		fit.order, fit.phi, fit.theta, fit.sphi, fit.stheta, fit.mu, fit.sigma2, fit.loglik, fit.aicc)
}
