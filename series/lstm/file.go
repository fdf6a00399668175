// The LSTM's file: Train writes the network, its input specification and
// the training state to a safetensors file through core's harness; Load
// reads it back, LoadFor also checks that it can forecast the series at
// hand (any of the series it was trained on, in any order).

package lstm

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/arkit-go/arkit/core"
	"github.com/arkit-go/arkit/series/table"
)

// MetaSpec is the metadata key of the network's input specification.
const MetaSpec = "arkit.series"

// meta returns the metadata of the model file.
func (l *LSTM) meta() map[string]string {
	b, err := json.Marshal(l.spec)
	if err != nil {
		panic("series: lstm: " + err.Error()) // a spec of numbers and strings always marshals
	}
	return map[string]string{core.MetaDomain: Domain, MetaSpec: string(b)}
}

// Load reads a model written by Train.
func Load(path string) (*LSTM, error) { return core.LoadBest(path, "series", fromCheckpoint) }

// fromCheckpoint builds the LSTM of a loaded model file (its network shared
// with ck).
func fromCheckpoint(ck *core.Checkpoint, path string) (*LSTM, error) {
	if d := ck.Meta[core.MetaDomain]; d != Domain {
		return nil, fmt.Errorf("series: %s is a %q model, not a series model", path, d)
	}
	if ck.Model == nil {
		return nil, fmt.Errorf("series: %s: not a single LSTM model", path)
	}
	var sp lstmSpec
	if err := json.Unmarshal([]byte(ck.Meta[MetaSpec]), &sp); err != nil {
		return nil, fmt.Errorf("series: %s: %s metadata: %v", path, MetaSpec, err)
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
		return nil, fmt.Errorf("series: %s: %s metadata does not match the network", path, MetaSpec)
	}
	l := &LSTM{Net: ck.Model, spec: sp, loaded: true}
	l.Context, l.Season, l.Lags, l.Covariates = sp.Context, sp.Season, sp.Lags, sp.Covariates
	return l, nil
}

func calendarByName(name string) (table.CalendarFeature, bool) {
	for c := table.CalendarFeature(0); c < 32; c++ {
		if c.String() == name {
			return c, true
		}
	}
	return 0, false
}

// LoadFor reads a model written by Train and checks that it can forecast
// data at horizon as it is, without training again: it must have been
// trained for that horizon, the series must have the covariates it takes,
// and a network that embeds series identities serves only series it was
// trained on (any of them, in any order).
func LoadFor(path string, data []table.Series, horizon int) (*LSTM, error) {
	l, err := Load(path)
	if err != nil {
		return nil, err
	}
	if err := l.fits(path, data, horizon); err != nil {
		return nil, err
	}
	return l, nil
}

// fits checks that the model read from path serves data at horizon.
func (l *LSTM) fits(path string, data []table.Series, horizon int) error {
	sp := &l.spec
	if sp.Horizon != horizon {
		return fmt.Errorf("series: %s was trained for horizon %d, not %d", path, sp.Horizon, horizon)
	}
	for _, s := range data {
		if _, ok := sp.index(s.ID); !ok && l.Net.Config().Vocab > 0 {
			return fmt.Errorf("series: %s was trained on %d series (%s), not on series %q: the network embeds series identities", path,
				len(sp.IDs), idList(sp.IDs), s.ID)
		}
		for _, c := range sp.Covariates {
			if _, ok := s.Covariates[c]; !ok {
				return fmt.Errorf("series: %s takes covariate %q, which series %q lacks", path, c, s.ID)
			}
		}
	}
	return nil
}

// idList names a few IDs for an error message.
func idList(ids []string) string {
	if len(ids) > 3 {
		return strings.Join(ids[:3], ", ") + ", ..."
	}
	return strings.Join(ids, ", ")
}
