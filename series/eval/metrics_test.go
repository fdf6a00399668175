// Tests for the accuracy metrics: hand-computed values, NaN handling, and
// CRPS against its closed form for a normal distribution.

package eval

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

func TestPointMetrics(t *testing.T) {
	y := []float64{10, 20, 0, nan, 40}
	f := []float64{12, 15, 0, 5, nan}
	insample := []float64{1, 2, 4, 7, 11}
	for _, tc := range []struct {
		name      string
		got, want float64
	}{
		{"MAE", MAE(y, f), (2 + 5 + 0) / 3.0},
		{"RMSE", RMSE(y, f), math.Sqrt((4 + 25 + 0) / 3.0)},
		{"MAPE", MAPE(y, f), (20 + 25) / 2.0}, // the zero actual is left out
		{"sMAPE", SMAPE(y, f), (200*2/22.0 + 200*5/35.0 + 0) / 3},
		{"MASE scale m=1", MASEScale(insample, 1), (1 + 2 + 3 + 4) / 4.0},
		{"MASE scale m=2", MASEScale(insample, 2), (3 + 5 + 7) / 3.0},
		{"MASE scale m>n", MASEScale(insample, 9), (1 + 2 + 3 + 4) / 4.0},
		{"MASE", MASE(insample, y, f, 2), (7 / 3.0) / 5},
		{"OWA", OWA(10, 2, 20, 4), 0.5},
		{"Pinball 0.9", Pinball([]float64{10, 10}, []float64{8, 12}, 0.9), (0.9*2 + 0.1*2) / 2},
		{"Coverage", Coverage([]float64{1, 5, 9, nan}, []float64{0, 6, 8, 0}, []float64{2, 7, 10, 1}), 2 / 3.0},
		{"MSIS", MSIS(insample, []float64{1, 5, 9}, []float64{0, 6, 8}, []float64{2, 7, 10}, 1, 0.05), ((2 + 1 + 2/0.05*1 + 2) / 3.0) / 2.5},
	} {
		if !close(tc.got, tc.want, 1e-12) {
			t.Errorf("%s = %v, want %v", tc.name, tc.got, tc.want)
		}
	}
	if v := SMAPE([]float64{0}, []float64{0}); v != 0 {
		t.Errorf("sMAPE(0, 0) = %v", v)
	}
	if v := MAE([]float64{nan}, []float64{1}); !math.IsNaN(v) {
		t.Errorf("MAE of nothing = %v", v)
	}
	if v := MASE([]float64{3, 3, 3}, []float64{1}, []float64{2}, 1); !math.IsInf(v, 1) {
		t.Errorf("MASE on constant in-sample = %v", v)
	}
}

func TestMetricsPanicOnLengthMismatch(t *testing.T) {
	defer func() {
		if r := recover(); r == nil {
			t.Error("no panic")
		}
	}()
	MAE([]float64{1, 2}, []float64{1})
}

func TestCRPS(t *testing.T) {
	// One sample: CRPS is the absolute error.
	if v := CRPS([][]float64{{3, 5}}, []float64{1, 5}); v != 1 {
		t.Errorf("single-sample CRPS = %v, want 1", v)
	}
	// Two samples {0, 2} and y = 1: E|X-y| = 1, E|X-X'|/2 = 0.5.
	if v := CRPS([][]float64{{0}, {2}}, []float64{1}); v != 0.5 {
		t.Errorf("two-sample CRPS = %v, want 0.5", v)
	}
	// Many normal samples approach the closed form
	// sigma*(z(2Phi(z)-1) + 2phi(z) - 1/sqrt(pi)).
	rng := rand.New(rand.NewPCG(1, 1))
	const mu, sigma, y = 2.0, 3.0, 4.5
	paths := make([][]float64, 20000)
	for i := range paths {
		paths[i] = []float64{mu + sigma*rng.NormFloat64()}
	}
	z := (y - mu) / sigma
	n := distuv.UnitNormal
	exact := sigma * (z*(2*n.CDF(z)-1) + 2*n.Prob(z) - 1/math.Sqrt(math.Pi))
	if v := CRPS(paths, []float64{y}); !close(v, exact, 0.02) {
		t.Errorf("sample CRPS %v, closed form %v", v, exact)
	}
	// The quantile approximation agrees on a fine grid.
	var levels []float64
	var qs [][]float64
	for i := 1; i < 200; i++ {
		l := float64(i) / 200
		levels = append(levels, l)
		qs = append(qs, []float64{mu + sigma*n.Quantile(l)})
	}
	if v := QuantileCRPS([]float64{y}, levels, qs); !close(v, exact, 0.02) {
		t.Errorf("quantile CRPS %v, closed form %v", v, exact)
	}
}

var nan = math.NaN()
