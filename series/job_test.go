// Tests of the jobs: models by name, the loss curve, the forecast job and
// its hold-out check and report.

package series

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/arkit-go/arkit/core"
	"github.com/arkit-go/arkit/series/classical"
	"github.com/arkit-go/arkit/series/forecast"
	"github.com/arkit-go/arkit/series/lstm"
	"github.com/arkit-go/arkit/series/report"
	"github.com/arkit-go/arkit/series/table"
)

func TestNewForecaster(t *testing.T) {
	for _, name := range ModelNames {
		m, err := NewForecaster(name, 12, 1)
		if err != nil || m.Name() != name {
			t.Errorf("%s: %v, %v", name, m, err)
		}
	}
	if l, _ := NewForecaster("LSTM", 7, 3); l.(*lstm.LSTM).Season != 7 || l.(*lstm.LSTM).Seed != 3 {
		t.Errorf("lstm settings not passed: %+v", l)
	}
	_, err := NewForecaster("prophet", 0, 0)
	if !errors.Is(err, ErrUnknownModel) || !strings.Contains(err.Error(), "choose from lstm, naive, naive2") {
		t.Errorf("unknown model: %v", err)
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
	job := ForecastJob{Data: data, Horizon: 6, Levels: []float64{0.5}, Model: classical.Drift{}, Check: true, Period: 1}
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
	rep, err := ForecastReport("job", &table.Dataset{Series: data, Source: "walks"}, data, res, []float64{2, 1.5, 1}, nil, report.PlotOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Figures) != 3 || len(rep.Scores) != 5 || !strings.Contains(strings.Join(rep.Notes, " "), "drift was fitted without them") {
		t.Errorf("report: %d figures, %d scores, notes %q", len(rep.Figures), len(rep.Scores), rep.Notes)
	}

	// Too short for a hold-out: the check is skipped, the forecast made.
	job.Data = []table.Series{{ID: "s", Values: []float64{1, 2, 3}}}
	job.Horizon = 3
	res, err = job.Run(context.Background())
	if err != nil || res.Check != nil || !strings.Contains(res.Skipped, "too few") || len(res.Forecasts) != 1 {
		t.Errorf("short data: %+v, %v", res, err)
	}
	job.Horizon = 0
	if _, err := job.Run(context.Background()); !errors.Is(err, forecast.ErrHorizon) {
		t.Errorf("horizon 0: %v", err)
	}
}

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

func TestInputReadsStdin(t *testing.T) {
	in := Input{CSV: "-", Stdin: strings.NewReader("date,y\n2024-01-01,1\n2024-02-01,2\n2024-03-01,3\n")}
	ds, err := in.Read()
	if err != nil {
		t.Fatal(err)
	}
	if ds.Source != "standard input" || len(ds.Series) != 1 || ds.Series[0].Len() != 3 || ds.Freq != table.Monthly {
		t.Errorf("read %s: %d series, freq %v", ds.Source, len(ds.Series), ds.Freq)
	}
	if _, err := (Input{}).Read(); err == nil {
		t.Error("an input with neither a file nor the built-in data was read")
	}
}

func TestAutoChoices(t *testing.T) {
	fcs := []forecast.Forecast{{ID: "a", Model: "ets: ETS(A,N,N)"}, {ID: "b", Model: "arima: ARIMA(0,1,1)"}, {ID: "c", Model: "ets: ETS(A,A,N)"}}
	if got, want := AutoChoices(fcs), "auto chose ets for 2 series (a, c); arima for 1 series (b)."; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := AutoChoices([]forecast.Forecast{{ID: "a", Model: "AR(2)"}}); got != "" {
		t.Errorf("not auto: %q", got)
	}
}
