// Tests of Auto: it picks the right family on clear simulated cases. Its
// measurements on R's classic series are in rclassics_test.go, on M4 in
// scripts/m4combine.

package classical

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/arkit-go/arkit/series/forecast"
	"github.com/arkit-go/arkit/series/table"
)

func autoChoice(t *testing.T, a Auto, y []float64, m, h int) string {
	t.Helper()
	fc, err := a.Forecast(context.Background(), []table.Series{{ID: "x", Values: y}}, h, []float64{0.1, 0.9})
	if err != nil {
		t.Fatal(err)
	}
	name, _, _ := strings.Cut(fc[0].Model, ":")
	return name
}

func TestAutoPicksFamily(t *testing.T) {
	// A fixed seasonal pattern with little noise: the seasonal naive
	// forecast is right, drift is not.
	seasonal := simulate(120, nil, nil, nil, 100, 1)
	for i := range seasonal {
		seasonal[i] = 100 + 20*math.Sin(2*math.Pi*float64(i)/12) + 0.2*(seasonal[i]-100)
	}
	// A straight line plus noise: drift is right, the seasonal naive is not.
	trend := simulate(120, nil, nil, nil, 0, 2)
	for i := range trend {
		trend[i] = 5*float64(i) + trend[i]
	}
	pair := Auto{Period: 12, Candidates: []string{"snaive", "drift"}}
	if got := autoChoice(t, pair, seasonal, 12, 12); got != "snaive" {
		t.Errorf("seasonal series: chose %s", got)
	}
	if got := autoChoice(t, pair, trend, 12, 12); got != "drift" {
		t.Errorf("trend: chose %s", got)
	}
	// A stationary AR(1) far from its mean at the end: the mean-reverting
	// ARIMA beats every method that extrapolates the last level.
	ar := simulate(200, []float64{0.6}, nil, nil, 50, 3)
	if got := autoChoice(t, Auto{Period: 1, Candidates: []string{"arima", "drift", "snaive"}, Origins: 4}, ar, 1, 10); got != "arima" {
		t.Errorf("AR(1): chose %s", got)
	}
}

// A global candidate is scored on Auto's own origins: one whose origin
// forecasts are the actual values wins; one without them for a series is
// left out there; Record is told every series' scores.
func TestAutoGlobalCandidate(t *testing.T) {
	y := simulate(120, []float64{0.5}, nil, nil, 20, 4)
	train := []table.Series{{ID: "known", Values: y}, {ID: "unknown", Values: y}}
	a := Auto{Period: 1}
	ends := a.CVEnds(train[0], 10)
	if len(ends) != 3 || ends[0] != 110 || ends[2] != 90 {
		t.Fatalf("CVEnds %v", ends)
	}
	g := &Global{Name: "net", Origins: make([][][]float64, 2), Final: make([]forecast.Forecast, 2)}
	for _, end := range ends {
		g.Origins[0] = append(g.Origins[0], y[end:end+10]) // perfect
	}
	for i := range g.Final {
		g.Final[i] = forecast.Forecast{ID: train[i].ID, Mean: slices.Repeat([]float64{7}, 10)}
	}
	a.Global = g
	var got []AutoScore
	var mu sync.Mutex
	a.Record = func(s AutoScore) { mu.Lock(); got = append(got, s); mu.Unlock() }
	fcs, err := a.Forecast(context.Background(), train, 10, []float64{0.5})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(fcs[0].Model, "net: ") || fcs[0].Mean[0] != 7 {
		t.Errorf("series with perfect global forecasts: %s %v", fcs[0].Model, fcs[0].Mean[:2])
	}
	if strings.HasPrefix(fcs[1].Model, "net") {
		t.Errorf("series without global forecasts got %s", fcs[1].Model)
	}
	slices.SortFunc(got, func(p, q AutoScore) int { return p.Index - q.Index })
	if len(got) != 2 || got[0].Chosen != "net" || got[0].Origins != 3 {
		t.Fatalf("records %+v", got)
	}
	k := slices.Index(got[1].Candidates, "net-comb")
	if k < 0 || !math.IsInf(got[1].MAE[k], 1) || got[0].MAE[slices.Index(got[0].Candidates, "net")] != 0 {
		t.Errorf("scores %v %v / %v", got[1].Candidates, got[1].MAE, got[0].MAE)
	}
	if _, err := (Auto{Global: &Global{Name: "ets", Origins: g.Origins, Final: g.Final}}).Forecast(context.Background(), train, 10, nil); err == nil {
		t.Error("a global candidate named like a local one was accepted")
	}
}

// A global candidate's final forecast stored without its paths
// (SetFinal) gives the same mean, spread and quantiles, alone and in its
// combinations, as with them.
func TestGlobalSetFinalKeepsWhatAutoUses(t *testing.T) {
	y := simulate(120, []float64{0.5}, nil, nil, 20, 4)
	rng := rand.New(rand.NewPCG(3, 4))
	const h = 6
	levels := []float64{0.1, 0.5, 0.9}
	paths := make([][]float64, 200)
	for p := range paths {
		paths[p] = make([]float64, h)
		for k := range paths[p] {
			paths[p][k] = 20 + float64(k)*rng.NormFloat64()
		}
	}
	fc := forecast.Forecast{ID: "s", Mean: make([]float64, h), Point: slices.Repeat([]float64{20}, h), Levels: levels, Paths: paths}
	with := &Global{Name: "net", Origins: make([][][]float64, 1), Final: []forecast.Forecast{fc}}
	without := &Global{Name: "net", Origins: make([][][]float64, 1), Final: make([]forecast.Forecast, 1)}
	without.SetFinal(0, fc)
	if without.Final[0].Paths != nil {
		t.Fatal("SetFinal kept the paths")
	}
	for _, name := range with.Candidates() {
		f := Auto{Global: with}.candidateFit(0, name, y, 1, h)
		g := Auto{Global: without}.candidateFit(0, name, y, 1, h)
		if !slices.Equal(f.mean, g.mean) {
			t.Errorf("%s: mean %v, without paths %v", name, f.mean, g.mean)
		}
		for k := range h {
			if sdAt(f, k) != sdAt(g, k) {
				t.Errorf("%s: spread at %d: %v, without paths %v", name, k, sdAt(f, k), sdAt(g, k))
			}
		}
		fq, gq := f.quantiles(levels), g.quantiles(levels)
		for i := range levels {
			if !slices.Equal(fq[i], gq[i]) {
				t.Errorf("%s: quantile %v: %v, without paths %v", name, levels[i], fq[i], gq[i])
			}
		}
	}
}
