// Tests of Auto with the global LSTM: it picks the network where the
// network sees what the local models cannot, and says why it leaves the
// network out when there are too few series.

package series

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/arkit-go/arkit/core"
	"github.com/arkit-go/arkit/series/classical"
	"github.com/arkit-go/arkit/series/lstm"
	"github.com/arkit-go/arkit/series/table"
)

// spikes returns n series of length T sharing one pattern: a level with
// a spike every 8th step, at a phase of their own, and a little noise.
// Auto's local models are told the period is 1 (as M4 scores weekly data
// while the calendar has 52 weeks), so none of them sees the spikes; the
// network, whose base lag is 8, learns that the pattern repeats.
func spikes(n, T int) []table.Series {
	r := rand.New(rand.NewPCG(3, 4))
	out := make([]table.Series, n)
	for i := range out {
		level, phase := 50+10*r.Float64(), r.IntN(8)
		y := make([]float64, T)
		for t := range y {
			y[t] = level + 0.1*r.NormFloat64()
			if (t+phase)%8 == 0 {
				y[t] += 30
			}
		}
		out[i] = table.Series{ID: fmt.Sprint("s", i), Values: y}
	}
	return out
}

func tinyLSTM() *lstm.LSTM {
	return &lstm.LSTM{TrainOptions: lstm.TrainOptions{
		TrainOptions: core.TrainOptions{Steps: 150, LR: 1e-2, Seed: 1},
		Hidden:       8, Layers: 1, Batch: 16, Context: 16, BaseLag: 8, Lags: []int{8}, Embed: lstm.NoEmbed,
	}, Paths: 20}
}

func TestAutoPicksTheLSTM(t *testing.T) {
	data := spikes(12, 96)
	a := &Auto{Auto: classical.Auto{Period: 1}, LSTM: tinyLSTM()}
	fcs, err := a.Forecast(context.Background(), data, 8, []float64{0.1, 0.9})
	if err != nil {
		t.Fatal(err)
	}
	if a.Net == nil || !strings.Contains(a.Note, "considered the global LSTM") {
		t.Fatalf("the LSTM was not a candidate: %q", a.Note)
	}
	picked := 0
	for i, f := range fcs {
		s := a.Scores[i]
		if s.ID != data[i].ID || s.Origins != 3 || len(s.MAE) != len(s.Candidates) {
			t.Fatalf("series %d: scores %+v", i, s)
		}
		if strings.HasPrefix(f.Model, "lstm: ") {
			picked++
		}
	}
	// The network's cross-validated error is a fraction of the local
	// models' on every series, so auto picks it for (nearly) all.
	if picked < len(data)-1 {
		t.Errorf("auto picked the LSTM for %d of %d series; scores of the first: %v %v", picked, len(data), a.Scores[0].Candidates, a.Scores[0].MAE)
	}
	// And the forecast is right: the spikes come back where they should.
	for i, f := range fcs {
		y := data[i].Values
		for k, v := range f.Mean {
			want := y[len(y)-8+k]
			if math.Abs(v-want) > 5 {
				t.Errorf("series %d step %d: forecast %.2f, the pattern says %.2f", i, k, v, want)
				break
			}
		}
	}
}

func TestAutoLeavesTheLSTMOutOfFewSeries(t *testing.T) {
	data := spikes(3, 96)
	a := &Auto{Auto: classical.Auto{Period: 1}, LSTM: tinyLSTM()}
	fcs, err := a.Forecast(context.Background(), data, 8, nil)
	if err != nil {
		t.Fatal(err)
	}
	if a.Net != nil || !strings.Contains(a.Note, "3 series, fewer than the 10") {
		t.Errorf("note %q", a.Note)
	}
	for i, f := range fcs {
		if strings.HasPrefix(f.Model, "lstm") || strings.Contains(strings.Join(a.Scores[i].Candidates, ","), "lstm") {
			t.Errorf("series %d: %s with candidates %v", i, f.Model, a.Scores[i].Candidates)
		}
	}
}

// The reports say it too: a forecast of a file with two series through
// the job the arkit command runs.
func TestAutoReportSaysWhyNoLSTM(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("id,date,value\n")
	for i, s := range spikes(2, 60) {
		for k, v := range s.Values {
			fmt.Fprintf(&b, "%c,%d,%.3f\n", 'a'+i, 2000+k, v)
		}
	}
	in := filepath.Join(dir, "two.csv")
	if err := os.WriteFile(in, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	rep, out := filepath.Join(dir, "r.html"), filepath.Join(dir, "f.csv")
	req := ForecastRequest{Input: Input{CSV: in}, Horizon: 4, Method: "auto", Out: out, Report: rep, Networks: Networks{LSTM: *tinyLSTM()}}
	if err := Forecast(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	html, err := os.ReadFile(rep)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"auto left the global LSTM out: 2 series, fewer than the 10", "auto&#39;s choice of the final forecast", "<th>chosen</th>"} {
		if !strings.Contains(string(html), want) {
			t.Errorf("report lacks %q", want)
		}
	}
	csv, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(strings.SplitN(string(csv), "\n", 2)[0], ",method") {
		t.Errorf("forecast CSV without a method column: %q", strings.SplitN(string(csv), "\n", 2)[0])
	}
}

// Series too short for any history before the first origin: the network
// cannot train, auto says so and forecasts with the local methods.
func TestAutoLSTMWithoutHistory(t *testing.T) {
	data := spikes(12, 20)
	a := &Auto{Auto: classical.Auto{Period: 1}, LSTM: tinyLSTM()}
	fcs, err := a.Forecast(context.Background(), data, 8, nil)
	if err != nil {
		t.Fatal(err)
	}
	if a.Net != nil || !strings.Contains(a.Note, "no series has two values before its first cross-validation origin") || len(fcs) != 12 {
		t.Errorf("note %q, %d forecasts", a.Note, len(fcs))
	}
}

// A hold-out check and the final forecast share one training: the final
// forecast reuses the network trained for the check, which saw none of
// the values the final forecast's origins hold out; a forecast from an
// earlier cut, or for another horizon, trains anew.
func TestAutoReusesItsNetwork(t *testing.T) {
	data := spikes(12, 96)
	trainings := 0
	l := tinyLSTM()
	l.Progress = func(p core.Progress) {
		if p.Step == 1 {
			trainings++
		}
	}
	a := &Auto{Auto: classical.Auto{Period: 1}, LSTM: l}
	job := ForecastJob{Data: data, Horizon: 8, Model: a, Check: true, Period: 1}
	res, err := job.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if res.Check == nil || trainings != 1 {
		t.Fatalf("check %v, %d trainings for the check and the forecast", res.Check != nil, trainings)
	}
	if !strings.Contains(a.Note, "reused the network of its previous forecast") {
		t.Errorf("note %q", a.Note)
	}
	// The network trained for the check saw 96-8-3·8 = 64 values of each
	// series; the final forecast's earliest origin is at 72.
	if got := a.seen[data[0].ID]; got != 64 {
		t.Errorf("the network saw %d values of %s, want 64", got, data[0].ID)
	}
	net := a.Net
	earlier := make([]table.Series, len(data))
	for i, s := range data {
		earlier[i] = cutSeries(s, 80) // earliest origin at 56: the network saw more
	}
	if _, err := a.Forecast(context.Background(), earlier, 8, nil); err != nil {
		t.Fatal(err)
	}
	if trainings != 2 || a.Net == net || strings.Contains(a.Note, "reused") {
		t.Errorf("a forecast from an earlier cut: %d trainings, note %q", trainings, a.Note)
	}
	if _, err := a.Forecast(context.Background(), data, 4, nil); err != nil {
		t.Fatal(err)
	}
	if trainings != 3 {
		t.Errorf("another horizon: %d trainings, want 3", trainings)
	}
}

// --candidates: auto chooses among the methods named, with the LSTM only
// when it is named.
func TestAutoCandidates(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("id,date,value\n")
	for i, s := range spikes(12, 60) {
		for k, v := range s.Values {
			fmt.Fprintf(&b, "s%d,%d,%.3f\n", i, 2000+k, v)
		}
	}
	in := filepath.Join(dir, "twelve.csv")
	if err := os.WriteFile(in, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		cands    []string
		want     []string
		withLSTM bool
	}{
		{[]string{"ets", "theta"}, []string{"<th>ets</th>", "<th>theta</th>"}, false},
		{[]string{"Theta", "lstm"}, []string{"<th>theta</th>", "<th>lstm</th>", "<th>lstm-comb</th>"}, true},
	} {
		rep, out := filepath.Join(dir, "r.html"), filepath.Join(dir, "f.csv")
		req := ForecastRequest{Input: Input{CSV: in}, Horizon: 4, Method: "auto", Candidates: c.cands, Out: out, Report: rep, Networks: Networks{LSTM: *tinyLSTM()}}
		if err := Forecast(context.Background(), req); err != nil {
			t.Fatal(err)
		}
		html, err := os.ReadFile(rep)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range c.want {
			if !strings.Contains(string(html), w) {
				t.Errorf("%v: report lacks %q", c.cands, w)
			}
		}
		for _, not := range []string{"<th>arima</th>", "<th>snaive</th>"} {
			if strings.Contains(string(html), not) {
				t.Errorf("%v: report has %q", c.cands, not)
			}
		}
		if got := strings.Contains(string(html), "considered the global LSTM"); got != c.withLSTM {
			t.Errorf("%v: LSTM considered %v", c.cands, got)
		}
	}
}
