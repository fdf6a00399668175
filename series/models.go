// Models by name and the checks a forecast request from a user goes
// through: what the arkit command needs besides the models themselves.

package series

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/arkit-go/arkit/core"
)

// ModelNames lists the models NewForecaster makes, the LSTM first.
var ModelNames = []string{"lstm", "naive", "naive2", "snaive", "drift", "ar", "ets", "theta"}

// ErrUnknownModel is returned (wrapped) for a model name not in
// ModelNames.
var ErrUnknownModel = errors.New("unknown model")

// NewForecaster returns the model called name with its default settings
// and the given seasonal period (0: each series' default) and seed. "lstm"
// gives a *LSTM for the caller to configure further.
func NewForecaster(name string, season int, seed uint64) (Forecaster, error) {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "lstm":
		return &LSTM{Season: season, Seed: seed}, nil
	case "naive":
		return Naive{}, nil
	case "naive2":
		return Naive2{Period: season}, nil
	case "snaive":
		return SeasonalNaive{Period: season}, nil
	case "drift":
		return Drift{}, nil
	case "ar":
		return AR{}, nil
	case "ets":
		return ETS{Period: season, Seed: seed}, nil
	case "theta":
		return Theta{Period: season}, nil
	}
	return nil, fmt.Errorf("series: %w %q (choose from %s)", ErrUnknownModel, name, strings.Join(ModelNames, ", "))
}

// MaxHorizon is the longest horizon CheckHorizon accepts.
const MaxHorizon = 100000

// CheckHorizon returns an error unless horizon is at least 1, at most
// MaxHorizon and at most 10 times the longest series of data: beyond that
// a forecast says nothing and only costs memory (10 × the history is far
// past any useful horizon, yet leaves room for short series).
func CheckHorizon(horizon int, data []Series) error {
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

// PlotLevels are the quantile levels the forecast plots draw: the median
// and the 80% and 95% bands.
var PlotLevels = []float64{0.025, 0.1, 0.5, 0.9, 0.975}

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

// LossCurve collects the smoothed training loss of one training run from
// core.Progress reports: Loss[i] is the loss after step i+1.
type LossCurve struct {
	Loss []float64
}

// Record is a core.Trainer Progress callback.
func (c *LossCurve) Record(p core.Progress) {
	if p.Step < 1 {
		return
	}
	for len(c.Loss) < p.Step-1 {
		c.Loss = append(c.Loss, math.NaN())
	}
	if len(c.Loss) >= p.Step {
		c.Loss[p.Step-1] = p.AvgLoss
		return
	}
	c.Loss = append(c.Loss, p.AvgLoss)
}

// LoadLSTMFor reads a model saved by LSTM.Save and checks that it can
// forecast data at horizon as it is, without training again: it must have
// been trained for that horizon on series with the same IDs, in the same
// order, and have the covariates it takes.
func LoadLSTMFor(path string, data []Series, horizon int) (*LSTM, error) {
	l, err := LoadLSTM(path)
	if err != nil {
		return nil, err
	}
	sp := &l.spec
	if sp.Horizon != horizon {
		return nil, fmt.Errorf("series: %s was trained for horizon %d, not %d", path, sp.Horizon, horizon)
	}
	if !slices.Equal(sp.IDs, ids(data)) {
		return nil, fmt.Errorf("series: %s was trained on %d series (%s), not on these %d (%s)", path,
			len(sp.IDs), idList(sp.IDs), len(data), idList(ids(data)))
	}
	for _, s := range data {
		for _, c := range sp.Covariates {
			if _, ok := s.Covariates[c]; !ok {
				return nil, fmt.Errorf("series: %s takes covariate %q, which series %q lacks", path, c, s.ID)
			}
		}
	}
	return l, nil
}

// idList names a few IDs for an error message.
func idList(ids []string) string {
	if len(ids) > 3 {
		return strings.Join(ids[:3], ", ") + ", ..."
	}
	return strings.Join(ids, ", ")
}
