// Tests of the forecast job's input: the same series written the ways
// people write it gives the same forecast.

package series

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/arkit-go/arkit/series/table"
)

// monthlyWritings returns one monthly series (month-end dates, values
// that are exact in binary) written as ISO, US, day-first with decimal
// commas and ";", and unsorted with every month split over two rows.
func monthlyWritings() map[string]string {
	var iso, us, eu, split strings.Builder
	iso.WriteString("date,sales\n")
	us.WriteString("date,sales\n")
	eu.WriteString("date;sales\n")
	split.WriteString("date,sales\n")
	var rows []string
	for k := range 48 {
		d := time.Date(2020, time.Month(k+2), 0, 0, 0, 0, 0, time.UTC)
		v := 100.25 + 1.5*float64(k) + 8*float64((k%12+5)%12)
		fmt.Fprintf(&iso, "%s,%g\n", d.Format("2006-01-02"), v)
		fmt.Fprintf(&us, "%s,%g\n", d.Format("01/02/2006"), v)
		fmt.Fprintf(&eu, "%s;%s\n", d.Format("02.01.2006"), strings.Replace(fmt.Sprint(v), ".", ",", 1))
		rows = append(rows, fmt.Sprintf("%s,%g\n", d.Format("2006-01-02"), v-0.5), fmt.Sprintf("%s,%g\n", d.Format("2006-01-02"), 0.5))
	}
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
	split.WriteString(strings.Join(rows, ""))
	return map[string]string{"iso": iso.String(), "us": us.String(), "day-first": eu.String(), "split": split.String()}
}

func TestForecastSameFromEveryWriting(t *testing.T) {
	dir := t.TempDir()
	writings := monthlyWritings()
	forecastOf := func(name string, in Input) string {
		t.Helper()
		out := filepath.Join(dir, name+"-forecast.csv")
		req := ForecastRequest{Input: in, Horizon: 6, Method: "ets", Quantiles: []float64{0.1, 0.5, 0.9}, Out: out}
		if err := Forecast(context.Background(), req); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	want := ""
	for _, tc := range []struct {
		name string
		in   Input
	}{
		{"iso", Input{}},
		{"us", Input{}},
		{"day-first", Input{}},
		{"split", Input{Options: table.ReadOptions{Agg: table.AggSum}}},
		{"stdin", Input{CSV: "-", Stdin: strings.NewReader(writings["iso"])}},
	} {
		in := tc.in
		if in.CSV == "" {
			in.CSV = filepath.Join(dir, tc.name+".csv")
			if err := os.WriteFile(in.CSV, []byte(writings[tc.name]), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		got := forecastOf(tc.name, in)
		if want == "" {
			want = got
			// Date-only input gives date-only output, month ends kept.
			if !regexp.MustCompile(`\nsales,2024-01-31,[0-9.]+,`).MatchString(got) {
				t.Fatalf("forecast of dates is not dated by month ends:\n%s", got)
			}
			continue
		}
		if got != want {
			t.Errorf("%s: forecast differs from the ISO file's:\n%s\nwant\n%s", tc.name, got, want)
		}
	}
}

// A file sorted by id, forecast series by series (Sorted), gives the
// forecast CSV of the in-memory path; a row out of its group is one error
// naming the file and line.
func TestForecastSortedStreams(t *testing.T) {
	dir := t.TempDir()
	var b, few strings.Builder
	b.WriteString("id,date,sales\n")
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range 12 {
		if i == DefaultMinSeries-1 {
			few.WriteString(b.String())
		}
		start := time.Date(2015+i%3, time.Month(1+i%12), 1, 0, 0, 0, 0, time.UTC)
		n := 30 + rng.IntN(30)
		rows := rng.Perm(n) // any time order within a series
		for _, k := range rows {
			v := 50 + float64(i) + 10*float64(k%12) + rng.NormFloat64()
			fmt.Fprintf(&b, "s%02d,%s,%.3f\n", (i*7)%12, start.AddDate(0, k, 0).Format("2006-01-02"), v)
		}
	}
	in := filepath.Join(dir, "sorted.csv")
	if err := os.WriteFile(in, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	// In memory, auto considers the LSTM from DefaultMinSeries series on;
	// streamed, never (it reads a few series at a time): the two agree on
	// a file with fewer series.
	inFew := filepath.Join(dir, "few.csv")
	if err := os.WriteFile(inFew, []byte(few.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, method := range []string{"ets", "snaive", "auto"} {
		file, series := in, 12
		if method == "auto" {
			file, series = inFew, DefaultMinSeries-1
		}
		req := ForecastRequest{Input: Input{CSV: file}, Horizon: 6, Method: method, Quantiles: []float64{0.1, 0.9}, Seed: 2,
			Out: filepath.Join(dir, "memory.csv")}
		if err := Forecast(ctx, req); err != nil {
			t.Fatal(err)
		}
		req.Sorted, req.Out = true, filepath.Join(dir, "stream.csv")
		if err := Forecast(ctx, req); err != nil {
			t.Fatal(err)
		}
		want, _ := os.ReadFile(filepath.Join(dir, "memory.csv"))
		got, _ := os.ReadFile(req.Out)
		if strings.Count(string(want), "\n") != 1+series*6 || string(got) != string(want) {
			t.Errorf("%s: streamed:\n%.300s\nin memory:\n%.300s", method, got, want)
		}
	}

	// s00's rows again after s07's: one error naming the line; no output.
	bad := filepath.Join(dir, "unsorted.csv")
	lines := strings.SplitAfter(b.String(), "\n")
	lines = append(lines[:len(lines)-1], "s00,2030-01-01,1\n")
	if err := os.WriteFile(bad, []byte(strings.Join(lines, "")), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "none.csv")
	err := Forecast(ctx, ForecastRequest{Input: Input{CSV: bad, Sorted: true}, Horizon: 6, Method: "snaive", Out: out})
	want := fmt.Sprintf("series: %s line %d: rows not grouped by id: series \"s00\" has rows up to line", bad, len(lines))
	if err == nil || !strings.HasPrefix(err.Error(), want) || !errors.Is(err, table.ErrNotSorted) {
		t.Errorf("unsorted: %v, want %q...", err, want)
	}
	if _, serr := os.Stat(out); serr == nil {
		t.Error("an unsorted file left a partial forecast")
	}
	// No LSTM, and no network file, in a sorted forecast.
	for _, req := range []ForecastRequest{
		{Input: Input{CSV: in, Sorted: true}, Horizon: 6, Method: "lstm", Out: out},
		{Input: Input{CSV: in, Sorted: true}, Horizon: 6, Method: "snaive", Networks: Networks{Model: "m.safetensors"}, Out: out},
	} {
		var oe *OptionError
		if err := Forecast(ctx, req); !errors.As(err, &oe) || oe.Option != "Sorted" {
			t.Errorf("%s with a network: %v, want a Sorted option error", req.Method, err)
		}
	}
	// A bad cell is named by its line in the file.
	lines = strings.SplitAfter(b.String(), "\n")
	lines[40] = strings.Replace(lines[40], ",", ",x", 2)
	os.WriteFile(bad, []byte(strings.Join(lines, "")), 0o644)
	err = Forecast(ctx, ForecastRequest{Input: Input{CSV: bad, Sorted: true}, Horizon: 6, Method: "snaive", Out: out})
	if want := fmt.Sprintf("series: %s line 41 column", bad); err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("bad cell: %v, want %q...", err, want)
	}
}
