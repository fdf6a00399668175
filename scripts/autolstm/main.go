// Command autolstm measures whether --method auto should consider the
// global LSTM on a file of one short series: each of R's 22 classic series
// (docs/results/2026-12-06-series-auto/r-classics-holdout-r.json) is
// forecast alone over its last h points, by auto with the LSTM among the
// candidates (series.Auto with MinSeries 1) and without it
// (classical.Auto), and both are scored as scripts/r_classics_holdout.R
// scores R (sMAPE; MASE scaled by the in-sample seasonal naive).
//
//	go run ./scripts/autolstm -steps 300
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"math"
	"os"
	"slices"
	"strings"

	"github.com/arkit-go/arkit/core"
	"github.com/arkit-go/arkit/series"
	"github.com/arkit-go/arkit/series/classical"
	"github.com/arkit-go/arkit/series/lstm"
	"github.com/arkit-go/arkit/series/report"
	"github.com/arkit-go/arkit/series/table"
)

func main() {
	file := flag.String("file", "docs/results/2026-12-06-series-auto/r-classics-holdout-r.json", "R hold-out series")
	steps := flag.Int("steps", 300, "LSTM training steps per series")
	only := flag.String("only", "", "comma-separated names: measure these series alone (each series' result does not depend on the others)")
	flag.Parse()
	b, err := os.ReadFile(*file)
	if err != nil {
		log.Fatal(err)
	}
	var rh struct {
		Series []struct {
			Name    string
			Period  float64
			Horizon int
			Values  []float64
		}
	}
	if err := json.Unmarshal(b, &rh); err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	var sums [2][2]float64
	picked := 0
	for _, c := range rh.Series {
		if *only != "" && !slices.Contains(strings.Split(*only, ","), c.Name) {
			continue
		}
		n := len(c.Values) - c.Horizon
		train, test := c.Values[:n], c.Values[n:]
		m := max(1, int(math.Round(c.Period)))
		data := []table.Series{{ID: c.Name, Values: train}}
		with := &series.Auto{Auto: classical.Auto{Period: m}, MinSeries: 1, LSTM: &lstm.LSTM{TrainOptions: lstm.TrainOptions{
			TrainOptions: core.TrainOptions{Steps: *steps, Seed: 1}, Season: m}}}
		fw, err := with.Forecast(ctx, data, c.Horizon, nil)
		if err != nil {
			log.Fatal(err)
		}
		fo, err := classical.Auto{Period: m}.Forecast(ctx, data, c.Horizon, nil)
		if err != nil {
			log.Fatal(err)
		}
		sw, mw := scores(train, test, fw[0].Mean, m)
		so, mo := scores(train, test, fo[0].Mean, m)
		sums[0][0], sums[0][1] = sums[0][0]+sw, sums[0][1]+mw
		sums[1][0], sums[1][1] = sums[1][0]+so, sums[1][1]+mo
		if report.MethodOf(fw[0].Model) != report.MethodOf(fo[0].Model) {
			picked++
		}
		sc := with.Scores[0]
		fmt.Printf("%s\tn=%d h=%d m=%d\twith lstm: %s (sMAPE %.2f, MASE %.3f)\twithout: %s (sMAPE %.2f, MASE %.3f)\tcv %v %.4g\n",
			c.Name, n, c.Horizon, m, report.MethodOf(fw[0].Model), sw, mw, report.MethodOf(fo[0].Model), so, mo, sc.Candidates, sc.MAE)
		if with.Note != "" && with.Net == nil {
			fmt.Printf("\t%s\n", with.Note)
		}
	}
	k := float64(len(rh.Series))
	if *only != "" {
		k = float64(len(strings.Split(*only, ",")))
	}
	fmt.Printf("%.0f series, LSTM %d steps each; the LSTM changed the choice on %d\n", k, *steps, picked)
	fmt.Printf("auto with the lstm: mean sMAPE %.2f, MASE %.3f\n", sums[0][0]/k, sums[0][1]/k)
	fmt.Printf("auto without:       mean sMAPE %.2f, MASE %.3f\n", sums[1][0]/k, sums[1][1]/k)
}

// scores returns sMAPE (percent) and MASE (in-sample seasonal naive
// scale, lag 1 for non-seasonal series) of f against test.
func scores(train, test, f []float64, m int) (smape, mase float64) {
	lag := 1
	if m > 1 && len(train) > m {
		lag = m
	}
	scale := 0.0
	for i := lag; i < len(train); i++ {
		scale += math.Abs(train[i] - train[i-lag])
	}
	scale /= float64(len(train) - lag)
	var s, a float64
	for k, y := range test {
		s += 200 * math.Abs(y-f[k]) / (math.Abs(y) + math.Abs(f[k]))
		a += math.Abs(y - f[k])
	}
	h := float64(len(test))
	return s / h, a / h / scale
}
