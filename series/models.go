// Models by name and the training-loss curve: what the jobs need
// besides the models themselves.

package series

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/arkit-go/arkit/core"
	"github.com/arkit-go/arkit/series/classical"
	"github.com/arkit-go/arkit/series/forecast"
	"github.com/arkit-go/arkit/series/lstm"
)

// ModelNames lists the models NewForecaster makes, the LSTM first.
var ModelNames = []string{"lstm", "naive", "naive2", "snaive", "drift", "ar", "ets", "theta", "arima", "auto"}

// ErrUnknownModel is returned (wrapped) for a model name not in
// ModelNames.
var ErrUnknownModel = errors.New("unknown model")

// NewForecaster returns the model called name with its default settings
// and the given seasonal period (0: each series' default) and seed. "lstm"
// gives a *LSTM for the caller to configure further.
func NewForecaster(name string, season int, seed uint64) (forecast.Forecaster, error) {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "lstm":
		l := &lstm.LSTM{}
		l.Season, l.Seed = season, seed
		return l, nil
	case "naive":
		return classical.Naive{}, nil
	case "naive2":
		return classical.Naive2{Period: season}, nil
	case "snaive":
		return classical.SeasonalNaive{Period: season}, nil
	case "drift":
		return classical.Drift{}, nil
	case "ar":
		return classical.AR{}, nil
	case "ets":
		return classical.ETS{Period: season, Seed: seed}, nil
	case "theta":
		return classical.Theta{Period: season}, nil
	case "arima":
		return classical.ARIMA{Period: season}, nil
	case "auto":
		return classical.Auto{Period: season, Seed: seed}, nil
	}
	return nil, fmt.Errorf("series: %w %q (choose from %s)", ErrUnknownModel, name, strings.Join(ModelNames, ", "))
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
