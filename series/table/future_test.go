// Tests of future covariates: ReadFuture in the long and wide layouts,
// ExtendCovariates' matching and its errors.

package table

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func writeTemp(t *testing.T, name, data string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestExtendCovariatesLong(t *testing.T) {
	hist := `store,date,sales,price
a,2024-01-01,10,1.0
a,2024-01-02,11,1.1
b,2024-01-01,20,2.0
b,2024-01-02,21,2.1
`
	opt := ReadOptions{ID: "store", Time: "date", Value: []string{"sales"}, Covariates: []string{"price"}}
	ds, err := Read(strings.NewReader(hist), "hist.csv", opt)
	if err != nil {
		t.Fatal(err)
	}
	// The future file repeats a history row, leaves sales empty and
	// lists b before a.
	future := `store,date,sales,price
b,2024-01-03,,2.2
b,2024-01-04,,2.3
a,2024-01-02,,1.1
a,2024-01-03,,1.2
a,2024-01-04,,1.3
`
	opt.Freq = ds.Freq
	fut, err := ReadFuture(writeTemp(t, "future.csv", future), opt)
	if err != nil {
		t.Fatal(err)
	}
	if err := ExtendCovariates(ds.Series, fut, opt.Covariates, 2); err != nil {
		t.Fatal(err)
	}
	for i, want := range [][]float64{{1, 1.1, 1.2, 1.3}, {2, 2.1, 2.2, 2.3}} {
		if got := ds.Series[i].Covariates["price"]; !slices.Equal(got, want) {
			t.Errorf("series %s: price %v, want %v", ds.Series[i].ID, got, want)
		}
		if ds.Series[i].Len() != 2 {
			t.Errorf("values changed: %v", ds.Series[i].Values)
		}
	}
	// Horizon 3 runs past the file.
	err = ExtendCovariates(ds.Series, fut, opt.Covariates, 3)
	if !errors.Is(err, ErrFuture) || !strings.Contains(err.Error(), `no row for series "a" at 2024-01-05T00:00:00Z (step 3 of the horizon 3)`) {
		t.Errorf("short future: %v", err)
	}
}

func TestExtendCovariatesWide(t *testing.T) {
	hist := "t,x,y,temp\n2024-01-01,1,5,10\n2024-02-01,2,6,11\n"
	opt := ReadOptions{Layout: LayoutWide, Covariates: []string{"temp"}}
	ds, err := Read(strings.NewReader(hist), "hist.csv", opt)
	if err != nil {
		t.Fatal(err)
	}
	opt.Freq = ds.Freq
	fut, err := ReadFuture(writeTemp(t, "f.csv", "t,temp\n2024-03-01,12\n"), opt)
	if err != nil {
		t.Fatal(err)
	}
	if err := ExtendCovariates(ds.Series, fut, opt.Covariates, 1); err != nil {
		t.Fatal(err)
	}
	for _, s := range ds.Series {
		if got := s.Covariates["temp"]; !slices.Equal(got, []float64{10, 11, 12}) {
			t.Errorf("%s: temp %v", s.ID, got)
		}
	}
	// A missing future value is an error naming it.
	fut, _ = ReadFuture(writeTemp(t, "f.csv", "t,temp\n2024-03-01,NA\n"), opt)
	err = ExtendCovariates(ds.Series, fut, opt.Covariates, 1)
	if err == nil || !strings.Contains(err.Error(), `covariate "temp" of series "x" is missing at 2024-03-01`) {
		t.Errorf("missing value: %v", err)
	}
}

func TestExtendCovariatesErrors(t *testing.T) {
	data := []Series{{ID: "a", Values: []float64{1, 2}, Covariates: map[string][]float64{"p": {1, 2}}}}
	nan := math.NaN()
	for _, tc := range []struct {
		name   string
		future Series
		want   string
	}{
		{"other id", Series{ID: "b", Values: []float64{nan}, Covariates: map[string][]float64{"p": {3}}}, `no rows for series "a"`},
		{"too few rows", Series{ID: "a", Values: []float64{nan}, Covariates: map[string][]float64{"p": {3}}}, "1 rows for series \"a\"; the horizon needs 2"},
		{"no column", Series{ID: "a", Values: []float64{nan, nan}, Covariates: map[string][]float64{"q": {3, 4}}}, `no covariate "p"`},
	} {
		err := ExtendCovariates(data, &Dataset{Series: []Series{tc.future}, Source: "f.csv"}, []string{"p"}, 2)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
	if _, err := ReadFuture("f.csv", ReadOptions{}); !errors.Is(err, ErrFuture) {
		t.Errorf("ReadFuture without covariates: %v", err)
	}
	_, err := ReadFuture(writeTemp(t, "f.csv", "V1,V2\nx,1\n"), ReadOptions{Layout: LayoutRows, Covariates: []string{"V2"}})
	if err == nil {
		t.Error("ReadFuture accepted the rows layout")
	}
}
