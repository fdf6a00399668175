// End-to-end tests of arkit series: the bad-input rows (one clear line, a
// non-zero exit, no stack trace, none of --out, --plot, --report left
// behind) and quick runs of forecast and backtest, the LSTM included.

package main

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/arkit-go/arkit/core"
)

// monthlyCSV is a long file of two monthly series with a yearly cycle and
// a price covariate: north has n points, south the first short of them.
func monthlyCSV(n, short int) string {
	var b strings.Builder
	b.WriteString("store,month,sales,price\n")
	for _, st := range []struct {
		store string
		n     int
	}{{"north", n}, {"south", short}} {
		for i := range st.n {
			fmt.Fprintf(&b, "%s,%d-%02d-01,%g,%g\n", st.store, 2020+i/12, 1+i%12, 100+10*float64(i%12%4)+float64(i), 1+float64(i%3)/10)
		}
	}
	return b.String()
}

// withOutputs makes a row's setup also check, before the row's folder is
// removed, that none of the given outputs (or their temporary files) is
// there.
func withOutputs(r badInput, outs ...string) badInput {
	setup := r.setup
	r.setup = func(t *testing.T, dir string) {
		if setup != nil {
			setup(t, dir)
		}
		t.Cleanup(func() {
			for _, o := range outs {
				if _, err := os.Stat(filepath.Join(dir, o)); err == nil {
					t.Errorf("%s was left behind", o)
				}
				if m, _ := filepath.Glob(filepath.Join(dir, "."+o+".tmp*")); len(m) > 0 {
					t.Errorf("temporary files left behind: %v", m)
				}
			}
		})
	}
	return r
}

// seriesFile writes dir/name.
func seriesFile(name, data string) func(t *testing.T, dir string) {
	return func(t *testing.T, dir string) { writeFile(t, filepath.Join(dir, name), []byte(data)) }
}

// foreignModel writes a core model of the text domain to dir/name.
func foreignModel(t *testing.T, dir, name string) {
	t.Helper()
	m := core.NewModel(core.Config{Vocab: 5, Embed: 2, Hidden: 4}, rand.New(rand.NewPCG(1, 1)))
	if err := m.Save(filepath.Join(dir, name), map[string]string{core.MetaDomain: "text"}, nil); err != nil {
		t.Fatal(err)
	}
}

func TestSeriesBadInputs(t *testing.T) {
	good := seriesFile("d.csv", "month,y\n2024-01-01,1\n2024-02-01,2\n2024-03-01,3\n2024-04-01,4\n")
	fc := func(extra ...string) []string {
		return append([]string{"series", "forecast", "--csv", "d.csv", "--out", "f.csv", "--plot", "f.png", "--report", "r.html"}, extra...)
	}
	bt := func(extra ...string) []string {
		return append([]string{"series", "backtest", "--csv", "d.csv", "--plot", "f.png", "--report", "r.html"}, extra...)
	}
	rows := []badInput{
		// Input files.
		{name: "unknown column", setup: good, args: fc("--value", "sales", "--horizon", "2", "--method", "naive"),
			want: `column "sales": unknown column for a value; the columns are month, y`},
		{name: "non-numeric value", setup: seriesFile("d.csv", "month,y\n2024-01-01,1\n2024-02-01,two\n"),
			args: fc("--horizon", "2", "--method", "naive"), want: `d.csv line 3 column "y": not a number: "two"`},
		{name: "duplicate timestamp", setup: seriesFile("d.csv", "month,y\n2024-01-01,1\n2024-02-01,2\n2024-02-01,3\n"),
			args: fc("--horizon", "2", "--method", "naive"), want: "d.csv line 4: duplicate timestamp: series \"y\": 2024-02-01 already on line 3; to combine such rows give an aggregation (--agg sum"},
		{name: "ambiguous day and month", setup: seriesFile("d.csv", "date,y\n01/02/2024,1\n01/03/2024,2\n01/04/2024,3\n"),
			args: fc("--horizon", "2", "--method", "naive"), want: `d.csv line 2 column "date": bad timestamp: ambiguous dates: "01/02/2024" is 2 Jan 2024 (month-first, daily) or 1 Feb 2024 (day-first, monthly); give the format: --time-format`},
		{name: "date not in the column's format", setup: seriesFile("d.csv", "date,y\n01/31/2024,1\n02/29/2024,2\n2024-03-31,3\n"),
			args: fc("--horizon", "2", "--method", "naive"), want: `d.csv line 4 column "date": bad timestamp: "2024-03-31" is not in the column's format MM/DD/YYYY`},
		{name: "day-first date in a month-first column", setup: seriesFile("d.csv", "date,y\n01/31/2024,1\n29/02/2024,2\n"),
			args: fc("--horizon", "2", "--method", "naive"), want: `d.csv line 3 column "date": bad timestamp: "29/02/2024"`},
		{name: "date-like but no date", setup: seriesFile("d.csv", "date,y\n2024-13-45,1\n2024-14-45,2\n"),
			args: fc("--horizon", "2", "--method", "naive"), want: `d.csv line 2 column "date": bad timestamp: "2024-13-45" looks like a date but is in no known date format`},
		{name: "unknown date format", setup: seriesFile("d.csv", "date,y\nyesterday,1\ntoday,2\n"),
			args: fc("--time", "date", "--horizon", "2", "--method", "naive"), want: `d.csv line 2 column "date": bad timestamp: "yesterday" is in no known date format`},
		{name: "missing date", setup: seriesFile("d.csv", "date,y\n2024-01-01,1\n,2\n"),
			args: fc("--horizon", "2", "--method", "naive"), want: `d.csv line 3 column "date": bad timestamp: missing timestamp`},
		{name: "time format does not fit", setup: good, args: fc("--time-format", "%d/%m/%Y", "--horizon", "2", "--method", "naive"),
			want: `d.csv line 2 column "month": bad timestamp: "2024-01-01" does not match the time format "%d/%m/%Y"`},
		{name: "bad time format", setup: good, args: fc("--time-format", "%d/%q/%Y", "--horizon", "2", "--method", "naive"),
			want: "--time-format: series: time format \"%d/%q/%Y\": unknown directive %q"},
		{name: "time format without year", setup: good, args: fc("--time-format", "%d/%m", "--horizon", "2", "--method", "naive"),
			want: "has no year"},
		{name: "bad aggregation", setup: good, args: fc("--agg", "avg", "--horizon", "2", "--method", "naive"),
			want: `--agg "avg": want sum, mean, median, min, max, first, last or count`},
		{name: "bad decimal mark", setup: good, args: fc("--decimal", ";", "--horizon", "2", "--method", "naive"),
			want: `--decimal ";": want . or ,`},
		{name: "thousands separator or decimal mark", setup: seriesFile("d.csv", "month;y\n2024-01-01;1.234\n2024-02-01;2,5\n"),
			args: fc("--horizon", "2", "--method", "naive"), want: `d.csv line 2 column "y": not a number: "1.234": is "." a thousands separator or a decimal mark? give the decimal mark (--decimal`},
		{name: "decimal comma in a comma file", setup: seriesFile("d.csv", "month,y\n2024-01-01,\"1,5\"\n2024-02-01,2.5\n"),
			args: fc("--horizon", "2", "--method", "naive"), want: `not a number: "1,5" (a decimal comma? give --decimal ,`},
		{name: "all values missing", setup: seriesFile("d.csv", "month,y\n2024-01-01,NA\n2024-02-01,\n"),
			args: fc("--horizon", "2", "--method", "naive"), want: `series "y": all values missing`},
		{name: "empty file", setup: seriesFile("d.csv", ""),
			args: fc("--horizon", "2", "--method", "naive"), want: "d.csv: no data: empty file"},
		{name: "missing file", args: fc("--horizon", "2", "--method", "naive"), want: "d.csv: no such file"},
		{name: "no input", args: []string{"series", "forecast", "--horizon", "2", "--out", "f.csv"}, want: "give exactly one of --csv PATH or --builtin"},
		{name: "bad layout", setup: good, args: fc("--horizon", "2", "--layout", "tall"), want: `--layout "tall": want long, wide or rows`},
		{name: "sorted but not", setup: seriesFile("d.csv", "id,month,y\na,2024-01-01,1\nb,2024-01-01,2\na,2024-02-01,3\n"),
			args: []string{"series", "forecast", "--csv", "d.csv", "--out", "f.csv", "--horizon", "1", "--method", "naive", "--sorted"}, out: "f.csv",
			want: `d.csv line 4: rows not grouped by id: series "a" has rows up to line 2, then others, then this one: the file is not sorted by id`},
		{name: "sorted with a plot", setup: good, args: fc("--horizon", "2", "--method", "naive", "--sorted"),
			want: "--sorted: writes the forecast CSV alone: a plot or a report needs every series at once"},
		// The request.
		{name: "horizon 0", setup: good, args: fc("--horizon", "0", "--method", "naive"), want: "--horizon 0: give the number of steps"},
		{name: "horizon over 10x the series", setup: good, args: fc("--horizon", "41", "--method", "naive"),
			want: "horizon 41 is too long: at most 100000 steps and at most 10 times the longest series (4 points)"},
		{name: "horizon over 100000", setup: good, args: fc("--horizon", "100001", "--method", "naive"), want: "horizon 100001 is too long"},
		{name: "unknown model", setup: good, args: fc("--horizon", "2", "--method", "prophet"),
			want: `unknown model "prophet" (choose from lstm, naive, naive2, snaive, drift, ar, ets, theta, arima, auto)`},
		{name: "quantile out of range", setup: good, args: fc("--horizon", "2", "--method", "naive", "--quantiles", "0.1,1.5"),
			want: "--quantiles: series: quantile level 1.5 is not in (0, 1)"},
		{name: "quantile not a number", setup: good, args: fc("--horizon", "2", "--method", "naive", "--quantiles", "0.1,half"),
			want: `--quantiles: "half" is not a number`},
		{name: "quantile twice", setup: good, args: fc("--horizon", "2", "--method", "naive", "--quantiles", "0.5,0.5"),
			want: "quantile level 0.5 requested twice"},
		{name: "plot extension", setup: good,
			args: []string{"series", "forecast", "--csv", "d.csv", "--horizon", "2", "--method", "naive", "--out", "f.csv", "--plot", "f.gif"},
			want: `--plot: series: f.gif: unknown image format ".gif" (want .png, .svg or .pdf)`, out: "f.gif"},
		{name: "output folder missing", setup: good, args: fc("--horizon", "2", "--method", "naive", "--out", "no/f.csv"),
			want: "--out: no/f.csv: folder no does not exist"},
		{name: "two outputs one file", setup: good,
			args: []string{"series", "forecast", "--csv", "d.csv", "--horizon", "2", "--out", "f.png", "--plot", "f.png"},
			want: "--plot: f.png is also the out file"},
		// Models.
		{name: "load a text model",
			setup: func(t *testing.T, dir string) { good(t, dir); foreignModel(t, dir, "text.safetensors") },
			args:  fc("--horizon", "2", "--model", "text.safetensors"), want: `--model: series: text.safetensors is a "text" model, not a series model`},
		{name: "load a missing model", setup: good, args: fc("--horizon", "2", "--model", "none.safetensors"), want: "none.safetensors"},
		{name: "save with a baseline", setup: good, args: fc("--horizon", "2", "--method", "ets", "--save", "m.safetensors"),
			want: "--save and --model need --method lstm"},
		{name: "save file exists", setup: func(t *testing.T, dir string) {
			good(t, dir)
			writeFile(t, filepath.Join(dir, "old.safetensors"), []byte("x"))
		},
			args: fc("--horizon", "2", "--save", "old.safetensors"),
			want: "--save: series: old.safetensors already exists: give --resume to continue its training or --force to replace it"},
		{name: "resume without save", setup: good, args: fc("--horizon", "2", "--resume"), want: "--resume needs --save, the model file to continue"},
		{name: "resume and force", setup: good, args: fc("--horizon", "2", "--save", "m.safetensors", "--resume", "--force"),
			want: "--resume and --force exclude each other"},
		{name: "save with no series to train on", setup: good, args: fc("--horizon", "2", "--save", "m.safetensors", "--steps", "1"),
			want: "--save: series: no network was trained: every series is too short for the lstm"},
		{name: "validation settings", setup: good, args: fc("--horizon", "2", "--val-every", "10"),
			want: "flag provided but not defined: -val-every"},
		{name: "bad embed", setup: good, args: fc("--horizon", "2", "--embed", "-2"), want: "--embed -2: want -1, 0 or a width"},
		{name: "bad likelihood", setup: good, args: fc("--horizon", "2", "--likelihood", "poisson"), want: `--likelihood "poisson": want studentt or gaussian`},
		{name: "bad dropout", setup: good, args: fc("--horizon", "2", "--dropout", "1"), want: "--dropout 1 must be in [0, 1)"},
		{name: "bad point forecast", setup: good, args: fc("--horizon", "2", "--point", "mode"), want: `--point "mode": want median or path`},
		{name: "bad base lag", setup: good, args: fc("--horizon", "2", "--base-lag", "-3"), want: "--base-lag -3: want -1, 0 or a number of steps"},
		{name: "bad scale window", setup: good, args: fc("--horizon", "2", "--scale-window", "-2"), want: "--scale-window -2: want -1, 0 or a number of points"},
		// Covariates.
		{name: "covariates without future", setup: seriesFile("d.csv", monthlyCSV(30, 30)),
			args: fc("--id", "store", "--value", "sales", "--covariates", "price", "--horizon", "3"),
			want: "--future: covariates need their values over the horizon"},
		{name: "future too short",
			setup: func(t *testing.T, dir string) {
				seriesFile("d.csv", monthlyCSV(30, 30))(t, dir)
				seriesFile("next.csv", "store,month,price\nnorth,2022-07-01,1\nsouth,2022-07-01,1\n")(t, dir)
			},
			args: fc("--id", "store", "--value", "sales", "--covariates", "price", "--future", "next.csv", "--horizon", "3"),
			want: `--future: series: next.csv: future covariates: no row for series "north" at 2022-08-01T00:00:00Z (step 2 of the horizon 3)`},
		{name: "future without covariates", setup: good, args: fc("--horizon", "2", "--future", "next.csv"),
			want: "--future: needs covariates naming the columns to read"},
		{name: "unknown auto candidate", setup: good, args: fc("--horizon", "2", "--method", "auto", "--candidates", "ets,prophet"),
			want: `--candidates: unknown candidate "prophet" (choose from ets, arima, theta, snaive, drift, comb, ar, lstm)`},
		{name: "auto candidates without auto", setup: good, args: fc("--horizon", "2", "--method", "ets", "--candidates", "ets,theta"),
			want: "--candidates: only the auto method has candidates, and it is not among the methods"},
		{name: "auto candidate lstm alone", setup: good, args: fc("--horizon", "2", "--method", "auto", "--candidates", "lstm"),
			want: "--candidates: names no local method for auto to choose from beside the lstm (for the network alone, use the lstm method)"},
		{name: "sorted auto with the lstm", setup: good,
			args: []string{"series", "forecast", "--csv", "d.csv", "--sorted", "--horizon", "2", "--method", "auto", "--candidates", "ets,lstm"},
			want: "--candidates: names the lstm, which sorted streaming leaves out: the lstm learns from every series at once"},
		// Backtest.
		{name: "backtest auto candidate twice", setup: good, args: bt("--horizon", "2", "--method", "auto,naive", "--candidates", "ets,theta,ets"),
			want: "--candidates: ets named twice"},
		{name: "backtest unknown model", setup: good, args: bt("--horizon", "2", "--method", "naive,prophet"), want: `unknown model "prophet"`},
		{name: "backtest model twice", setup: good, args: bt("--horizon", "2", "--method", "naive,naive"), want: "--method: naive named twice"},
		{name: "backtest too short", setup: good, args: bt("--horizon", "2", "--method", "naive", "--origins", "3"),
			want: `series "y" has 4 points, too few for horizon 2 with 3 origins 2 apart`},
		{name: "backtest test file lacks a series",
			setup: func(t *testing.T, dir string) {
				seriesFile("Weekly-train.csv", "V1,V2,V3,V4\nW1,1,2,3\nW2,4,5,6\n")(t, dir)
				seriesFile("Weekly-test.csv", "V1,V2\nW1,4\n")(t, dir)
			},
			args: []string{"series", "backtest", "--csv", "Weekly-train.csv", "--test", "Weekly-test.csv", "--layout", "rows", "--horizon", "1",
				"--method", "naive", "--plot", "f.png", "--report", "r.html"},
			want: `--test: series: Weekly-test.csv has no series "W2"`},
		{name: "backtest test longer than horizon",
			setup: func(t *testing.T, dir string) {
				seriesFile("Weekly-train.csv", "V1,V2,V3,V4\nW1,1,2,3\n")(t, dir)
				seriesFile("Weekly-test.csv", "V1,V2,V3\nW1,4,5\n")(t, dir)
			},
			args: []string{"series", "backtest", "--csv", "Weekly-train.csv", "--test", "Weekly-test.csv", "--horizon", "1",
				"--method", "naive", "--plot", "f.png", "--report", "r.html"},
			want: `test series "W1" has 2 points, more than the horizon 1`},
		{name: "backtest origins with test", setup: good, args: bt("--horizon", "1", "--test", "t.csv", "--origins", "2"),
			want: "--origins: needs no test file"},
	}
	for i := range rows {
		rows[i] = withOutputs(rows[i], "f.csv", "f.png", "r.html", "m.safetensors")
	}
	checkBadInputs(t, rows)
}

func TestSeriesForecastAndBacktest(t *testing.T) {
	dir := t.TempDir()
	stdout, stderr, code := runArkit(t, dir, "series", "forecast", "--builtin", "--horizon", "12", "--method", "snaive",
		"--quantiles", "0.05,0.5,0.95", "--out", "f.csv", "--plot", "f.svg", "--report", "r.html")
	if code != 0 {
		t.Fatalf("forecast: exit %d: %s", code, stderr)
	}
	csv, _ := os.ReadFile(filepath.Join(dir, "f.csv"))
	lines := strings.Split(strings.TrimSpace(string(csv)), "\n")
	if stdout != "" || len(lines) != 13 || lines[0] != "id,timestamp,mean,q0.05,q0.5,q0.95" ||
		!strings.HasPrefix(lines[1], "elec_equip,2016-06-01,") {
		t.Errorf("forecast CSV:\n%s", csv)
	}
	svg, _ := os.ReadFile(filepath.Join(dir, "f.svg"))
	html, _ := os.ReadFile(filepath.Join(dir, "r.html"))
	if !strings.Contains(string(svg), "<svg") || !strings.Contains(string(html), "<td>theta</td>") ||
		!strings.Contains(string(html), "On the hold-out snaive") {
		t.Errorf("plot or report incomplete (%d, %d bytes)", len(svg), len(html))
	}

	// M4-style files: one series per row, the test values in a second
	// file; the frequency comes from the name.
	writeFile(t, filepath.Join(dir, "Hourly-train.csv"), []byte(hourlyRows(3, 0, 24*5)))
	writeFile(t, filepath.Join(dir, "Hourly-test.csv"), []byte(hourlyRows(3, 24*5, 24)))
	stdout, stderr, code = runArkit(t, dir, "series", "backtest", "--csv", "Hourly-train.csv", "--test", "Hourly-test.csv",
		"--layout", "rows", "--horizon", "24", "--method", "snaive,theta", "--json")
	if code != 0 {
		t.Fatalf("backtest: exit %d: %s", code, stderr)
	}
	var scores []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(stdout), "\n") {
		var s map[string]any
		if err := json.Unmarshal([]byte(line), &s); err != nil {
			t.Fatalf("backtest --json: a line is not one JSON object: %v\n%s", err, stdout)
		}
		scores = append(scores, s)
	}
	var names []string
	for _, s := range scores {
		names = append(names, s["model"].(string))
		for _, k := range []string{"smape", "mase", "mae", "rmse", "coverage_80", "owa"} {
			if _, ok := s[k]; !ok {
				t.Errorf("%s lacks %s", s["model"], k)
			}
		}
	}
	// snaive(24) repeats the cycle exactly: a perfect forecast.
	if strings.Join(names, ",") != "snaive,theta,naive2" || scores[0]["smape"].(float64) != 0 || scores[2]["owa"].(float64) != 1 {
		t.Errorf("scores %v", scores)
	}
}

// hourlyRows writes, in the M4 layout, the points [from, from+length) of
// n series with a daily cycle.
func hourlyRows(n, from, length int) string {
	var b strings.Builder
	b.WriteString("V1")
	for i := range length {
		fmt.Fprintf(&b, ",V%d", i+2)
	}
	b.WriteString("\n")
	for k := range n {
		fmt.Fprintf(&b, "H%d", k+1)
		for i := from; i < from+length; i++ {
			fmt.Fprintf(&b, ",%d", 10+k+i%24)
		}
		b.WriteString("\n")
	}
	return b.String()
}

func TestSeriesLSTMSaveLoad(t *testing.T) {
	dir := t.TempDir()
	// north is long; south has only 12 points, fewer than two seasons.
	writeFile(t, filepath.Join(dir, "d.csv"), []byte(monthlyCSV(36, 12)))
	tiny := []string{"--csv", "d.csv", "--id", "store", "--value", "sales", "--horizon", "6", "--hidden", "4", "--layers", "1",
		"--steps", "3", "--batch", "4", "--paths", "20", "--quiet"}
	_, stderr, code := runArkit(t, dir, append([]string{"series", "forecast", "--save", "m.safetensors", "--out", "a.csv", "--report", "r.html"}, tiny...)...)
	if code != 0 {
		t.Fatalf("forecast: exit %d: %s", code, stderr)
	}
	want := `arkit: warning: series "south": 12 observed values, fewer than 24 (two seasons of 12): forecast by snaive(12) instead of lstm`
	if strings.TrimSpace(stderr) != want {
		t.Errorf("stderr %q, want %q", stderr, want)
	}
	html, _ := os.ReadFile(filepath.Join(dir, "r.html"))
	if !strings.Contains(string(html), "Training loss") || !strings.Contains(string(html), "<td>lstm</td>") {
		t.Error("report lacks the loss plot or the lstm score")
	}
	_, stderr, code = runArkit(t, dir, append([]string{"series", "forecast", "--model", "m.safetensors", "--out", "b.csv"}, tiny...)...)
	if code != 0 {
		t.Fatalf("forecast --load: exit %d: %s", code, stderr)
	}
	a, _ := os.ReadFile(filepath.Join(dir, "a.csv"))
	b, _ := os.ReadFile(filepath.Join(dir, "b.csv"))
	if len(a) == 0 || string(a) != string(b) {
		t.Errorf("the loaded network forecasts differently:\n%s\n%s", a, b)
	}
	_, stderr, code = runArkit(t, dir, append(append([]string{"series", "forecast", "--model", "m.safetensors", "--out", "c.csv"}, tiny...), "--horizon", "5")...)
	if code == 0 || !strings.Contains(stderr, "was trained for horizon 6, not 5") {
		t.Errorf("a horizon the network was not trained for: exit %d, %q", code, stderr)
	}
}

// --save is the model file of the training run: --resume continues it (a
// run of 3 steps resumed to 6 forecasts as a run of 6 with a constant
// learning rate), a different setting is refused, and an existing file is
// replaced only with --force.
func TestSeriesLSTMResume(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "d.csv"), []byte(monthlyCSV(36, 36)))
	run := func(extra ...string) (string, int) {
		args := append([]string{"series", "forecast", "--csv", "d.csv", "--id", "store", "--value", "sales", "--horizon", "6",
			"--hidden", "4", "--layers", "1", "--batch", "4", "--paths", "20", "--decay", "constant", "--warmup", "1", "--quiet"}, extra...)
		_, stderr, code := runArkit(t, dir, args...)
		return stderr, code
	}
	if stderr, code := run("--steps", "6", "--save", "a.safetensors", "--out", "a.csv"); code != 0 {
		t.Fatalf("whole run: exit %d: %s", code, stderr)
	}
	if stderr, code := run("--steps", "3", "--save", "b.safetensors", "--out", "b.csv"); code != 0 {
		t.Fatalf("first part: exit %d: %s", code, stderr)
	}
	if stderr, code := run("--steps", "6", "--save", "b.safetensors", "--out", "b.csv", "--resume"); code != 0 {
		t.Fatalf("resumed: exit %d: %s", code, stderr)
	}
	a, _ := os.ReadFile(filepath.Join(dir, "a.csv"))
	b, _ := os.ReadFile(filepath.Join(dir, "b.csv"))
	if len(a) == 0 || string(a) != string(b) {
		t.Errorf("the resumed run forecasts differently:\n%s\n%s", a, b)
	}
	if stderr, code := run("--steps", "8", "--save", "b.safetensors", "--out", "b.csv", "--resume", "--hidden", "8"); code == 0 ||
		!strings.Contains(stderr, "cannot resume with hidden 8: the run started with 4") {
		t.Errorf("resumed with another width: exit %d, %q", code, stderr)
	}
	if stderr, code := run("--steps", "2", "--save", "b.safetensors", "--out", "b.csv", "--force"); code != 0 {
		t.Errorf("--force: exit %d: %s", code, stderr)
	}
}

// TestSeriesForecastSameFromEveryWriting: one monthly series written in
// ISO, US order, day-first with decimal commas and ";", unsorted with
// each month split over two rows (--agg sum), and piped through standard
// input gives one forecast, dated as the input was.
func TestSeriesForecastSameFromEveryWriting(t *testing.T) {
	dir := t.TempDir()
	var iso, us, eu strings.Builder
	var split []string
	for k := range 36 {
		d := time.Date(2021, time.Month(k+2), 0, 0, 0, 0, 0, time.UTC)
		v := 50.25 + 2*float64(k) + 4*float64(k%12)
		fmt.Fprintf(&iso, "%s,%g\n", d.Format("2006-01-02"), v)
		fmt.Fprintf(&us, "%s,%g\n", d.Format("1/2/2006"), v)
		fmt.Fprintf(&eu, "%s;%s\n", d.Format("02.01.2006"), strings.Replace(fmt.Sprint(v), ".", ",", 1))
		split = append(split, fmt.Sprintf("%s,%g\n", d.Format("2006-01-02"), v-0.25), fmt.Sprintf("%s,0.25\n", d.Format("2006-01-02")))
	}
	rand.New(rand.NewPCG(3, 4)).Shuffle(len(split), func(i, j int) { split[i], split[j] = split[j], split[i] })
	writeFile(t, filepath.Join(dir, "iso.csv"), []byte("month,y\n"+iso.String()))
	writeFile(t, filepath.Join(dir, "us.csv"), []byte("month,y\n"+us.String()))
	writeFile(t, filepath.Join(dir, "eu.csv"), []byte("month;y\n"+eu.String()))
	writeFile(t, filepath.Join(dir, "split.csv"), []byte("month,y\n"+strings.Join(split, "")))
	args := []string{"series", "forecast", "--horizon", "4", "--method", "theta", "--csv"}
	want := ""
	for _, run := range [][]string{
		append(args, "iso.csv"), append(args, "us.csv"), append(args, "eu.csv"), append(args, "split.csv", "--agg", "sum"),
	} {
		stdout, stderr, code := runArkit(t, dir, run...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", run, code, stderr)
		}
		if want == "" {
			want = stdout
			if !strings.Contains(want, "\ny,2024-01-31,") {
				t.Fatalf("forecast not dated by month ends as the input:\n%s", want)
			}
		} else if stdout != want {
			t.Errorf("%v:\n%s\nwant\n%s", run, stdout, want)
		}
	}
	cmd := exec.Command(arkitBin, append(args, "-")...)
	cmd.Dir, cmd.Stdin = dir, strings.NewReader("month,y\n"+iso.String())
	out, err := cmd.Output()
	if err != nil || string(out) != want {
		t.Errorf("standard input: %v\n%s\nwant\n%s", err, out, want)
	}
}

// TestSeriesExtendedYears: R's treering starts in -6000; such dates and
// bare years (in a column named year) read and come back as dates.
func TestSeriesExtendedYears(t *testing.T) {
	dir := t.TempDir()
	var iso, bare strings.Builder
	iso.WriteString("date,ring\n")
	bare.WriteString("year,ring\n")
	for k := range 30 {
		fmt.Fprintf(&iso, "%d-01-01,%g\n", -6000+k, 1+0.5*float64(k%3))
		fmt.Fprintf(&bare, "%d,%g\n", -6000+k, 1+0.5*float64(k%3))
	}
	writeFile(t, filepath.Join(dir, "iso.csv"), []byte(iso.String()))
	writeFile(t, filepath.Join(dir, "bare.csv"), []byte(bare.String()))
	for _, args := range [][]string{{"--csv", "iso.csv", "--time", "date"}, {"--csv", "iso.csv"}, {"--csv", "bare.csv"}} {
		stdout, stderr, code := runArkit(t, dir, append([]string{"series", "forecast", "--horizon", "2", "--method", "naive"}, args...)...)
		if code != 0 || !strings.Contains(stdout, "\nring,-5970-01-01,") {
			t.Errorf("%v: exit %d: %s%s", args, code, stderr, stdout)
		}
	}
}

// --sorted streams a file grouped by id and writes what the in-memory run
// writes.
func TestSeriesForecastSorted(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "d.csv"), []byte(monthlyCSV(36, 30)))
	args := []string{"series", "forecast", "--csv", "d.csv", "--id", "store", "--value", "sales", "--horizon", "6", "--method", "ets"}
	for _, extra := range [][]string{{"--out", "a.csv"}, {"--out", "b.csv", "--sorted"}} {
		if _, stderr, code := runArkit(t, dir, append(args, extra...)...); code != 0 {
			t.Fatalf("%v: exit %d: %s", extra, code, stderr)
		}
	}
	a, _ := os.ReadFile(filepath.Join(dir, "a.csv"))
	b, _ := os.ReadFile(filepath.Join(dir, "b.csv"))
	if strings.Count(string(a), "\n") != 13 || string(a) != string(b) {
		t.Errorf("--sorted wrote\n%s\nwant\n%s", b, a)
	}
}
