// Tests for hold-out and rolling-origin evaluation, the M4-style averaging
// with OWA against Naive2, interval coverage, and malformed model output.

package eval

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/arkit-go/arkit/series/classical"
	"github.com/arkit-go/arkit/series/forecast"
	"github.com/arkit-go/arkit/series/table"
)

func randomWalks(n, length int, seed uint64) []table.Series {
	rng := rand.New(rand.NewPCG(seed, 1))
	out := make([]table.Series, n)
	for i := range out {
		s := table.Series{ID: string(rune('A'+i%26)) + string(rune('a'+i/26))}
		v := 100.0
		for range length {
			v += rng.NormFloat64()
			s.Values = append(s.Values, v)
		}
		out[i] = s
	}
	return out
}

func TestRollingOrigin(t *testing.T) {
	data := []table.Series{{ID: "a", Values: []float64{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}}}
	splits, err := RollingOrigin(data, 3, 3, 2)
	if err != nil {
		t.Fatal(err)
	}
	for o, want := range [][2][]float64{
		{{0, 1, 2}, {3, 4, 5}},
		{{0, 1, 2, 3, 4}, {5, 6, 7}},
		{{0, 1, 2, 3, 4, 5, 6}, {7, 8, 9}},
	} {
		if !slices.Equal(splits[o].Train[0].Values, want[0]) || !slices.Equal(splits[o].Test[0].Values, want[1]) {
			t.Errorf("origin %d: %v | %v", o, splits[o].Train[0].Values, splits[o].Test[0].Values)
		}
	}
	h, err := HoldOut(data, 4)
	if err != nil || !slices.Equal(h.Test[0].Values, []float64{6, 7, 8, 9}) {
		t.Errorf("HoldOut: %v %v", h.Test, err)
	}
	for _, bad := range []struct{ h, o, s int }{{0, 1, 1}, {3, 0, 1}, {3, 1, 0}, {3, 5, 2}} {
		if _, err := RollingOrigin(data, bad.h, bad.o, bad.s); err == nil {
			t.Errorf("RollingOrigin(%v) accepted", bad)
		}
	}
}

func TestBacktestScores(t *testing.T) {
	data := randomWalks(60, 120, 1)
	bt := Backtest{Horizon: 8, Origins: 3, Step: 4, Period: 1}
	res, err := bt.Run(context.Background(), data, classical.Naive{}, classical.Naive2{Period: 1}, classical.Drift{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Scores) != 3 || res.Reference.Model != "naive2" || res.Reference.OWA != 1 {
		t.Fatalf("scores %+v reference %+v", res.Scores, res.Reference)
	}
	naive, naive2 := res.Scores[0], res.Scores[1]
	// Naive2 with period 1 is naive: identical scores and OWA 1.
	if naive.SMAPE != naive2.SMAPE || naive.OWA != 1 || naive.Forecasts != 60*3 {
		t.Errorf("naive %+v naive2 %+v", naive, naive2)
	}
	// The scores are the averages of the per-forecast metrics.
	splits, _ := RollingOrigin(data, 8, 3, 4)
	sum := 0.0
	for _, sp := range splits {
		for i := range sp.Train {
			last := sp.Train[i].Values[sp.Train[i].Len()-1]
			f := []float64{last, last, last, last, last, last, last, last}
			sum += MASE(sp.Train[i].Values, sp.Test[i].Values, f, 1)
		}
	}
	if !close(naive.MASE, sum/180, 1e-12) {
		t.Errorf("MASE %v, recomputed %v", naive.MASE, sum/180)
	}
	// On random walks the naive intervals are calibrated.
	if math.Abs(naive.Coverage80-0.8) > 0.08 || math.Abs(naive.Coverage95-0.95) > 0.05 {
		t.Errorf("naive coverage 80%%: %.3f, 95%%: %.3f", naive.Coverage80, naive.Coverage95)
	}
	if math.IsNaN(naive.CRPS) || math.IsNaN(naive.MSIS) || naive.CRPS >= naive.MAE {
		t.Errorf("CRPS %v MSIS %v MAE %v", naive.CRPS, naive.MSIS, naive.MAE)
	}
	if len(res.Forecasts) != 3 || len(res.Forecasts[2]) != 60 || res.Last.Test[0].Len() != 8 {
		t.Error("last-origin forecasts missing")
	}
}

// badModel returns malformed forecasts to check the backtest catches them.
type badModel struct{ mode int }

func (b badModel) Name() string { return "bad" }

func (b badModel) Forecast(ctx context.Context, train []table.Series, h int, q []float64) ([]forecast.Forecast, error) {
	fcs, _ := classical.Naive{}.Forecast(ctx, train, h, q)
	switch b.mode {
	case 0:
		return fcs[1:], nil
	case 1:
		fcs[0].Mean = fcs[0].Mean[1:]
	case 2:
		fcs[0].Mean[0] = math.NaN()
	case 3:
		fcs[0].Quantiles = fcs[0].Quantiles[1:]
	case 4:
		fcs[0].Paths = [][]float64{{1}}
	case 5:
		return nil, errors.New("out of memory")
	case 6:
		fcs[0].Point = fcs[0].Mean[1:]
	case 7:
		fcs[0].Point = slices.Clone(fcs[0].Mean)
		fcs[0].Point[1] = math.Inf(1)
	}
	return fcs, nil
}

func TestBacktestRejectsBadForecasts(t *testing.T) {
	data := randomWalks(3, 30, 2)
	for mode := range 8 {
		_, err := Backtest{Horizon: 5}.Run(context.Background(), data, badModel{mode})
		if err == nil || !strings.Contains(err.Error(), "model bad") {
			t.Errorf("mode %d: %v", mode, err)
		}
	}
}

func TestBacktestEvaluateChecks(t *testing.T) {
	data := randomWalks(2, 30, 3)
	sp, _ := HoldOut(data, 5)
	ctx := context.Background()
	swapped := Split{Train: sp.Train, Test: []table.Series{sp.Test[1], sp.Test[0]}}
	if _, err := (Backtest{}).Evaluate(ctx, []Split{swapped}, classical.Naive{}); err == nil {
		t.Error("mismatched ids accepted")
	}
	if _, err := (Backtest{Horizon: 3}).Evaluate(ctx, []Split{sp}, classical.Naive{}); err == nil {
		t.Error("test longer than horizon accepted")
	}
	// Horizon 0 takes the test length.
	res, err := (Backtest{}).Evaluate(ctx, []Split{sp}, classical.Naive{})
	if err != nil || len(res.Forecasts[0][0].Mean) != 5 {
		t.Errorf("inferred horizon: %v", err)
	}
}

func TestScoreJSON(t *testing.T) {
	in := []Score{{Model: "lstm", SMAPE: 12.5, MASE: 1.25, MAE: 3, RMSE: 4, Coverage80: math.NaN(), OWA: 0.75, Coverage95: 0.9, MSIS: math.Inf(1), CRPS: 2, Forecasts: 10}}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for _, want := range []string{`"model":"lstm"`, `"smape":12.5`, `"mase":1.25`, `"mae":3`, `"rmse":4`, `"coverage_80":null`, `"owa":0.75`, `"msis":null`} {
		if !strings.Contains(s, want) {
			t.Errorf("JSON %s lacks %s", s, want)
		}
	}
	var out []Score
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if out[0].Model != "lstm" || out[0].SMAPE != 12.5 || !math.IsNaN(out[0].Coverage80) || !math.IsNaN(out[0].MSIS) || out[0].Forecasts != 10 {
		t.Errorf("round trip: %+v", out[0])
	}
}

func FuzzScoreJSON(f *testing.F) {
	f.Add(`{"model":"a","smape":1.5,"mase":null,"forecasts":3}`)
	f.Add(`{"model":"","owa":1e308,"crps":-0}`)
	f.Add(`[]`)
	f.Fuzz(func(t *testing.T, in string) {
		var s Score
		if err := json.Unmarshal([]byte(in), &s); err != nil {
			return
		}
		b, err := json.Marshal(s)
		if err != nil {
			t.Fatalf("marshal %+v: %v", s, err)
		}
		var back Score
		if err := json.Unmarshal(b, &back); err != nil || back.Model != s.Model || back.Forecasts != s.Forecasts {
			t.Fatalf("round trip %+v -> %s -> %+v, %v", s, b, back, err)
		}
		for i, p := range s.fields() {
			q := *back.fields()[i]
			if *p != q && !(math.IsNaN(*p) && math.IsNaN(q)) {
				t.Fatalf("field %d: %v -> %v", i, *p, q)
			}
		}
	})
}

// pointModel forecasts the naive mean but a point forecast of the actual
// future values it was given.
type pointModel struct{ future []table.Series }

func (pointModel) Name() string { return "oracle-point" }

func (m pointModel) Forecast(ctx context.Context, train []table.Series, h int, q []float64) ([]forecast.Forecast, error) {
	fcs, err := classical.Naive{}.Forecast(ctx, train, h, q)
	for i := range fcs {
		fcs[i].Point = m.future[i].Values
	}
	return fcs, err
}

func TestBacktestScoresPoint(t *testing.T) {
	data := randomWalks(4, 40, 5)
	sp, err := HoldOut(data, 6)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Backtest{Horizon: 6}.Evaluate(context.Background(), []Split{sp}, pointModel{sp.Test}, classical.Naive{})
	if err != nil {
		t.Fatal(err)
	}
	oracle, naive := res.Scores[0], res.Scores[1]
	if oracle.SMAPE != 0 || oracle.MASE != 0 || oracle.MAE != 0 || oracle.RMSE != 0 || oracle.OWA != 0 {
		t.Errorf("point forecast not scored: %+v", oracle)
	}
	// The intervals and CRPS still come from the quantiles, which are
	// the naive ones.
	if oracle.Coverage80 != naive.Coverage80 || oracle.CRPS != naive.CRPS || oracle.MSIS != naive.MSIS {
		t.Errorf("interval scores changed: %+v vs %+v", oracle, naive)
	}
}

func close(a, b, tol float64) bool { return math.Abs(a-b) <= tol*math.Max(1, math.Abs(b)) }

// TestBacktestNaiveByHand checks the backtest's averaged scores against
// values worked out by hand, independently of ExampleBacktest's table
// (which is arkit's own output, kept as a change detector).
func TestBacktestNaiveByHand(t *testing.T) {
	data := []table.Series{
		{ID: "a", Values: []float64{10, 12, 11, 13, 15, 14}},
		{ID: "b", Values: []float64{1, 2, 3, 4, 5, 6}},
	}
	res, err := Backtest{Horizon: 2, Period: 1}.Run(context.Background(), data, classical.Naive{})
	if err != nil {
		t.Fatal(err)
	}
	got := res.Scores[0]
	// a: train 10 12 11 13, naive 13 13 against 15 14; in-sample mean
	// absolute difference (2+1+2)/3, forecast errors 2 and 1.
	// b: train 1 2 3 4, naive 4 4 against 5 6; scale 1, errors 1 and 2.
	smapeA := 100.0 / 2 * (2*2.0/(15+13) + 2*1.0/(14+13))
	smapeB := 100.0 / 2 * (2*1.0/(5+4) + 2*2.0/(6+4))
	maseA := (2 + 1) / 2.0 / ((2 + 1 + 2) / 3.0)
	maseB := (1 + 2) / 2.0 / 1.0
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"sMAPE", got.SMAPE, (smapeA + smapeB) / 2},
		{"MASE", got.MASE, (maseA + maseB) / 2},
		{"MAE", got.MAE, (1.5 + 1.5) / 2},
		{"RMSE", got.RMSE, (math.Sqrt((4+1)/2.0) + math.Sqrt((1+4)/2.0)) / 2},
		// With period 1, Naive2 is the naive forecast: OWA is 1.
		{"OWA", got.OWA, 1},
	} {
		if math.Abs(c.got-c.want) > 1e-12 {
			t.Errorf("%s = %.12f, by hand %.12f", c.name, c.got, c.want)
		}
	}
	if math.Abs(got.SMAPE-20.978835978836) > 1e-9 {
		t.Errorf("sMAPE = %.12f, want 20.978835978836", got.SMAPE)
	}
}
