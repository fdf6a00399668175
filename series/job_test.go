// Tests of the pieces the arkit command strings together: models by name,
// request checks, the forecast job and its hold-out check, reports, the
// train/test pairing, outputs written all or nothing, the built-in data
// and loading a saved LSTM for a forecast.

package series

import (
	"context"
	"errors"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/arkit-go/arkit/core"
)

func TestNewForecaster(t *testing.T) {
	for _, name := range ModelNames {
		m, err := NewForecaster(name, 12, 1)
		if err != nil || m.Name() != name {
			t.Errorf("%s: %v, %v", name, m, err)
		}
	}
	if l, _ := NewForecaster("LSTM", 7, 3); l.(*LSTM).Season != 7 || l.(*LSTM).Seed != 3 {
		t.Errorf("lstm settings not passed: %+v", l)
	}
	_, err := NewForecaster("prophet", 0, 0)
	if !errors.Is(err, ErrUnknownModel) || !strings.Contains(err.Error(), "choose from lstm, naive, naive2") {
		t.Errorf("unknown model: %v", err)
	}
}

func TestCheckHorizonAndQuantiles(t *testing.T) {
	data := []Series{{Values: make([]float64, 30)}, {Values: make([]float64, 50)}}
	for _, tc := range []struct {
		h  int
		ok bool
	}{{0, false}, {-3, false}, {1, true}, {500, true}, {501, false}, {MaxHorizon + 1, false}} {
		if err := CheckHorizon(tc.h, data); (err == nil) != tc.ok {
			t.Errorf("horizon %d: %v", tc.h, err)
		}
	}
	if err := CheckHorizon(MaxHorizon+1, []Series{{Values: make([]float64, 1e5)}}); err == nil || !strings.Contains(err.Error(), "at most 100000 steps") {
		t.Errorf("huge horizon: %v", err)
	}
	for _, bad := range [][]float64{{0}, {1}, {0.5, 0.5}, {math.NaN()}, {-0.1}} {
		if CheckQuantiles(bad) == nil {
			t.Errorf("levels %v accepted", bad)
		}
	}
	if err := CheckQuantiles([]float64{0.1, 0.5, 0.9}); err != nil {
		t.Error(err)
	}
}

func TestSelectAndMergeLevels(t *testing.T) {
	if got := MergeLevels([]float64{0.5, 0.1}, PlotLevels); !slices.Equal(got, []float64{0.5, 0.1, 0.025, 0.9, 0.975}) {
		t.Errorf("MergeLevels %v", got)
	}
	fcs := sampleForecasts(t, false) // levels 0.1, 0.5, 0.9, 0.025
	sel, err := SelectLevels(fcs, []float64{0.9, 0.1})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(sel[0].Levels, []float64{0.9, 0.1}) || !slices.Equal(sel[0].Quantiles[0], fcs[0].Quantile(0.9)) {
		t.Errorf("SelectLevels: %+v", sel[0])
	}
	if len(fcs[0].Levels) != 4 {
		t.Error("SelectLevels changed its input")
	}
	if _, err := SelectLevels(fcs, []float64{0.3}); err == nil {
		t.Error("a missing level was selected")
	}
}

func TestLossCurve(t *testing.T) {
	var c LossCurve
	for _, p := range []core.Progress{{Step: 1, AvgLoss: 3}, {Step: 2, AvgLoss: 2}, {Step: 2, AvgLoss: 1.5}, {Step: 4, AvgLoss: 1}} {
		c.Record(p)
	}
	if len(c.Loss) != 4 || c.Loss[1] != 1.5 || !math.IsNaN(c.Loss[2]) || c.Loss[3] != 1 {
		t.Errorf("loss curve %v", c.Loss)
	}
}

func TestForecastJob(t *testing.T) {
	data := randomWalks(3, 60, 4)
	job := ForecastJob{Data: data, Horizon: 6, Levels: []float64{0.5}, Model: Drift{}, Check: true, Period: 1}
	res, err := job.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Forecasts) != 3 || res.Forecasts[0].Quantile(0.975) == nil || res.Forecasts[0].Quantile(0.5) == nil {
		t.Errorf("forecasts lack the plot levels: %+v", res.Forecasts[0].Levels)
	}
	var names []string
	for _, s := range res.Check.WithReference() {
		names = append(names, s.Model)
	}
	if !slices.Equal(names, []string{"drift", "naive", "snaive", "naive2", "theta"}) {
		t.Errorf("checked models %v", names)
	}
	// The check forecast the hold-out from the history without it.
	if got := res.Check.Last.Train[0].Len(); got != 54 {
		t.Errorf("hold-out history of %d points", got)
	}
	rep, err := ForecastReport("job", &Dataset{Series: data, Source: "walks"}, data, res, []float64{2, 1.5, 1}, nil, PlotOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Figures) != 3 || len(rep.Scores) != 5 || !strings.Contains(strings.Join(rep.Notes, " "), "drift was fitted without them") {
		t.Errorf("report: %d figures, %d scores, notes %q", len(rep.Figures), len(rep.Scores), rep.Notes)
	}

	// Too short for a hold-out: the check is skipped, the forecast made.
	job.Data = []Series{{ID: "s", Values: []float64{1, 2, 3}}}
	job.Horizon = 3
	res, err = job.Run(context.Background())
	if err != nil || res.Check != nil || !strings.Contains(res.Skipped, "too few") || len(res.Forecasts) != 1 {
		t.Errorf("short data: %+v, %v", res, err)
	}
	job.Horizon = 0
	if _, err := job.Run(context.Background()); !errors.Is(err, ErrHorizon) {
		t.Errorf("horizon 0: %v", err)
	}
}

func TestVerdict(t *testing.T) {
	scores := []Score{{Model: "lstm", OWA: 0.9}, {Model: "theta", OWA: 0.95}, {Model: "naive2", OWA: 1}}
	if v := Verdict(scores, "lstm"); !strings.Contains(v, "lstm (OWA 0.900) beats every baseline; the best of them, theta") {
		t.Errorf("verdict %q", v)
	}
	scores[0].OWA = 1.2
	if v := Verdict(scores, "lstm"); !strings.Contains(v, "does not beat theta (OWA 0.950)") {
		t.Errorf("verdict %q", v)
	}
	scores[0].OWA = math.NaN()
	if v := Verdict(scores, "lstm"); v != "" {
		t.Errorf("verdict %q", v)
	}
}

func TestTrainTestAndBacktestReport(t *testing.T) {
	train := &Dataset{Source: "train.csv", Series: []Series{{ID: "a", Values: []float64{1, 2, 3, 4}}, {ID: "b", Values: []float64{4, 3, 2, 1}}}}
	test := &Dataset{Source: "test.csv", Series: []Series{{ID: "b", Values: []float64{1}}, {ID: "a", Values: []float64{4}}}}
	sp, err := TrainTest(train, test)
	if err != nil || sp.Test[0].ID != "a" || sp.Test[1].Values[0] != 1 {
		t.Fatalf("TrainTest: %+v %v", sp, err)
	}
	res, err := Backtest{Horizon: 1}.Evaluate(context.Background(), []Split{sp}, Naive{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Scores[0].SMAPE != 0 {
		t.Errorf("naive sMAPE %v on a perfect forecast", res.Scores[0].SMAPE)
	}
	rep, err := BacktestReport("bt", train, res, nil, []string{"note"}, PlotOptions{})
	if err != nil || len(rep.Scores) != 2 || len(rep.Figures) != 1 || rep.Notes[0] != "note" {
		t.Errorf("report: %+v, %v", rep, err)
	}
	test.Series = test.Series[:1]
	if _, err := TrainTest(train, test); err == nil || !strings.Contains(err.Error(), `test.csv has no series "a"`) {
		t.Errorf("missing test series: %v", err)
	}
	test.Series = append(test.Series, Series{ID: "a"}, Series{ID: "c"})
	if _, err := TrainTest(train, test); err == nil || !strings.Contains(err.Error(), `train.csv has no series "c"`) {
		t.Errorf("extra test series: %v", err)
	}
}

func TestOutputsAllOrNothing(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.txt"), filepath.Join(dir, "b.txt")
	var o Outputs
	if err := o.Add(a, func(w io.Writer) error { _, err := io.WriteString(w, "A"); return err }); err != nil {
		t.Fatal(err)
	}
	if err := o.Add("", func(io.Writer) error { panic("rendered a skipped file") }); err != nil {
		t.Fatal(err)
	}
	if err := o.Add(b, func(io.Writer) error { return errors.New("cannot draw") }); err == nil {
		t.Fatal("render error lost")
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Fatalf("files written before all rendered: %v", ents)
	}
	if err := o.Write(); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(a); string(got) != "A" {
		t.Errorf("a.txt holds %q", got)
	}
}

func TestBuiltin(t *testing.T) {
	ds, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	s := ds.Series[0]
	if len(ds.Series) != 1 || s.ID != "elec_equip" || s.Len() != 257 || s.Observed() != 257 || ds.Freq != Monthly ||
		s.Times[0].Format("2006-01") != "1995-01" || s.Times[256].Format("2006-01") != "2016-05" || s.Values[0] != 66.19 {
		t.Errorf("built-in data: %d series, %s, %d values from %v", len(ds.Series), ds.Freq, s.Len(), s.Times[0])
	}
}

func TestReadFileFrequencyFromM4Name(t *testing.T) {
	p := filepath.Join(t.TempDir(), "Hourly-sample.csv")
	if err := os.WriteFile(p, []byte("V1,V2,V3\nH1,1,2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ds, err := ReadFile(p, ReadOptions{Layout: LayoutRows})
	if err != nil || ds.Freq != Hourly || ds.Series[0].Freq != Hourly {
		t.Errorf("frequency %v (%v)", ds.Freq, err)
	}
	ds, err = ReadFile(p, ReadOptions{Layout: LayoutRows, Freq: Daily})
	if err != nil || ds.Freq != Daily {
		t.Errorf("--freq overridden: %v (%v)", ds.Freq, err)
	}
}

func TestLoadLSTMFor(t *testing.T) {
	dir := t.TempDir()
	data := randomWalks(2, 40, 6)
	l := &LSTM{Hidden: 4, Layers: 1, Steps: 2, Batch: 2, Paths: 4, Context: 8, Lags: []int{2}}
	if _, err := l.Fit(context.Background(), data, 5); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "m.safetensors")
	if err := l.Save(path, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadLSTMFor(path, data, 5); err != nil {
		t.Errorf("matching data refused: %v", err)
	}
	for _, tc := range []struct {
		data []Series
		h    int
		want string
	}{
		{data, 6, "trained for horizon 5, not 6"},
		{data[:1], 5, "trained on 2 series (Aa, Ba), not on these 1 (Aa)"},
	} {
		if _, err := LoadLSTMFor(path, tc.data, tc.h); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v, want %q", err, tc.want)
		}
	}
	other := filepath.Join(dir, "text.safetensors")
	m := core.NewModel(core.Config{Vocab: 5, Embed: 2, Hidden: 4}, rand.New(rand.NewPCG(1, 1)))
	if err := m.Save(other, map[string]string{core.MetaDomain: "text"}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadLSTMFor(other, data, 5); err == nil || !strings.Contains(err.Error(), `is a "text" model, not a series model`) {
		t.Errorf("text model: %v", err)
	}
}
