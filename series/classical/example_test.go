// Runnable examples for the package documentation.

package classical_test

import (
	"context"
	"fmt"

	"github.com/arkit-go/arkit/series/classical"
	"github.com/arkit-go/arkit/series/table"
)

func ExampleNaive() {
	train := []table.Series{{ID: "a", Values: []float64{10, 12, 11, 13}}}
	fcs, err := classical.Naive{}.Forecast(context.Background(), train, 3, []float64{0.1, 0.9})
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
