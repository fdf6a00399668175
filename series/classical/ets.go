// ETS: exponential smoothing state-space models with additive errors
// (simple, Holt linear, damped, Holt-Winters additive and multiplicative),
// smoothing parameters fitted by minimising the SSE with Nelder-Mead, the
// model chosen by AICc as R's ets does.

package classical

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"

	"github.com/arkit-go/arkit/series/forecast"
	"github.com/arkit-go/arkit/series/internal/neldermead"
	"github.com/arkit-go/arkit/series/table"
)

// ETS fits exponential smoothing models to each series and keeps the one
// with the lowest AICc. The candidates are trend none, additive or damped
// (A, Ad) crossed with season none, additive or multiplicative; seasonal
// models need a period of 2..24 (as R's ets) and two full periods of data,
// multiplicative ones positive data. Errors are additive, so fitting by
// least squares is maximum likelihood.
//
// The smoothing parameters (0 < alpha < 1, 0 < beta < alpha,
// 0 < gamma < 1-alpha, 0.8 < phi < 0.98) and the initial level and trend
// are optimised; the initial seasonal states come from a classical
// decomposition of the first periods. Prediction intervals are analytic for
// the linear models and simulated (Paths sample paths, seeded) for
// multiplicative seasonality.
type ETS struct {
	// Period is the seasonal period; 0 takes each series' default
	// (Freq.SeasonalPeriod), 1 fits non-seasonal models only.
	Period int
	// Model fixes the model, e.g. "ANN" (simple exponential smoothing),
	// "AAN" (Holt), "AAdN" (damped), "AAA" (Holt-Winters additive) or
	// "AAM" (Holt-Winters multiplicative), also written "ETS(A,Ad,M)".
	// Empty chooses by AICc. A seasonal model that the data cannot support
	// falls back to its non-seasonal form.
	Model string
	// Paths is the number of simulated paths for intervals of
	// multiplicative-seasonal models; 0 means 1000.
	Paths int
	// Seed seeds the simulation.
	Seed uint64
}

var _ forecast.Forecaster = ETS{}

// Name returns "ets".
func (ETS) Name() string { return "ets" }

// Forecast implements Forecaster.
func (e ETS) Forecast(ctx context.Context, train []table.Series, horizon int, quantiles []float64) ([]forecast.Forecast, error) {
	var fixed *etsSpec
	if e.Model != "" {
		sp, err := parseETSModel(e.Model)
		if err != nil {
			return nil, err
		}
		fixed = &sp
	}
	if e.Paths < 0 {
		return nil, fmt.Errorf("series: ets: negative Paths %d", e.Paths)
	}
	return forecastLocal(ctx, e.Name(), train, horizon, quantiles, e.Period, func(y []float64, m, h int) localFit {
		return e.fit(y, m, h, fixed)
	})
}

// etsSpec names a model: trend 'N', 'A' or 'D' (damped), season 'N', 'A'
// or 'M', period m.
type etsSpec struct {
	trend, season byte
	m             int
}

func (s etsSpec) String() string {
	t := string(s.trend)
	if s.trend == 'D' {
		t = "Ad"
	}
	return fmt.Sprintf("ETS(A,%s,%c)", t, s.season)
}

// params counts the estimated parameters as R does: smoothing parameters,
// initial states (m-1 free seasonal ones) and the error variance.
func (s etsSpec) params() int {
	k := 1 + 1 + 1 // alpha, level, sigma
	if s.trend != 'N' {
		k += 2
	}
	if s.trend == 'D' {
		k++
	}
	if s.season != 'N' {
		k += 1 + s.m - 1
	}
	return k
}

func parseETSModel(s string) (etsSpec, error) {
	r := strings.NewReplacer("ETS", "", "ets", "", "(", "", ")", "", ",", "", " ", "")
	c := strings.ToUpper(r.Replace(s))
	bad := fmt.Errorf("series: ets: model %q: want e.g. ANN, AAN, AAdN, ANA, AAA, AAdA, ANM, AAM or AAdM", s)
	if len(c) < 3 || c[0] != 'A' {
		return etsSpec{}, bad
	}
	var sp etsSpec
	rest := c[1:]
	switch {
	case strings.HasPrefix(rest, "AD"):
		sp.trend, rest = 'D', rest[2:]
	case rest[0] == 'N' || rest[0] == 'A':
		sp.trend, rest = rest[0], rest[1:]
	default:
		return etsSpec{}, bad
	}
	if len(rest) != 1 || !strings.ContainsRune("NAM", rune(rest[0])) {
		return etsSpec{}, bad
	}
	sp.season = rest[0]
	return sp, nil
}

// etsModel is a fitted model: parameters and initial states.
type etsModel struct {
	spec                    etsSpec
	alpha, beta, gamma, phi float64
	l0, b0                  float64
	s0                      []float64 // s0[i]: seasonal state for t%m == i
}

// etsState is the state after some observations.
type etsState struct {
	l, b float64
	s    []float64 // circular: s[t%m] is the season for time t
}

// step advances the state by one observation y at time t and returns the
// one-step error. ok is false if the state became invalid (a non-positive
// divisor of a multiplicative model or a non-finite value).
//
// With T the trend part (l, l+b or l+phi*b) and S the season s[t%m]:
//
//	forecast  mu = T, T+S or T*S
//	error     e  = y - mu
//	level     l' = T + alpha*e        (multiplicative season: alpha*e/S)
//	trend     b' = phi*b + beta*e     (multiplicative season: beta*e/S)
//	season    s' = S + gamma*e        (multiplicative season: gamma*e/T)
func (md *etsModel) step(st *etsState, y float64, t int) (e float64, ok bool) {
	T := st.l
	switch md.spec.trend {
	case 'A':
		T += st.b
	case 'D':
		T += md.phi * st.b
	}
	phi := 1.0
	if md.spec.trend == 'D' {
		phi = md.phi
	}
	switch md.spec.season {
	case 'N':
		e = y - T
		st.l = T + md.alpha*e
		st.b = phi*st.b + md.beta*e
	case 'A':
		i := t % md.spec.m
		S := st.s[i]
		e = y - T - S
		st.l = T + md.alpha*e
		st.b = phi*st.b + md.beta*e
		st.s[i] = S + md.gamma*e
	case 'M':
		i := t % md.spec.m
		S := st.s[i]
		if T <= 0 || S <= 0 {
			return 0, false
		}
		e = y - T*S
		st.l = T + md.alpha*e/S
		st.b = phi*st.b + md.beta*e/S
		st.s[i] = S + md.gamma*e/T
	}
	if st.l-st.l != 0 || e-e != 0 { // NaN or infinite
		return 0, false
	}
	return e, true
}

// run filters y from the initial states, returning the SSE and the final
// state (whose season slice is ws, reused).
func (md *etsModel) run(y, ws []float64) (sse float64, st etsState, ok bool) {
	st = etsState{l: md.l0, b: md.b0}
	if md.spec.season != 'N' {
		st.s = ws[:md.spec.m]
		copy(st.s, md.s0)
	}
	for t, v := range y {
		e, good := md.step(&st, v, t)
		if !good {
			return math.Inf(1), st, false
		}
		sse += e * e
	}
	return sse, st, !math.IsInf(sse, 0) && !math.IsNaN(sse)
}

// point returns the k-step-ahead (k >= 1) point forecast from state st
// after n observations.
func (md *etsModel) point(st etsState, n, k int) float64 {
	T := st.l
	switch md.spec.trend {
	case 'A':
		T += float64(k) * st.b
	case 'D':
		T += dampSum(md.phi, k) * st.b
	}
	switch md.spec.season {
	case 'A':
		return T + st.s[(n+k-1)%md.spec.m]
	case 'M':
		return T * st.s[(n+k-1)%md.spec.m]
	}
	return T
}

// dampSum is phi + phi^2 + ... + phi^k.
func dampSum(phi float64, k int) float64 {
	s, p := 0.0, 1.0
	for range k {
		p *= phi
		s += p
	}
	return s
}

func sigmoid(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

func logit(p float64) float64 { return math.Log(p / (1 - p)) }

// etsInit holds heuristic starting states.
type etsInit struct {
	l0, b0, scale float64
	s0            []float64
}

// initialStates follows R's ets: seasonal indices from a classical
// decomposition of the first few periods, then level and trend from a
// regression on the first max(10, 2m) seasonally adjusted points.
func initialStates(y []float64, sp etsSpec) etsInit {
	n := len(y)
	var in etsInit
	ysa := y
	if sp.season != 'N' {
		k := min(n, 4*sp.m)
		in.s0 = SeasonalIndices(y[:k], sp.m, sp.season == 'M')
		ysa = make([]float64, n)
		for t, v := range y {
			if sp.season == 'M' {
				ysa[t] = v / in.s0[t%sp.m]
			} else {
				ysa[t] = v - in.s0[t%sp.m]
			}
		}
	}
	nn := min(n, max(10, 2*sp.m))
	if sp.trend == 'N' {
		for _, v := range ysa[:nn] {
			in.l0 += v
		}
		in.l0 /= float64(nn)
	} else {
		// Least squares line through (t, ysa[t-1]), t = 1..nn.
		var st, sy, stt, sty float64
		for t := 1; t <= nn; t++ {
			v := ysa[t-1]
			st += float64(t)
			sy += v
			stt += float64(t * t)
			sty += float64(t) * v
		}
		N := float64(nn)
		den := N*stt - st*st
		if den != 0 {
			in.b0 = (N*sty - st*sy) / den
		}
		in.l0 = (sy - in.b0*st) / N
	}
	// Scale of the level offsets searched by Nelder-Mead.
	mean, ss := 0.0, 0.0
	for _, v := range y {
		mean += v
	}
	mean /= float64(n)
	for _, v := range y {
		ss += (v - mean) * (v - mean)
	}
	in.scale = math.Sqrt(ss / float64(n))
	if in.scale == 0 {
		in.scale = math.Max(math.Abs(mean), 1)
	}
	return in
}

// decode maps an unconstrained vector to parameters inside their bounds:
// [alpha, beta, gamma, phi, level offset, trend offset], skipping the
// ones the model does not have.
func (md *etsModel) decode(x []float64, in etsInit) {
	const lo = 1e-4
	i := 0
	md.alpha = lo + (1-2*lo)*sigmoid(x[i])
	i++
	md.beta, md.gamma, md.phi = 0, 0, 1
	if md.spec.trend != 'N' {
		md.beta = md.alpha * (lo + (1-2*lo)*sigmoid(x[i]))
		i++
	}
	if md.spec.season != 'N' {
		md.gamma = (1 - md.alpha) * (lo + (1-2*lo)*sigmoid(x[i]))
		i++
	}
	if md.spec.trend == 'D' {
		md.phi = 0.8 + 0.18*sigmoid(x[i])
		i++
	}
	md.l0 = in.l0 + in.scale*x[i]
	i++
	md.b0 = 0
	if md.spec.trend != 'N' {
		md.b0 = in.b0 + 0.1*in.scale*x[i]
	}
}

// fitETS fits one model by least squares; ok is false when it cannot be
// fitted (e.g. a multiplicative model that leaves the positive range).
func fitETS(y []float64, sp etsSpec) (md etsModel, sse float64, ok bool) {
	in := initialStates(y, sp)
	md = etsModel{spec: sp, s0: in.s0}
	alpha0 := 0.2
	if sp.season != 'N' {
		alpha0 = 0.1
	}
	x0 := []float64{logit(alpha0)}
	if sp.trend != 'N' {
		x0 = append(x0, logit(0.1))
	}
	if sp.season != 'N' {
		x0 = append(x0, logit(0.05))
	}
	if sp.trend == 'D' {
		x0 = append(x0, logit((0.97-0.8)/0.18))
	}
	x0 = append(x0, 0)
	if sp.trend != 'N' {
		x0 = append(x0, 0)
	}
	ws := make([]float64, max(sp.m, 1))
	trial := md
	const penalty = 1e300
	obj := func(x []float64) float64 {
		trial.decode(x, in)
		s, _, good := trial.run(y, ws)
		if !good {
			return penalty
		}
		return s
	}
	best, _ := neldermead.Minimize(obj, x0, 0.5, 300*len(x0), 1e-9)
	md.decode(best, in)
	sse, _, ok = md.run(y, ws)
	return md, sse, ok
}

// aicc scores a fit with n observations, SSE sse and k parameters (R's
// ets: Gaussian log likelihood of the additive errors).
func aicc(n int, sse float64, k int) float64 {
	if n-k-1 <= 0 {
		return math.Inf(1)
	}
	sse = math.Max(sse, 1e-300)
	N := float64(n)
	loglik := -0.5 * N * (math.Log(2*math.Pi*sse/N) + 1)
	kk := float64(k)
	return -2*loglik + 2*kk + 2*kk*(kk+1)/(N-kk-1)
}

// candidates lists the models that y can support.
func etsCandidates(y []float64, m int, fixed *etsSpec) []etsSpec {
	n := len(y)
	seasonal := m >= 2 && m <= 24 && n >= 2*m
	positive := true
	for _, v := range y {
		if v <= 0 {
			positive = false
			break
		}
	}
	if fixed != nil {
		sp := *fixed
		sp.m = m
		if sp.season != 'N' && (!seasonal || (sp.season == 'M' && !positive)) {
			sp.season = 'N'
		}
		if sp.season == 'N' {
			sp.m = 1
		}
		return []etsSpec{sp}
	}
	var out []etsSpec
	for _, tr := range []byte{'N', 'A', 'D'} {
		out = append(out, etsSpec{trend: tr, season: 'N', m: 1})
		if seasonal {
			out = append(out, etsSpec{trend: tr, season: 'A', m: m})
			if positive {
				out = append(out, etsSpec{trend: tr, season: 'M', m: m})
			}
		}
	}
	return out
}

func (e ETS) fit(y []float64, m, h int, fixed *etsSpec) localFit {
	n := len(y)
	lo, hi := y[0], y[0]
	for _, v := range y {
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	if lo == hi {
		lf := naiveFit(y, h)
		lf.model = "ETS(A,N,N)"
		return lf
	}
	var best etsModel
	var bestSSE float64
	bestScore := math.Inf(1)
	for _, sp := range etsCandidates(y, m, fixed) {
		if aicc(n, 1, sp.params()) == math.Inf(1) {
			continue // too few points for this many parameters
		}
		md, sse, ok := fitETS(y, sp)
		if !ok {
			continue
		}
		if score := aicc(n, sse, sp.params()); score < bestScore || (fixed != nil && bestScore == math.Inf(1)) {
			best, bestSSE, bestScore = md, sse, score
		}
	}
	if best.spec.trend == 0 {
		return naiveFit(y, h)
	}
	return e.forecast(best, bestSSE, y, h)
}

// forecast produces the point forecast and intervals of a fitted model.
func (e ETS) forecast(md etsModel, sse float64, y []float64, h int) localFit {
	n := len(y)
	ws := make([]float64, max(md.spec.m, 1))
	_, st, _ := md.run(y, ws)
	sigma2 := sse / float64(max(n-md.spec.params(), 1))
	lf := localFit{model: md.spec.String(), mean: make([]float64, h)}
	for k := range h {
		lf.mean[k] = md.point(st, n, k+1)
	}
	if md.spec.season != 'M' {
		// Linear models: var_h = sigma^2 (1 + sum_{j<h} c_j^2) with
		// c_j = alpha + beta*phi_j + gamma*[j%m == 0], phi_j the damped
		// sum (j for an undamped trend).
		lf.sd = make([]float64, h)
		acc := 1.0
		for k := range h {
			if k > 0 {
				j := k
				c := md.alpha
				switch md.spec.trend {
				case 'A':
					c += md.beta * float64(j)
				case 'D':
					c += md.beta * dampSum(md.phi, j)
				}
				if md.spec.season == 'A' && j%md.spec.m == 0 {
					c += md.gamma
				}
				acc += c * c
			}
			lf.sd[k] = math.Sqrt(sigma2 * acc)
		}
		return lf
	}
	npaths := e.Paths
	if npaths == 0 {
		npaths = 1000
	}
	rng := rand.New(rand.NewPCG(e.Seed, math.Float64bits(y[n-1])^uint64(n)))
	sigma := math.Sqrt(sigma2)
	lf.paths = make([][]float64, npaths)
	sim := etsState{s: make([]float64, md.spec.m)}
	for p := range lf.paths {
		path := make([]float64, h)
		sim.l, sim.b = st.l, st.b
		copy(sim.s, st.s)
		for k := range h {
			mu := md.point(sim, n+k, 1)
			v := mu + sigma*rng.NormFloat64()
			if _, ok := md.step(&sim, v, n+k); !ok {
				// The path left the model's valid range: hold it.
				for j := k; j < h; j++ {
					path[j] = v
				}
				break
			}
			path[k] = v
		}
		lf.paths[p] = path
	}
	return lf
}

// fitSES fits simple exponential smoothing (ETS(A,N,N)) by least squares
// and returns alpha, the final level, the SSE and whether it worked.
func fitSES(y []float64) (alpha, level, sse float64, ok bool) {
	sp := etsSpec{trend: 'N', season: 'N', m: 1}
	md, sse, ok := fitETS(y, sp)
	if !ok {
		return 0, 0, 0, false
	}
	_, st, _ := md.run(y, nil)
	return md.alpha, st.l, sse, true
}
