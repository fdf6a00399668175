// Fallback: a Forecaster wrapper that hands series too short for a model
// to a simple baseline, saying which and why.

package series

import (
	"context"
	"fmt"

	"github.com/arkit-go/arkit/series/classical"
	"github.com/arkit-go/arkit/series/forecast"
	"github.com/arkit-go/arkit/series/table"
)

// Fallback forecasts with Model, but replaces the forecast of every series
// with fewer than MinObserved observed values by Short's. Model still sees
// every series (a global model learns from the short ones too, and keeps
// the series set it was trained on); when every series is short, Model is
// not run at all.
type Fallback struct {
	Model, Short forecast.Forecaster
	MinObserved  int
	// Rule describes MinObserved in warnings, e.g. "two seasons of 12".
	Rule string
	// Warn, when not nil, is told of each replaced series: its ID and a
	// sentence saying which forecast it got and why.
	Warn func(id, reason string)
}

var _ forecast.Forecaster = (*Fallback)(nil)

// WithFallback returns a Fallback of model to short below minObserved
// observed values.
func WithFallback(model forecast.Forecaster, minObserved int, short forecast.Forecaster) *Fallback {
	return &Fallback{Model: model, Short: short, MinObserved: minObserved}
}

// SeasonalFallback is the fallback the arkit command gives a model that
// needs history: series with fewer than two seasons of observed values get
// the seasonal naive forecast (which is the naive one below one season).
func SeasonalFallback(model forecast.Forecaster, season int) *Fallback {
	season = max(season, 1)
	f := WithFallback(model, 2*season, classical.SeasonalNaive{Period: season})
	f.Rule = fmt.Sprintf("two seasons of %d", season)
	return f
}

// Name returns the name of Model.
func (f *Fallback) Name() string { return f.Model.Name() }

// Forecast implements Forecaster.
func (f *Fallback) Forecast(ctx context.Context, train []table.Series, horizon int, quantiles []float64) ([]forecast.Forecast, error) {
	var short []int
	var shortTrain []table.Series
	for i, s := range train {
		if s.Observed() < f.MinObserved {
			short = append(short, i)
			shortTrain = append(shortTrain, s)
		}
	}
	if len(short) == 0 {
		return f.Model.Forecast(ctx, train, horizon, quantiles)
	}
	out := make([]forecast.Forecast, len(train))
	if len(short) < len(train) {
		fcs, err := f.Model.Forecast(ctx, train, horizon, quantiles)
		if err != nil {
			return nil, err
		}
		if len(fcs) != len(train) {
			return nil, fmt.Errorf("series: %s: %w: %d forecasts for %d series", f.Model.Name(), forecast.ErrBadForecast, len(fcs), len(train))
		}
		copy(out, fcs)
	}
	fcs, err := f.Short.Forecast(ctx, shortTrain, horizon, quantiles)
	if err != nil {
		return nil, err
	}
	if len(fcs) != len(shortTrain) {
		return nil, fmt.Errorf("series: %s: %w: %d forecasts for %d series", f.Short.Name(), forecast.ErrBadForecast, len(fcs), len(shortTrain))
	}
	for k, i := range short {
		out[i] = fcs[k]
		if f.Warn != nil {
			by := fcs[k].Model
			if by == "" {
				by = f.Short.Name()
			}
			rule := ""
			if f.Rule != "" {
				rule = " (" + f.Rule + ")"
			}
			f.Warn(train[i].ID, fmt.Sprintf("%d observed values, fewer than %d%s: forecast by %s instead of %s",
				train[i].Observed(), f.MinObserved, rule, by, f.Model.Name()))
		}
	}
	return out, nil
}
