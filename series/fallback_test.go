// Tests of the Fallback wrapper: short series get the baseline, with a
// warning; the model sees every series, and is not run when all are short.

package series

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/arkit-go/arkit/series/classical"
	"github.com/arkit-go/arkit/series/forecast"
	"github.com/arkit-go/arkit/series/table"
)

// countingModel records the series it was asked to forecast.
type countingModel struct{ calls *[][]string }

func (countingModel) Name() string { return "counting" }

func (m countingModel) Forecast(ctx context.Context, train []table.Series, h int, q []float64) ([]forecast.Forecast, error) {
	*m.calls = append(*m.calls, ids(train))
	fcs, err := classical.Drift{}.Forecast(ctx, train, h, q)
	for i := range fcs {
		fcs[i].Model = "counting"
	}
	return fcs, err
}

func TestSeasonalFallback(t *testing.T) {
	ramp := func(id string, n int) table.Series {
		s := table.Series{ID: id}
		for i := range n {
			s.Values = append(s.Values, float64(i%4)+float64(i)/10)
		}
		return s
	}
	train := []table.Series{ramp("long", 20), ramp("one-season", 5), ramp("tiny", 2)}
	var calls [][]string
	var warnings []string
	fb := SeasonalFallback(countingModel{&calls}, 4)
	fb.Warn = func(id, reason string) { warnings = append(warnings, id+": "+reason) }
	if fb.Name() != "counting" {
		t.Errorf("Name %q", fb.Name())
	}
	fcs, err := fb.Forecast(context.Background(), train, 3, []float64{0.1, 0.9})
	if err != nil {
		t.Fatal(err)
	}
	if len(calls) != 1 || !slices.Equal(calls[0], []string{"long", "one-season", "tiny"}) {
		t.Errorf("the model saw %v, want every series once", calls)
	}
	for i, want := range []string{"counting", "snaive(4)", "naive"} {
		if fcs[i].ID != train[i].ID || fcs[i].Model != want || len(fcs[i].Quantiles) != 2 {
			t.Errorf("series %d: %s by %q, want %s by %q", i, fcs[i].ID, fcs[i].Model, train[i].ID, want)
		}
	}
	// snaive(4) repeats the last season.
	if got := fcs[1].Mean; !slices.Equal(got, train[1].Values[1:4]) {
		t.Errorf("snaive forecast %v", got)
	}
	want := []string{
		"one-season: 5 observed values, fewer than 8 (two seasons of 4): forecast by snaive(4) instead of counting",
		"tiny: 2 observed values, fewer than 8 (two seasons of 4): forecast by naive instead of counting",
	}
	if !slices.Equal(warnings, want) {
		t.Errorf("warnings:\n%s\nwant\n%s", strings.Join(warnings, "\n"), strings.Join(want, "\n"))
	}

	// All short: the model is not run.
	calls = nil
	if _, err := fb.Forecast(context.Background(), train[1:], 3, nil); err != nil || len(calls) != 0 {
		t.Errorf("all short: model called %v times, err %v", len(calls), err)
	}
}

func ids(s []table.Series) []string {
	out := make([]string, len(s))
	for i, x := range s {
		out[i] = x.ID
	}
	return out
}
