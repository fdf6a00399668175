// Command series is a walk through arkit's forecasting library on the
// built-in data: Eurostat's monthly index of electrical-equipment
// manufacturing (257 months, 1995 to 2016). It holds out the last 24
// months, forecasts them with the global LSTM (a DeepAR-style network,
// trained here on a small budget) and with two classical baselines,
// prints the M4 accuracy measures of each, and draws the LSTM's forecast
// against what happened.
//
//	go run ./examples/series                      # about 15 seconds on 2 cores
//	go run ./examples/series -steps 2000 -out /tmp/elecequip.svg
//
// Everything here is the series library API; the arkit command offers the
// same steps as "arkit series forecast" and "arkit series backtest".
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/arkit-go/arkit/core"
	"github.com/arkit-go/arkit/series/classical"
	"github.com/arkit-go/arkit/series/eval"
	"github.com/arkit-go/arkit/series/forecast"
	"github.com/arkit-go/arkit/series/lstm"
	"github.com/arkit-go/arkit/series/report"
	"github.com/arkit-go/arkit/series/table"
)

func main() {
	steps := flag.Int("steps", 300, "LSTM training steps")
	out := flag.String("out", filepath.Join(os.TempDir(), "elecequip.png"), "plot to write (.png, .svg or .pdf)")
	seed := flag.Uint64("seed", 1, "random seed of the LSTM")
	flag.Parse()
	log.SetFlags(0)
	ctx := context.Background()

	// 1. Data: one monthly series with a yearly cycle (season 12).
	ds, err := table.Builtin()
	if err != nil {
		log.Fatal(err)
	}
	s := ds.Series[0]
	fmt.Printf("%s: %d months from %s to %s\n", s.ID, s.Len(), s.Times[0].Format("Jan 2006"), s.Times[s.Len()-1].Format("Jan 2006"))

	// 2. Hold out the last 24 months: the models see only what came before.
	const horizon = 24
	split, err := eval.HoldOut(ds.Series, horizon)
	if err != nil {
		log.Fatal(err)
	}

	// 3. Models: the LSTM (inputs: the last value, values one, two and three
	// years back, calendar features; a Student-t likelihood; forecasts
	// summarised from 200 sample paths), the seasonal naive forecast and
	// Theta, the M4 competition's strongest classical benchmark.
	net, _, err := lstm.Train(ctx, split.Train, horizon, lstm.TrainOptions{TrainOptions: core.TrainOptions{Steps: *steps, Seed: *seed}})
	if err != nil {
		log.Fatal(err)
	}
	models := []forecast.Forecaster{net, classical.SeasonalNaive{Period: 12}, classical.Theta{Period: 12}}

	// 4. Backtest: every model forecasts the 24 held-out months; sMAPE and
	// MASE as M4 defined them, OWA relative to Naive2 (below 1 beats it),
	// and how often the actual values fell in the 80% and 95% intervals.
	res, err := eval.Backtest{Horizon: horizon, Period: 12}.Evaluate(ctx, []eval.Split{split}, models...)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println()
	if err := report.WriteScoresTable(os.Stdout, res.WithReference()); err != nil {
		log.Fatal(err)
	}
	fmt.Println()
	fmt.Println(eval.Verdict(res.WithReference(), "lstm"))

	// 5. Plot: the last years of history, the LSTM's median with its 80%
	// and 95% bands, and the actual values of the held-out months.
	opt := report.PlotOptions{Title: "elec_equip: LSTM forecast of the last 24 months"}
	if err := report.SaveForecastPlot(*out, split.Train, res.Forecasts[0], split.Test, opt); err != nil {
		log.Fatal(err)
	}
	fmt.Println("wrote", *out)
}
