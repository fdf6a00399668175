//go:build !race

// The wider measurement against R: scripts/r_classics_wide.R collects 120
// classic series from the R packages Debian ships, splits them once into a
// development and a confirmation set, and records R's auto.arima, ets and
// thetaf on the last h points of each; this test forecasts the same
// hold-outs with arkit.

package classical

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/arkit-go/arkit/series/table"
)

type rWide struct {
	RVersion        string `json:"r_version"`
	ForecastVersion string `json:"forecast_version"`
	Series          []struct {
		Name       string
		Set        string // "dev" or "confirm"
		Period     float64
		Horizon    int
		Values     []float64
		ArimaSMAPE float64 `json:"arima_smape"`
		EtsSMAPE   float64 `json:"ets_smape"`
		ThetaSMAPE float64 `json:"theta_smape"`
		ArimaMASE  float64 `json:"arima_mase"`
		EtsMASE    float64 `json:"ets_mase"`
		ThetaMASE  float64 `json:"theta_mase"`
	}
}

// TestAutoWideClassics holds arkit's default auto to what
// docs/benchmarks.md records on the 120 series of
// scripts/r_classics_wide.R. The rule auto uses (its candidates, 3
// origins, MAE) was fixed on M4 Weekly before these series were collected;
// variants probed on the development set did not beat it, and the
// confirmation set was then scored once, with it:
//
//   - development (77 series): auto 8.86 mean sMAPE, below R's best
//     (auto.arima, 10.09) and arkit's ets (10.89): asserted;
//   - confirmation (43 series): auto 9.95, behind R's ets (9.72) and
//     arkit's ets (9.89), ahead of R's auto.arima (10.24): not a win, so
//     the test only holds auto to within 2% of the 9.95 recorded;
//   - the series of both sets that no choice was made on
//     (unseenWideClassics): auto ahead of R's best method and of arkit's
//     ets, asserted.
//
// Under the race detector it takes 160 s, so it runs without it
// (.ci/run).
func TestAutoWideClassics(t *testing.T) {
	rw := readJSON[rWide](t, "../../docs/results/2026-12-07-classics-wide/r-classics-wide.json")
	methods := []struct {
		name  string
		cands []string
	}{{"auto", nil}, {"arima", []string{"arima"}}, {"ets", []string{"ets"}}, {"theta", []string{"theta"}}}
	type score struct{ smape, mase float64 }
	got := make([][]score, len(rw.Series))
	lines := make([]string, len(rw.Series))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 2)
	for i, c := range rw.Series {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			n := len(c.Values) - c.Horizon
			train, test := c.Values[:n], c.Values[n:]
			m := period(c.Period)
			line := fmt.Sprintf("%-7s %-34s", c.Set, c.Name)
			for _, meth := range methods {
				fc, err := Auto{Period: m, Candidates: meth.cands}.Forecast(context.Background(), []table.Series{{ID: c.Name, Values: train}}, c.Horizon, nil)
				if err != nil {
					t.Errorf("%s: %s: %v", c.Name, meth.name, err)
					return
				}
				s, ms := holdoutScores(train, test, fc[0].Mean, m)
				got[i] = append(got[i], score{s, ms})
				if meth.name == "auto" {
					line += fmt.Sprintf(" %-14s", strings.SplitN(fc[0].Model, ":", 2)[0])
				}
				line += fmt.Sprintf(" %6.2f", s)
			}
			lines[i] = line + fmt.Sprintf(" | R %6.2f %6.2f %6.2f", c.ArimaSMAPE, c.EtsSMAPE, c.ThetaSMAPE)
		}()
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	t.Logf("%-7s %-34s %-14s %6s %6s %6s %6s | R %6s %6s %6s", "set", "series", "auto chose", "auto", "arima", "ets", "theta", "arima", "ets", "thetaf")
	for _, l := range lines {
		t.Log(l)
	}
	t.Logf("R %s, forecast %s", rw.RVersion, rw.ForecastVersion)
	for _, set := range []string{"dev", "confirm"} {
		names := []string{"arkit auto", "arkit arima", "arkit ets", "arkit theta", "R auto.arima", "R ets", "R thetaf"}
		sums := make([][2]float64, len(names))
		k := 0.0
		for i, c := range rw.Series {
			if c.Set != set {
				continue
			}
			k++
			for j, s := range got[i] {
				sums[j][0] += s.smape
				sums[j][1] += s.mase
			}
			for j, s := range [][2]float64{{c.ArimaSMAPE, c.ArimaMASE}, {c.EtsSMAPE, c.EtsMASE}, {c.ThetaSMAPE, c.ThetaMASE}} {
				sums[4+j][0] += s[0]
				sums[4+j][1] += s[1]
			}
		}
		t.Logf("%s set, %.0f series: mean sMAPE / MASE", set, k)
		for j, name := range names {
			t.Logf("| %s | %.2f | %.3f |", name, sums[j][0]/k, sums[j][1]/k)
		}
		auto := sums[0][0] / k
		if set == "confirm" {
			if auto > 1.02*9.95 {
				t.Errorf("confirm set: arkit auto's mean sMAPE %.2f is more than 2%% above the 9.95 recorded", auto)
			}
			continue
		}
		rBest := math.Min(sums[4][0], math.Min(sums[5][0], sums[6][0])) / k
		if auto >= rBest {
			t.Errorf("%s set: arkit auto's mean sMAPE %.2f does not beat R's best method's %.2f", set, auto, rBest)
		}
		if ets := sums[2][0] / k; auto >= ets {
			t.Errorf("%s set: arkit auto's mean sMAPE %.2f does not beat arkit ets's %.2f", set, auto, ets)
		}
	}
	unseenWideClassics(t, rw, func(i, j int) float64 { return got[i][j].smape })
}

// unseenWideClassics scores the series of both sets that no choice was
// made on: all but those that overlap the 22 earlier series
// (r-classics-holdout-r.json), found by their values, since two of them
// come back under other names (MASS's deaths is ldeaths, Seatbelts'
// drivers column is UKDriverDeaths). auto's rule was fixed before any of
// these series were collected and not changed after the variants probed on
// the development set, so for it they are all held out. smape(i, j) is
// arkit's score on series i by method j (auto, arima, ets, theta).
//
// It logs the mean sMAPEs and a paired bootstrap (5,000 resamples of the
// series) of auto's lead over R's best method on these series and over
// arkit's ets, for all of them and for each set's part, and asserts that
// on all of them auto's mean beats both (recorded in
// docs/benchmarks.md: 104 series, auto 9.31, R's best auto.arima 10.20,
// arkit ets 10.25).
func unseenWideClassics(t *testing.T, rw rWide, smape func(i, j int) float64) {
	t.Helper()
	rh := readRHoldout(t)
	var idx []int
	for i, c := range rw.Series {
		seen := false
		for _, o := range rh.Series {
			seen = seen || contains(o.Values, c.Values) || contains(c.Values, o.Values)
		}
		if !seen {
			idx = append(idx, i)
		}
	}
	cols := []string{"arkit auto", "arkit arima", "arkit ets", "arkit theta", "R auto.arima", "R ets", "R thetaf"}
	score := func(i, j int) float64 {
		c := rw.Series[i]
		switch j {
		case 4:
			return c.ArimaSMAPE
		case 5:
			return c.EtsSMAPE
		case 6:
			return c.ThetaSMAPE
		}
		return smape(i, j)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for _, set := range []string{"", "dev", "confirm"} {
		var sub []int
		for _, i := range idx {
			if set == "" || rw.Series[i].Set == set {
				sub = append(sub, i)
			}
		}
		name := "series not used for any choice"
		if set != "" {
			name += ", " + set + " set only"
		}
		n := float64(len(sub))
		means := make([]float64, len(cols))
		for j := range cols {
			for _, i := range sub {
				means[j] += score(i, j) / n
			}
		}
		t.Logf("%s: %d of %d; mean sMAPE", name, len(sub), len(rw.Series))
		for j, c := range cols {
			t.Logf("| %s | %.2f |", c, means[j])
		}
		rBest := 4
		for j := 5; j < 7; j++ {
			if means[j] < means[rBest] {
				rBest = j
			}
		}
		for _, j := range []int{rBest, 2} {
			diff := make([]float64, len(sub))
			for k, i := range sub {
				diff[k] = score(i, 0) - score(i, j)
			}
			boot := make([]float64, 5000)
			for r := range boot {
				for range diff {
					boot[r] += diff[rng.IntN(len(diff))] / n
				}
			}
			slices.Sort(boot)
			worse := 0
			for _, d := range boot {
				if d > 0 {
					worse++
				}
			}
			t.Logf("auto minus %s: %.2f (95%% bootstrap interval %.2f to %.2f; auto behind in %.1f%% of resamples)",
				cols[j], means[0]-means[j], boot[125], boot[4874], 100*float64(worse)/float64(len(boot)))
			if set == "" && means[0] >= means[j] {
				t.Errorf("%s: arkit auto's mean sMAPE %.2f does not beat %s's %.2f", name, means[0], cols[j], means[j])
			}
		}
	}
}

// contains reports whether a holds b as a run of consecutive values.
func contains(a, b []float64) bool {
	for i := 0; i+len(b) <= len(a); i++ {
		if slices.Equal(a[i:i+len(b)], b) {
			return true
		}
	}
	return false
}
