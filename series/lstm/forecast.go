// Forecasting with the trained LSTM: sample paths drawn series by series
// (all paths of a series at once) through core's generation loop, from a
// generator seeded by the seed and the series id, clamped at zero for
// series that never go negative, summarised by their median, mean and
// quantiles.

package lstm

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"time"

	"github.com/arkit-go/arkit/core"
	"github.com/arkit-go/arkit/series/forecast"
	"github.com/arkit-go/arkit/series/table"
)

// pathFeeder drives generation for series: while priming, one
// row per series runs through its context; while drawing, row
// r = j·paths + p is path p of series j and keeps its own buffer: the last
// maxLag observed values, then its draws, from which lags are read.
type pathFeeder struct {
	sp    *lstmSpec
	hist  [][]float64 // per series: the observed values
	nu    []float64
	ids   []int32
	times [][]time.Time
	covs  [][][]float64
	floor []float64   // per series: the least value a draw may take (0 or -Inf)
	per   int         // rows per series (1 while priming, paths while drawing)
	rows  [][]float64 // per row while drawing: history tail then draws
	tail  []int       // per series: length of the history tail in rows
	gen   bool
}

// draw switches f to drawing per rows per series over horizon steps, each
// row starting from its series' history tail.
func (f *pathFeeder) draw(per, horizon int) {
	ns := len(f.hist)
	f.per, f.gen = per, true
	f.rows = make([][]float64, ns*per)
	f.tail = make([]int, ns)
	for j, h := range f.hist {
		tail := h[max(0, len(h)-f.sp.maxLag()):]
		f.tail[j] = len(tail)
		for p := 0; p < per; p++ {
			row := make([]float64, len(tail)+horizon)
			copy(row, tail)
			f.rows[j*per+p] = row
		}
	}
}

func (f *pathFeeder) Input(t int, in *core.Input) {
	F := f.sp.featureDim()
	for r := range len(in.Features) / F {
		j := r / f.per
		n := len(f.hist[j])
		dst := in.Features[r*F : (r+1)*F]
		if f.gen {
			f.sp.input(dst, f.rows[r][:f.tail[j]+t], f.tail[j]+t, n+t, f.nu[j], f.times[j], f.covs[j])
		} else if step := n - f.sp.Context + t; step >= 0 {
			f.sp.input(dst, f.hist[j], step, step, f.nu[j], f.times[j], f.covs[j])
		} else {
			clear(dst) // before the series starts: padding, as in training
		}
		if in.Tokens != nil {
			in.Tokens[r] = f.ids[j]
		}
	}
}

func (f *pathFeeder) Emit(t int, y []float32) bool {
	for r, v := range y {
		j := r / f.per
		row, at := f.rows[r], f.tail[j]+t
		row[at] = math.Max((float64(v)+f.sp.base(row[:at], at, f.nu[j]))*f.nu[j], f.floor[j])
	}
	return true
}

// Forecast implements Forecaster: it fits the model on train when it is not
// trained for this horizon, then draws Paths sample paths per series (see
// ForecastSeries). A network read from a file (Load) is never trained
// again: it forecasts any series it serves. covariates, when the model uses
// them, are read from each series' Covariates and must extend horizon
// steps past its values.
func (l *LSTM) Forecast(ctx context.Context, train []table.Series, horizon int, quantiles []float64) ([]forecast.Forecast, error) {
	if l.Net == nil || l.spec.Horizon != horizon || (!l.loaded && !slices.Equal(l.spec.IDs, ids(train))) {
		if _, err := l.Fit(ctx, train, horizon); err != nil {
			return nil, err
		}
	}
	out := make([]forecast.Forecast, len(train))
	for i, s := range train {
		fc, err := l.ForecastSeries(ctx, s, horizon, quantiles)
		if err != nil {
			return nil, err
		}
		out[i] = fc
	}
	return out, nil
}

func ids(s []table.Series) []string {
	out := make([]string, len(s))
	for i := range s {
		out[i] = s[i].ID
	}
	return out
}

// SeriesRand returns the generator of the sample paths of series id: a PCG
// seeded by seed and a 64-bit FNV-1a hash of the id. A series' paths thus
// depend on the seed, the network and the series alone, not on the other
// series or their order, so that a forecast of one series on its own (as
// a pipeline makes it) and of a whole file agree.
func SeriesRand(seed uint64, id string) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(id))
	return rand.New(rand.NewPCG(seed, h.Sum64()))
}

// ForecastSeries draws Paths sample paths of s over horizon from the
// trained network, scaled by s's own history as in training, and
// summarises them; the paths come from SeriesRand(l.Seed, s.ID), and the
// series runs through the network on its own, so the forecast is the same
// whatever other series are forecast with it. The network must be trained
// for horizon; one that embeds series identities serves only the series it
// was trained on. An LSTM is not safe for concurrent use (its network keeps
// a workspace): give each worker its own, e.g. Load it once per worker.
func (l *LSTM) ForecastSeries(ctx context.Context, s table.Series, horizon int, quantiles []float64) (forecast.Forecast, error) {
	sp := &l.spec
	switch {
	case l.Net == nil:
		return forecast.Forecast{}, errors.New("series: lstm: the network is not trained")
	case sp.Horizon != horizon:
		return forecast.Forecast{}, fmt.Errorf("series: lstm: the network was trained for horizon %d, not %d", sp.Horizon, horizon)
	case l.Point != "" && l.Point != "median" && l.Point != "path":
		return forecast.Forecast{}, fmt.Errorf("series: lstm: unknown point forecast %q (median or path)", l.Point)
	}
	paths := orInt(l.Paths, DefaultPaths)
	n := len(s.Values)
	if n == 0 {
		return forecast.Forecast{}, fmt.Errorf("series: lstm: series %q is empty", s.ID)
	}
	f := &pathFeeder{sp: sp, per: 1, hist: [][]float64{s.Values}, nu: []float64{sp.scale(s.Values, n)}}
	floor := math.Inf(-1)
	if !l.Negative && !slices.ContainsFunc(s.Values, func(v float64) bool { return v < 0 }) {
		floor = 0
	}
	f.floor = []float64{floor}
	id, ok := sp.index(s.ID)
	if !ok && l.Net.Config().Vocab > 0 {
		return forecast.Forecast{}, fmt.Errorf("series: lstm: series %q was not in the training set (the model embeds series identities)", s.ID)
	}
	f.ids = []int32{int32(id)}
	var times []time.Time
	if s.Times != nil && len(sp.calendar) > 0 {
		times = append(append(times, s.Times...), table.FutureTimes(s.Times[n-1], s.Freq, horizon)...)
	}
	f.times = [][]time.Time{times}
	cv, err := sp.covariates(s)
	if err != nil {
		return forecast.Forecast{}, err
	}
	for k, col := range cv {
		if len(col) < n+horizon {
			return forecast.Forecast{}, fmt.Errorf("series: lstm: covariate %q of series %q has %d values; the forecast needs %d (history plus horizon)",
				sp.Covariates[k], s.ID, len(col), n+horizon)
		}
	}
	f.covs = [][][]float64{cv}

	st := l.Net.NewState(1)
	if err := (&core.Generator{Step: l.Net}).Prime(ctx, st, sp.Context, f); err != nil {
		return forecast.Forecast{}, err
	}
	var point []float64
	if l.Point == "path" {
		// The mean path: a temperature-0 run from a copy of the primed state.
		pf := *f
		pf.draw(1, horizon)
		cp := l.Net.NewState(1)
		for li := range st.H {
			copy(cp.H[li], st.H[li])
			copy(cp.C[li], st.C[li])
		}
		if err := (&core.Generator{Step: l.Net}).Run(ctx, cp, horizon, &pf); err != nil {
			return forecast.Forecast{}, err
		}
		point = pf.rows[0][pf.tail[0]:]
	}
	// Replicate the primed state to the paths.
	big := l.Net.NewState(paths)
	for li := range st.H {
		H := len(st.H[li])
		for p := 0; p < paths; p++ {
			copy(big.H[li][p*H:(p+1)*H], st.H[li])
			copy(big.C[li][p*H:(p+1)*H], st.C[li])
		}
	}
	f.draw(paths, horizon)
	g := &core.Generator{Step: l.Net, Sampler: core.Sampler{Temperature: 1}, Rand: SeriesRand(l.Seed, s.ID)}
	if err := g.Run(ctx, big, horizon, f); err != nil {
		return forecast.Forecast{}, err
	}
	ps := make([][]float64, paths)
	for p := range ps {
		ps[p] = f.rows[p][f.tail[0]:]
	}
	fc := summarize(s, ps, horizon, quantiles)
	if point != nil {
		fc.Point = point
	}
	return fc, nil
}

// summarize turns sample paths into a Forecast: the mean, the median as
// the point forecast (sMAPE and MASE reward the median) and the requested
// quantiles at each step.
func summarize(s table.Series, paths [][]float64, h int, levels []float64) forecast.Forecast {
	fc := forecast.Forecast{ID: s.ID, Model: "lstm", Mean: make([]float64, h), Point: make([]float64, h),
		Levels: append([]float64(nil), levels...), Paths: paths}
	if s.Times != nil && s.Freq.Regular() && len(s.Times) > 0 {
		fc.Times = table.FutureTimes(s.Times[len(s.Times)-1], s.Freq, h)
	}
	fc.Quantiles = make([][]float64, len(levels))
	for i := range levels {
		fc.Quantiles[i] = make([]float64, h)
	}
	col := make([]float64, len(paths))
	for k := 0; k < h; k++ {
		sum := 0.0
		for p := range paths {
			col[p] = paths[p][k]
			sum += col[p]
		}
		fc.Mean[k] = sum / float64(len(paths))
		sort.Float64s(col)
		fc.Point[k] = empiricalQuantile(col, 0.5)
		for i, q := range levels {
			fc.Quantiles[i][k] = empiricalQuantile(col, q)
		}
	}
	return fc
}

// empiricalQuantile interpolates linearly between order statistics
// (R's type 7) of sorted values.
func empiricalQuantile(sorted []float64, q float64) float64 {
	if len(sorted) == 1 {
		return sorted[0]
	}
	h := q * float64(len(sorted)-1)
	i := int(math.Floor(h))
	if i >= len(sorted)-1 {
		return sorted[len(sorted)-1]
	}
	return sorted[i] + (h-float64(i))*(sorted[i+1]-sorted[i])
}
