// Backtest: hold-out and rolling-origin evaluation of any Forecaster,
// with scores averaged over series as the M4 competition does and OWA
// measured against Naive2.

package eval

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"slices"

	"github.com/arkit-go/arkit/series/classical"
	"github.com/arkit-go/arkit/series/forecast"
	"github.com/arkit-go/arkit/series/table"
)

// Split is one cut of a set of series into what a model sees (Train) and
// what it must forecast (Test), series by series in the same order. A
// train series' Covariates run on into the test period, as a Forecaster
// needs them to (the future of a covariate is taken as known).
type Split struct {
	Train, Test []table.Series
}

// HoldOut keeps the last horizon points of every series for testing.
func HoldOut(data []table.Series, horizon int) (Split, error) {
	s, err := RollingOrigin(data, horizon, 1, horizon)
	if err != nil {
		return Split{}, err
	}
	return s[0], nil
}

// RollingOrigin returns origins splits, oldest first: the last one holds
// out the final horizon points, each earlier one ends step points sooner.
// Every series must keep at least one observed training value at the
// earliest origin.
func RollingOrigin(data []table.Series, horizon, origins, step int) ([]Split, error) {
	if horizon < 1 {
		return nil, fmt.Errorf("series: backtest: %w (got %d)", forecast.ErrHorizon, horizon)
	}
	if origins < 1 || step < 1 {
		return nil, fmt.Errorf("series: backtest: need origins >= 1 and step >= 1 (got %d, %d)", origins, step)
	}
	if len(data) == 0 {
		return nil, fmt.Errorf("series: backtest: %w: no series", table.ErrEmpty)
	}
	splits := make([]Split, origins)
	for o := range splits {
		back := (origins - 1 - o) * step
		sp := Split{Train: make([]table.Series, len(data)), Test: make([]table.Series, len(data))}
		for i, s := range data {
			cut := s.Len() - horizon - back
			if cut < 1 || s.Slice(0, cut).Observed() == 0 {
				return nil, fmt.Errorf("series: backtest: series %q has %d points, too few for horizon %d with %d origins %d apart",
					s.ID, s.Len(), horizon, origins, step)
			}
			sp.Train[i] = trainPart(s, cut, horizon)
			sp.Test[i] = s.Slice(cut, cut+horizon)
		}
		splits[o] = sp
	}
	return splits, nil
}

// trainPart returns the first cut points of s, its covariates running on
// horizon points further (as far as they go).
func trainPart(s table.Series, cut, horizon int) table.Series {
	out := s.Slice(0, cut)
	for k, c := range s.Covariates {
		out.Covariates[k] = c[:min(len(c), cut+horizon):min(len(c), cut+horizon)]
	}
	return out
}

// Score is the accuracy of one model, each figure averaged over the scored
// forecasts (series times origins) where it is defined. JSON encodes an
// undefined (NaN) figure as null.
type Score struct {
	Model string `json:"model"`
	// SMAPE and MASE are the M4 definitions (percent; scaled by the
	// in-sample seasonal naive error). They, MAE and RMSE score the point
	// forecast (Forecast.PointForecast).
	SMAPE float64 `json:"smape"`
	MASE  float64 `json:"mase"`
	MAE   float64 `json:"mae"`
	RMSE  float64 `json:"rmse"`
	// Coverage80 is the share of actual values inside the 10%-90%
	// quantile interval (ideal 0.8); Coverage95 likewise for 2.5%-97.5%.
	Coverage80 float64 `json:"coverage_80"`
	// OWA is 0.5*(SMAPE/SMAPE_naive2 + MASE/MASE_naive2) on the averages.
	OWA        float64 `json:"owa"`
	Coverage95 float64 `json:"coverage_95"`
	// MSIS is the M4 mean scaled interval score of the 95% interval.
	MSIS float64 `json:"msis"`
	// CRPS comes from the sample paths when a forecast has them, else
	// from the quantiles (QuantileCRPS over levels 0.05, 0.10, ..., 0.95).
	CRPS float64 `json:"crps"`
	// Forecasts counts the series forecasts scored (series x origins).
	Forecasts int `json:"forecasts"`
}

type scoreJSON struct {
	Model      string   `json:"model"`
	SMAPE      *float64 `json:"smape"`
	MASE       *float64 `json:"mase"`
	MAE        *float64 `json:"mae"`
	RMSE       *float64 `json:"rmse"`
	Coverage80 *float64 `json:"coverage_80"`
	OWA        *float64 `json:"owa"`
	Coverage95 *float64 `json:"coverage_95"`
	MSIS       *float64 `json:"msis"`
	CRPS       *float64 `json:"crps"`
	Forecasts  int      `json:"forecasts"`
}

func (s *Score) fields() []*float64 {
	return []*float64{&s.SMAPE, &s.MASE, &s.MAE, &s.RMSE, &s.Coverage80, &s.OWA, &s.Coverage95, &s.MSIS, &s.CRPS}
}

func (j *scoreJSON) fields() []**float64 {
	return []**float64{&j.SMAPE, &j.MASE, &j.MAE, &j.RMSE, &j.Coverage80, &j.OWA, &j.Coverage95, &j.MSIS, &j.CRPS}
}

// MarshalJSON implements json.Marshaler, writing NaN and infinities as
// null.
func (s Score) MarshalJSON() ([]byte, error) {
	j := scoreJSON{Model: s.Model, Forecasts: s.Forecasts}
	for i, p := range s.fields() {
		if v := *p; !math.IsNaN(v) && !math.IsInf(v, 0) {
			*j.fields()[i] = &v
		}
	}
	return json.Marshal(j)
}

// UnmarshalJSON implements json.Unmarshaler; null reads as NaN.
func (s *Score) UnmarshalJSON(b []byte) error {
	var j scoreJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*s = Score{Model: j.Model, Forecasts: j.Forecasts}
	for i, p := range j.fields() {
		*s.fields()[i] = math.NaN()
		if *p != nil {
			*s.fields()[i] = **p
		}
	}
	return nil
}

// Backtest evaluates forecasters on held-out data.
type Backtest struct {
	// Horizon is the number of steps forecast. Run needs it; Evaluate
	// takes the longest test series when it is 0.
	Horizon int
	// Origins is the number of forecast origins (0 means 1: a plain
	// hold-out); Step is the distance between them (0 means Horizon).
	Origins, Step int
	// Period is the seasonal period of MASE, MSIS and the Naive2
	// reference; 0 takes each series' Freq.SeasonalPeriod().
	Period int
	// Levels are quantile levels requested on top of the ones the scores
	// need (0.025, 0.05, 0.1, ..., 0.95, 0.975).
	Levels []float64
}

// BacktestResult holds the scores and the forecasts of the last origin.
type BacktestResult struct {
	// Scores has one entry per model, in the order given.
	Scores []Score
	// Reference is the Naive2 score the OWA is relative to.
	Reference Score
	// Forecasts[i] are model i's forecasts at the last origin.
	Forecasts [][]forecast.Forecast
	// Last is the last origin's split.
	Last Split
}

// Run cuts data into rolling origins and evaluates the models on them.
func (b Backtest) Run(ctx context.Context, data []table.Series, models ...forecast.Forecaster) (*BacktestResult, error) {
	origins, step := b.Origins, b.Step
	if origins == 0 {
		origins = 1
	}
	if step == 0 {
		step = b.Horizon
	}
	splits, err := RollingOrigin(data, b.Horizon, origins, step)
	if err != nil {
		return nil, err
	}
	return b.Evaluate(ctx, splits, models...)
}

// scoreLevels returns the levels the scores need merged with extra ones.
func scoreLevels(extra []float64) []float64 {
	lv := []float64{0.025, 0.975}
	for i := 1; i <= 19; i++ {
		lv = append(lv, float64(i)/20)
	}
	for _, l := range extra {
		if !slices.ContainsFunc(lv, func(v float64) bool { return math.Abs(v-l) < 1e-9 }) {
			lv = append(lv, l)
		}
	}
	slices.Sort(lv)
	return lv
}

// Evaluate forecasts every split's test part from its train part with each
// model (and Naive2 as the OWA reference) and scores the forecasts: sMAPE,
// MASE, MAE and RMSE score each forecast's PointForecast, the intervals
// and CRPS its quantiles or sample paths. A model must return one forecast
// per series with Horizon finite means (and points, when it sets Point).
func (b Backtest) Evaluate(ctx context.Context, splits []Split, models ...forecast.Forecaster) (*BacktestResult, error) {
	if len(splits) == 0 {
		return nil, fmt.Errorf("series: backtest: %w: no splits", table.ErrEmpty)
	}
	h := b.Horizon
	for _, sp := range splits {
		if len(sp.Train) != len(sp.Test) {
			return nil, fmt.Errorf("series: backtest: %d train series but %d test series", len(sp.Train), len(sp.Test))
		}
		for i := range sp.Train {
			if sp.Train[i].ID != sp.Test[i].ID {
				return nil, fmt.Errorf("series: backtest: train series %d is %q but test series is %q", i+1, sp.Train[i].ID, sp.Test[i].ID)
			}
			if b.Horizon == 0 {
				h = max(h, sp.Test[i].Len())
			} else if sp.Test[i].Len() > b.Horizon {
				return nil, fmt.Errorf("series: backtest: test series %q has %d points, more than the horizon %d", sp.Test[i].ID, sp.Test[i].Len(), b.Horizon)
			}
		}
	}
	if h < 1 {
		return nil, fmt.Errorf("series: backtest: %w", forecast.ErrHorizon)
	}
	if b.Period < 0 {
		return nil, fmt.Errorf("series: backtest: negative seasonal period %d", b.Period)
	}
	levels := scoreLevels(b.Levels)
	all := append(slices.Clone(models), classical.Naive2{Period: b.Period})
	acc := make([]scoreAcc, len(all))
	res := &BacktestResult{Forecasts: make([][]forecast.Forecast, len(models)), Last: splits[len(splits)-1]}
	for si, sp := range splits {
		for mi, m := range all {
			fcs, err := m.Forecast(ctx, sp.Train, h, levels)
			if err != nil {
				return nil, fmt.Errorf("series: backtest: model %s: %w", m.Name(), err)
			}
			if err := forecast.Check(m.Name(), sp.Train, fcs, h); err != nil {
				return nil, err
			}
			for i := range fcs {
				acc[mi].add(sp.Train[i], sp.Test[i], &fcs[i], b.Period)
			}
			if si == len(splits)-1 && mi < len(models) {
				res.Forecasts[mi] = fcs
			}
		}
	}
	ref := acc[len(all)-1].score(all[len(all)-1].Name())
	res.Reference = ref
	for mi, m := range models {
		s := acc[mi].score(m.Name())
		s.OWA = OWA(s.SMAPE, s.MASE, ref.SMAPE, ref.MASE)
		res.Scores = append(res.Scores, s)
	}
	res.Reference.OWA = 1
	return res, nil
}

// scoreAcc sums per-forecast metrics (each where finite).
type scoreAcc struct {
	sum [9]float64
	n   [9]int
	fcs int
}

// Indices into scoreAcc, in Score.fields order.
const (
	accSMAPE = iota
	accMASE
	accMAE
	accRMSE
	accCov80
	accOWA
	accCov95
	accMSIS
	accCRPS
)

func (a *scoreAcc) put(i int, v float64) {
	if !math.IsNaN(v) && !math.IsInf(v, 0) {
		a.sum[i] += v
		a.n[i]++
	}
}

func (a *scoreAcc) add(train, test table.Series, f *forecast.Forecast, period int) {
	a.fcs++
	m := period
	if m == 0 {
		m = train.Freq.SeasonalPeriod()
	}
	y := test.Values
	L := len(y)
	point := f.PointForecast()[:L]
	a.put(accSMAPE, SMAPE(y, point))
	a.put(accMASE, MASE(train.Values, y, point, m))
	a.put(accMAE, MAE(y, point))
	a.put(accRMSE, RMSE(y, point))
	if lo, hi := f.Interval(0.8); lo != nil {
		a.put(accCov80, Coverage(y, lo[:L], hi[:L]))
	}
	if lo, hi := f.Interval(0.95); lo != nil {
		a.put(accCov95, Coverage(y, lo[:L], hi[:L]))
		a.put(accMSIS, MSIS(train.Values, y, lo[:L], hi[:L], m, 0.05))
	}
	if len(f.Paths) > 0 {
		paths := make([][]float64, len(f.Paths))
		for i, p := range f.Paths {
			paths[i] = p[:L]
		}
		a.put(accCRPS, CRPS(paths, y))
		return
	}
	var lv []float64
	var qs [][]float64
	for i := 1; i <= 19; i++ {
		l := float64(i) / 20
		if q := f.Quantile(l); q != nil {
			lv = append(lv, l)
			qs = append(qs, q[:L])
		}
	}
	if len(lv) == 19 {
		a.put(accCRPS, QuantileCRPS(y, lv, qs))
	}
}

func (a *scoreAcc) score(name string) Score {
	s := Score{Model: name, Forecasts: a.fcs}
	for i, p := range s.fields() {
		*p = math.NaN()
		if a.n[i] > 0 {
			*p = a.sum[i] / float64(a.n[i])
		}
	}
	return s
}

// WithReference returns the scores followed by the Naive2 reference's,
// unless a model named naive2 is already among them.
func (r *BacktestResult) WithReference() []Score {
	out := slices.Clone(r.Scores)
	if !slices.ContainsFunc(out, func(s Score) bool { return s.Model == r.Reference.Model }) {
		out = append(out, r.Reference)
	}
	return out
}

// TrainTest pairs the series of a train set with those of a test set
// holding the values that follow them (as the M4 files do), by ID. Every
// train series must have a test series and the other way round.
func TrainTest(train, test *table.Dataset) (Split, error) {
	byID := make(map[string]int, len(test.Series))
	for i, s := range test.Series {
		byID[s.ID] = i
	}
	sp := Split{Train: train.Series, Test: make([]table.Series, len(train.Series))}
	for i, s := range train.Series {
		k, ok := byID[s.ID]
		if !ok {
			return Split{}, fmt.Errorf("series: %s has no series %q (it is in %s)", test.Source, s.ID, train.Source)
		}
		sp.Test[i] = test.Series[k]
		delete(byID, s.ID)
	}
	for id := range byID {
		return Split{}, fmt.Errorf("series: %s has no series %q (it is in %s)", train.Source, id, test.Source)
	}
	return sp, nil
}
