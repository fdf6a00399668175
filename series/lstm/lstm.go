// The global LSTM forecaster (DeepAR, Salinas et al. 2020) over arkit's core
// engine: one network learns from windows of every series at once, each
// window scaled by the mean absolute value of its context's last season;
// inputs are the previous value, lagged values at the seasonal lags, an
// observed flag, the log scale, calendar features and optional covariates;
// the head is a Student-t (or Gaussian) likelihood of the scaled value's
// change from one season earlier (a seasonal naive forecast is the
// network's zero). This file holds the model's settings and its inputs;
// train.go trains it, forecast.go forecasts, file.go saves and loads it.

package lstm

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/arkit-go/arkit/core"
	"github.com/arkit-go/arkit/series/table"
)

// LSTM is a DeepAR-style global forecaster. Train returns a trained one,
// Load reads one; Forecast draws sample paths from it. As a
// forecast.Forecaster an LSTM is configured by its fields (the zero value
// works) and Forecast trains it first, with TrainOptions, when it is not
// trained for the series and horizon at hand.
type LSTM struct {
	TrainOptions // how Fit (and so Forecast) trains

	Paths int // sample paths per series (0: DefaultPaths)
	// Point is the point forecast: "median" (default) of the sample paths
	// at each step, or "path": one path that feeds back the predicted
	// distribution's mean instead of a draw.
	Point string
	// Negative lets forecasts of a series whose history is never negative
	// go below zero; by default such a series' draws are clamped at 0
	// before they are fed back, as counts, loads and prices cannot be.
	Negative bool

	// Net is the trained network (nil before training).
	Net  *core.Model
	spec lstmSpec
	// loaded: Net was read from a file (Load), so Forecast does not train
	// it again for other series.
	loaded bool
}

// lstmSpec is what a trained LSTM needs besides its weights; it is stored in
// the model file's metadata under arkit.series.
type lstmSpec struct {
	Horizon    int             `json:"horizon"`
	ScaleWin   int             `json:"scale_window,omitempty"`
	BaseLag    int             `json:"base_lag,omitempty"`
	Context    int             `json:"context"`
	Season     int             `json:"season"`
	Lags       []int           `json:"lags"`
	Freq       table.Frequency `json:"-"`
	FreqName   string          `json:"freq"`
	Calendar   []string        `json:"calendar"`
	IDs        []string        `json:"ids"`
	LogScaleMu float64         `json:"log_scale_mean"`
	LogScaleSd float64         `json:"log_scale_std"`
	Covariates []string        `json:"covariates"`
	CovMu      []float64       `json:"covariate_mean"`
	CovSd      []float64       `json:"covariate_std"`
	calendar   []table.CalendarFeature
	ids        map[string]int // IDs by position, made on first use
}

// index returns the position of series id in the training set.
func (sp *lstmSpec) index(id string) (int, bool) {
	if sp.ids == nil {
		sp.ids = make(map[string]int, len(sp.IDs))
		for i, s := range sp.IDs {
			sp.ids[s] = i
		}
	}
	i, ok := sp.ids[id]
	return i, ok
}

// Name implements Forecaster.
func (l *LSTM) Name() string { return "lstm" }

// ErrTooShort is returned when no series is long enough to train on.
var ErrTooShort = errors.New("series too short")

func (l *LSTM) defaults(train []table.Series, horizon int) (lstmSpec, error) {
	var sp lstmSpec
	if horizon <= 0 {
		return sp, fmt.Errorf("series: lstm: horizon %d must be positive", horizon)
	}
	if len(train) == 0 {
		return sp, fmt.Errorf("series: lstm: no series to train on")
	}
	sp.Horizon = horizon
	sp.Freq = train[0].Freq
	sp.FreqName = sp.Freq.String()
	sp.Season = l.Season
	if sp.Season <= 0 {
		sp.Season = table.M4SeasonalPeriod(sp.Freq)
	}
	sp.ScaleWin = l.ScaleWindow
	if sp.ScaleWin == 0 {
		sp.ScaleWin = max(sp.Season, 4)
	}
	sp.Context = l.Context
	if sp.Context <= 0 {
		sp.Context = min(2*max(horizon, sp.Season), 500)
	}
	sp.Lags = l.Lags
	if sp.Lags == nil {
		sp.Lags = defaultLags(sp.Season, sp.Freq)
	}
	sp.BaseLag = l.BaseLag
	if sp.BaseLag == 0 && sp.Season > 1 {
		sp.BaseLag = sp.Season
	}
	sp.BaseLag = max(sp.BaseLag, 0)
	for _, L := range sp.Lags {
		if L < 1 {
			return sp, fmt.Errorf("series: lstm: lag %d must be at least 1", L)
		}
	}
	if train[0].Times != nil {
		sp.calendar = table.CalendarFeatures(sp.Freq)
		for _, c := range sp.calendar {
			sp.Calendar = append(sp.Calendar, c.String())
		}
	}
	for _, s := range train {
		sp.IDs = append(sp.IDs, s.ID)
	}
	sp.Covariates = l.Covariates
	return sp, nil
}

// defaultLags returns the lags around one, two and three seasons (and a
// week, for hourly data), besides 2 and 3 steps. When the scoring season m
// is 1 (M4 scores weekly data so), the calendar's own period still gives
// the lags: a weekly series' value a year ago matters.
func defaultLags(m int, f table.Frequency) []int {
	if m <= 1 {
		m = f.SeasonalPeriod()
	}
	set := map[int]bool{2: true, 3: true}
	if m > 1 {
		for k := 1; k <= 3; k++ {
			for d := -1; d <= 1; d++ {
				if k*m+d > 1 {
					set[k*m+d] = true
				}
			}
		}
	}
	if f.Unit == table.Hour && f.Every <= 1 {
		set[167], set[168], set[169], set[336] = true, true, true, true
	}
	var lags []int
	for L := range set {
		lags = append(lags, L)
	}
	sort.Ints(lags)
	return lags
}

// featureDim is the width of the per-step input vector.
func (sp *lstmSpec) featureDim() int {
	return 3 + len(sp.Lags) + len(sp.calendar) + len(sp.Covariates)
}

// base returns what the network's output is added to for the value at
// y[yt], in units of the scale nu: 0 without a BaseLag, else the value
// BaseLag steps earlier, or the previous one where that is unknown.
func (sp *lstmSpec) base(y []float64, yt int, nu float64) float64 {
	if sp.BaseLag == 0 {
		return 0
	}
	for _, k := range []int{yt - sp.BaseLag, yt - 1} {
		if k >= 0 && k < len(y) && !math.IsNaN(y[k]) {
			return y[k] / nu
		}
	}
	return 0
}

// maxLag is the deepest look-back of the inputs.
func (sp *lstmSpec) maxLag() int {
	m := max(1, sp.BaseLag)
	for _, L := range sp.Lags {
		m = max(m, L)
	}
	return m
}

// scale returns the scale of a window whose context ends before step end.
func (sp *lstmSpec) scale(y []float64, end int) float64 {
	w := sp.Context
	if sp.ScaleWin > 0 {
		w = min(w, sp.ScaleWin) // the level near the origin: scaled values end near 1
	}
	return scaleOf(y, end-w, end)
}

// scaleOf returns the mean absolute observed value of y over [a, b) (clipped
// to the series), falling back to the whole prefix, then to 1.
func scaleOf(y []float64, a, b int) float64 {
	// b < 0 when a training window of a series shorter than the horizon
	// starts before the series: its context holds no value.
	b = max(0, min(b, len(y)))
	a = min(max(a, 0), b)
	for _, rng := range [][2]int{{a, b}, {0, b}} {
		s, n := 0.0, 0
		for _, v := range y[rng[0]:rng[1]] {
			if !math.IsNaN(v) {
				s += math.Abs(v)
				n++
			}
		}
		if n > 0 && s > 0 {
			return s / float64(n)
		}
	}
	return 1
}

// input writes the features of step t (absolute: it indexes times and
// covs) of a series with scale nu. y holds known values (NaN for missing),
// step t's value sitting at y[yt]; values before y[0] are unknown. times,
// when not nil, covers step t; covs holds the covariate columns.
func (sp *lstmSpec) input(dst []float32, y []float64, yt, t int, nu float64, times []time.Time, covs [][]float64) {
	at := func(lag int) (float64, bool) {
		k := yt - lag
		if k < 0 || k >= len(y) || math.IsNaN(y[k]) {
			return 0, false
		}
		return y[k] / nu, true
	}
	v, ok := at(1)
	dst[0] = clampFeature(v)
	dst[1] = 0
	if ok {
		dst[1] = 1
	}
	dst[2] = float32((math.Log(nu) - sp.LogScaleMu) / sp.LogScaleSd)
	i := 3
	for _, L := range sp.Lags {
		v, _ := at(L)
		dst[i] = clampFeature(v)
		i++
	}
	if len(sp.calendar) > 0 && times != nil {
		for _, c := range sp.calendar {
			dst[i] = float32(c.At(times[t]))
			i++
		}
	}
	for k := range sp.Covariates {
		v := 0.0
		if t >= 0 && t < len(covs[k]) && !math.IsNaN(covs[k][t]) {
			v = (covs[k][t] - sp.CovMu[k]) / sp.CovSd[k]
		}
		dst[i] = clampFeature(v)
		i++
	}
}

func clampFeature(v float64) float32 {
	return float32(math.Max(-1e3, math.Min(1e3, v)))
}

// covariates extracts the model's covariate columns of s, erroring on a
// missing one.
func (sp *lstmSpec) covariates(s table.Series) ([][]float64, error) {
	out := make([][]float64, len(sp.Covariates))
	for k, name := range sp.Covariates {
		c, ok := s.Covariates[name]
		if !ok {
			return nil, fmt.Errorf("series: lstm: series %q has no covariate %q", s.ID, name)
		}
		out[k] = c
	}
	return out, nil
}

func orInt(v, d int) int {
	if v == 0 {
		return d
	}
	return v
}

func meanStd(x []float64) (float64, float64) {
	if len(x) == 0 {
		return 0, 1
	}
	var s, ss float64
	for _, v := range x {
		s += v
	}
	mu := s / float64(len(x))
	for _, v := range x {
		ss += (v - mu) * (v - mu)
	}
	sd := math.Sqrt(ss / float64(len(x)))
	if sd < 1e-8 {
		sd = 1
	}
	return mu, sd
}
