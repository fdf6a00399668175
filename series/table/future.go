// Future covariates: read the values that covariates will take over a
// forecast horizon from a second file and append them to each series, as
// a model that takes covariates as inputs needs them.

package table

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// ErrFuture is returned (wrapped) when the future values of a covariate
// are missing or do not line up with a series.
var ErrFuture = errors.New("future covariates")

// ReadFuture reads the future values of covariates from a file laid out as
// the history was (long or wide; same id and time columns): only the id,
// the time and the opt.Covariates columns are read, so the value columns
// may be absent or empty. Each series of the result holds one id's
// covariates (a wide file or a long one without an id column gives one
// series with ID "", shared by every series); its Values are all missing.
// Set opt.Freq to the history's frequency: a short file cannot show it.
func ReadFuture(path string, opt ReadOptions) (*Dataset, error) {
	if len(opt.Covariates) == 0 {
		return nil, fmt.Errorf("series: %s: %w: no covariates named to read", path, ErrFuture)
	}
	opt.Value = nil
	opt.covariatesOnly = true
	return ReadFile(path, opt)
}

// ExtendCovariates appends to every series of data the values of the
// named covariates over the next horizon steps, taken from future (see
// ReadFuture), so that each covariate runs horizon points past the
// series' values.
//
// A series finds its rows in future by its ID (a long file with several
// value columns names its series "id/column": the rows of "id" serve
// them); a future set of one series with ID "" serves every series. With
// timestamps on both sides, the rows must cover the horizon's timestamps
// (rows before them are ignored, so the file may repeat the history);
// without them the first horizon rows are taken. A step with no row or a
// missing value is an error naming the series, covariate and step.
func ExtendCovariates(data []Series, future *Dataset, names []string, horizon int) error {
	if horizon < 1 {
		return fmt.Errorf("series: covariates: horizon %d must be at least 1", horizon)
	}
	src := future.Source
	byID := make(map[string]*Series, len(future.Series))
	for i := range future.Series {
		byID[future.Series[i].ID] = &future.Series[i]
	}
	for i := range data {
		s := &data[i]
		fs := byID[s.ID]
		if fs == nil {
			if j := strings.LastIndexByte(s.ID, '/'); j >= 0 {
				fs = byID[s.ID[:j]]
			}
		}
		if fs == nil {
			fs = byID[""]
		}
		if fs == nil {
			return fmt.Errorf("series: %s: %w: no rows for series %q", src, ErrFuture, s.ID)
		}
		rows, err := futureRows(s, fs, horizon, src)
		if err != nil {
			return err
		}
		n := s.Len()
		ext := make(map[string][]float64, len(s.Covariates))
		for k, c := range s.Covariates {
			ext[k] = c
		}
		for _, name := range names {
			past, ok := s.Covariates[name]
			if !ok {
				return fmt.Errorf("series: %w: series %q has no covariate %q", ErrFuture, s.ID, name)
			}
			col, ok := fs.Covariates[name]
			if !ok {
				return fmt.Errorf("series: %s: %w: no covariate %q", src, ErrFuture, name)
			}
			c := make([]float64, n, n+horizon)
			copy(c, past[:n])
			for k, r := range rows {
				v := col[r]
				if math.IsNaN(v) {
					return fmt.Errorf("series: %s: %w: covariate %q of series %q is missing at %s", src, ErrFuture, name, s.ID, stepName(fs, r, k))
				}
				c = append(c, v)
			}
			ext[name] = c
		}
		s.Covariates = ext
	}
	return nil
}

// futureRows returns the rows of fs that hold the horizon steps after s.
func futureRows(s *Series, fs *Series, horizon int, src string) ([]int, error) {
	rows := make([]int, horizon)
	if s.Times == nil || fs.Times == nil {
		if fs.Len() < horizon {
			return nil, fmt.Errorf("series: %s: %w: %d rows for series %q; the horizon needs %d", src, ErrFuture, fs.Len(), s.ID, horizon)
		}
		for k := range rows {
			rows[k] = k
		}
		return rows, nil
	}
	if !s.Freq.Regular() || len(s.Times) == 0 {
		return nil, fmt.Errorf("series: %w: series %q has no regular frequency to place the horizon on", ErrFuture, s.ID)
	}
	last := s.Times[len(s.Times)-1]
	for k := range rows {
		t := s.Freq.Add(last, k+1)
		r, ok := slices.BinarySearchFunc(fs.Times, t, time.Time.Compare)
		if !ok {
			return nil, fmt.Errorf("series: %s: %w: no row for series %q at %s (step %d of the horizon %d)", src, ErrFuture, s.ID, t.Format(time.RFC3339), k+1, horizon)
		}
		rows[k] = r
	}
	return rows, nil
}

func stepName(fs *Series, r, k int) string {
	if fs.Times != nil {
		return fs.Times[r].Format(time.RFC3339)
	}
	return fmt.Sprintf("step %d", k+1)
}
