// Series and Dataset: the values a forecasting model consumes, with
// optional timestamps and covariates, and small helpers to cut them.

package table

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"time"
)

// Series is one univariate target. Values holds the observations in time
// order with NaN for a missing point. Times, when not nil, holds one
// timestamp per value on the grid of Freq. Covariates holds extra inputs
// aligned with Values from the first point, NaN for missing: the same
// length as Values, or longer when their values over a forecast horizon
// are known (see ExtendCovariates).
type Series struct {
	ID         string
	Times      []time.Time
	Values     []float64
	Covariates map[string][]float64
	Freq       Frequency
}

// Len returns the number of points.
func (s Series) Len() int { return len(s.Values) }

// Observed returns the number of non-missing values.
func (s Series) Observed() int {
	n := 0
	for _, v := range s.Values {
		if !math.IsNaN(v) {
			n++
		}
	}
	return n
}

// Slice returns points [i, j) of s. The result shares memory with s. It
// panics with a "series: ..." message if the bounds are out of range.
func (s Series) Slice(i, j int) Series {
	if i < 0 || j < i || j > len(s.Values) {
		panic(fmt.Sprintf("series: Slice[%d:%d] of a series of length %d", i, j, len(s.Values)))
	}
	out := Series{ID: s.ID, Values: s.Values[i:j:j], Freq: s.Freq}
	if s.Times != nil {
		out.Times = s.Times[i:j:j]
	}
	if s.Covariates != nil {
		out.Covariates = make(map[string][]float64, len(s.Covariates))
		for k, c := range s.Covariates {
			out.Covariates[k] = c[i:j:j]
		}
	}
	return out
}

// Clone returns a deep copy of s.
func (s Series) Clone() Series {
	out := Series{ID: s.ID, Values: slices.Clone(s.Values), Times: slices.Clone(s.Times), Freq: s.Freq}
	if s.Covariates != nil {
		out.Covariates = make(map[string][]float64, len(s.Covariates))
		for k, c := range s.Covariates {
			out.Covariates[k] = slices.Clone(c)
		}
	}
	return out
}

// CovariateNames returns the covariate names of s in sorted order.
func (s Series) CovariateNames() []string {
	return slices.Sorted(maps.Keys(s.Covariates))
}

// Dataset is a set of series read from one source.
type Dataset struct {
	Series []Series
	// Freq is the common frequency (zero if the data has no timestamps
	// and none was given).
	Freq Frequency
	// Filled counts the missing points inserted where timestamps skipped
	// periods of Freq.
	Filled int
	// Source names where the data came from (a file name).
	Source string
	// TimeLayout is the Go layout that writes timestamps the way the
	// input did: "2006-01-02" for dates (and months, quarters and years,
	// written as the date they start), "2006-01-02T15:04:05.999999999"
	// for clock times without a zone, time.RFC3339Nano for instants with
	// one (and Unix times). Empty when the data has no timestamps.
	TimeLayout string
}

// Lookup returns the series with the given ID.
func (d *Dataset) Lookup(id string) (Series, bool) {
	for _, s := range d.Series {
		if s.ID == id {
			return s, true
		}
	}
	return Series{}, false
}
