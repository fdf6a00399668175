// Runnable examples for the package documentation.

package series_test

import (
	"context"
	"fmt"

	"github.com/arkit-go/arkit/series"
	"github.com/arkit-go/arkit/series/classical"
	"github.com/arkit-go/arkit/series/table"
)

func ExampleSeasonalFallback() {
	train := []table.Series{
		{ID: "long", Values: []float64{1, 5, 2, 6, 3, 7, 4, 8}},
		{ID: "short", Values: []float64{1, 5, 2}},
	}
	// Drift stands in for a model that needs two seasons of history.
	m := series.SeasonalFallback(classical.Drift{}, 2)
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
