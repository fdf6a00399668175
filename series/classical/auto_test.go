// Tests of Auto: it picks the right family on clear simulated cases; and
// (with ARKIT_AUTO_EVAL=1) the measurement on R's classic series that
// chose its default candidates.

package classical

import (
	"context"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"

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

// TestAutoOnRClassics measures Auto's variants and its candidates with a
// last-horizon hold-out of each R classic series (mean sMAPE and MASE).
// It is a measurement, run with ARKIT_AUTO_EVAL=1.
func TestAutoOnRClassics(t *testing.T) {
	if os.Getenv("ARKIT_AUTO_EVAL") == "" {
		t.Skip("a measurement: set ARKIT_AUTO_EVAL=1")
	}
	fx := readRFixtures(t)
	variants := []struct {
		name string
		a    Auto
	}{
		{"auto (select, with comb)", Auto{}},
		{"select, no comb", Auto{Candidates: []string{"ets", "arima", "theta", "snaive", "drift"}}},
		{"comb", Auto{Candidates: []string{"comb"}}},
		{"ets", Auto{Candidates: []string{"ets"}}},
		{"arima", Auto{Candidates: []string{"arima"}}},
		{"theta", Auto{Candidates: []string{"theta"}}},
		{"snaive", Auto{Candidates: []string{"snaive"}}},
		{"drift", Auto{Candidates: []string{"drift"}}},
	}
	for _, v := range variants {
		var smape, mase float64
		var picks []string
		for _, c := range fx.Auto {
			m, h := period(c.Period), c.Horizon
			n := len(c.Values) - h
			train, test := c.Values[:n], c.Values[n:]
			v.a.Period = m
			fc, err := v.a.Forecast(context.Background(), []table.Series{{ID: c.Name, Values: train}}, h, nil)
			if err != nil {
				t.Fatal(err)
			}
			lag := m
			if n <= m {
				lag = 1
			}
			scale := 0.0
			for i := lag; i < n; i++ {
				scale += math.Abs(train[i] - train[i-lag])
			}
			scale /= float64(n - lag)
			var s, a float64
			for k, y := range test {
				f := fc[0].Mean[k]
				s += 200 * math.Abs(y-f) / (math.Abs(y) + math.Abs(f))
				a += math.Abs(y - f)
			}
			smape += s / float64(h)
			mase += a / float64(h) / scale
			name, _, _ := strings.Cut(fc[0].Model, ":")
			picks = append(picks, name)
		}
		k := float64(len(fx.Auto))
		t.Logf("%-26s sMAPE %6.3f  MASE %6.3f", v.name, smape/k, mase/k)
		if v.name == "auto (select, with comb)" {
			t.Logf("  choices: %s", fmt.Sprint(picks))
		}
	}
}
