// Auto: pick a method for each series by rolling-origin cross-validation
// on its own history, among ETS, ARIMA, Theta, seasonal naive, drift and
// their combination (the median of ETS, ARIMA and Theta, M4's "Comb"
// idea).

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
// Ties go to the earlier candidate. A series too short for one origin
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
	if len(cands) == 0 {
		return nil, fmt.Errorf("series: auto: no candidates")
	}
	for _, c := range cands {
		if !slices.Contains(AutoCandidates, c) && !slices.Contains(autoOptional, c) {
			return nil, fmt.Errorf("series: auto: unknown candidate %q (choose from %s)", c, strings.Join(slices.Concat(AutoCandidates, autoOptional), ", "))
		}
	}
	if a.Origins < 0 {
		return nil, fmt.Errorf("series: auto: negative Origins %d", a.Origins)
	}
	return forecastLocal(ctx, a.Name(), train, horizon, quantiles, a.Period, func(y []float64, m, h int) localFit {
		return a.fit(y, m, h, cands)
	})
}

// candidateFit fits the named candidate.
func (a Auto) candidateFit(name string, y []float64, m, h int) localFit {
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
	return combine(a.candidateFit("ets", y, m, h), arimaFitFunc(y, m, h), thetaFit(y, m, h))
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

func (a Auto) fit(y []float64, m, h int, cands []string) localFit {
	name := cands[0]
	if len(cands) > 1 {
		name = a.choose(y, m, h, cands)
	}
	lf := a.candidateFit(name, y, m, h)
	lf.model = name + ": " + lf.model
	return lf
}

// choose returns the candidate with the lowest cross-validated MAE.
func (a Auto) choose(y []float64, m, h int, cands []string) string {
	origins := a.Origins
	if origins == 0 {
		origins = 3
	}
	minTrain := max(2*m, 8)
	n := len(y)
	errs := make([]float64, len(cands))
	used := 0
	for o := range origins {
		end := n - (o+1)*h
		if end < minTrain {
			break
		}
		used++
		hist, test := y[:end], y[end:end+h]
		fits := map[string]localFit{}
		var get func(c string) localFit
		get = func(c string) localFit {
			f, ok := fits[c]
			if !ok {
				if c == "comb" {
					f = combine(get("ets"), get("arima"), get("theta"))
				} else {
					f = a.candidateFit(c, hist, m, h)
				}
				fits[c] = f
			}
			return f
		}
		for i, c := range cands {
			f := get(c)
			for k, v := range test {
				errs[i] += math.Abs(v - f.mean[k])
			}
		}
	}
	if used == 0 {
		return "comb"
	}
	best := 0
	for i, e := range errs {
		if e < errs[best] || math.IsNaN(errs[best]) {
			best = i
		}
	}
	return cands[best]
}
