// The pipelines on prism against the series package's own jobs on the
// same rows in one file: the same forecast rows, the same scores, and bad
// rows named by file and line.

package seriesbeam

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"

	"github.com/arkit-go/arkit/core"
	"github.com/arkit-go/arkit/series"
	"github.com/arkit-go/arkit/series/eval"
	"github.com/arkit-go/arkit/series/forecast"
	"github.com/arkit-go/arkit/series/lstm"
	"github.com/arkit-go/arkit/series/table"
)

func TestMain(m *testing.M) {
	beam.Init()
	os.Exit(m.Run())
}

// writeData writes n monthly series of 48 to 72 points, their rows
// shuffled over files parts-0.csv ... and, in the same order, all.csv.
// bad, when not empty, replaces the value of one row of parts-1.csv.
func writeData(t *testing.T, n, files int, bad string) (dir string, badLine int) {
	t.Helper()
	dir = t.TempDir()
	rng := rand.New(rand.NewPCG(1, 2))
	var rows [][3]string
	for i := range n {
		start := time.Date(2010+i%5, time.Month(1+i%12), 1, 0, 0, 0, 0, time.UTC)
		level, trend, amp := 100+rng.Float64()*900, rng.Float64()*2-0.5, rng.Float64()*50
		for k := range 48 + rng.IntN(25) {
			v := level + trend*float64(k) + amp*math.Sin(2*math.Pi*float64(k)/12) + rng.NormFloat64()*10
			rows = append(rows, [3]string{fmt.Sprintf("s%03d", i), start.AddDate(0, k, 0).Format("2006-01-02"), fmt.Sprintf("%.3f", v)})
		}
	}
	rng.Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
	parts := make([]bytes.Buffer, files)
	var all bytes.Buffer
	for i := range parts {
		parts[i].WriteString("id,time,value\n")
	}
	all.WriteString("id,time,value\n")
	for i, r := range rows {
		p := &parts[i%files]
		if bad != "" && i%files == 1 && badLine == 0 {
			r[2] = bad
			badLine = strings.Count(p.String(), "\n") + 1
		}
		line := strings.Join(r[:], ",") + "\n"
		p.WriteString(line)
		all.WriteString(line)
	}
	for i := range parts {
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("parts-%d.csv", i)), parts[i].Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "all.csv"), all.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, badLine
}

// sortedLines returns the header of CSV files and their other lines,
// sorted.
func sortedLines(t *testing.T, paths ...string) (header string, lines []string) {
	t.Helper()
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if len(b) == 0 {
			continue
		}
		h, body, _ := strings.Cut(string(b), "\n")
		if header != "" && h != header {
			t.Fatalf("%s has header %q, another file %q", p, h, header)
		}
		header = h
		lines = append(lines, strings.Split(strings.TrimSuffix(body, "\n"), "\n")...)
	}
	slices.Sort(lines)
	return header, lines
}

var longColumns = table.ReadOptions{ID: "id", Time: "time", Value: []string{"value"}}

func TestForecastMatchesSeriesForecast(t *testing.T) {
	dir, _ := writeData(t, 200, 4, "")
	ctx := context.Background()
	want := filepath.Join(dir, "want.csv")
	err := series.Forecast(ctx, series.ForecastRequest{Input: series.Input{CSV: filepath.Join(dir, "all.csv"), Options: longColumns},
		Horizon: 12, Method: "ets", Quantiles: []float64{0.1, 0.5, 0.9}, Out: want})
	if err != nil {
		t.Fatal(err)
	}
	res, err := Forecast(ctx, ForecastRequest{Input: Input{CSV: filepath.Join(dir, "parts-*.csv")},
		Horizon: 12, Method: "ets", Quantiles: []float64{0.1, 0.5, 0.9}, Out: filepath.Join(dir, "got"), Shards: 3})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Files) != 3 || res.Files[2] != filepath.Join(dir, "got-00002-of-00003.csv") {
		t.Fatalf("files %v, want 3 shards", res.Files)
	}
	wh, wl := sortedLines(t, want)
	gh, gl := sortedLines(t, res.Files...)
	if gh != wh {
		t.Errorf("header %q, want %q", gh, wh)
	}
	if len(wl) != 200*12 {
		t.Fatalf("series.Forecast wrote %d rows, want %d", len(wl), 200*12)
	}
	if len(gl) != len(wl) {
		t.Fatalf("%d rows, want %d", len(gl), len(wl))
	}
	for i := range wl {
		if gl[i] != wl[i] {
			t.Fatalf("row %d:\n got %s\nwant %s", i, gl[i], wl[i])
		}
	}
}

func TestBacktestMatchesSeriesBacktest(t *testing.T) {
	dir, _ := writeData(t, 200, 4, "")
	ctx := context.Background()
	req := series.BacktestRequest{Input: series.Input{CSV: filepath.Join(dir, "all.csv"), Options: longColumns},
		Horizon: 12, Methods: []string{"ets", "snaive"}, Origins: 2}
	ds, err := req.Input.Read()
	if err != nil {
		t.Fatal(err)
	}
	splits, err := eval.RollingOrigin(ds.Series, 12, 2, 12)
	if err != nil {
		t.Fatal(err)
	}
	var models []forecast.Forecaster
	for _, name := range req.Methods {
		m, err := series.NewForecaster(name, 12, 0)
		if err != nil {
			t.Fatal(err)
		}
		models = append(models, m)
	}
	wr, err := eval.Backtest{Horizon: 12, Period: 12}.Evaluate(ctx, splits, models...)
	if err != nil {
		t.Fatal(err)
	}
	want := wr.WithReference()
	got, err := Backtest(ctx, BacktestRequest{Input: Input{CSV: filepath.Join(dir, "parts-*.csv")},
		Horizon: 12, Methods: req.Methods, Origins: 2, Out: filepath.Join(dir, "scores")})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Scores) != len(want) {
		t.Fatalf("%d scores, want %d: %+v", len(got.Scores), len(want), got.Scores)
	}
	for i, w := range want {
		g := got.Scores[i]
		if g.Model != w.Model || g.Forecasts != w.Forecasts {
			t.Errorf("score %d: %s of %d forecasts, want %s of %d", i, g.Model, g.Forecasts, w.Model, w.Forecasts)
		}
		for _, c := range []struct {
			name string
			g, w float64
		}{{"sMAPE", g.SMAPE, w.SMAPE}, {"MASE", g.MASE, w.MASE}, {"OWA", g.OWA, w.OWA}, {"CRPS", g.CRPS, w.CRPS}} {
			if math.Abs(c.g-c.w) > 1e-9*math.Abs(c.w) {
				t.Errorf("%s %s = %v, want %v", w.Model, c.name, c.g, c.w)
			}
		}
	}
}

func TestBadRow(t *testing.T) {
	dir, line := writeData(t, 20, 4, "12x")
	ctx := context.Background()
	req := ForecastRequest{Input: Input{CSV: filepath.Join(dir, "parts-*.csv")},
		Horizon: 6, Method: "snaive", Quantiles: []float64{0.5}, Out: filepath.Join(dir, "got")}
	_, err := Forecast(ctx, req)
	where := fmt.Sprintf("%s line %d", filepath.Join(dir, "parts-1.csv"), line)
	if err == nil || !strings.Contains(err.Error(), where) || !strings.Contains(err.Error(), `"12x"`) {
		t.Fatalf("error %v, want one naming %s and the cell", err, where)
	}
	t.Logf("error: %v", err)

	res := forecastKeepingBadRow(t, ctx, req, dir, filepath.Join(dir, "parts-1.csv"), line)
	_, lines := sortedLines(t, res.Files[0])
	if len(lines) != 20*6 {
		t.Errorf("%d forecast rows, want %d", len(lines), 20*6)
	}

	breq := BacktestRequest{Input: req.Input, Horizon: 6, Methods: []string{"snaive"}}
	breq.BadRows = ""
	if _, err := Backtest(ctx, breq); err == nil || !strings.Contains(err.Error(), where) {
		t.Errorf("backtest: error %v, want one naming %s", err, where)
	}
	breq.BadRows = filepath.Join(dir, "bbad")
	bres, err := Backtest(ctx, breq)
	if err != nil {
		t.Fatal(err)
	}
	if bres.BadRows != 1 || len(bres.Scores) != 2 || bres.Scores[0].Forecasts != 20 {
		t.Errorf("backtest: %d bad rows, scores %+v; want 1 and 20 forecasts each of snaive and naive2", bres.BadRows, bres.Scores)
	}
}

// A network trained once by arkit's job (--save), read with --model: the
// pipeline gives the rows arkit series forecast --model gives on the
// concatenated file, and the scores of arkit series backtest --model, as
// each series' sample paths come from its own generator (seed, id).
func TestLSTMMatchesSeriesForecast(t *testing.T) {
	const n, h, seed = 40, 12, 5
	dir, _ := writeData(t, n, 4, "")
	ctx := context.Background()
	all := series.Input{CSV: filepath.Join(dir, "all.csv"), Options: longColumns}
	model := filepath.Join(dir, "net.safetensors")
	train := lstm.LSTM{TrainOptions: lstm.TrainOptions{TrainOptions: core.TrainOptions{Steps: 3, Out: model},
		Hidden: 4, Layers: 1, Batch: 8}}
	if err := series.Forecast(ctx, series.ForecastRequest{Input: all, Horizon: h, Method: "lstm", Seed: 1,
		Networks: series.Networks{LSTM: train}}); err != nil {
		t.Fatal(err)
	}
	levels := []float64{0.1, 0.5, 0.9}
	want := filepath.Join(dir, "want.csv")
	if err := series.Forecast(ctx, series.ForecastRequest{Input: all, Horizon: h, Method: "lstm", Quantiles: levels, Seed: seed,
		Networks: series.Networks{Model: model, LSTM: lstm.LSTM{Paths: 20}}, Out: want}); err != nil {
		t.Fatal(err)
	}
	res, err := Forecast(ctx, ForecastRequest{Input: Input{CSV: filepath.Join(dir, "parts-*.csv")}, Horizon: h, Method: "lstm",
		Networks: Networks{Model: model, Paths: 20}, Quantiles: levels, Seed: seed, Out: filepath.Join(dir, "got"), Shards: 2})
	if err != nil {
		t.Fatal(err)
	}
	wh, wl := sortedLines(t, want)
	gh, gl := sortedLines(t, res.Files...)
	if gh != wh || len(wl) != n*h || len(gl) != len(wl) {
		t.Fatalf("header %q and %d rows, want %q and %d", gh, len(gl), wh, len(wl))
	}
	for i := range wl {
		if gl[i] != wl[i] {
			t.Fatalf("row %d:\n got %s\nwant %s", i, gl[i], wl[i])
		}
	}

	// The backtest: arkit's models, made as arkit series backtest --model
	// makes them, against the pipeline's per-series scores.
	ds, err := all.Read()
	if err != nil {
		t.Fatal(err)
	}
	splits, err := eval.RollingOrigin(ds.Series, h, 2, h)
	if err != nil {
		t.Fatal(err)
	}
	l, err := lstm.LoadFor(model, splits[0].Train, h)
	if err != nil {
		t.Fatal(err)
	}
	l.Paths, l.Seed = 20, seed
	wr, err := eval.Backtest{Horizon: h, Period: 12}.Evaluate(ctx, splits, series.SeasonalFallback(l, 12))
	if err != nil {
		t.Fatal(err)
	}
	got, err := Backtest(ctx, BacktestRequest{Input: Input{CSV: filepath.Join(dir, "parts-*.csv")}, Horizon: h, Methods: []string{"lstm"},
		Networks: Networks{Model: model, Paths: 20}, Origins: 2, Seed: seed, Out: filepath.Join(dir, "scores")})
	if err != nil {
		t.Fatal(err)
	}
	ws := wr.WithReference()
	if len(got.Scores) != len(ws) {
		t.Fatalf("%d scores, want %d", len(got.Scores), len(ws))
	}
	for i, w := range ws {
		g := got.Scores[i]
		if g.Model != w.Model || g.Forecasts != w.Forecasts ||
			math.Abs(g.SMAPE-w.SMAPE) > 1e-9*w.SMAPE || math.Abs(g.MASE-w.MASE) > 1e-9*w.MASE {
			t.Errorf("%s: sMAPE %v MASE %v of %d forecasts, want %v %v of %d", w.Model, g.SMAPE, g.MASE, g.Forecasts, w.SMAPE, w.MASE, w.Forecasts)
		}
	}

	// The model file is refused for another horizon, and lstm needs one.
	if _, err := Forecast(ctx, ForecastRequest{Input: Input{CSV: filepath.Join(dir, "parts-*.csv")}, Horizon: 6, Method: "lstm",
		Networks: Networks{Model: model}, Out: filepath.Join(dir, "x")}); err == nil || !strings.Contains(err.Error(), "trained for horizon 12, not 6") {
		t.Errorf("horizon 6: %v", err)
	}
	if _, err := Forecast(ctx, ForecastRequest{Input: Input{CSV: filepath.Join(dir, "parts-*.csv")}, Horizon: h, Method: "lstm",
		Out: filepath.Join(dir, "x")}); err == nil || !strings.Contains(err.Error(), "--model") {
		t.Errorf("lstm without a model: %v", err)
	}
}

// A small read buffer splits each series into several blocks in each of
// the files it is spread over; with a bad row in the middle of one, the
// error names its file and line, --bad-rows leaves it out, and the other
// series' forecasts are arkit's.
func TestSeriesInBlocks(t *testing.T) {
	dir, line := writeData(t, 30, 3, "12x")
	ctx := context.Background()
	in := Input{CSV: filepath.Join(dir, "parts-*.csv"), buffer: 400}
	req := ForecastRequest{Input: in, Horizon: 6, Method: "snaive", Quantiles: []float64{0.5}, Out: filepath.Join(dir, "got")}
	_, err := Forecast(ctx, req)
	where := fmt.Sprintf("%s line %d", filepath.Join(dir, "parts-1.csv"), line)
	if err == nil || !strings.Contains(err.Error(), where) || !strings.Contains(err.Error(), `"12x"`) {
		t.Fatalf("error %v, want one naming %s and the cell", err, where)
	}

	// The series of the bad row, without it, is what arkit reads from
	// all.csv without that line.
	all, err := os.ReadFile(filepath.Join(dir, "all.csv"))
	if err != nil {
		t.Fatal(err)
	}
	var clean []string
	for _, l := range strings.SplitAfter(string(all), "\n") {
		if !strings.Contains(l, ",12x") {
			clean = append(clean, l)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "clean.csv"), []byte(strings.Join(clean, "")), 0o644); err != nil {
		t.Fatal(err)
	}
	want := filepath.Join(dir, "want.csv")
	err = series.Forecast(ctx, series.ForecastRequest{Input: series.Input{CSV: filepath.Join(dir, "clean.csv"), Options: longColumns},
		Horizon: 6, Method: "snaive", Quantiles: []float64{0.5}, Out: want})
	if err != nil {
		t.Fatal(err)
	}
	res := forecastKeepingBadRow(t, ctx, req, dir, filepath.Join(dir, "parts-1.csv"), line)
	_, wl := sortedLines(t, want)
	_, gl := sortedLines(t, res.Files[:len(res.Files)-1]...)
	if len(wl) != 30*6 || !slices.Equal(gl, wl) {
		t.Errorf("%d forecast rows (arkit %d), or not arkit's", len(gl), len(wl))
	}

	breq := BacktestRequest{Input: in, Horizon: 6, Methods: []string{"snaive"}}
	breq.BadRows = filepath.Join(dir, "bbad")
	bres, err := Backtest(ctx, breq)
	if err != nil {
		t.Fatal(err)
	}
	if bres.BadRows != 1 || len(bres.Scores) != 2 || bres.Scores[0].Forecasts != 30 {
		t.Errorf("backtest: %d bad rows, scores %+v; want 1 and 30 forecasts each", bres.BadRows, bres.Scores)
	}
}

// forecastKeepingBadRow runs req with --bad-rows in dir and checks that the
// one bad row, file's line, was written with its error.
func forecastKeepingBadRow(t *testing.T, ctx context.Context, req ForecastRequest, dir, file string, line int) *Result {
	t.Helper()
	req.BadRows = filepath.Join(dir, "bad")
	res, err := Forecast(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if res.BadRows != 1 {
		t.Errorf("%d bad rows, want 1", res.BadRows)
	}
	b, err := os.ReadFile(ShardName(req.BadRows, 0, 1))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), fmt.Sprintf("%s,%d,", file, line)) || !strings.Contains(string(b), "not a number") {
		t.Errorf("bad rows file:\n%s", b)
	}
	return res
}
