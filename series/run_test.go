// Tests of the forecast job's input: the same series written the ways
// people write it gives the same forecast.

package series

import (
	"context"
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
