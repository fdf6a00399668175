// Tests of ARIMA: R golden fixtures (scripts/r_fixtures.R), coefficient
// recovery on simulated processes.

package classical

import (
	"encoding/json"
	"math"
	"os"
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
	b, err := os.ReadFile("testdata/arima_r.json")
	if err != nil {
		t.Fatal(err)
	}
	var f rFixtures
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	return f
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
