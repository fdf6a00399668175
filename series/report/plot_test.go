// Tests for the plots: every format renders, missing values are skipped,
// mismatched inputs are errors.

package report

import (
	"bytes"
	"context"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/arkit-go/arkit/series/classical"
	"github.com/arkit-go/arkit/series/eval"
	"github.com/arkit-go/arkit/series/forecast"
	"github.com/arkit-go/arkit/series/table"
)

func plotData(t *testing.T, timed bool) (train, test []table.Series, fcs []forecast.Forecast) {
	t.Helper()
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	var data []table.Series
	for k := range 5 {
		s := table.Series{ID: string(rune('a' + k)), Freq: table.Hourly}
		for i := range 24 * 6 {
			if timed {
				s.Times = append(s.Times, start.Add(time.Duration(i)*time.Hour))
			}
			v := 10 + 3*math.Sin(2*math.Pi*float64(i)/24) + float64(k)
			if i%29 == 3 || (k == 1 && i > 100 && i < 110) {
				v = math.NaN()
			}
			s.Values = append(s.Values, v)
		}
		data = append(data, s)
	}
	sp, err := eval.HoldOut(data, 24)
	if err != nil {
		t.Fatal(err)
	}
	fcs, err = classical.SeasonalNaive{}.Forecast(context.Background(), sp.Train, 24, []float64{0.025, 0.1, 0.5, 0.9, 0.975})
	if err != nil {
		t.Fatal(err)
	}
	fcs[0].Quantiles[0][3] = math.NaN() // a hole in a band
	return sp.Train, sp.Test, fcs
}

func TestForecastPlotFormats(t *testing.T) {
	train, test, fcs := plotData(t, true)
	for format, magic := range map[string]string{"png": "\x89PNG", "svg": "<?xml", "pdf": "%PDF"} {
		var b bytes.Buffer
		if err := WriteForecastPlot(&b, format, train, fcs, test, PlotOptions{Title: "test", MaxPanels: 3}); err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		if !bytes.HasPrefix(b.Bytes(), []byte(magic)) {
			t.Errorf("%s output starts %q", format, b.Bytes()[:8])
		}
	}
	// No timestamps, no actual values, one panel.
	train, _, fcs = plotData(t, false)
	var b bytes.Buffer
	if err := WriteForecastPlot(&b, "svg", train[:1], fcs[:1], nil, PlotOptions{}); err != nil {
		t.Fatal(err)
	}
}

func TestSavePlots(t *testing.T) {
	dir := t.TempDir()
	train, test, fcs := plotData(t, true)
	png := filepath.Join(dir, "f.png")
	if err := SaveForecastPlot(png, train, fcs, test, PlotOptions{History: 48}); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(png); err != nil || st.Size() < 1000 {
		t.Errorf("png: %v", err)
	}
	if err := SaveForecastPlot(filepath.Join(dir, "f.gif"), train, fcs, test, PlotOptions{}); err == nil {
		t.Error(".gif accepted")
	}
	if err := SaveLossPlot(filepath.Join(dir, "loss.svg"), []float64{3, 2, math.NaN(), 1}, []float64{3.5, 2.5}, PlotOptions{}); err != nil {
		t.Error(err)
	}
	if err := SaveLossPlot(filepath.Join(dir, "loss.svg"), nil, nil, PlotOptions{}); err == nil {
		t.Error("empty loss plot accepted")
	}
}

func TestForecastPlotMismatch(t *testing.T) {
	train, test, fcs := plotData(t, true)
	var b bytes.Buffer
	if err := WriteForecastPlot(&b, "png", train[1:], fcs[:4], test[:4], PlotOptions{}); err == nil {
		t.Error("misaligned series accepted")
	}
	if err := WriteForecastPlot(&b, "png", train, fcs[:4], test, PlotOptions{}); err == nil {
		t.Error("counts differ but accepted")
	}
	if err := WriteForecastPlot(&b, "bmp", train, fcs, test, PlotOptions{}); err == nil {
		t.Error("unknown format accepted")
	}
}

func TestTimeTicker(t *testing.T) {
	lo := float64(time.Date(2024, 1, 1, 3, 0, 0, 0, time.UTC).Unix())
	for _, tc := range []struct {
		span   time.Duration
		format string
	}{
		{6 * time.Hour, "01-02 15h"}, {10 * 24 * time.Hour, "2006-01-02"}, {300 * 24 * time.Hour, "2006-01"}, {20 * 365 * 24 * time.Hour, "2006"},
	} {
		ticks := timeTicker{}.Ticks(lo, lo+tc.span.Seconds())
		if len(ticks) < 2 || len(ticks) > 8 {
			t.Errorf("span %v: %d ticks", tc.span, len(ticks))
			continue
		}
		for _, tk := range ticks {
			tm := time.Unix(int64(tk.Value), 0).UTC()
			if tk.Label != tm.Format(tc.format) || tk.Value < lo || tk.Value > lo+tc.span.Seconds() {
				t.Errorf("span %v: tick %v %q", tc.span, tm, tk.Label)
			}
		}
	}
}
