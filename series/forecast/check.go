// Checks: of a forecast request from a user (horizon, quantile levels) and
// of what a model returned, and the helpers that add and select quantile
// levels.

package forecast

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/arkit-go/arkit/series/table"
)

// ErrBadForecast is returned (wrapped) when a model's output does not fit
// the request.
var ErrBadForecast = errors.New("bad forecast")

func Check(name string, train []table.Series, fcs []Forecast, h int) error {
	if len(fcs) != len(train) {
		return fmt.Errorf("series: backtest: model %s: %w: %d forecasts for %d series", name, ErrBadForecast, len(fcs), len(train))
	}
	for i := range fcs {
		f := &fcs[i]
		if len(f.Mean) != h {
			return fmt.Errorf("series: backtest: model %s: %w: series %q has %d steps, want %d", name, ErrBadForecast, train[i].ID, len(f.Mean), h)
		}
		for _, v := range f.Mean {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("series: backtest: model %s: %w: series %q has a non-finite mean", name, ErrBadForecast, train[i].ID)
			}
		}
		if f.Point != nil && len(f.Point) != h {
			return fmt.Errorf("series: backtest: model %s: %w: series %q has a point forecast of %d steps, want %d", name, ErrBadForecast, train[i].ID, len(f.Point), h)
		}
		for _, v := range f.Point {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("series: backtest: model %s: %w: series %q has a non-finite point forecast", name, ErrBadForecast, train[i].ID)
			}
		}
		if len(f.Quantiles) != len(f.Levels) {
			return fmt.Errorf("series: backtest: model %s: %w: series %q has %d levels but %d quantile paths", name, ErrBadForecast, train[i].ID, len(f.Levels), len(f.Quantiles))
		}
		for _, q := range f.Quantiles {
			if len(q) != h {
				return fmt.Errorf("series: backtest: model %s: %w: series %q has a quantile path of %d steps, want %d", name, ErrBadForecast, train[i].ID, len(q), h)
			}
		}
		for _, p := range f.Paths {
			if len(p) != h {
				return fmt.Errorf("series: backtest: model %s: %w: series %q has a sample path of %d steps, want %d", name, ErrBadForecast, train[i].ID, len(p), h)
			}
		}
	}
	return nil
}

// MaxHorizon is the longest horizon CheckHorizon accepts.
const MaxHorizon = 100000

// CheckHorizon returns an error unless horizon is at least 1, at most
// MaxHorizon and at most 10 times the longest series of data: beyond that
// a forecast says nothing and only costs memory (10 × the history is far
// past any useful horizon, yet leaves room for short series).
func CheckHorizon(horizon int, data []table.Series) error {
	if horizon < 1 {
		return fmt.Errorf("series: %w (got %d)", ErrHorizon, horizon)
	}
	longest := 0
	for _, s := range data {
		longest = max(longest, s.Len())
	}
	if horizon > MaxHorizon || horizon > 10*longest {
		return fmt.Errorf("series: horizon %d is too long: at most %d steps and at most 10 times the longest series (%d points)", horizon, MaxHorizon, longest)
	}
	return nil
}

// CheckQuantiles returns an error unless every level is in (0, 1) and
// none repeats.
func CheckQuantiles(levels []float64) error {
	for i, l := range levels {
		if !(l > 0 && l < 1) {
			return fmt.Errorf("series: quantile level %v is not in (0, 1)", l)
		}
		if slices.Contains(levels[:i], l) {
			return fmt.Errorf("series: quantile level %v requested twice", l)
		}
	}
	return nil
}

// ParseLevels reads a comma-separated list of quantile levels, as the
// command line (--quantiles) and the HTTP API write them; empty items are
// skipped. It checks only that each item is a number: CheckQuantiles
// checks the levels.
func ParseLevels(list string) ([]float64, error) {
	var out []float64
	for _, p := range strings.Split(list, ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		v, err := strconv.ParseFloat(p, 64)
		if err != nil {
			return nil, fmt.Errorf("%q is not a number", p)
		}
		out = append(out, v)
	}
	return out, nil
}

// MergeLevels returns the levels of a and then those of b not in a (to
// within 1e-9).
func MergeLevels(a, b []float64) []float64 {
	out := slices.Clone(a)
	for _, l := range b {
		if !slices.ContainsFunc(out, func(v float64) bool { return math.Abs(v-l) < 1e-9 }) {
			out = append(out, l)
		}
	}
	return out
}

// SelectLevels returns copies of fcs that keep only the given quantile
// levels, in that order; every forecast must have them.
func SelectLevels(fcs []Forecast, levels []float64) ([]Forecast, error) {
	out := make([]Forecast, len(fcs))
	for i, f := range fcs {
		g := f
		g.Levels = slices.Clone(levels)
		g.Quantiles = make([][]float64, len(levels))
		for j, l := range levels {
			if g.Quantiles[j] = f.Quantile(l); g.Quantiles[j] == nil {
				return nil, fmt.Errorf("series: forecast of %q has no quantile %v", f.ID, l)
			}
		}
		out[i] = g
	}
	return out, nil
}
