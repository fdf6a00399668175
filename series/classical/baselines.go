// Baselines: the simple benchmark methods naive, seasonal naive, M4's
// Naive2 and drift, with normal prediction intervals that widen with the
// horizon as in R's forecast package, and the local-fit machinery every
// classical model shares.

package classical

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/arkit-go/arkit/series/forecast"
	"github.com/arkit-go/arkit/series/table"
	"gonum.org/v1/gonum/stat/distuv"
)

// localFit is what a univariate method produces for one series: the point
// forecast and either a normal standard deviation per step or simulated
// sample paths from which quantiles are read.
type localFit struct {
	model string
	mean  []float64
	sd    []float64
	paths [][]float64
	// q are quantiles at the levels qLevels, made from sample paths
	// that are no longer held (Global.SetFinal); quantiles returns them
	// for the same levels.
	q       [][]float64
	qLevels []float64
}

// fitFunc fits one series y (no NaN) with seasonal period m (1: none) and
// forecasts h steps. It must not fail: methods fall back to simpler ones
// when the data is too short.
type fitFunc func(y []float64, m, h int) localFit

// forecastLocal runs a univariate method over every series.
func forecastLocal(ctx context.Context, name string, train []table.Series, h int, levels []float64, period int, fit fitFunc) ([]forecast.Forecast, error) {
	return forecastLocalAt(ctx, name, train, h, levels, period, func(_ int, y []float64, m, h int) localFit { return fit(y, m, h) })
}

// forecastLocalAt is forecastLocal with a fit that is told the series'
// index too.
func forecastLocalAt(ctx context.Context, name string, train []table.Series, h int, levels []float64, period int, fit func(i int, y []float64, m, h int) localFit) ([]forecast.Forecast, error) {
	if err := forecast.CheckRequest(name, h, levels); err != nil {
		return nil, err
	}
	if period < 0 {
		return nil, fmt.Errorf("series: %s: negative seasonal period %d", name, period)
	}
	out := make([]forecast.Forecast, len(train))
	errs := make([]error, len(train))
	// Series are independent and each fit is deterministic (ETS seeds its
	// simulation from the series), so they are fitted on GOMAXPROCS
	// goroutines with results identical to a sequential run.
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(train)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= len(train) {
					return
				}
				if err := ctx.Err(); err != nil {
					errs[i] = err
					return
				}
				s := train[i]
				y, err := interpolate(s.Values)
				if err != nil {
					errs[i] = fmt.Errorf("series: %s: series %q: %w", name, s.ID, err)
					continue
				}
				m := period
				if m == 0 {
					m = s.Freq.SeasonalPeriod()
				}
				lf := fit(i, y, m, h)
				out[i] = forecast.Forecast{ID: s.ID, Model: lf.model, Mean: lf.mean, Times: futureOf(s, h), Levels: slices.Clone(levels)}
				out[i].Quantiles = lf.quantiles(levels)
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// futureOf returns the timestamps after s, or nil.
func futureOf(s table.Series, h int) []time.Time {
	if len(s.Times) == 0 || !s.Freq.Regular() {
		return nil
	}
	return table.FutureTimes(s.Times[len(s.Times)-1], s.Freq, h)
}

func (lf localFit) quantiles(levels []float64) [][]float64 {
	if lf.q != nil && slices.Equal(lf.qLevels, levels) && len(lf.q) == len(levels) {
		out := make([][]float64, len(levels))
		for i, q := range lf.q {
			out[i] = slices.Clone(q)
		}
		return out
	}
	out := make([][]float64, len(levels))
	h := len(lf.mean)
	for i := range out {
		out[i] = make([]float64, h)
	}
	if lf.paths != nil {
		col := make([]float64, len(lf.paths))
		for k := range h {
			for p, path := range lf.paths {
				col[p] = path[k]
			}
			slices.Sort(col)
			for i, l := range levels {
				out[i][k] = sortedQuantile(col, l)
			}
		}
		return out
	}
	for i, l := range levels {
		z := distuv.UnitNormal.Quantile(l)
		for k := range h {
			sd := 0.0
			if lf.sd != nil && !math.IsNaN(lf.sd[k]) && !math.IsInf(lf.sd[k], 0) {
				sd = lf.sd[k]
			}
			out[i][k] = lf.mean[k] + z*sd
		}
	}
	return out
}

// sortedQuantile is the linear-interpolation quantile (R type 7) of sorted
// data.
func sortedQuantile(sorted []float64, p float64) float64 {
	n := len(sorted)
	if n == 0 {
		return math.NaN()
	}
	pos := p * float64(n-1)
	i := int(math.Floor(pos))
	if i >= n-1 {
		return sorted[n-1]
	}
	f := pos - float64(i)
	return sorted[i] + f*(sorted[i+1]-sorted[i])
}

// interpolate returns a copy of v with missing values filled linearly
// between observations and by the nearest observation at the ends. It
// fails if no value is observed or one is infinite.
func interpolate(v []float64) ([]float64, error) {
	out := slices.Clone(v)
	prev := -1
	for i, x := range out {
		if math.IsInf(x, 0) {
			return nil, fmt.Errorf("value %d is infinite", i)
		}
		if math.IsNaN(x) {
			continue
		}
		switch {
		case prev < 0:
			for j := 0; j < i; j++ {
				out[j] = x
			}
		case i-prev > 1:
			a := out[prev]
			for j := prev + 1; j < i; j++ {
				out[j] = a + (x-a)*float64(j-prev)/float64(i-prev)
			}
		}
		prev = i
	}
	if prev < 0 {
		return nil, table.ErrAllMissing
	}
	for j := prev + 1; j < len(out); j++ {
		out[j] = out[prev]
	}
	return out, nil
}

// rmsDiff is sqrt(mean((y_t - y_{t-lag})^2)), the residual scale of a
// (seasonal) random walk; 0 when there are no pairs.
func rmsDiff(y []float64, lag int) float64 {
	s, n := 0.0, 0
	for t := lag; t < len(y); t++ {
		d := y[t] - y[t-lag]
		s += d * d
		n++
	}
	if n == 0 {
		return 0
	}
	return math.Sqrt(s / float64(n))
}

// Naive forecasts the last value. Its h-step standard deviation is
// sigma*sqrt(h), sigma the root mean square of the one-step changes.
type Naive struct{}

var _ forecast.Forecaster = Naive{}

// Name returns "naive".
func (Naive) Name() string { return "naive" }

// Forecast implements Forecaster.
func (n Naive) Forecast(ctx context.Context, train []table.Series, horizon int, quantiles []float64) ([]forecast.Forecast, error) {
	return forecastLocal(ctx, n.Name(), train, horizon, quantiles, 1, func(y []float64, _, h int) localFit {
		return naiveFit(y, h)
	})
}

func naiveFit(y []float64, h int) localFit {
	last := y[len(y)-1]
	sigma := rmsDiff(y, 1)
	lf := localFit{model: "naive", mean: make([]float64, h), sd: make([]float64, h)}
	for k := range lf.mean {
		lf.mean[k] = last
		lf.sd[k] = sigma * math.Sqrt(float64(k+1))
	}
	return lf
}

// SeasonalNaive forecasts the value one season earlier. Its standard
// deviation at step h is sigma*sqrt(floor((h-1)/m)+1), sigma the root mean
// square of the seasonal differences. Period 0 takes each series' default
// (Freq.SeasonalPeriod); a series shorter than one period, or period 1,
// gets the naive forecast.
type SeasonalNaive struct {
	Period int
}

var _ forecast.Forecaster = SeasonalNaive{}

// Name returns "snaive".
func (SeasonalNaive) Name() string { return "snaive" }

// Forecast implements Forecaster.
func (s SeasonalNaive) Forecast(ctx context.Context, train []table.Series, horizon int, quantiles []float64) ([]forecast.Forecast, error) {
	return forecastLocal(ctx, s.Name(), train, horizon, quantiles, s.Period, snaiveFit)
}

func snaiveFit(y []float64, m, h int) localFit {
	n := len(y)
	if m < 2 || n < m {
		return naiveFit(y, h)
	}
	sigma := rmsDiff(y, m)
	lf := localFit{model: fmt.Sprintf("snaive(%d)", m), mean: make([]float64, h), sd: make([]float64, h)}
	for k := range lf.mean {
		lf.mean[k] = y[n-m+k%m]
		lf.sd[k] = sigma * math.Sqrt(float64(k/m+1))
	}
	return lf
}

// Naive2 is the M4 competition's Naive2 benchmark: when the 90%
// autocorrelation test (SeasonalityTest) finds seasonality at the period,
// the series is seasonally adjusted by classical multiplicative
// decomposition, forecast naively and reseasonalised with the last
// period's indices; otherwise it is the naive forecast. Intervals are the
// naive ones on the adjusted scale, times the seasonal index. Period 0
// takes each series' default (Freq.SeasonalPeriod); to reproduce M4 scores
// use M4SeasonalPeriod.
type Naive2 struct {
	Period int
}

var _ forecast.Forecaster = Naive2{}

// Name returns "naive2".
func (Naive2) Name() string { return "naive2" }

// Forecast implements Forecaster.
func (n Naive2) Forecast(ctx context.Context, train []table.Series, horizon int, quantiles []float64) ([]forecast.Forecast, error) {
	return forecastLocal(ctx, n.Name(), train, horizon, quantiles, n.Period, naive2Fit)
}

func naive2Fit(y []float64, m, h int) localFit {
	adj, idx := deseasonalize(y, m)
	lf := naiveFit(adj, h)
	lf.model = "naive2"
	if idx != nil {
		lf.model = fmt.Sprintf("naive2(%d)", m)
		reseasonalize(lf, idx, len(y))
	}
	return lf
}

// reseasonalize multiplies a forecast made on adjusted data by the seasonal
// indices of the steps after n.
func reseasonalize(lf localFit, idx []float64, n int) {
	m := len(idx)
	for k := range lf.mean {
		f := idx[(n+k)%m]
		lf.mean[k] *= f
		if lf.sd != nil {
			lf.sd[k] *= f
		}
	}
	for _, p := range lf.paths {
		for k := range p {
			p[k] *= idx[(n+k)%m]
		}
	}
}

// Drift extends the line from the first to the last value. Its standard
// deviation at step h is s*sqrt(h*(1+h/T)), s the standard deviation of the
// T one-step changes around the drift (R's rwf with drift).
type Drift struct{}

var _ forecast.Forecaster = Drift{}

// Name returns "drift".
func (Drift) Name() string { return "drift" }

// Forecast implements Forecaster.
func (d Drift) Forecast(ctx context.Context, train []table.Series, horizon int, quantiles []float64) ([]forecast.Forecast, error) {
	return forecastLocal(ctx, d.Name(), train, horizon, quantiles, 1, func(y []float64, _, h int) localFit {
		return driftFit(y, h)
	})
}

func driftFit(y []float64, h int) localFit {
	n := len(y)
	if n < 2 {
		return naiveFit(y, h)
	}
	T := float64(n - 1)
	b := (y[n-1] - y[0]) / T
	s := 0.0
	if n > 2 {
		for t := 1; t < n; t++ {
			e := y[t] - y[t-1] - b
			s += e * e
		}
		s = math.Sqrt(s / (T - 1))
	}
	lf := localFit{model: "drift", mean: make([]float64, h), sd: make([]float64, h)}
	for k := range lf.mean {
		hh := float64(k + 1)
		lf.mean[k] = y[n-1] + hh*b
		lf.sd[k] = s * math.Sqrt(hh*(1+hh/T))
	}
	return lf
}
