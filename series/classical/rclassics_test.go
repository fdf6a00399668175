// The side-by-side measurement against R on R's classic series:
// scripts/r_classics_holdout.R writes the series and
// R's auto.arima and ets forecasts; this test forecasts the same hold-out
// with arkit's auto, arima and ets and prints mean sMAPE and MASE.

package classical

import (
	"context"
	"math"
	"testing"

	"github.com/arkit-go/arkit/series/table"
)

type rHoldout struct {
	RVersion        string `json:"r_version"`
	ForecastVersion string `json:"forecast_version"`
	Series          []struct {
		Name                 string
		Period               float64 // 0.1 for uspop (decennial)
		Horizon              int
		Values               []float64
		ArimaModel, EtsModel string    `json:"-"`
		ArimaSMAPE           float64   `json:"arima_smape"`
		ArimaMASE            float64   `json:"arima_mase"`
		EtsSMAPE             float64   `json:"ets_smape"`
		EtsMASE              float64   `json:"ets_mase"`
		ArimaMean            []float64 `json:"arima_mean"`
	}
}

// holdoutScores returns sMAPE (percent) and MASE (in-sample seasonal
// naive scale, lag 1 for non-seasonal series) of f against test, as the
// R script computes them.
func holdoutScores(train, test, f []float64, m int) (smape, mase float64) {
	lag := 1
	if m > 1 && len(train) > m {
		lag = m
	}
	scale := 0.0
	for i := lag; i < len(train); i++ {
		scale += math.Abs(train[i] - train[i-lag])
	}
	scale /= float64(len(train) - lag)
	var s, a float64
	for k, y := range test {
		s += 200 * math.Abs(y-f[k]) / (math.Abs(y) + math.Abs(f[k]))
		a += math.Abs(y - f[k])
	}
	h := float64(len(test))
	return s / h, a / h / scale
}

// TestAutoAgainstRClassics scores arkit's auto, arima and ets on the last h
// points of 22 of R's classic series against R's own forecasts of the same
// hold-out (scripts/r_classics_holdout.R), and holds arkit to the figures
// recorded in docs/benchmarks.md: arima and ets level with R's (within 2%
// on mean sMAPE), auto better than R's ets.
func TestAutoAgainstRClassics(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: fits 66 models")
	}
	rh := readRHoldout(t)
	methods := []struct {
		name string
		f    func(period int) Auto
	}{
		{"auto", func(m int) Auto { return Auto{Period: m} }},
		{"arima", func(m int) Auto { return Auto{Period: m, Candidates: []string{"arima"}} }},
		{"ets", func(m int) Auto { return Auto{Period: m, Candidates: []string{"ets"}} }},
	}
	sums := map[string][2]float64{}
	add := func(k string, s, m float64) {
		v := sums[k]
		sums[k] = [2]float64{v[0] + s, v[1] + m}
	}
	for _, c := range rh.Series {
		n := len(c.Values) - c.Horizon
		train, test := c.Values[:n], c.Values[n:]
		m := period(c.Period)
		line := c.Name
		for _, meth := range methods {
			fc, err := meth.f(m).Forecast(context.Background(), []table.Series{{ID: c.Name, Values: train}}, c.Horizon, nil)
			if err != nil {
				t.Fatal(err)
			}
			s, m := holdoutScores(train, test, fc[0].Mean, m)
			add("arkit "+meth.name, s, m)
			line += " | " + fc[0].Model
		}
		add("R auto.arima", c.ArimaSMAPE, c.ArimaMASE)
		add("R ets", c.EtsSMAPE, c.EtsMASE)
		// The better of R's two on each series, in hindsight (by sMAPE).
		if c.ArimaSMAPE <= c.EtsSMAPE {
			add("R better of the two (hindsight)", c.ArimaSMAPE, c.ArimaMASE)
		} else {
			add("R better of the two (hindsight)", c.EtsSMAPE, c.EtsMASE)
		}
		t.Log(line)
	}
	k := float64(len(rh.Series))
	t.Logf("%d series; R %s, forecast %s", len(rh.Series), rh.RVersion, rh.ForecastVersion)
	for _, name := range []string{"R auto.arima", "R ets", "R better of the two (hindsight)", "arkit auto", "arkit arima", "arkit ets"} {
		v := sums[name]
		t.Logf("| %s | %.2f | %.3f |", name, v[0]/k, v[1]/k)
	}
	mean := func(name string) float64 { return sums[name][0] / k }
	if a, r := mean("arkit arima"), mean("R auto.arima"); a > 1.02*r {
		t.Errorf("arkit arima's mean sMAPE %.2f is more than 2%% above R auto.arima's %.2f", a, r)
	}
	if a, r := mean("arkit ets"), mean("R ets"); a > 1.02*r {
		t.Errorf("arkit ets's mean sMAPE %.2f is more than 2%% above R ets's %.2f", a, r)
	}
	if a, r := mean("arkit auto"), mean("R ets"); a >= r {
		t.Errorf("arkit auto's mean sMAPE %.2f does not beat R ets's %.2f", a, r)
	}
}

// readRHoldout reads R's forecasts of the 22 classic series
// (scripts/r_classics_holdout.R).
func readRHoldout(t *testing.T) rHoldout {
	t.Helper()
	return readJSON[rHoldout](t, "../../docs/results/2026-12-06-series-auto/r-classics-holdout-r.json")
}
