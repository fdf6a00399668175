// The LSTM's file: Save writes the network and its input specification
// to a safetensors file, Load reads it back, LoadFor also checks that it
// can forecast the series at hand.

package lstm

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/arkit-go/arkit/core"
	"github.com/arkit-go/arkit/series/table"
)

// Save writes the trained model to path (a safetensors file; see
// docs/format.md), with the trainer's state when tr is not nil.
func (l *LSTM) Save(path string, tr *core.Trainer) error {
	if l.net == nil {
		return fmt.Errorf("series: lstm: no trained model to save")
	}
	b, err := json.Marshal(l.spec)
	if err != nil {
		return err
	}
	return core.Save(path, l.net, map[string]string{core.MetaDomain: "series", "arkit.series": string(b)}, tr)
}

// Load reads a model saved by Save.
func Load(path string) (*LSTM, error) {
	ck, err := core.LoadModel(path)
	if err != nil {
		return nil, fmt.Errorf("series: %w", err)
	}
	if d := ck.Meta[core.MetaDomain]; d != "series" {
		return nil, fmt.Errorf("series: %s is a %q model, not a series model", path, d)
	}
	if ck.Model == nil {
		return nil, fmt.Errorf("series: %s: not a single LSTM model", path)
	}
	var sp lstmSpec
	if err := json.Unmarshal([]byte(ck.Meta["arkit.series"]), &sp); err != nil {
		return nil, fmt.Errorf("series: %s: arkit.series metadata: %v", path, err)
	}
	f, err := table.ParseFrequency(sp.FreqName)
	if err != nil && sp.FreqName != "" {
		return nil, fmt.Errorf("series: %s: frequency %q: %v", path, sp.FreqName, err)
	}
	sp.Freq = f
	for _, name := range sp.Calendar {
		c, ok := calendarByName(name)
		if !ok {
			return nil, fmt.Errorf("series: %s: unknown calendar feature %q", path, name)
		}
		sp.calendar = append(sp.calendar, c)
	}
	if sp.Horizon <= 0 || sp.Context <= 0 || sp.LogScaleSd <= 0 || len(sp.CovMu) != len(sp.Covariates) ||
		len(sp.CovSd) != len(sp.Covariates) || ck.Model.Config().Features != sp.featureDim() {
		return nil, fmt.Errorf("series: %s: arkit.series metadata does not match the network", path)
	}
	return &LSTM{net: ck.Model, spec: sp, Context: sp.Context, Season: sp.Season, Lags: sp.Lags, Covariates: sp.Covariates}, nil
}

func calendarByName(name string) (table.CalendarFeature, bool) {
	for c := table.CalendarFeature(0); c < 32; c++ {
		if c.String() == name {
			return c, true
		}
	}
	return 0, false
}

// LoadFor reads a model saved by LSTM.Save and checks that it can
// forecast data at horizon as it is, without training again: it must have
// been trained for that horizon on series with the same IDs, in the same
// order, and have the covariates it takes.
func LoadFor(path string, data []table.Series, horizon int) (*LSTM, error) {
	l, err := Load(path)
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
