// Tests for the baseline forecasters: exact point forecasts and interval
// widths against the formulas, model recovery on simulated data, and the
// handling of missing values, short series and bad requests.

package classical

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/arkit-go/arkit/series/forecast"
	"github.com/arkit-go/arkit/series/table"
	"gonum.org/v1/gonum/mat"
)

func forecastOne(t *testing.T, f forecast.Forecaster, y []float64, h int, levels ...float64) forecast.Forecast {
	t.Helper()
	fcs, err := f.Forecast(context.Background(), []table.Series{{ID: "s", Values: y}}, h, levels)
	if err != nil {
		t.Fatal(err)
	}
	return fcs[0]
}

func close(a, b, tol float64) bool { return math.Abs(a-b) <= tol*math.Max(1, math.Abs(b)) }

func closeAll(t *testing.T, what string, got, want []float64, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, want %d", what, len(got), len(want))
	}
	for i := range got {
		if !close(got[i], want[i], tol) {
			t.Errorf("%s[%d] = %.10g, want %.10g", what, i, got[i], want[i])
		}
	}
}

func TestSimpleBaselines(t *testing.T) {
	y := []float64{1, 3, 2, 4, 3, 5}
	const z = 1.959963984540054 // 97.5% normal quantile
	sNaive := math.Sqrt(14.0 / 5)
	sDrift := math.Sqrt(10.8 / 4)
	for _, tc := range []struct {
		f    forecast.Forecaster
		mean []float64
		sd   []float64
	}{
		{Naive{}, []float64{5, 5, 5}, []float64{sNaive, sNaive * math.Sqrt2, sNaive * math.Sqrt(3)}},
		{SeasonalNaive{Period: 2}, []float64{3, 5, 3}, []float64{1, 1, math.Sqrt2}},
		{SeasonalNaive{Period: 10}, []float64{5, 5, 5}, []float64{sNaive, sNaive * math.Sqrt2, sNaive * math.Sqrt(3)}}, // too short: naive
		{Drift{}, []float64{5.8, 6.6, 7.4}, []float64{sDrift * math.Sqrt(1.2), sDrift * math.Sqrt(2*1.4), sDrift * math.Sqrt(3*1.6)}},
	} {
		f := forecastOne(t, tc.f, y, 3, 0.5, 0.975)
		closeAll(t, tc.f.Name()+" mean", f.Mean, tc.mean, 1e-12)
		closeAll(t, tc.f.Name()+" median", f.Median(), tc.mean, 1e-12)
		upper := make([]float64, 3)
		for k := range upper {
			upper[k] = tc.mean[k] + z*tc.sd[k]
		}
		closeAll(t, tc.f.Name()+" q0.975", f.Quantile(0.975), upper, 1e-9)
	}
}

func TestNaive2(t *testing.T) {
	x := goldenSeasonal
	n := len(x)
	f := forecastOne(t, Naive2{Period: 4}, x, 6)
	last := x[n-1] / goldenIndices[(n-1)%4]
	want := make([]float64, 6)
	for k := range want {
		want[k] = last * goldenIndices[(n+k)%4]
	}
	closeAll(t, "naive2", f.Mean, want, 1e-9)
	// Period 1, or no seasonality found: the naive forecast.
	f = forecastOne(t, Naive2{Period: 1}, x, 2)
	closeAll(t, "naive2 m=1", f.Mean, []float64{22, 22}, 0)
}

func TestTheta(t *testing.T) {
	// A constant series stays constant.
	f := forecastOne(t, Theta{Period: 1}, []float64{7, 7, 7, 7, 7, 7}, 3)
	closeAll(t, "theta constant", f.Mean, []float64{7, 7, 7}, 1e-9)
	// On a noiseless line the theta-2 line is the line itself; SES of a
	// line lags it, so the forecast lies between the last value and the
	// extended line, and it rises at half the slope.
	y := make([]float64, 40)
	for i := range y {
		y[i] = 10 + 2*float64(i)
	}
	f = forecastOne(t, Theta{Period: 1}, y, 4)
	for k, v := range f.Mean {
		line := 10 + 2*float64(40+k)
		if v < y[39] || v > line {
			t.Errorf("step %d: %v not within [%v, %v]", k+1, v, y[39], line)
		}
		if k > 0 && !close(v-f.Mean[k-1], 1, 1e-9) {
			t.Errorf("step %d rises by %v, want 1", k+1, v-f.Mean[k-1])
		}
	}
	// Seasonal data is forecast with its seasonal shape.
	f = forecastOne(t, Theta{Period: 4}, goldenSeasonal, 4)
	// Steps 1..4 fall on cycle positions 2, 3, 0, 1 (indices 0.89, 0.85,
	// 1.06, 1.20).
	if f.Model != "theta(4)" || !(f.Mean[3] > f.Mean[2] && f.Mean[2] > f.Mean[0] && f.Mean[0] > f.Mean[1]) {
		t.Errorf("seasonal theta %s %v", f.Model, f.Mean)
	}
}

func simulateAR(n int, phi []float64, seed uint64) []float64 {
	rng := rand.New(rand.NewPCG(seed, 7))
	y := make([]float64, n+100)
	for t := range y {
		v := 5.0 + rng.NormFloat64()
		for i, p := range phi {
			if t > i {
				v += p * (y[t-i-1] - 5)
			}
		}
		y[t] = v
	}
	return y[100:]
}

func TestARRecoversModel(t *testing.T) {
	y := simulateAR(3000, []float64{0.6, -0.3}, 1)
	mu := 0.0
	for _, v := range y {
		mu += v
	}
	mu /= float64(len(y))
	z := make([]float64, len(y))
	for i, v := range y {
		z[i] = v - mu
	}
	p := selectAROrder(z, 10)
	if p < 2 || p > 4 {
		t.Fatalf("order %d, want about 2", p)
	}
	coef, sigma, ok := fitAR(z, 2)
	if !ok || !close(coef[1], 0.6, 0.05) || !close(coef[2], -0.3, 0.05) || !close(sigma, 1, 0.05) {
		t.Errorf("AR(2) fit %v sigma %v", coef, sigma)
	}
	f := forecastOne(t, AR{MaxOrder: 10}, y, 30, 0.1, 0.9)
	if !close(f.Mean[29], 5, 0.1) {
		t.Errorf("long-run forecast %v, want the mean 5", f.Mean[29])
	}
	// The interval widens to the stationary spread: var = 1/(1-phi.acf).
	lo, hi := f.Interval(0.8)
	if hi[0]-lo[0] >= hi[29]-lo[29] {
		t.Error("interval does not widen")
	}
}

// TestAROrderSelectionMatchesDirectFits checks the one-factorisation AIC
// scan against separate least-squares fits of every order.
func TestAROrderSelectionMatchesDirectFits(t *testing.T) {
	y := simulateAR(400, []float64{0.5, 0.2, -0.25}, 3)
	const P = 8
	n := len(y)
	N := n - P
	best, bestAIC := -1, math.Inf(1)
	for q := 0; q <= P; q++ {
		x := mat.NewDense(N, q+1, nil)
		v := mat.NewVecDense(N, nil)
		for r := 0; r < N; r++ {
			x.Set(r, 0, 1)
			for i := 1; i <= q; i++ {
				x.Set(r, i, y[P+r-i])
			}
			v.SetVec(r, y[P+r])
		}
		var b, res mat.VecDense
		if err := b.SolveVec(x, v); err != nil {
			t.Fatal(err)
		}
		res.MulVec(x, &b)
		res.SubVec(v, &res)
		rss := mat.Dot(&res, &res)
		if aic := float64(N)*math.Log(rss/float64(N)) + 2*float64(q+1); aic < bestAIC {
			best, bestAIC = q, aic
		}
	}
	// selectAROrder centres the series; the intercept absorbs that, so
	// the orders agree.
	mu := 0.0
	for _, v := range y {
		mu += v
	}
	z := make([]float64, n)
	for i, v := range y {
		z[i] = v - mu/float64(n)
	}
	if got := selectAROrder(z, P); got != best {
		t.Errorf("selectAROrder = %d, direct fits choose %d", got, best)
	}
}

func TestETSFixedModels(t *testing.T) {
	// Holt on an exact line continues the line.
	line := make([]float64, 30)
	for i := range line {
		line[i] = 5 + 0.5*float64(i)
	}
	f := forecastOne(t, ETS{Model: "AAN"}, line, 3)
	closeAll(t, "holt", f.Mean, []float64{20, 20.5, 21}, 1e-3)
	if f.Model != "ETS(A,A,N)" {
		t.Errorf("model %q", f.Model)
	}
	// Additive Holt-Winters on exact trend plus season.
	season := []float64{2, -1, 0.5, -1.5}
	y := make([]float64, 48)
	for i := range y {
		y[i] = 10 + 0.1*float64(i) + season[i%4]
	}
	f = forecastOne(t, ETS{Model: "ETS(A,A,A)", Period: 4}, y, 4)
	want := make([]float64, 4)
	for k := range want {
		want[k] = 10 + 0.1*float64(48+k) + season[(48+k)%4]
	}
	closeAll(t, "holt-winters", f.Mean, want, 0.02)
	// A seasonal model the data cannot support falls back.
	f = forecastOne(t, ETS{Model: "AAM", Period: 4}, []float64{1, -2, 3, 4, 5, 6, 7, 8, 9}, 2)
	if f.Model != "ETS(A,A,N)" {
		t.Errorf("fallback model %q", f.Model)
	}
}

func TestETSVarianceSES(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	y := make([]float64, 200)
	level := 50.0
	for i := range y {
		level += 0.5 * rng.NormFloat64()
		y[i] = level + rng.NormFloat64()
	}
	sp := etsSpec{trend: 'N', season: 'N', m: 1}
	md, sse, ok := fitETS(y, sp)
	if !ok {
		t.Fatal("fit failed")
	}
	lf := ETS{}.forecast(md, sse, y, 5)
	for k := range 5 {
		want := lf.sd[0] * math.Sqrt(1+float64(k)*md.alpha*md.alpha)
		if !close(lf.sd[k], want, 1e-12) {
			t.Errorf("sd[%d] = %v, want %v", k, lf.sd[k], want)
		}
		if lf.mean[k] != lf.mean[0] {
			t.Error("SES forecast not flat")
		}
	}
	if md.alpha < 0.1 || md.alpha > 0.9 {
		t.Errorf("alpha %v for a local level with signal/noise 0.25", md.alpha)
	}
}

func TestETSSelectsSeasonal(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	season := []float64{1.3, 1.1, 0.9, 0.7, 0.8, 1.2}
	y := make([]float64, 120)
	for i := range y {
		y[i] = (100 + 0.5*float64(i)) * season[i%6] * (1 + 0.01*rng.NormFloat64())
	}
	e := ETS{Period: 6, Seed: 1}
	f := forecastOne(t, e, y[:108], 12, 0.1, 0.9)
	if f.Model[len(f.Model)-2] == 'N' {
		t.Errorf("chose %s for strongly seasonal data", f.Model)
	}
	if s := smape(y[108:], f.Mean); s > 3 {
		t.Errorf("sMAPE %v with %s", s, f.Model)
	}
	if n := forecastOne(t, Naive{}, y[:108], 12); smape(y[108:], n.Mean) < 10 {
		t.Error("naive should be poor here")
	}
	// Simulated intervals are reproducible with the same seed.
	g := forecastOne(t, e, y[:108], 12, 0.1, 0.9)
	if !slices.Equal(f.Quantile(0.9), g.Quantile(0.9)) {
		t.Error("intervals differ between runs with one seed")
	}
}

func TestParseETSModel(t *testing.T) {
	for in, want := range map[string]etsSpec{
		"ANN": {trend: 'N', season: 'N'}, "AAdN": {trend: 'D', season: 'N'}, "ets(A,Ad,M)": {trend: 'D', season: 'M'}, "aam": {trend: 'A', season: 'M'},
	} {
		if got, err := parseETSModel(in); err != nil || got != want {
			t.Errorf("parseETSModel(%q) = %v, %v", in, got, err)
		}
	}
	for _, bad := range []string{"MNN", "AXN", "AA", "AANN", ""} {
		if _, err := parseETSModel(bad); err == nil {
			t.Errorf("parseETSModel(%q) accepted", bad)
		}
	}
	if _, err := (ETS{Model: "MMM"}).Forecast(context.Background(), []table.Series{{Values: []float64{1}}}, 1, nil); err == nil {
		t.Error("bad model accepted by Forecast")
	}
}

func allBaselines() []forecast.Forecaster {
	return []forecast.Forecaster{Naive{}, SeasonalNaive{}, Naive2{}, Drift{}, AR{}, ETS{}, Theta{}}
}

func TestBaselinesProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	var train []table.Series
	for k := range 3 {
		s := table.Series{ID: string(rune('a' + k)), Freq: table.Hourly}
		for i := range 24 * 8 {
			s.Times = append(s.Times, start.Add(time.Duration(i)*time.Hour))
			v := 20 + 5*math.Sin(2*math.Pi*float64(i)/24) + rng.NormFloat64()
			if i%17 == 5 {
				v = nan // missing values are interpolated
			}
			s.Values = append(s.Values, v)
		}
		train = append(train, s)
	}
	levels := []float64{0.9, 0.1, 0.5, 0.025, 0.975}
	for _, f := range allBaselines() {
		fcs, err := f.Forecast(context.Background(), train, 24, levels)
		if err != nil {
			t.Fatalf("%s: %v", f.Name(), err)
		}
		for i, fc := range fcs {
			if fc.ID != train[i].ID || len(fc.Mean) != 24 || len(fc.Times) != 24 || !fc.Times[0].Equal(start.Add(24*8*time.Hour)) {
				t.Fatalf("%s: forecast %d malformed", f.Name(), i)
			}
			if !slices.Equal(fc.Levels, levels) {
				t.Fatalf("%s: levels %v", f.Name(), fc.Levels)
			}
			for k := range 24 {
				q := func(l float64) float64 { return fc.Quantile(l)[k] }
				if !(q(0.025) <= q(0.1) && q(0.1) <= q(0.5) && q(0.5) <= q(0.9) && q(0.9) <= q(0.975)) {
					t.Fatalf("%s: quantiles not ordered at step %d", f.Name(), k)
				}
				if math.IsNaN(fc.Mean[k]) {
					t.Fatalf("%s: NaN forecast", f.Name())
				}
			}
		}
	}
}

func TestBaselinesShortSeries(t *testing.T) {
	for _, y := range [][]float64{{3}, {3, 4}, {1, 2, 3}, {nan, 2, nan}} {
		for _, f := range allBaselines() {
			fc := forecastOne(t, f, y, 5, 0.1, 0.9)
			for _, v := range fc.Mean {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					t.Errorf("%s on %v: %v", f.Name(), y, fc.Mean)
				}
			}
		}
	}
}

func TestForecastRequestErrors(t *testing.T) {
	ok := []table.Series{{ID: "a", Values: []float64{1, 2, 3}}}
	ctx := context.Background()
	for _, f := range allBaselines() {
		if _, err := f.Forecast(ctx, ok, 0, nil); !errors.Is(err, forecast.ErrHorizon) {
			t.Errorf("%s: horizon 0: %v", f.Name(), err)
		}
		for _, lv := range [][]float64{{0}, {1}, {nan}, {0.5, 0.5}} {
			if _, err := f.Forecast(ctx, ok, 2, lv); err == nil {
				t.Errorf("%s: levels %v accepted", f.Name(), lv)
			}
		}
		if _, err := f.Forecast(ctx, []table.Series{{ID: "x", Values: []float64{nan, nan}}}, 2, nil); !errors.Is(err, table.ErrAllMissing) {
			t.Errorf("%s: all missing: %v", f.Name(), err)
		}
		cancelled, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := f.Forecast(cancelled, ok, 2, nil); !errors.Is(err, context.Canceled) {
			t.Errorf("%s: cancelled: %v", f.Name(), err)
		}
	}
	if _, err := (SeasonalNaive{Period: -1}).Forecast(ctx, ok, 2, nil); err == nil {
		t.Error("negative period accepted")
	}
}

func TestInterpolate(t *testing.T) {
	got, err := interpolate([]float64{nan, 1, nan, nan, 4, nan})
	if err != nil || !slices.Equal(got, []float64{1, 1, 2, 3, 4, 4}) {
		t.Errorf("interpolate = %v, %v", got, err)
	}
	if _, err := interpolate([]float64{1, math.Inf(1)}); err == nil {
		t.Error("infinity accepted")
	}
}

var nan = math.NaN()

// smape is the M4 sMAPE, written out here because package eval, which has
// it, imports this package.
func smape(actual, fc []float64) float64 {
	sum := 0.0
	for i := range actual {
		sum += 2 * math.Abs(actual[i]-fc[i]) / (math.Abs(actual[i]) + math.Abs(fc[i]))
	}
	return 100 * sum / float64(len(actual))
}
