// Finishing a read: the raw series of a layout put on their frequency's
// grid, skipped periods filled with missing values.

package table

import (
	"fmt"
	"math"
	"slices"
	"time"
)

// maxFill bounds how long a series may grow by gap filling: bad timestamps
// must not make us allocate without limit.
func maxFill(n int) int { return 10*n + 1000 }

// finish sorts each series by time, combines rows that share a timestamp
// with agg, settles the frequency, fills gaps and, with needValues, checks
// that every series has data. kind is what the timestamps say.
func finish(name string, raws []rawSeries, freq Frequency, agg Aggregation, kind timeKind, needValues bool) (*Dataset, error) {
	if len(raws) == 0 {
		return nil, &ParseError{File: name, Err: fmt.Errorf("%w: no series", ErrEmpty)}
	}
	layout := kind.layout()
	var gaps []time.Duration
	for i := range raws {
		rs := &raws[i]
		if rs.times == nil {
			continue
		}
		rs.sortByTime()
		if err := rs.combineDuplicates(name, agg, layout); err != nil {
			return nil, err
		}
		for i := 1; i < len(rs.times); i++ {
			gaps = append(gaps, rs.times[i].Sub(rs.times[i-1]))
		}
	}
	hasTimes := slices.ContainsFunc(raws, func(r rawSeries) bool { return r.times != nil })
	freq = freq.normalize()
	if !freq.Regular() && hasTimes {
		freq = inferFrequency(gaps)
	}
	ds := &Dataset{Freq: freq, Source: name, Series: make([]Series, len(raws))}
	if hasTimes {
		ds.TimeLayout = layout
	}
	for i, rs := range raws {
		s := Series{ID: rs.id, Times: rs.times, Values: rs.values, Covariates: rs.cov, Freq: freq}
		if rs.times != nil && freq.Regular() {
			filled, n, err := fill(name, rs, freq, layout)
			if err != nil {
				return nil, err
			}
			s, ds.Filled = filled, ds.Filled+n
		}
		if needValues && s.Observed() == 0 {
			return nil, &ParseError{File: name, Err: fmt.Errorf("series %q: %w", rs.id, ErrAllMissing)}
		}
		ds.Series[i] = s
	}
	return ds, nil
}

// fill inserts missing points where rs skips periods of f.
func fill(name string, rs rawSeries, f Frequency, layout string) (Series, int, error) {
	s := Series{ID: rs.id, Freq: f}
	total := len(rs.times)
	ks := make([]int64, len(rs.times))
	for i := 1; i < len(rs.times); i++ {
		k, exact := f.periodsBetween(rs.times[i-1], rs.times[i])
		if k < 1 || !exact {
			what := "is not a whole number of periods after"
			if k < 1 {
				what = "falls in the same period as"
			}
			return s, 0, &ParseError{File: name, Line: rs.lines[i], Err: fmt.Errorf("%w: series %q: %s %s %s (line %d) at frequency %s",
				ErrGrid, rs.id, rs.times[i].Format(layout), what, rs.times[i-1].Format(layout), rs.lines[i-1], f)}
		}
		if k-1 > int64(maxFill(len(rs.times))-total) {
			return s, 0, &ParseError{File: name, Line: rs.lines[i], Err: fmt.Errorf("%w: series %q skips %d periods of %s after line %d", ErrGap, rs.id, k-1, f, rs.lines[i-1])}
		}
		ks[i] = k
		total += int(k - 1)
	}
	if total == len(rs.times) {
		s.Times, s.Values, s.Covariates = rs.times, rs.values, rs.cov
		return s, 0, nil
	}
	s.Times = make([]time.Time, 0, total)
	s.Values = make([]float64, 0, total)
	if rs.cov != nil {
		s.Covariates = make(map[string][]float64, len(rs.cov))
		for k := range rs.cov {
			s.Covariates[k] = make([]float64, 0, total)
		}
	}
	nan := math.NaN()
	for i, t := range rs.times {
		for j := int64(1); j < ks[i]; j++ {
			s.Times = append(s.Times, f.Add(rs.times[i-1], int(j)))
			s.Values = append(s.Values, nan)
			for k := range s.Covariates {
				s.Covariates[k] = append(s.Covariates[k], nan)
			}
		}
		s.Times = append(s.Times, t)
		s.Values = append(s.Values, rs.values[i])
		for k, c := range rs.cov {
			s.Covariates[k] = append(s.Covariates[k], c[i])
		}
	}
	return s, total - len(rs.times), nil
}
