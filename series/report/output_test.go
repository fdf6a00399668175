// Tests of the output files: CSV round trips, the point column, atomic
// writes, malformed input, the score table, levels kept for the outputs,
// outputs written all or nothing.

package report

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/arkit-go/arkit/series/classical"
	"github.com/arkit-go/arkit/series/eval"
	"github.com/arkit-go/arkit/series/forecast"
	"github.com/arkit-go/arkit/series/table"
)

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

func sampleForecasts(t *testing.T, timed bool) []forecast.Forecast {
	t.Helper()
	start := time.Date(2024, 2, 28, 22, 0, 0, 0, time.UTC)
	var train []table.Series
	for _, id := range []string{"north", "south,east"} { // an id that needs quoting
		s := table.Series{ID: id, Values: []float64{1.5, 2.25, 3, 2.5, 4.125}}
		if timed {
			s.Freq = table.Hourly
			for i := range s.Values {
				s.Times = append(s.Times, start.Add(time.Duration(i)*time.Hour))
			}
		}
		train = append(train, s)
	}
	fcs, err := classical.Drift{}.Forecast(context.Background(), train, 4, []float64{0.1, 0.5, 0.9, 0.025})
	if err != nil {
		t.Fatal(err)
	}
	return fcs
}

func TestForecastsCSVRoundTrip(t *testing.T) {
	for _, timed := range []bool{true, false} {
		fcs := sampleForecasts(t, timed)
		var b bytes.Buffer
		if err := WriteForecastsCSV(&b, fcs); err != nil {
			t.Fatal(err)
		}
		head, _, _ := strings.Cut(b.String(), "\n")
		wantHead := "id,step,mean,q0.1,q0.5,q0.9,q0.025"
		if timed {
			wantHead = "id,timestamp,mean,q0.1,q0.5,q0.9,q0.025"
		}
		if head != wantHead {
			t.Errorf("header %q, want %q", head, wantHead)
		}
		back, err := ReadForecastsCSV(&b, "f.csv")
		if err != nil {
			t.Fatal(err)
		}
		if len(back) != len(fcs) {
			t.Fatalf("%d forecasts back, want %d", len(back), len(fcs))
		}
		for i := range fcs {
			a, c := fcs[i], back[i]
			if a.ID != c.ID || !slices.Equal(a.Mean, c.Mean) || !slices.Equal(a.Levels, c.Levels) ||
				!slices.EqualFunc(a.Quantiles, c.Quantiles, slices.Equal) || !slices.EqualFunc(a.Times, c.Times, time.Time.Equal) {
				t.Errorf("forecast %d changed in the round trip:\n%+v\n%+v", i, a, c)
			}
		}
	}
}

// Timestamps keep the input's kind: a date stays a date, a time keeps its
// zone, and each reads back to the same instant.
func TestForecastsCSVTimeLayouts(t *testing.T) {
	zone := time.FixedZone("", -5*3600)
	for _, tc := range []struct {
		layout string
		t      time.Time
		want   string
	}{
		{"2006-01-02", time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC), "a,2023-01-01,1,1\n"},
		{"2006-01-02", time.Date(-6000, 1, 1, 0, 0, 0, 0, time.UTC), "a,-6000-01-01,1,1\n"},
		{"2006-01-02T15:04:05.999999999", time.Date(2023, 1, 1, 10, 30, 0, 5e8, time.UTC), "a,2023-01-01T10:30:00.5,1,1\n"},
		{time.RFC3339Nano, time.Date(2023, 1, 1, 10, 30, 0, 0, zone), "a,2023-01-01T10:30:00-05:00,1,1\n"},
		{"", time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC), "a,2023-01-01T00:00:00Z,1,1\n"},
	} {
		fcs := []forecast.Forecast{{ID: "a", Times: []time.Time{tc.t}, Mean: []float64{1}, Levels: []float64{0.5}, Quantiles: [][]float64{{1}}}}
		var b bytes.Buffer
		if err := (ForecastCSV{TimeLayout: tc.layout}).Write(&b, fcs); err != nil {
			t.Fatal(err)
		}
		if _, rows, _ := strings.Cut(b.String(), "\n"); rows != tc.want {
			t.Errorf("layout %q: %q, want %q", tc.layout, rows, tc.want)
		}
		back, err := ReadForecastsCSV(&b, "f.csv")
		if err != nil || !back[0].Times[0].Equal(tc.t) {
			t.Errorf("layout %q: read back %v, %v; want %v", tc.layout, back, err, tc.t)
		}
	}
}

func TestForecastsCSVPointColumn(t *testing.T) {
	fcs := sampleForecasts(t, false)
	fcs[1].Point = []float64{7, 8, 9, 10}
	var b bytes.Buffer
	if err := WriteForecastsCSV(&b, fcs); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(b.String(), "\n")
	if lines[0] != "id,step,mean,point,q0.1,q0.5,q0.9,q0.025" {
		t.Errorf("header %q", lines[0])
	}
	// A forecast without Point writes its mean there.
	if f := strings.Split(lines[1], ","); f[2] != f[3] {
		t.Errorf("row %q: point differs from mean", lines[1])
	}
	back, err := ReadForecastsCSV(&b, "f.csv")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(back[1].Point, fcs[1].Point) || !slices.Equal(back[0].Point, fcs[0].Mean) ||
		!slices.EqualFunc(back[1].Quantiles, fcs[1].Quantiles, slices.Equal) {
		t.Errorf("round trip: %+v", back[1])
	}
	fcs[0].Point = []float64{1}
	if err := WriteForecastsCSV(io.Discard, fcs); err == nil {
		t.Error("a point forecast of the wrong length was written")
	}
}

func TestSaveForecastsCSVAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.csv")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	fcs := sampleForecasts(t, true)
	if err := SaveForecastsCSV(path, fcs); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	if !strings.HasPrefix(string(b), "id,timestamp,mean") {
		t.Errorf("file starts %q", b[:20])
	}
	// A failing write leaves the old file and no temporary behind.
	bad := slices.Clone(fcs)
	bad[1].Levels = []float64{0.3}
	if err := SaveForecastsCSV(path, bad); err == nil {
		t.Error("inconsistent levels accepted")
	}
	b2, _ := os.ReadFile(path)
	entries, _ := os.ReadDir(dir)
	if !bytes.Equal(b, b2) || len(entries) != 1 {
		t.Errorf("failed write changed the directory: %d entries", len(entries))
	}
	if err := SaveForecastsCSV(filepath.Join(dir, "no", "such", "dir.csv"), fcs); err == nil {
		t.Error("write into a missing directory succeeded")
	}
}

func TestReadForecastsCSVErrors(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		is       error
		line     int
	}{
		{"empty", "", table.ErrEmpty, 0},
		{"header only", "id,step,mean\n", table.ErrEmpty, 0},
		{"bad header", "name,step,mean\n", table.ErrFormat, 1},
		{"bad level", "id,step,mean,q1.5\n", table.ErrFormat, 1},
		{"bad number", "id,step,mean\na,1,x\n", table.ErrNotNumber, 2},
		{"bad step", "id,step,mean\na,2,1\n", table.ErrFormat, 2},
		{"bad time", "id,timestamp,mean\na,yesterday,1\n", table.ErrBadTime, 2},
		{"unsorted time", "id,timestamp,mean\na,2020-01-02T00:00:00Z,1\na,2020-01-01T00:00:00Z,1\n", table.ErrUnsorted, 3},
		{"split series", "id,step,mean\na,1,1\nb,1,1\na,2,1\n", table.ErrFormat, 4},
		{"ragged", "id,step,mean\na,1\n", table.ErrFormat, 2},
	} {
		_, err := ReadForecastsCSV(strings.NewReader(tc.in), "f.csv")
		var pe *table.ParseError
		if !errors.Is(err, tc.is) || !errors.As(err, &pe) || pe.Line != tc.line {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
}

func TestWriteScoresTable(t *testing.T) {
	var b bytes.Buffer
	scores := []eval.Score{{Model: "naive", SMAPE: 43.0031, MASE: 11.6, OWA: 3.593, Coverage80: nan, MAE: 1e7}}
	if err := WriteScoresTable(&b, scores); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{"sMAPE", "naive", "43.003", "11.600", "-", "1e+07"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	path := filepath.Join(t.TempDir(), "scores.json")
	if err := SaveScoresJSON(path, scores); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); !strings.Contains(string(b), `"coverage_80":null`) || strings.Count(string(b), "\n") != len(scores) {
		t.Errorf("scores JSON: %s", b)
	}
}

func FuzzReadForecastsCSV(f *testing.F) {
	f.Add("id,step,mean,q0.1\na,1,1,0.5\na,2,2,1.5\n")
	f.Add("id,timestamp,mean\na,2020-01-01T00:00:00Z,1\nb,2020-01-01T00:00:00Z,2\n")
	f.Add("id,step,mean,q0.5,q0.5\n")
	f.Add("id,step,mean,point,q0.5\na,1,1,0.9,1\n")
	f.Fuzz(func(t *testing.T, in string) {
		fcs, err := ReadForecastsCSV(strings.NewReader(in), "fuzz")
		if err != nil {
			return
		}
		// What reads writes back and reads again to the same.
		var b bytes.Buffer
		if err := WriteForecastsCSV(&b, fcs); err != nil {
			t.Fatalf("rewrite: %v", err)
		}
		again, err := ReadForecastsCSV(&b, "again")
		if err != nil || len(again) != len(fcs) {
			t.Fatalf("reread: %v", err)
		}
		for i := range fcs {
			if !slices.Equal(again[i].Levels, fcs[i].Levels) || len(again[i].Mean) != len(fcs[i].Mean) || len(again[i].Point) != len(fcs[i].Point) {
				t.Fatal("round trip changed the forecasts")
			}
		}
	})
}

var nan = math.NaN()

func TestSelectAndMergeLevels(t *testing.T) {
	if got := forecast.MergeLevels([]float64{0.5, 0.1}, PlotLevels); !slices.Equal(got, []float64{0.5, 0.1, 0.025, 0.9, 0.975}) {
		t.Errorf("MergeLevels %v", got)
	}
	fcs := sampleForecasts(t, false) // levels 0.1, 0.5, 0.9, 0.025
	sel, err := forecast.SelectLevels(fcs, []float64{0.9, 0.1})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(sel[0].Levels, []float64{0.9, 0.1}) || !slices.Equal(sel[0].Quantiles[0], fcs[0].Quantile(0.9)) {
		t.Errorf("SelectLevels: %+v", sel[0])
	}
	if len(fcs[0].Levels) != 4 {
		t.Error("SelectLevels changed its input")
	}
	if _, err := forecast.SelectLevels(fcs, []float64{0.3}); err == nil {
		t.Error("a missing level was selected")
	}
}

// TestForecastCSVMethodColumn: with Method, the CSV names each series'
// method (what --method auto chose), and reading it back keeps it.
func TestForecastCSVMethodColumn(t *testing.T) {
	fcs := []forecast.Forecast{
		{ID: "a", Model: "ets: ETS(A,N,N)", Mean: []float64{1, 2}, Levels: []float64{0.5}, Quantiles: [][]float64{{1, 2}}},
		{ID: "b", Model: "snaive", Mean: []float64{3, 4}, Levels: []float64{0.5}, Quantiles: [][]float64{{3, 4}}},
	}
	var b strings.Builder
	if err := (ForecastCSV{Method: true}).Write(&b, fcs); err != nil {
		t.Fatal(err)
	}
	want := "id,step,mean,q0.5,method\na,1,1,1,ets\na,2,2,2,ets\nb,1,3,3,snaive\nb,2,4,4,snaive\n"
	if b.String() != want {
		t.Fatalf("got\n%s\nwant\n%s", b.String(), want)
	}
	back, err := ReadForecastsCSV(strings.NewReader(b.String()), "f.csv")
	if err != nil {
		t.Fatal(err)
	}
	if len(back) != 2 || back[0].Model != "ets" || back[1].Model != "snaive" || back[1].Quantiles[0][1] != 4 {
		t.Fatalf("read back %+v", back)
	}
}
