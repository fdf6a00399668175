// Auto: pick a method for each series by rolling-origin cross-validation
// on its own history, among ETS, ARIMA, Theta, seasonal naive, drift and
// their combination (the median of ETS, ARIMA and Theta, M4's "Comb"
// idea), and, when given, a global model's forecasts made outside (the
// LSTM, which the series package trains) and their combinations.

package classical

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/arkit-go/arkit/series/forecast"
	"github.com/arkit-go/arkit/series/table"
)

// AutoCandidates are the methods Auto chooses from by default: "comb" is
// the step-wise median of the ets, arima and theta forecasts (and of
// their standard deviations).
var AutoCandidates = []string{"ets", "arima", "theta", "snaive", "drift", "comb"}

// autoOptional are candidates Auto knows but does not use unless asked:
// "ar" is AR's order-by-AIC autoregression (non-seasonal).
var autoOptional = []string{"ar"}

// Auto forecasts each series with the candidate method that had the
// lowest mean absolute error over Origins rolling forecast origins of the
// series' own history (the last Origins blocks of horizon points, each
// forecast from the points before it), refitted on the whole series.
// Ties go to the earlier candidate; Global adds a candidate made outside
// (the series package's global LSTM). A series too short for one origin
// (fewer than horizon + max(2m, 8) points) gets comb; a series too
// short for all Origins uses the origins it has. The forecast's
// Model says what was chosen, e.g. "ets: ETS(A,Ad,N)".
type Auto struct {
	// Period is the seasonal period; 0 takes each series' default.
	Period int
	// Origins is the number of cross-validation origins; 0 means 3 (on M4
	// Weekly 3 origins scored OWA 0.875 where 2 scored 0.890).
	Origins int
	// Candidates are names from AutoCandidates or "ar"; nil means
	// AutoCandidates. A single candidate is used without cross-validation.
	Candidates []string
	// Seed seeds ETS's simulated intervals.
	Seed uint64
	// Global, when not nil, adds a candidate made outside Auto by a
	// model that learns from every series at once, and its combinations
	// (see Global.Candidates), to Candidates (or to AutoCandidates when
	// Candidates is nil).
	Global *Global
	// Record, when not nil, is told each series' cross-validation scores
	// and choice. It is called from several goroutines at once.
	Record func(AutoScore)
}

// Global is a candidate of Auto whose forecasts were made outside it,
// e.g. by the global LSTM trained on every series' history before the
// earliest origin: Auto scores them on its own origins, with its own
// error, beside its own candidates.
type Global struct {
	// Name names the candidate, e.g. "lstm".
	Name string
	// Origins[i][o] is series i's point forecast of the horizon from
	// origin o (its first CVEnds(series, horizon)[o] values); a nil or
	// short Origins[i] leaves the global candidates out for series i.
	Origins [][][]float64
	// Final[i] is series i's forecast from its whole history; its point
	// forecast is the candidate's mean, and its sample paths, when
	// present, give the quantiles and the spread in combinations. Set it
	// with SetFinal to hold it without the paths.
	Final []forecast.Forecast

	// spread[i] is the spread of Final[i]'s paths at each step (sdAt),
	// kept by SetFinal when it drops them.
	spread [][]float64
}

// SetFinal sets Final[i] to fc without its sample paths, keeping what
// Auto takes from them: their quantiles at fc.Levels (Auto must be asked
// for the same levels) and their spread at each step, which the
// combinations use, so that the forecasts are the same as with the
// paths. The paths of every series, held until every series is fitted
// (200 paths of the lag window and the horizon per series), took auto's
// peak memory on 2,000 monthly series to 3.8 times ets's; without them
// it was 0.94 times (docs/benchmarks.md).
func (g *Global) SetFinal(i int, fc forecast.Forecast) {
	if fc.Paths != nil {
		if g.spread == nil {
			g.spread = make([][]float64, len(g.Final))
		}
		lf := localFit{mean: fc.PointForecast(), paths: fc.Paths}
		sd := make([]float64, len(lf.mean))
		for k := range sd {
			sd[k] = sdAt(lf, k)
		}
		g.spread[i] = sd
		fc.Quantiles = lf.quantiles(fc.Levels)
		fc.Paths = nil
	}
	g.Final[i] = fc
}

// Candidates returns the candidates g adds: its own forecast; Name+"-arima",
// the mean of it and ARIMA's; and Name+"-comb", the median of it, ETS's
// and Theta's (the "Comb" of M4 with the global model in ARIMA's place,
// the hybrid of a global network and local models that won M4).
func (g *Global) Candidates() []string {
	return []string{g.Name, g.Name + "-arima", g.Name + "-comb"}
}

// AutoScore is the cross-validation record of one series.
type AutoScore struct {
	Index int // the series' position in the request
	ID    string
	// Origins is the number of origins scored; 0 when the series is too
	// short for one (Chosen is then comb).
	Origins    int
	Candidates []string
	// MAE[k] is Candidates[k]'s mean absolute error over the origins'
	// steps; +Inf for a global candidate without forecasts for the
	// series.
	MAE    []float64
	Chosen string
}

var _ forecast.Forecaster = Auto{}

// Name returns "auto".
func (Auto) Name() string { return "auto" }

// Forecast implements Forecaster.
func (a Auto) Forecast(ctx context.Context, train []table.Series, horizon int, quantiles []float64) ([]forecast.Forecast, error) {
	cands := a.Candidates
	if cands == nil {
		cands = AutoCandidates
	}
	known := slices.Concat(AutoCandidates, autoOptional)
	if g := a.Global; g != nil {
		if g.Name == "" || slices.Contains(known, g.Name) || len(g.Origins) != len(train) || len(g.Final) != len(train) {
			return nil, fmt.Errorf("series: auto: global candidate %q with %d origin and %d final forecasts for %d series", g.Name, len(g.Origins), len(g.Final), len(train))
		}
		known = append(known, g.Candidates()...)
		cands = slices.Concat(cands, g.Candidates())
	}
	if len(cands) == 0 {
		return nil, fmt.Errorf("series: auto: no candidates")
	}
	for _, c := range cands {
		if !slices.Contains(known, c) {
			return nil, fmt.Errorf("series: auto: unknown candidate %q (choose from %s)", c, strings.Join(known, ", "))
		}
	}
	if a.Origins < 0 {
		return nil, fmt.Errorf("series: auto: negative Origins %d", a.Origins)
	}
	return forecastLocalAt(ctx, a.Name(), train, horizon, quantiles, a.Period, func(i int, y []float64, m, h int) localFit {
		return a.fit(i, train[i].ID, y, m, h, cands)
	})
}

// CVEnds returns the ends of the histories Auto forecasts s from in its
// cross-validation, the last origin first: its first len-(o+1)·horizon
// values for each origin o that leaves at least max(2m, 8) of them, m
// being the seasonal period.
func (a Auto) CVEnds(s table.Series, horizon int) []int {
	m := a.Period
	if m == 0 {
		m = s.Freq.SeasonalPeriod()
	}
	return a.cvEnds(len(s.Values), m, horizon)
}

func (a Auto) cvEnds(n, m, h int) []int {
	origins := a.Origins
	if origins == 0 {
		origins = 3
	}
	var ends []int
	for o := range origins {
		end := n - (o+1)*h
		if end < max(2*m, 8) {
			break
		}
		ends = append(ends, end)
	}
	return ends
}

// globalFit is the global candidate's fit of series i: from origin o, or
// the final forecast for o < 0; ok is false when it has none.
func (a Auto) globalFit(i, o int) (localFit, bool) {
	g := a.Global
	if o >= 0 {
		if o >= len(g.Origins[i]) || len(g.Origins[i][o]) == 0 {
			return localFit{}, false
		}
		return localFit{model: g.Name, mean: g.Origins[i][o]}, true
	}
	f := g.Final[i]
	lf := localFit{model: g.Name, mean: f.PointForecast(), paths: f.Paths}
	if f.Paths == nil && i < len(g.spread) && g.spread[i] != nil {
		lf.sd, lf.q, lf.qLevels = g.spread[i], f.Quantiles, f.Levels
	}
	return lf, true
}

// candidateFit fits the named candidate; i is the series' index (for a
// global candidate, whose final forecast it takes).
func (a Auto) candidateFit(i int, name string, y []float64, m, h int) localFit {
	if g := a.Global; g != nil {
		switch name {
		case g.Name:
			lf, _ := a.globalFit(i, -1)
			return lf
		case g.Name + "-arima":
			lf, _ := a.globalFit(i, -1)
			return average(lf, arimaFitFunc(y, m, h))
		case g.Name + "-comb":
			lf, _ := a.globalFit(i, -1)
			return combine(lf, a.candidateFit(i, "ets", y, m, h), thetaFit(y, m, h))
		}
	}
	switch name {
	case "ets":
		return ETS{Seed: a.Seed}.fit(y, m, h, nil)
	case "arima":
		return arimaFitFunc(y, m, h)
	case "theta":
		return thetaFit(y, m, h)
	case "snaive":
		return snaiveFit(y, m, h)
	case "drift":
		return driftFit(y, h)
	case "ar":
		return arFit(y, 0, h)
	}
	return combine(a.candidateFit(i, "ets", y, m, h), arimaFitFunc(y, m, h), thetaFit(y, m, h))
}

// average returns the step-wise mean of two fits' means and standard
// deviations.
func average(f, g localFit) localFit {
	h := len(f.mean)
	lf := localFit{model: "mean of " + f.model + ", " + g.model, mean: make([]float64, h), sd: make([]float64, h)}
	for k := range h {
		lf.mean[k] = (f.mean[k] + g.mean[k]) / 2
		lf.sd[k] = (sdAt(f, k) + sdAt(g, k)) / 2
	}
	return lf
}

// comb returns the step-wise median of the ETS, ARIMA and Theta means and
// standard deviations (a model with simulated paths contributes their
// spread between the 16% and 84% quantiles over 2).
func combine(fits ...localFit) localFit {
	h := len(fits[0].mean)
	lf := localFit{mean: make([]float64, h), sd: make([]float64, h)}
	var names []string
	for _, f := range fits {
		names = append(names, f.model)
	}
	lf.model = "median of " + strings.Join(names, ", ")
	mv, sv := make([]float64, 3), make([]float64, 3)
	for k := range h {
		for i, f := range fits {
			mv[i] = f.mean[k]
			sv[i] = sdAt(f, k)
		}
		slices.Sort(mv)
		slices.Sort(sv)
		lf.mean[k], lf.sd[k] = mv[1], sv[1]
	}
	return lf
}

// sdAt is a fit's standard deviation at step k.
func sdAt(f localFit, k int) float64 {
	if f.sd != nil {
		return f.sd[k]
	}
	if f.paths == nil {
		return 0
	}
	col := make([]float64, len(f.paths))
	for i, p := range f.paths {
		col[i] = p[k]
	}
	slices.Sort(col)
	return (sortedQuantile(col, 0.8413) - sortedQuantile(col, 0.1587)) / 2
}

func (a Auto) fit(i int, id string, y []float64, m, h int, cands []string) localFit {
	name := cands[0]
	if len(cands) > 1 {
		name = a.choose(i, id, y, m, h, cands)
	}
	lf := a.candidateFit(i, name, y, m, h)
	lf.model = name + ": " + lf.model
	return lf
}

// choose returns the candidate with the lowest cross-validated MAE and
// tells Record the scores.
func (a Auto) choose(i int, id string, y []float64, m, h int, cands []string) string {
	ends := a.cvEnds(len(y), m, h)
	errs := make([]float64, len(cands))
	for o, end := range ends {
		hist, test := y[:end], y[end:end+h]
		fits := map[string]localFit{}
		missing := map[string]bool{}
		var get func(c string) (localFit, bool)
		get = func(c string) (localFit, bool) {
			if f, ok := fits[c]; ok || missing[c] {
				return f, ok
			}
			var f localFit
			ok := true
			switch g := a.Global; {
			case c == "comb":
				e, _ := get("ets")
				r, _ := get("arima")
				t, _ := get("theta")
				f = combine(e, r, t)
			case g != nil && c == g.Name:
				f, ok = a.globalFit(i, o)
			case g != nil && c == g.Name+"-arima":
				var l, r localFit
				l, ok = get(g.Name)
				r, _ = get("arima")
				if ok {
					f = average(l, r)
				}
			case g != nil && c == g.Name+"-comb":
				var l, e, t localFit
				l, ok = get(g.Name)
				e, _ = get("ets")
				t, _ = get("theta")
				if ok {
					f = combine(l, e, t)
				}
			default:
				f = a.candidateFit(i, c, hist, m, h)
			}
			if ok {
				fits[c] = f
			} else {
				missing[c] = true
			}
			return f, ok
		}
		for k, c := range cands {
			f, ok := get(c)
			if !ok {
				errs[k] = math.Inf(1)
				continue
			}
			for j, v := range test {
				errs[k] += math.Abs(v - f.mean[j])
			}
		}
	}
	chosen := "comb"
	if len(ends) > 0 {
		best := 0
		for k, e := range errs {
			if e < errs[best] || math.IsNaN(errs[best]) {
				best = k
			}
		}
		chosen = cands[best]
		for k := range errs {
			errs[k] /= float64(len(ends) * h)
		}
	}
	if a.Record != nil {
		if len(ends) == 0 {
			errs = nil
		}
		a.Record(AutoScore{Index: i, ID: id, Origins: len(ends), Candidates: cands, MAE: errs, Chosen: chosen})
	}
	return chosen
}
