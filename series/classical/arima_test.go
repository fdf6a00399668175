// Tests of ARIMA: R golden fixtures (scripts/r_fixtures.R), coefficient
// recovery on simulated processes.

package classical

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"testing"
)

// rFixtures is series/classical/testdata/arima_r.json.
type rFixtures struct {
	Auto []struct {
		Name                                     string
		Period                                   float64
		Values                                   []float64
		Horizon                                  int
		Order                                    []int
		Constant, Approximation                  bool
		Coef                                     json.RawMessage // {} or [] when none
		Sigma2, Loglik, Aicc                     float64
		Mean, Lower80, Upper80, Lower95, Upper95 []float64
	}
	ML []struct {
		Name     string
		Period   float64
		Values   []float64
		Order    []int
		Constant bool
		Coef     map[string]float64
		Sigma2   float64
		Loglik   float64
	}
}

func readRFixtures(t testing.TB) rFixtures {
	t.Helper()
	return readJSON[rFixtures](t, "testdata/arima_r.json")
}

// readJSON decodes the JSON file at path into a T, failing t on error.
func readJSON[T any](t testing.TB, path string) T {
	t.Helper()
	var v T
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return v
}

func period(p float64) int { return max(1, int(math.Round(p))) }

func TestARIMAMatchesAutoArima(t *testing.T) {
	fx := readRFixtures(t)
	match := 0
	for _, c := range fx.Auto {
		m := period(c.Period)
		fit := autoARIMA(c.Values, m)
		if !fit.ok {
			t.Errorf("%s: no fit", c.Name)
			continue
		}
		o := fit.order
		got := []int{o.p, o.d, o.q, o.P, o.D, o.Q}
		want := c.Order[:6]
		same := o.constant == c.Constant
		for i := range got {
			same = same && got[i] == want[i]
		}
		if !same {
			t.Logf("%-18s orders differ: got %v const %v aicc %.2f, R %v const %v aicc %.2f", c.Name, got, o.constant, fit.aicc, want, c.Constant, c.Aicc)
			continue
		}
		match++
		mean, sd := fit.forecast(c.Values, c.Horizon)
		worst := 0.0
		for k := range c.Horizon {
			worst = math.Max(worst, math.Abs(mean[k]-c.Mean[k])/math.Abs(c.Mean[k]))
			hi := mean[k] + 1.959963984540054*sd[k]
			worst = math.Max(worst, math.Abs(hi-c.Upper95[k])/math.Abs(c.Upper95[k]))
		}
		t.Logf("%-18s %v match, loglik %.3f (R %.3f), worst forecast rel. error %.2g", c.Name, got, fit.loglik, c.Loglik, worst)
		if worst > 0.01 {
			t.Errorf("%s: forecast differs from R's by %.3g", c.Name, worst)
		}
	}
	t.Logf("orders match R's auto.arima on %d of %d series", match, len(fx.Auto))
	if 2*match <= len(fx.Auto) {
		t.Errorf("orders match on only %d of %d series", match, len(fx.Auto))
	}
}

// TestARIMALikelihoodMatchesR fits R's fixed-order ML fixtures: the
// exact log-likelihood at R's coefficients must equal R's, and our own
// estimates must come close to R's.
func TestARIMALikelihoodMatchesR(t *testing.T) {
	for _, c := range readRFixtures(t).ML {
		m := period(c.Period)
		o := arimaOrder{p: c.Order[0], d: c.Order[1], q: c.Order[2], P: c.Order[3], D: c.Order[4], Q: c.Order[5], m: m, constant: c.Constant}
		if o.P+o.D+o.Q == 0 {
			o.m = 1
		}
		coef := func(prefix string, k int) []float64 {
			out := make([]float64, k)
			for i := range out {
				out[i] = c.Coef[prefix+string(rune('1'+i))]
			}
			return out
		}
		ar, ma := expand(coef("ar", o.p), coef("ma", o.q), coef("sar", o.P), coef("sma", o.Q), o.m)
		w := difference(c.Values, o.d, o.D, o.m)
		kf := newKalman(ar, ma)
		ssq, sumlog, ok := kf.filter(w, c.Coef["intercept"])
		if !ok {
			t.Fatalf("%s: filter failed", c.Name)
		}
		N := float64(len(w))
		ll := -0.5 * (N*math.Log(ssq/N) + sumlog + N + N*math.Log(2*math.Pi))
		if math.Abs(ll-c.Loglik) > 5e-3 { // R's diffuse prior (kappa 1e6) approximates the conditioning on the first d+Dm values
			t.Errorf("%s %v: log-likelihood at R's coefficients %.6f, R %.6f", c.Name, o, ll, c.Loglik)
		}
		fit := fitARIMA(c.Values, o, false)
		if !fit.ok || fit.loglik < c.Loglik-0.01 {
			t.Errorf("%s %v: our fit reaches log-likelihood %.6f, R %.6f", c.Name, o, fit.loglik, c.Loglik)
		}
		got := slices.Concat(fit.phi, fit.theta, fit.sphi, fit.stheta)
		want := slices.Concat(coef("ar", o.p), coef("ma", o.q), coef("sar", o.P), coef("sma", o.Q))
		for i := range got {
			if math.Abs(got[i]-want[i]) > 0.01 {
				t.Errorf("%s %v: coefficients %v, R %v", c.Name, o, got, want)
				break
			}
		}
	}
}

// simulate returns n values of the ARMA process with the expanded
// polynomials ar, ma (R's signs) plus mu, after a burn-in, integrated by
// the differences delta (see diffPoly).
func simulate(n int, ar, ma, delta []float64, mu float64, seed uint64) []float64 {
	rng := rand.New(rand.NewPCG(seed, 1))
	burn := 500
	e := make([]float64, n+burn)
	w := make([]float64, n+burn)
	for t := range w {
		e[t] = rng.NormFloat64()
		v := e[t]
		for j, c := range ar {
			if t-j-1 >= 0 {
				v += c * w[t-j-1]
			}
		}
		for j, c := range ma {
			if t-j-1 >= 0 {
				v += c * e[t-j-1]
			}
		}
		w[t] = v
	}
	y := make([]float64, n)
	for t := range n {
		v := w[burn+t] + mu
		for j, c := range delta {
			if t-j-1 >= 0 {
				v += c * y[t-j-1]
			}
		}
		y[t] = v
	}
	return y
}

// TestARIMARecoversCoefficients fits the true orders of simulated
// processes: estimates within 3 standard errors' worth (0.1) of the truth.
func TestARIMARecoversCoefficients(t *testing.T) {
	for _, tc := range []struct {
		name  string
		o     arimaOrder
		truth []float64 // phi, theta, Phi, Theta
		mu    float64
	}{
		{"AR(1)", arimaOrder{p: 1, m: 1, constant: true}, []float64{0.7}, 10},
		{"MA(1)", arimaOrder{q: 1, m: 1, constant: true}, []float64{0.5}, -3},
		{"ARMA(1,1)", arimaOrder{p: 1, q: 1, m: 1}, []float64{0.6, -0.3}, 0},
		{"ARIMA(0,1,1)(0,1,1)12", arimaOrder{d: 1, q: 1, D: 1, Q: 1, m: 12}, []float64{-0.4, -0.6}, 0},
		{"ARIMA(1,0,0)(1,0,0)4", arimaOrder{p: 1, P: 1, m: 4, constant: true}, []float64{0.5, 0.6}, 5},
	} {
		o := tc.o
		i := 0
		take := func(k int) []float64 { s := tc.truth[i : i+k]; i += k; return s }
		phi, theta, sphi, stheta := take(o.p), take(o.q), take(o.P), take(o.Q)
		ar, ma := expand(phi, theta, sphi, stheta, o.m)
		y := simulate(600, ar, ma, diffPoly(o.d, o.D, o.m), tc.mu, 7)
		fit := fitARIMA(y, o, false)
		got := slices.Concat(fit.phi, fit.theta, fit.sphi, fit.stheta)
		for j := range got {
			if math.Abs(got[j]-tc.truth[j]) > 0.1 {
				t.Errorf("%s: estimates %v, truth %v", tc.name, got, tc.truth)
				break
			}
		}
		if o.constant && math.Abs(fit.mu-tc.mu) > 0.5 {
			t.Errorf("%s: mean %.3f, truth %v", tc.name, fit.mu, tc.mu)
		}
		if math.Abs(fit.sigma2-1) > 0.15 {
			t.Errorf("%s: sigma^2 %.3f, truth 1", tc.name, fit.sigma2)
		}
	}
}

// TestAutoARIMAFindsSimulatedOrders: the stepwise search recovers the
// differencing and the model of clear simulated cases.
func TestAutoARIMAFindsSimulatedOrders(t *testing.T) {
	seasonal := simulate(144, []float64{0.5}, nil, nil, 0, 3)
	for i := range seasonal {
		seasonal[i] += 10 * math.Sin(2*math.Pi*float64(i)/12)
	}
	if o := autoARIMA(seasonal, 12).order; o.D != 1 || o.d != 0 {
		t.Errorf("seasonal pattern plus AR(1) noise: found %v", o)
	}
	ar1 := simulate(300, []float64{0.8}, nil, nil, 20, 4)
	if o := autoARIMA(ar1, 1).order; o.d != 0 || o.p < 1 || !o.constant {
		t.Errorf("AR(1): found %v", o)
	}
	rw := simulate(300, nil, nil, diffPoly(1, 0, 1), 0.5, 5)
	if o := autoARIMA(rw, 1).order; o.d != 1 || !o.constant {
		t.Errorf("random walk with drift: found %v", o)
	}
}
