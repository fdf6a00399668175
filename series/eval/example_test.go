// Runnable examples for the package documentation.

package eval_test

import (
	"context"
	"fmt"
	"math"
	"os"

	"github.com/arkit-go/arkit/series/classical"
	"github.com/arkit-go/arkit/series/eval"
	"github.com/arkit-go/arkit/series/report"
	"github.com/arkit-go/arkit/series/table"
)

func ExampleSMAPE() {
	insample := []float64{100, 110, 105, 115, 120}
	actual := []float64{125, 130}
	forecast := []float64{120, 120}
	fmt.Printf("sMAPE %.3f\n", eval.SMAPE(actual, forecast))
	fmt.Printf("MASE  %.3f\n", eval.MASE(insample, actual, forecast, 1))
	// Output:
	// sMAPE 6.041
	// MASE  1.000
}

func ExampleBacktest() {
	// Four hourly series with a daily cycle, 15 days long.
	var data []table.Series
	for k := range 4 {
		s := table.Series{ID: fmt.Sprintf("s%d", k), Freq: table.Hourly}
		for i := range 24 * 15 {
			day := 2 * math.Sin(2*math.Pi*float64(i)/24)
			s.Values = append(s.Values, 50+float64(k)+day+0.5*math.Sin(float64(i*i%17)))
		}
		data = append(data, s)
	}
	bt := eval.Backtest{Horizon: 24, Origins: 2}
	res, err := bt.Run(context.Background(), data, classical.Naive{}, classical.SeasonalNaive{}, classical.Naive2{})
	if err != nil {
		fmt.Println(err)
		return
	}
	report.WriteScoresTable(os.Stdout, res.Scores)
	// Output:
	// model   sMAPE   MASE    OWA    MAE   RMSE  cov80  cov95    MSIS   CRPS
	// naive   2.481  3.515  3.984  1.281  1.436  0.833  1.000  21.076  0.926
	// snaive  0.688  0.973  1.103  0.355  0.445  0.646  1.000   4.882  0.267
	// naive2  0.622  0.884  1.000  0.322  0.432  0.979  1.000  16.196  0.427
}
