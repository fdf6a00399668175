// Forecasting with the trained LSTM: sample paths drawn for all series
// and paths at once through core's generation loop, clamped at zero for
// series that never go negative, summarised by their median, mean and
// quantiles.

package lstm

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"time"

	"github.com/arkit-go/arkit/core"
	"github.com/arkit-go/arkit/series/forecast"
	"github.com/arkit-go/arkit/series/table"
)

// pathFeeder drives generation for a chunk of series: while priming, one
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
// trained for this horizon, then draws Paths sample paths per series.
// covariates, when the model uses them, are read from each series'
// Covariates and must extend horizon steps past its values.
func (l *LSTM) Forecast(ctx context.Context, train []table.Series, horizon int, quantiles []float64) ([]forecast.Forecast, error) {
	if l.Net == nil || l.spec.Horizon != horizon || !slices.Equal(l.spec.IDs, ids(train)) {
		if _, err := l.Fit(ctx, train, horizon); err != nil {
			return nil, err
		}
	}
	return l.predict(ctx, train, horizon, quantiles)
}

func ids(s []table.Series) []string {
	out := make([]string, len(s))
	for i := range s {
		out[i] = s[i].ID
	}
	return out
}

func (l *LSTM) predict(ctx context.Context, train []table.Series, horizon int, quantiles []float64) ([]forecast.Forecast, error) {
	sp := &l.spec
	if l.Point != "" && l.Point != "median" && l.Point != "path" {
		return nil, fmt.Errorf("series: lstm: unknown point forecast %q (median or path)", l.Point)
	}
	paths := orInt(l.Paths, DefaultPaths)
	idIndex := map[string]int{}
	for i, id := range sp.IDs {
		idIndex[id] = i
	}
	out := make([]forecast.Forecast, len(train))
	const rowsPerChunk = 4096
	chunk := max(1, rowsPerChunk/paths)
	g := &core.Generator{Step: l.Net, Sampler: core.Sampler{Temperature: 1},
		Rand: rand.New(rand.NewPCG(l.Seed, 99))}
	for c0 := 0; c0 < len(train); c0 += chunk {
		c1 := min(len(train), c0+chunk)
		f := &pathFeeder{sp: sp, per: 1}
		for i := c0; i < c1; i++ {
			s := train[i]
			n := len(s.Values)
			if n == 0 {
				return nil, fmt.Errorf("series: lstm: series %q is empty", s.ID)
			}
			f.hist = append(f.hist, s.Values)
			f.nu = append(f.nu, sp.scale(s.Values, n))
			floor := math.Inf(-1)
			if !l.Negative && !slices.ContainsFunc(s.Values, func(v float64) bool { return v < 0 }) {
				floor = 0
			}
			f.floor = append(f.floor, floor)
			id, ok := idIndex[s.ID]
			if !ok && l.Net.Config().Vocab > 0 {
				return nil, fmt.Errorf("series: lstm: series %q was not in the training set (the model embeds series identities)", s.ID)
			}
			f.ids = append(f.ids, int32(id))
			var times []time.Time
			if s.Times != nil && len(sp.calendar) > 0 {
				times = append(append(times, s.Times...), table.FutureTimes(s.Times[n-1], s.Freq, horizon)...)
			}
			f.times = append(f.times, times)
			cv, err := sp.covariates(s)
			if err != nil {
				return nil, err
			}
			for k, col := range cv {
				if len(col) < n+horizon {
					return nil, fmt.Errorf("series: lstm: covariate %q of series %q has %d values; the forecast needs %d (history plus horizon)",
						sp.Covariates[k], s.ID, len(col), n+horizon)
				}
			}
			f.covs = append(f.covs, cv)
		}
		ns := c1 - c0
		st := l.Net.NewState(ns)
		if err := g.Prime(ctx, st, sp.Context, f); err != nil {
			return nil, err
		}
		var points [][]float64
		if l.Point == "path" {
			// The mean path: a temperature-0 run from a copy of the primed state.
			pf := *f
			pf.draw(1, horizon)
			cp := l.Net.NewState(ns)
			for li := range st.H {
				copy(cp.H[li], st.H[li])
				copy(cp.C[li], st.C[li])
			}
			g0 := &core.Generator{Step: l.Net}
			if err := g0.Run(ctx, cp, horizon, &pf); err != nil {
				return nil, err
			}
			for j := range ns {
				points = append(points, pf.rows[j][pf.tail[j]:])
			}
		}
		// Replicate each series' primed state to its paths.
		big := l.Net.NewState(ns * paths)
		for li := range st.H {
			H := len(st.H[li]) / ns
			for j := 0; j < ns; j++ {
				for p := 0; p < paths; p++ {
					r := j*paths + p
					copy(big.H[li][r*H:(r+1)*H], st.H[li][j*H:(j+1)*H])
					copy(big.C[li][r*H:(r+1)*H], st.C[li][j*H:(j+1)*H])
				}
			}
		}
		f.draw(paths, horizon)
		if err := g.Run(ctx, big, horizon, f); err != nil {
			return nil, err
		}
		for j := 0; j < ns; j++ {
			ps := make([][]float64, paths)
			for p := range ps {
				ps[p] = f.rows[j*paths+p][f.tail[j]:]
			}
			out[c0+j] = summarize(train[c0+j], ps, horizon, quantiles)
			if points != nil {
				out[c0+j].Point = points[j]
			}
		}
	}
	return out, nil
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
