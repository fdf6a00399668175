// Forecast and Forecaster: what every model, local or global, returns and
// the interface it implements.

package forecast

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/arkit-go/arkit/series/table"
)

// Forecaster makes forecasts for a batch of series. A local model fits
// each series on its own; a global model may learn across the batch.
// Forecast returns one Forecast per train series, in order, each with
// Mean of length horizon and, for every requested quantile level (in the
// order given), a quantile path.
type Forecaster interface {
	Name() string
	Forecast(ctx context.Context, train []table.Series, horizon int, quantiles []float64) ([]Forecast, error)
}

// Forecast is the forecast of one series over a horizon.
type Forecast struct {
	ID string
	// Model describes the fitted model, e.g. "AR(3)" or "ETS(A,Ad,N)";
	// it may be empty.
	Model string
	// Times holds the timestamps of the horizon, nil when the series has
	// no timestamps.
	Times []time.Time
	Mean  []float64
	// Point is the point forecast the metrics score (sMAPE, MASE, MAE,
	// RMSE); nil means Mean. A model whose predictive distribution is
	// skewed may set it to the median, which sMAPE and MAE reward.
	Point []float64
	// Levels are the quantile levels in (0, 1); Quantiles[i][k] is the
	// Levels[i] quantile at step k.
	Levels    []float64
	Quantiles [][]float64
	// Paths optionally holds sample paths, each of the horizon's length;
	// metrics such as CRPS use them when present.
	Paths [][]float64
}

// Horizon returns the number of forecast steps.
func (f *Forecast) Horizon() int { return len(f.Mean) }

// PointForecast returns Point, or Mean when Point is nil: the path the
// point-forecast metrics score.
func (f *Forecast) PointForecast() []float64 {
	if f.Point != nil {
		return f.Point
	}
	return f.Mean
}

// Quantile returns the quantile path at level (matched to within 1e-9), or
// nil if the forecast does not have it.
func (f *Forecast) Quantile(level float64) []float64 {
	for i, l := range f.Levels {
		if math.Abs(l-level) < 1e-9 && i < len(f.Quantiles) {
			return f.Quantiles[i]
		}
	}
	return nil
}

// Median returns the 0.5 quantile if present, else Mean.
func (f *Forecast) Median() []float64 {
	if q := f.Quantile(0.5); q != nil {
		return q
	}
	return f.Mean
}

// Interval returns the central interval of the given coverage (0.8 gives
// the 0.1 and 0.9 quantiles), or nils if the forecast lacks those levels.
func (f *Forecast) Interval(coverage float64) (lower, upper []float64) {
	a := (1 - coverage) / 2
	lower, upper = f.Quantile(a), f.Quantile(1-a)
	if lower == nil || upper == nil {
		return nil, nil
	}
	return lower, upper
}

// ErrHorizon is returned (wrapped) for a horizon below 1.
var ErrHorizon = errors.New("horizon must be at least 1")

// checkRequest validates a forecast request coming from a user.
func CheckRequest(name string, horizon int, levels []float64) error {
	if horizon < 1 {
		return fmt.Errorf("series: %s: %w (got %d)", name, ErrHorizon, horizon)
	}
	for i, l := range levels {
		if !(l > 0 && l < 1) {
			return fmt.Errorf("series: %s: quantile level %v is not in (0, 1)", name, l)
		}
		if slices.Contains(levels[:i], l) {
			return fmt.Errorf("series: %s: quantile level %v requested twice", name, l)
		}
	}
	return nil
}
