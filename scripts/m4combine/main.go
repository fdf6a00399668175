// Command m4combine measures combinations of arkit's classical forecasters
// on an M4 set without choosing on the data that scores them: each method
// forecasts a validation hold-out (the last horizon of every training
// series, fitted on the points before it) and the M4 test (fitted on the
// whole training series); every subset of two or more methods is combined
// by the step-wise mean and (three or more) median of their point
// forecasts, and scored on both. Pick a combination from the "val" rows,
// then read its "test" row.
//
//	go run ./scripts/m4combine -set Weekly -h 13 -m 1 > weekly.tsv
//	go run ./scripts/m4combine -set Hourly -h 48 -m 24 -score-period 24 -methods ets,theta,snaive
//
// Each method runs twice (validation and test); auto and arima are the
// slow ones (on Weekly, 4 and 0.7 minutes per run on a shared machine).
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/arkit-go/arkit/internal/shareddata"
	"github.com/arkit-go/arkit/series/classical"
	"github.com/arkit-go/arkit/series/eval"
	"github.com/arkit-go/arkit/series/forecast"
	"github.com/arkit-go/arkit/series/table"
)

// fixed serves forecasts made beforehand, so eval scores them as it
// scores any model.
type fixed struct {
	name string
	fc   []forecast.Forecast
}

func (f fixed) Name() string { return f.name }
func (f fixed) Forecast(ctx context.Context, train []table.Series, h int, q []float64) ([]forecast.Forecast, error) {
	return f.fc, nil
}

// named renames an Auto variant in the score table.
type named struct {
	name string
	classical.Auto
}

func (n named) Name() string { return n.name }

func main() {
	set := flag.String("set", "Weekly", "the M4 set: Hourly, Daily, Weekly, Monthly, Quarterly or Yearly")
	h := flag.Int("h", 13, "the horizon")
	m := flag.Int("m", 1, "the seasonal period the models use")
	sp := flag.Int("score-period", 1, "the seasonal period of MASE's scale (M4: 24 for Hourly, 1 for Weekly)")
	methods := flag.String("methods", "ar,ets,arima,theta,auto", "comma-separated: ar, ets, arima, theta, auto, snaive; auto's variants auto+ar (ar a candidate), auto-2 (2 origins), auto-nocomb, comb (the median of ets, arima, theta)")
	data := flag.String("data", "", "the folder of M4's CSV files (default: shared/data/series/m4 found above the working directory, or $ARKIT_DATA/series/m4)")
	flag.Parse()
	dir := *data
	if dir == "" {
		d, err := shareddata.Dir()
		if err != nil {
			log.Fatal(err)
		}
		dir = filepath.Join(d, "series", "m4")
	}
	train, test, err := table.ReadM4(filepath.Join(dir, *set+"-train.csv"), filepath.Join(dir, *set+"-test.csv"))
	if err != nil {
		log.Fatal(err)
	}
	val, err := eval.HoldOut(train.Series, *h)
	if err != nil {
		log.Fatal(err)
	}
	splits := map[string]eval.Split{"val": val, "test": {Train: train.Series, Test: test.Series}}
	models := map[string]forecast.Forecaster{
		"ar": classical.AR{}, "ets": classical.ETS{Period: *m, Seed: 1}, "arima": classical.ARIMA{Period: *m},
		"theta": classical.Theta{Period: *m}, "auto": classical.Auto{Period: *m, Seed: 1},
		"snaive": classical.SeasonalNaive{Period: *m},
		// auto's variants, to choose its defaults
		"auto+ar":     named{"auto+ar", classical.Auto{Period: *m, Seed: 1, Candidates: append(append([]string{}, classical.AutoCandidates...), "ar")}},
		"auto-2":      named{"auto-2", classical.Auto{Period: *m, Seed: 1, Origins: 2}},
		"auto-nocomb": named{"auto-nocomb", classical.Auto{Period: *m, Seed: 1, Candidates: []string{"ets", "arima", "theta", "snaive", "drift"}}},
		"comb":        named{"comb", classical.Auto{Period: *m, Seed: 1, Candidates: []string{"comb"}}},
	}
	names := strings.Split(*methods, ",")
	for _, n := range names {
		if models[n] == nil {
			log.Fatalf("-methods: unknown method %q", n)
		}
	}
	for _, which := range []string{"val", "test"} {
		sp2 := splits[which]
		fcs := map[string][]forecast.Forecast{}
		for _, n := range names {
			t0 := time.Now()
			fc, err := models[n].Forecast(context.Background(), sp2.Train, *h, []float64{0.1, 0.9})
			if err != nil {
				log.Fatal(n, err)
			}
			fcs[n] = fc
			log.Printf("%s %s %v", which, n, time.Since(t0))
		}
		var fs []forecast.Forecaster
		for _, n := range names {
			fs = append(fs, fixed{n, fcs[n]})
		}
		// all subsets of size >= 2: mean and median
		for mask := 1; mask < 1<<len(names); mask++ {
			var sub []string
			for i, n := range names {
				if mask&(1<<i) != 0 {
					sub = append(sub, n)
				}
			}
			if len(sub) < 2 {
				continue
			}
			for _, kind := range []string{"mean", "median"} {
				if kind == "median" && len(sub) < 3 {
					continue
				}
				out := make([]forecast.Forecast, len(sp2.Train))
				for s := range out {
					out[s] = forecast.Forecast{ID: sp2.Train[s].ID, Mean: make([]float64, *h)}
					for k := range *h {
						var v []float64
						for _, n := range sub {
							v = append(v, fcs[n][s].PointForecast()[k])
						}
						if kind == "mean" {
							t := 0.0
							for _, x := range v {
								t += x
							}
							out[s].Mean[k] = t / float64(len(v))
						} else {
							slices.Sort(v)
							if len(v)%2 == 1 {
								out[s].Mean[k] = v[len(v)/2]
							} else {
								out[s].Mean[k] = (v[len(v)/2-1] + v[len(v)/2]) / 2
							}
						}
					}
				}
				fs = append(fs, fixed{kind + "(" + strings.Join(sub, "+") + ")", out})
			}
		}
		res, err := eval.Backtest{Horizon: *h, Period: *sp}.Evaluate(context.Background(), []eval.Split{sp2}, fs...)
		if err != nil {
			log.Fatal(err)
		}
		for _, s := range res.WithReference() {
			fmt.Printf("%s\t%-40s\tsMAPE %.3f\tMASE %.3f\tOWA %.4f\n", which, s.Model, s.SMAPE, s.MASE, s.OWA)
		}
	}
}
