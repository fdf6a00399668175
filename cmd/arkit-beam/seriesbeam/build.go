// Building: the rows of one series, gathered from any files in any order,
// parsed into a table.Series by the series package's reader, so that
// cells, timestamps, duplicates and gaps are checked by the same code as
// arkit's and its errors read the same. The reader sees a small CSV of
// the series' rows; the line numbers of its errors are mapped back to the
// files the rows came from.

package seriesbeam

import (
	"bytes"
	"cmp"
	"encoding/csv"
	"errors"
	"fmt"
	"slices"

	"github.com/arkit-go/arkit/series/table"
)

// builder parses the rows of a series.
type builder struct {
	Columns Columns
	Options table.ReadOptions
}

// names returns the column names of the small CSV: the named columns, or
// id, time and value.
func (b builder) names() (id, tm, val string) {
	id, tm, val = cmp.Or(b.Columns.ID, "id"), cmp.Or(b.Columns.Time, "time"), cmp.Or(b.Columns.Value, "value")
	return
}

// build parses rows (sorted here by file and line) into a dataset of one
// series. An error about one row is a *table.ParseError naming its file
// and line.
func (b builder) build(id string, rows []Row) (*table.Dataset, error) {
	slices.SortFunc(rows, func(x, y Row) int {
		return cmp.Or(cmp.Compare(x.File, y.File), cmp.Compare(x.Line, y.Line))
	})
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	idCol, tmCol, valCol := b.names()
	w.Write([]string{idCol, tmCol, valCol})
	for _, r := range rows {
		w.Write([]string{r.ID, r.Time, r.Value})
	}
	w.Flush()
	opt := b.Options
	opt.Layout, opt.Header, opt.Delimiter = table.LayoutLong, table.HeaderPresent, ','
	opt.ID, opt.Time, opt.Value = idCol, tmCol, []string{valCol}
	ds, err := table.Read(&buf, fmt.Sprintf("series %q", id), opt)
	if err != nil {
		return nil, remap(err, rows)
	}
	if len(ds.Series) != 1 {
		return nil, fmt.Errorf("series: series %q: read %d series from its rows", id, len(ds.Series))
	}
	return ds, nil
}

// remap rewrites the small CSV's line numbers in err (line 1 is its
// header, line k+2 is rows[k]) as the file and line of the row.
func remap(err error, rows []Row) error {
	return table.Relocate(err, func(n int) (string, int, bool) {
		if k := n - 2; k >= 0 && k < len(rows) {
			return rows[k].File, rows[k].Line, true
		}
		return "", 0, false
	})
}

// badIndex returns the index in rows of the row err is about, or -1.
func badIndex(err error, rows []Row) int {
	var pe *table.ParseError
	if !errors.As(err, &pe) || pe.Line < 1 {
		return -1
	}
	for k, r := range rows {
		if r.File == pe.File && r.Line == pe.Line {
			return k
		}
	}
	return -1
}

// buildKeeping builds the series of rows, leaving out each row that an
// error is about (reported to bad) and reading the rest again. It returns
// nil when the series cannot be built: its remaining rows are then bad,
// each with the series' error.
func (b builder) buildKeeping(id string, rows []Row, bad func(BadRow)) *table.Dataset {
	for len(rows) > 0 {
		ds, err := b.build(id, rows)
		if err == nil {
			return ds
		}
		k := badIndex(err, rows)
		if k < 0 {
			for _, r := range rows {
				bad(BadRow{Row: r, Err: err.Error()})
			}
			return nil
		}
		bad(BadRow{Row: rows[k], Err: err.Error()})
		rows = slices.Delete(rows, k, k+1)
	}
	return nil
}
