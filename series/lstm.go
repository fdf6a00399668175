// The global LSTM forecaster (DeepAR, Salinas et al. 2020) over arkit's core
// engine: one network learns from windows of every series at once, each
// window scaled by the mean absolute value of its context's last season;
// inputs are the previous value, lagged values at the seasonal lags, an
// observed flag, the log scale, calendar features and optional covariates;
// the head is a Student-t (or Gaussian) likelihood of the scaled value's
// change from one season earlier (a seasonal naive forecast is the
// network's zero). Forecasts are sample paths drawn for all series and
// paths at once through core's generation loop, clamped at zero for
// series that never go negative, summarised by their median, mean and
// quantiles.

package series

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"time"

	"github.com/arkit-go/arkit/core"
)

// LSTM is a DeepAR-style global forecaster. Set the fields, then call Fit
// and Forecast (Forecast fits first when the model is not trained). The zero
// value works; each zero field means the default given in its comment.
type LSTM struct {
	Context     int           // steps the model conditions on before the forecast origin (0: 2·max(horizon, season), capped at 500)
	Hidden      int           // LSTM width (0: 64)
	Layers      int           // LSTM layers (0: 2)
	Embed       int           // width of the series-identity embedding (0: 8 when there are several series; -1: none)
	Dropout     float32       // dropout between LSTM layers
	Likelihood  string        // "studentt" (default) or "gaussian"
	Season      int           // seasonal period (0: from the frequency, M4's convention)
	Lags        []int         // lags fed as inputs besides the previous value (nil: around 1, 2, 3 seasons and a week of hours)
	Batch       int           // windows per training step (0: 64)
	Steps       int           // training steps (0: 2000 unless MaxTime is set)
	MaxTime     time.Duration // training time budget (0: none)
	LR          float32       // Adam learning rate (0: 1e-3)
	Seed        uint64        // seeds initialisation, windows, dropout and paths
	Paths       int           // sample paths per series (0: 200)
	Covariates  []string      // covariate columns used as inputs; their future values must be given to Forecast
	ScaleWindow int           // points at the end of the context whose mean absolute value scales a window (0: one season, at least 4 points; -1: the whole context)
	// BaseLag makes the network model each value's change from the value
	// BaseLag steps earlier (the previous value where that one is
	// missing), scaled, instead of the scaled value itself: a seasonal
	// naive forecast is then its zero, which a network reaches more
	// precisely than the level (0: the season when it is above 1,
	// otherwise none; -1: none).
	BaseLag int
	// Point is the point forecast: "median" (default) of the sample paths
	// at each step, or "path": one path that feeds back the predicted
	// distribution's mean instead of a draw.
	Point string
	// Negative lets forecasts of a series whose history is never negative
	// go below zero; by default such a series' draws are clamped at 0
	// before they are fed back, as counts, loads and prices cannot be.
	Negative bool
	Progress func(core.Progress)

	net  *core.Model
	spec lstmSpec
}

// lstmSpec is what a trained LSTM needs besides its weights; it is stored in
// the model file's metadata under arkit.series.
type lstmSpec struct {
	Horizon    int       `json:"horizon"`
	ScaleWin   int       `json:"scale_window,omitempty"`
	BaseLag    int       `json:"base_lag,omitempty"`
	Context    int       `json:"context"`
	Season     int       `json:"season"`
	Lags       []int     `json:"lags"`
	Freq       Frequency `json:"-"`
	FreqName   string    `json:"freq"`
	Calendar   []string  `json:"calendar"`
	IDs        []string  `json:"ids"`
	LogScaleMu float64   `json:"log_scale_mean"`
	LogScaleSd float64   `json:"log_scale_std"`
	Covariates []string  `json:"covariates"`
	CovMu      []float64 `json:"covariate_mean"`
	CovSd      []float64 `json:"covariate_std"`
	calendar   []CalendarFeature
}

// Name implements Forecaster.
func (l *LSTM) Name() string { return "lstm" }

// ErrTooShort is returned when no series is long enough to train on.
var ErrTooShort = errors.New("series too short")

func (l *LSTM) defaults(train []Series, horizon int) (lstmSpec, error) {
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
		sp.Season = M4SeasonalPeriod(sp.Freq)
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
		sp.calendar = CalendarFeatures(sp.Freq)
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
func defaultLags(m int, f Frequency) []int {
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
	if f.Unit == Hour && f.every() == 1 {
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
	a, b = max(a, 0), min(b, len(y))
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

// lstmData serves random training windows: a series chosen uniformly, a
// window of Context+Horizon steps ending anywhere in its history.
type lstmData struct {
	sp     *lstmSpec
	train  []Series
	covs   [][][]float64
	seed   uint64
	hasEmb bool
}

func (d *lstmData) Batch(step int, b *core.Batch) (bool, error) {
	r := rand.New(rand.NewPCG(d.seed, uint64(step)+1))
	sp := d.sp
	T, B := b.T, b.B
	F := sp.featureDim()
	if b.Mask == nil {
		b.Mask = make([]float32, T*B)
	}
	for k := 0; k < B; k++ {
		i := r.IntN(len(d.train))
		s := d.train[i]
		y := s.Values
		n := len(y)
		lo := min(0, n-T)
		a := lo + r.IntN(n-T-lo+1)
		nu := sp.scale(y, a+sp.Context)
		for s2 := 0; s2 < T; s2++ {
			t := a + s2
			row := s2*B + k
			if d.hasEmb {
				b.Tokens[row] = int32(i)
			}
			f := b.Features[row*F : (row+1)*F]
			if t < 0 {
				clear(f)
				b.Targets[row], b.Mask[row] = 0, 0
				continue
			}
			sp.input(f, y, t, t, nu, s.Times, d.covs[i])
			if math.IsNaN(y[t]) {
				b.Targets[row], b.Mask[row] = 0, 0
			} else {
				b.Targets[row], b.Mask[row] = float32(y[t]/nu-sp.base(y, t, nu)), 1
			}
		}
	}
	return true, nil
}

// covariates extracts the model's covariate columns of s, erroring on a
// missing one.
func (sp *lstmSpec) covariates(s Series) ([][]float64, error) {
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

// Fit trains the model on train for forecasts of the given horizon.
func (l *LSTM) Fit(ctx context.Context, train []Series, horizon int) (core.Result, error) {
	sp, err := l.defaults(train, horizon)
	if err != nil {
		return core.Result{}, err
	}
	// Statistics for input standardisation.
	var logs []float64
	covs := make([][][]float64, len(train))
	usable := 0
	for i, s := range train {
		if s.Observed() >= 2 {
			usable++
		}
		logs = append(logs, math.Log(sp.scale(s.Values, len(s.Values))))
		if covs[i], err = sp.covariates(s); err != nil {
			return core.Result{}, err
		}
	}
	if usable == 0 {
		return core.Result{}, fmt.Errorf("series: lstm: %w: no series has two observed values", ErrTooShort)
	}
	sp.LogScaleMu, sp.LogScaleSd = meanStd(logs)
	for k := range sp.Covariates {
		var all []float64
		for i := range train {
			for _, v := range covs[i][k] {
				if !math.IsNaN(v) {
					all = append(all, v)
				}
			}
		}
		mu, sd := meanStd(all)
		sp.CovMu, sp.CovSd = append(sp.CovMu, mu), append(sp.CovSd, sd)
	}
	embed := l.Embed
	if embed == 0 && len(train) > 1 {
		embed = 8
	}
	cfg := core.Config{Features: sp.featureDim(), Hidden: orInt(l.Hidden, 64), Layers: orInt(l.Layers, 2),
		Dropout: l.Dropout, Likelihood: core.StudentT{}}
	switch l.Likelihood {
	case "", "studentt":
	case "gaussian":
		cfg.Likelihood = core.Gaussian{}
	default:
		return core.Result{}, fmt.Errorf("series: lstm: unknown likelihood %q (studentt or gaussian)", l.Likelihood)
	}
	if embed > 0 {
		cfg.Vocab, cfg.Embed = len(train), embed
	}
	if err := cfg.Validate(); err != nil {
		return core.Result{}, fmt.Errorf("series: lstm: %w", err)
	}
	net := core.NewModel(cfg, rand.New(rand.NewPCG(l.Seed, 7)))
	steps := l.Steps
	if steps == 0 && l.MaxTime == 0 {
		steps = 2000
	}
	adam := &core.Adam{LR: orF32(l.LR, 1e-3)}
	tr := &core.Trainer{Model: net, Optimizer: adam, T: sp.Context + sp.Horizon,
		B: orInt(l.Batch, 64), Steps: steps, MaxTime: l.MaxTime, Clip: 10, Seed: l.Seed}
	tr.Progress = budgetSchedule(adam, steps, l.MaxTime, l.Progress)
	data := &lstmData{sp: &sp, train: train, covs: covs, seed: l.Seed, hasEmb: embed > 0}
	res, err := tr.Run(ctx, data)
	if err != nil {
		return res, fmt.Errorf("series: lstm: %w", err)
	}
	l.net, l.spec = net, sp
	return res, nil
}

// budgetSchedule returns a progress callback that sets adam's learning
// rate for the next step: a warmup over the first 100 steps (a tenth of a
// step budget, if shorter), then a cosine decay to 5% over whichever
// budget, steps or time, runs out first. A time budget alone decays too,
// so a run stopped by MaxTime ends at a small learning rate, as one
// stopped by Steps does. It calls next, when not nil, with each report.
func budgetSchedule(adam *core.Adam, steps int, maxTime time.Duration, next func(core.Progress)) func(core.Progress) {
	base := adam.LR
	warmup := 100
	if steps > 0 {
		warmup = min(warmup, steps/10)
	}
	adam.LR = base / float32(max(warmup, 1))
	return func(p core.Progress) {
		done := 0.0 // fraction of the budget spent
		if steps > 0 {
			done = float64(p.Step) / float64(steps)
		}
		if maxTime > 0 {
			done = max(done, float64(p.Elapsed)/float64(maxTime))
		}
		f := 1.0
		if p.Step < warmup {
			f = float64(p.Step+1) / float64(warmup)
		} else if steps > 0 || maxTime > 0 {
			const final = 0.05
			f = final + (1-final)*0.5*(1+math.Cos(math.Pi*min(done, 1)))
		}
		adam.LR = base * float32(f)
		if next != nil {
			next(p)
		}
	}
}

func orInt(v, d int) int {
	if v == 0 {
		return d
	}
	return v
}

func orF32(v, d float32) float32 {
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
func (l *LSTM) Forecast(ctx context.Context, train []Series, horizon int, quantiles []float64) ([]Forecast, error) {
	if l.net == nil || l.spec.Horizon != horizon || !slices.Equal(l.spec.IDs, ids(train)) {
		if _, err := l.Fit(ctx, train, horizon); err != nil {
			return nil, err
		}
	}
	return l.predict(ctx, train, horizon, quantiles)
}

func ids(s []Series) []string {
	out := make([]string, len(s))
	for i := range s {
		out[i] = s[i].ID
	}
	return out
}

func (l *LSTM) predict(ctx context.Context, train []Series, horizon int, quantiles []float64) ([]Forecast, error) {
	sp := &l.spec
	if l.Point != "" && l.Point != "median" && l.Point != "path" {
		return nil, fmt.Errorf("series: lstm: unknown point forecast %q (median or path)", l.Point)
	}
	paths := orInt(l.Paths, 200)
	idIndex := map[string]int{}
	for i, id := range sp.IDs {
		idIndex[id] = i
	}
	out := make([]Forecast, len(train))
	const rowsPerChunk = 4096
	chunk := max(1, rowsPerChunk/paths)
	g := &core.Generator{Step: l.net, Sampler: core.Sampler{Temperature: 1},
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
			if !ok && l.net.Config().Vocab > 0 {
				return nil, fmt.Errorf("series: lstm: series %q was not in the training set (the model embeds series identities)", s.ID)
			}
			f.ids = append(f.ids, int32(id))
			var times []time.Time
			if s.Times != nil && len(sp.calendar) > 0 {
				times = append(append(times, s.Times...), FutureTimes(s.Times[n-1], s.Freq, horizon)...)
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
		st := l.net.NewState(ns)
		if err := g.Prime(ctx, st, sp.Context, f); err != nil {
			return nil, err
		}
		var points [][]float64
		if l.Point == "path" {
			// The mean path: a temperature-0 run from a copy of the primed state.
			pf := *f
			pf.draw(1, horizon)
			cp := l.net.NewState(ns)
			for li := range st.H {
				copy(cp.H[li], st.H[li])
				copy(cp.C[li], st.C[li])
			}
			g0 := &core.Generator{Step: l.net}
			if err := g0.Run(ctx, cp, horizon, &pf); err != nil {
				return nil, err
			}
			for j := range ns {
				points = append(points, pf.rows[j][pf.tail[j]:])
			}
		}
		// Replicate each series' primed state to its paths.
		big := l.net.NewState(ns * paths)
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
func summarize(s Series, paths [][]float64, h int, levels []float64) Forecast {
	fc := Forecast{ID: s.ID, Model: "lstm", Mean: make([]float64, h), Point: make([]float64, h),
		Levels: append([]float64(nil), levels...), Paths: paths}
	if s.Times != nil && s.Freq.Regular() && len(s.Times) > 0 {
		fc.Times = FutureTimes(s.Times[len(s.Times)-1], s.Freq, h)
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

// LoadLSTM reads a model saved by Save.
func LoadLSTM(path string) (*LSTM, error) {
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
	f, err := ParseFrequency(sp.FreqName)
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

func calendarByName(name string) (CalendarFeature, bool) {
	for c := CalendarFeature(0); c < 32; c++ {
		if c.String() == name {
			return c, true
		}
	}
	return 0, false
}
