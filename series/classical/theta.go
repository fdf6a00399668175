// Theta: the M4 competition's Theta benchmark (the classic theta method of
// Assimakopoulos and Nikolopoulos): seasonally adjust as Naive2 does,
// average the linear trend (theta = 0 line) with simple exponential
// smoothing of the theta = 2 line, reseasonalise.

package classical

import (
	"context"
	"fmt"
	"math"

	"github.com/arkit-go/arkit/series/forecast"
	"github.com/arkit-go/arkit/series/table"
)

// Theta is the M4 Theta benchmark. On the seasonally adjusted series x
// (see Naive2) it fits the line a + b*t by least squares, smooths the
// theta line 2x - (a + b*t) with simple exponential smoothing (alpha and
// initial level by least squares) and forecasts the equal-weight average
// of the extended line and the smoothed level, times the seasonal indices.
// Intervals are normal with the SES variance sigma^2 (1 + (h-1) alpha^2),
// sigma the in-sample error of the combined fit. Period 0 takes each
// series' default (Freq.SeasonalPeriod); M4 used M4SeasonalPeriod.
type Theta struct {
	Period int
}

var _ forecast.Forecaster = Theta{}

// Name returns "theta".
func (Theta) Name() string { return "theta" }

// Forecast implements Forecaster.
func (th Theta) Forecast(ctx context.Context, train []table.Series, horizon int, quantiles []float64) ([]forecast.Forecast, error) {
	return forecastLocal(ctx, th.Name(), train, horizon, quantiles, th.Period, thetaFit)
}

func thetaFit(y []float64, m, h int) localFit {
	n := len(y)
	if n < 3 {
		return naive2Fit(y, m, h)
	}
	adj, idx := deseasonalize(y, m)
	// Theta line 0: least squares on t = 1..n.
	var st, sy, stt, sty float64
	for i, v := range adj {
		t := float64(i + 1)
		st += t
		sy += v
		stt += t * t
		sty += t * v
	}
	N := float64(n)
	b := (N*sty - st*sy) / (N*stt - st*st)
	a := (sy - b*st) / N
	z := make([]float64, n)
	for i, v := range adj {
		z[i] = 2*v - (a + b*float64(i+1))
	}
	alpha, level, sse, ok := fitSES(z)
	if !ok {
		return naive2Fit(y, m, h)
	}
	// The combined in-sample error is half the SES error on the theta
	// line: x - (ses/2 + line/2) = (z - ses)/2 since x = (z + line)/2.
	sigma := 0.5 * math.Sqrt(sse/float64(max(n-2, 1)))
	lf := localFit{model: "theta", mean: make([]float64, h), sd: make([]float64, h)}
	for k := range h {
		lf.mean[k] = 0.5*level + 0.5*(a+b*float64(n+k+1))
		lf.sd[k] = sigma * math.Sqrt(1+float64(k)*alpha*alpha)
	}
	if idx != nil {
		lf.model = fmt.Sprintf("theta(%d)", m)
		reseasonalize(lf, idx, n)
	}
	return lf
}
