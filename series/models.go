// Models by name and the training-loss curve: what the jobs need
// besides the models themselves.

package series

import (
	"errors"
	"fmt"
	"math"
	"slices"
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

// autoCandidates checks the candidates named for the auto method: names
// from classical.AutoCandidates, "ar", and "lstm" (the global LSTM with
// its combinations). It returns the local ones, for classical.Auto's
// Candidates, and whether the LSTM is one. No names mean the defaults:
// classical.AutoCandidates (local nil) and the LSTM.
func autoCandidates(names []string) (local []string, withLSTM bool, err error) {
	if len(names) == 0 {
		return nil, true, nil
	}
	known := slices.Concat(classical.AutoCandidates, []string{"ar", "lstm"})
	seen := map[string]bool{}
	for _, n := range names {
		n = strings.ToLower(strings.TrimSpace(n))
		switch {
		case !slices.Contains(known, n):
			return nil, false, fmt.Errorf("unknown candidate %q (choose from %s)", n, strings.Join(known, ", "))
		case seen[n]:
			return nil, false, fmt.Errorf("%s named twice", n)
		}
		seen[n] = true
		if n == "lstm" {
			withLSTM = true
		} else {
			local = append(local, n)
		}
	}
	if len(local) == 0 {
		return nil, false, errors.New("names no local method for auto to choose from beside the lstm (for the network alone, use the lstm method)")
	}
	return local, withLSTM, nil
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
