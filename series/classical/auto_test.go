// Tests of Auto: it picks the right family on clear simulated cases. Its
// measurements on R's classic series are in rclassics_test.go, on M4 in
// scripts/m4combine.

package classical

import (
	"context"
	"math"
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
