// Runnable examples for the package documentation.

package series_test

import (
	"context"
	"fmt"
	"math"
	"os"
	"strings"
	"time"

	"github.com/arkit-go/arkit/series"
)

func ExampleRead() {
	csv := `store,date,sales
north,2024-01-01,12
north,2024-01-02,15
north,2024-01-04,11
south,2024-01-01,7
south,2024-01-02,NA
south,2024-01-03,9
`
	ds, err := series.Read(strings.NewReader(csv), "sales.csv", series.ReadOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("frequency:", ds.Freq, "filled:", ds.Filled)
	for _, s := range ds.Series {
		fmt.Println(s.ID, s.Times[0].Format("2006-01-02"), s.Values)
	}
	// Output:
	// frequency: daily filled: 1
	// north 2024-01-01 [12 15 NaN 11]
	// south 2024-01-01 [7 NaN 9]
}

func ExampleRead_error() {
	csv := "date,y\n2024-01-01,1\n2024-01-02,one\n"
	_, err := series.Read(strings.NewReader(csv), "data.csv", series.ReadOptions{})
	fmt.Println(err)
	// Output:
	// series: data.csv line 3 column "y": not a number: "one"
}

func ExampleNaive() {
	train := []series.Series{{ID: "a", Values: []float64{10, 12, 11, 13}}}
	fcs, err := series.Naive{}.Forecast(context.Background(), train, 3, []float64{0.1, 0.9})
	if err != nil {
		fmt.Println(err)
		return
	}
	f := fcs[0]
	lo, hi := f.Interval(0.8)
	for k := range f.Mean {
		fmt.Printf("step %d: %.2f [%.2f, %.2f]\n", k+1, f.Mean[k], lo[k], hi[k])
	}
	// Output:
	// step 1: 13.00 [10.78, 15.22]
	// step 2: 13.00 [9.86, 16.14]
	// step 3: 13.00 [9.16, 16.84]
}

func ExampleSMAPE() {
	insample := []float64{100, 110, 105, 115, 120}
	actual := []float64{125, 130}
	forecast := []float64{120, 120}
	fmt.Printf("sMAPE %.3f\n", series.SMAPE(actual, forecast))
	fmt.Printf("MASE  %.3f\n", series.MASE(insample, actual, forecast, 1))
	// Output:
	// sMAPE 6.041
	// MASE  1.000
}

func ExampleCalendarFeatures() {
	t := time.Date(2024, 7, 4, 18, 0, 0, 0, time.UTC)
	feats := series.CalendarFeatures(series.Hourly)
	x := series.AppendCalendar(nil, t, feats)
	for i, f := range feats {
		fmt.Printf("%-12s %+.3f\n", f, x[i])
	}
	// Output:
	// hour_of_day  +0.283
	// day_of_week  +0.000
	// day_of_month -0.400
	// day_of_year  +0.007
}

func ExampleFutureTimes() {
	for _, t := range series.FutureTimes(time.Date(2024, 1, 31, 0, 0, 0, 0, time.UTC), series.Monthly, 3) {
		fmt.Println(t.Format("2006-01-02"))
	}
	// Output:
	// 2024-02-29
	// 2024-03-31
	// 2024-04-30
}

func ExampleBacktest() {
	// Four hourly series with a daily cycle, 15 days long.
	var data []series.Series
	for k := range 4 {
		s := series.Series{ID: fmt.Sprintf("s%d", k), Freq: series.Hourly}
		for i := range 24 * 15 {
			day := 2 * math.Sin(2*math.Pi*float64(i)/24)
			s.Values = append(s.Values, 50+float64(k)+day+0.5*math.Sin(float64(i*i%17)))
		}
		data = append(data, s)
	}
	bt := series.Backtest{Horizon: 24, Origins: 2}
	res, err := bt.Run(context.Background(), data, series.Naive{}, series.SeasonalNaive{}, series.Naive2{})
	if err != nil {
		fmt.Println(err)
		return
	}
	series.WriteScoresTable(os.Stdout, res.Scores)
	// Output:
	// model   sMAPE   MASE    OWA    MAE   RMSE  cov80  cov95    MSIS   CRPS
	// naive   2.481  3.515  3.984  1.281  1.436  0.833  1.000  21.076  0.926
	// snaive  0.688  0.973  1.103  0.355  0.445  0.646  1.000   4.882  0.267
	// naive2  0.622  0.884  1.000  0.322  0.432  0.979  1.000  16.196  0.427
}

func ExampleBuiltin() {
	ds, err := series.Builtin()
	if err != nil {
		fmt.Println(err)
		return
	}
	s := ds.Series[0]
	fmt.Println(s.ID, ds.Freq, s.Len(), "values,", s.Times[0].Format("Jan 2006"), "to", s.Times[s.Len()-1].Format("Jan 2006"))
	// Output:
	// elec_equip monthly 257 values, Jan 1995 to May 2016
}

func ExampleSeasonalFallback() {
	train := []series.Series{
		{ID: "long", Values: []float64{1, 5, 2, 6, 3, 7, 4, 8}},
		{ID: "short", Values: []float64{1, 5, 2}},
	}
	// Drift stands in for a model that needs two seasons of history.
	m := series.SeasonalFallback(series.Drift{}, 2)
	m.Warn = func(id, reason string) { fmt.Printf("warning: %s: %s\n", id, reason) }
	fcs, err := m.Forecast(context.Background(), train, 2, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range fcs {
		fmt.Println(f.ID, f.Model, f.Mean)
	}
	// Output:
	// warning: short: 3 observed values, fewer than 4 (two seasons of 2): forecast by snaive(2) instead of drift
	// long drift [9 10]
	// short snaive(2) [5 2]
}
