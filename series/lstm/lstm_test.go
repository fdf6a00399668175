// Tests of the global LSTM forecaster on synthetic seasonal series.

package lstm

import (
	"context"
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/arkit-go/arkit/core"
	"github.com/arkit-go/arkit/series/classical"
	"github.com/arkit-go/arkit/series/eval"
	"github.com/arkit-go/arkit/series/table"
)

// seasonalSet makes n series with a daily cycle (period 24) of different
// levels and amplitudes, multiplicative noise and an hourly time axis.
func seasonalSet(n, length int, seed uint64) []table.Series {
	r := rand.New(rand.NewPCG(seed, 0))
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	out := make([]table.Series, n)
	for i := range out {
		level := 10 + 90*r.Float64()
		amp := 0.2 + 0.5*r.Float64()
		phase := r.Float64() * 2 * math.Pi
		s := table.Series{ID: string(rune('a' + i)), Freq: table.Hourly}
		for t := 0; t < length; t++ {
			v := level * (1 + amp*math.Sin(2*math.Pi*float64(t)/24+phase)) * (1 + 0.03*r.NormFloat64())
			s.Values = append(s.Values, v)
			s.Times = append(s.Times, start.Add(time.Duration(t)*time.Hour))
		}
		out[i] = s
	}
	return out
}

func TestLSTMForecastsSeasonalSeries(t *testing.T) {
	data := seasonalSet(6, 24*12, 1)
	const h = 24
	var train, test []table.Series
	for _, s := range data {
		train = append(train, s.Slice(0, s.Len()-h))
		test = append(test, s.Slice(s.Len()-h, s.Len()))
	}
	l := &LSTM{TrainOptions: TrainOptions{TrainOptions: core.TrainOptions{Steps: 300, LR: 3e-3, Seed: 1},
		Hidden: 32, Layers: 1, Batch: 32, Lags: []int{24}, Context: 48}, Paths: 100}
	fcs, err := l.Forecast(context.Background(), train, h, []float64{0.1, 0.5, 0.9})
	if err != nil {
		t.Fatal(err)
	}
	naive, _ := classical.Naive{}.Forecast(context.Background(), train, h, nil)
	var lstmErr, naiveErr, cover float64
	for i := range fcs {
		lstmErr += eval.SMAPE(test[i].Values, fcs[i].Quantile(0.5))
		naiveErr += eval.SMAPE(test[i].Values, naive[i].Mean)
		cover += eval.Coverage(test[i].Values, fcs[i].Quantiles[0], fcs[i].Quantiles[2])
	}
	lstmErr /= float64(len(fcs))
	naiveErr /= float64(len(fcs))
	cover /= float64(len(fcs))
	t.Logf("sMAPE lstm %.2f naive %.2f, 80%% coverage %.2f", lstmErr, naiveErr, cover)
	if lstmErr > naiveErr/2 {
		t.Errorf("LSTM sMAPE %.2f is not well below naive's %.2f", lstmErr, naiveErr)
	}
	if cover < 0.5 {
		t.Errorf("80%% interval covers %.2f of the actual values", cover)
	}
	// Save, load: the same forecasts for the same seed.
	path := filepath.Join(t.TempDir(), "m.safetensors")
	l.Out = path
	if _, err := l.Fit(context.Background(), train, h); err != nil {
		t.Fatal(err)
	}
	l2, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	l2.Paths, l2.Seed = 100, 1
	fcs2, err := l2.Forecast(context.Background(), train, h, []float64{0.1, 0.5, 0.9})
	if err != nil {
		t.Fatal(err)
	}
	for i := range fcs {
		for k := range fcs[i].Mean {
			if fcs[i].Mean[k] != fcs2[i].Mean[k] {
				t.Fatalf("forecast %d step %d differs after save/load: %g vs %g", i, k, fcs[i].Mean[k], fcs2[i].Mean[k])
			}
		}
	}
}

func TestLSTMShortSeriesAndErrors(t *testing.T) {
	// Series shorter than the window are padded, not refused.
	data := seasonalSet(3, 30, 2)
	l := &LSTM{TrainOptions: TrainOptions{TrainOptions: core.TrainOptions{Steps: 5}, Hidden: 8, Layers: 1, Batch: 4, Context: 48}, Paths: 10}
	if _, err := l.Forecast(context.Background(), data, 12, []float64{0.5}); err != nil {
		t.Fatal(err)
	}
	// A series shorter than the horizon: windows whose context holds no
	// value at all (this panicked in scaleOf before).
	short := append(seasonalSet(2, 30, 2), table.Series{ID: "short", Values: []float64{3, 4, 5, 6, 7, 8}})
	if _, err := (&LSTM{TrainOptions: TrainOptions{TrainOptions: core.TrainOptions{Steps: 20}, Hidden: 8, Layers: 1, Batch: 8, Context: 8}, Paths: 10}).Forecast(context.Background(), short, 12, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := (&LSTM{}).Forecast(context.Background(), data, 0, nil); err == nil {
		t.Error("horizon 0 accepted")
	}
	if _, err := (&LSTM{TrainOptions: TrainOptions{TrainOptions: core.TrainOptions{Steps: 1}, Likelihood: "poisson"}}).Fit(context.Background(), data, 3); err == nil {
		t.Error("unknown likelihood accepted")
	}
	if _, err := (&LSTM{TrainOptions: TrainOptions{TrainOptions: core.TrainOptions{Steps: 1}, Covariates: []string{"temp"}}}).Fit(context.Background(), data, 3); err == nil {
		t.Error("missing covariate accepted")
	}
}

// The scale of a window is by default the mean absolute value of its last
// season: an origin at a daily trough must not shrink the scale to the
// trough's level (M4 Hourly's traffic series collapsed so).
func TestLSTMScaleWindowIsOneSeason(t *testing.T) {
	data := seasonalSet(2, 24*4, 3)
	sp, err := (&LSTM{}).defaults(data, 24)
	if err != nil {
		t.Fatal(err)
	}
	if sp.Season != 24 || sp.ScaleWin != 24 {
		t.Fatalf("season %d, scale window %d; want 24 and 24", sp.Season, sp.ScaleWin)
	}
	// A daily cycle between 1 and 1000 ending at its trough: the scale is
	// the day's mean, not the trough's.
	y := make([]float64, 48)
	for i := range y {
		y[i] = 1
		if i%24 >= 8 && i%24 < 20 {
			y[i] = 1000
		}
	}
	if got := sp.scale(y, len(y)); got < 400 {
		t.Errorf("scale at a trough %g, want the day's mean (about 500)", got)
	}
}

// Forecasts of a series that is never negative stay at or above zero,
// unless Negative allows them below; Point "path" gives a point forecast
// of its own.
func TestLSTMNonNegativeAndPointPath(t *testing.T) {
	data := seasonalSet(3, 24*6, 4)
	for i := range data {
		for k := range data[i].Values {
			data[i].Values[k] = math.Max(0, data[i].Values[k]-60) // many zeros
		}
	}
	l := &LSTM{TrainOptions: TrainOptions{TrainOptions: core.TrainOptions{Steps: 20, Seed: 2}, Hidden: 8, Layers: 1, Batch: 8, Context: 48},
		Paths: 50, Point: "path"}
	fcs, err := l.Forecast(context.Background(), data, 24, []float64{0.01, 0.5})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fcs {
		for _, p := range f.Paths {
			for _, v := range p {
				if v < 0 {
					t.Fatalf("series %s: draw %g below zero", f.ID, v)
				}
			}
		}
		if len(f.Point) != 24 || slices.Equal(f.Point, f.Quantiles[1]) {
			t.Errorf("series %s: point path %v is missing or equals the median", f.ID, f.Point)
		}
	}
	l.Negative, l.Point = true, ""
	fcs, err = l.Forecast(context.Background(), data, 24, []float64{0.01})
	if err != nil {
		t.Fatal(err)
	}
	neg := false
	for _, f := range fcs {
		neg = neg || slices.Min(f.Quantiles[0]) < 0
	}
	if !neg {
		t.Error("with Negative set, no 1% quantile went below zero")
	}
}

// A run limited by time only decays its learning rate over that time: it
// ends near FinalLR×LR whatever number of steps fits in it.
func TestLSTMScheduleOverTime(t *testing.T) {
	data := randomWalks(2, 40, 7)
	var lrs []float32
	opts := TrainOptions{TrainOptions: core.TrainOptions{MaxTime: 300 * time.Millisecond, LR: 1e-2, Warmup: 1,
		Progress: func(p core.Progress) { lrs = append(lrs, p.LR) }}, Hidden: 4, Layers: 1, Batch: 2, Context: 8}
	_, res, err := Train(context.Background(), data, 5, opts)
	if err != nil {
		t.Fatal(err)
	}
	if res.Reason != "time" || len(lrs) < 10 {
		t.Fatalf("stopped by %q after %d steps, want the time limit after many", res.Reason, len(lrs))
	}
	if first, last := lrs[1], lrs[len(lrs)-1]; first < 0.7e-2 || last > 0.3e-2 {
		t.Errorf("learning rate %g after warmup, %g at the end: not a decay over the time budget", first, last)
	}
}

// With the default BaseLag (the season) the network models each value's
// change from a season earlier: training targets are those changes, and
// even a barely trained network forecasts near the seasonal naive
// forecast, where one modelling levels does not.
func TestLSTMBaseLag(t *testing.T) {
	data := seasonalSet(4, 24*8, 5)
	sp, err := (&LSTM{}).defaults(data, 24)
	if err != nil || sp.BaseLag != 24 {
		t.Fatalf("default base lag %d (err %v), want the season 24", sp.BaseLag, err)
	}
	sp.LogScaleSd = 1
	d := &lstmData{sp: &sp, train: data, covs: make([][][]float64, len(data)), seed: 1}
	b := &core.Batch{T: 4, B: 1, Tokens: make([]int32, 4), Targets: make([]float32, 4), Features: make([]float32, 4*sp.featureDim())}
	sp.Context = 2
	if _, err := d.Batch(0, b); err != nil {
		t.Fatal(err)
	}
	lag1 := b.Features[3*sp.featureDim()] // scaled value before the last step
	if lag1 == 0 || b.Mask[3] != 1 {
		t.Fatalf("feature %g, mask %g", lag1, b.Mask[3])
	}
	for k := range 4 {
		if math.Abs(float64(b.Targets[k])) > 1.5 {
			t.Errorf("target %d = %g: not a change from a season earlier", k, b.Targets[k])
		}
	}

	var train, test []table.Series
	for _, s := range data {
		train = append(train, s.Slice(0, s.Len()-24))
		test = append(test, s.Slice(s.Len()-24, s.Len()))
	}
	snaive, _ := classical.SeasonalNaive{Period: 24}.Forecast(context.Background(), train, 24, nil)
	gap := func(baseLag int) float64 {
		l := &LSTM{TrainOptions: TrainOptions{TrainOptions: core.TrainOptions{Steps: 1, LR: 1e-9, Seed: 3},
			Hidden: 8, Layers: 1, Batch: 4, Context: 48, BaseLag: baseLag}, Point: "path"}
		fcs, err := l.Forecast(context.Background(), train, 24, nil)
		if err != nil {
			t.Fatal(err)
		}
		g := 0.0
		for i := range fcs {
			g += eval.SMAPE(snaive[i].Mean, fcs[i].Point)
		}
		return g / float64(len(fcs))
	}
	if with, without := gap(0), gap(-1); with > without/2 {
		t.Errorf("sMAPE to the seasonal naive forecast: %.1f with the base lag, %.1f without", with, without)
	}
}
