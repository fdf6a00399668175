// Runnable examples for the package documentation.

package table_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/arkit-go/arkit/series/table"
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
	ds, err := table.Read(strings.NewReader(csv), "sales.csv", table.ReadOptions{})
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
	_, err := table.Read(strings.NewReader(csv), "data.csv", table.ReadOptions{})
	fmt.Println(err)
	// Output:
	// series: data.csv line 3 column "y": not a number: "one"
}

func ExampleCalendarFeatures() {
	t := time.Date(2024, 7, 4, 18, 0, 0, 0, time.UTC)
	feats := table.CalendarFeatures(table.Hourly)
	x := table.AppendCalendar(nil, t, feats)
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
	for _, t := range table.FutureTimes(time.Date(2024, 1, 31, 0, 0, 0, 0, time.UTC), table.Monthly, 3) {
		fmt.Println(t.Format("2006-01-02"))
	}
	// Output:
	// 2024-02-29
	// 2024-03-31
	// 2024-04-30
}

func ExampleBuiltin() {
	ds, err := table.Builtin()
	if err != nil {
		fmt.Println(err)
		return
	}
	s := ds.Series[0]
	fmt.Println(s.ID, ds.Freq, s.Len(), "values,", s.Times[0].Format("Jan 2006"), "to", s.Times[s.Len()-1].Format("Jan 2006"))
	// Output:
	// elec_equip monthly 257 values, Jan 1995 to May 2016
}
