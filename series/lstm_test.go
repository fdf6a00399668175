// Tests of the global LSTM forecaster on synthetic seasonal series.

package series

import (
	"context"
	"math"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"
)

// seasonalSet makes n series with a daily cycle (period 24) of different
// levels and amplitudes, multiplicative noise and an hourly time axis.
func seasonalSet(n, length int, seed uint64) []Series {
	r := rand.New(rand.NewPCG(seed, 0))
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	out := make([]Series, n)
	for i := range out {
		level := 10 + 90*r.Float64()
		amp := 0.2 + 0.5*r.Float64()
		phase := r.Float64() * 2 * math.Pi
		s := Series{ID: string(rune('a' + i)), Freq: Hourly}
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
	var train, test []Series
	for _, s := range data {
		train = append(train, s.Slice(0, s.Len()-h))
		test = append(test, s.Slice(s.Len()-h, s.Len()))
	}
	l := &LSTM{Hidden: 32, Layers: 1, Steps: 300, Batch: 32, LR: 3e-3, Paths: 100, Seed: 1, Lags: []int{24}, Context: 48}
	fcs, err := l.Forecast(context.Background(), train, h, []float64{0.1, 0.5, 0.9})
	if err != nil {
		t.Fatal(err)
	}
	naive, _ := Naive{}.Forecast(context.Background(), train, h, nil)
	var lstmErr, naiveErr, cover float64
	for i := range fcs {
		lstmErr += SMAPE(test[i].Values, fcs[i].Quantile(0.5))
		naiveErr += SMAPE(test[i].Values, naive[i].Mean)
		cover += Coverage(test[i].Values, fcs[i].Quantiles[0], fcs[i].Quantiles[2])
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
	if err := l.Save(path, nil); err != nil {
		t.Fatal(err)
	}
	l2, err := LoadLSTM(path)
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
	l := &LSTM{Hidden: 8, Layers: 1, Steps: 5, Batch: 4, Paths: 10, Context: 48}
	if _, err := l.Forecast(context.Background(), data, 12, []float64{0.5}); err != nil {
		t.Fatal(err)
	}
	if _, err := (&LSTM{}).Forecast(context.Background(), data, 0, nil); err == nil {
		t.Error("horizon 0 accepted")
	}
	if _, err := (&LSTM{Likelihood: "poisson", Steps: 1}).Fit(context.Background(), data, 3); err == nil {
		t.Error("unknown likelihood accepted")
	}
	if _, err := (&LSTM{Covariates: []string{"temp"}, Steps: 1}).Fit(context.Background(), data, 3); err == nil {
		t.Error("missing covariate accepted")
	}
}
