// Reading: ReadFile and Read parse delimited text (plain or gzipped) in
// long, wide or M4 "rows" layout into a Dataset, through gota data frames
// with pinned column types, checking every cell and timestamp.

package table

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/arkit-go/arkit/internal/fileio"
)

// Layouts. See ReadOptions for how LayoutAuto decides.
const (
	// LayoutAuto guesses the layout from the first data row.
	LayoutAuto Layout = iota
	// LayoutLong has one observation per row: an optional id column, an
	// optional timestamp column and one or more value columns.
	LayoutLong
	// LayoutWide has one column per series and an optional timestamp
	// column; every row is one time step.
	LayoutWide
	// LayoutRows has one series per row, as in the M4 files: an id column,
	// then the values in time order, shorter series padded with empty
	// cells at the end.
	LayoutRows
)

// Header modes.
const (
	// HeaderAuto treats the first row as a header when none of its
	// non-empty cells is a number.
	HeaderAuto HeaderMode = iota
	// HeaderPresent: the first row names the columns.
	HeaderPresent
	// HeaderAbsent: the first row is data; columns are named V1, V2, ...
	HeaderAbsent
)

// ReadFile reads a dataset from a file; see Read. A gzipped file is
// decompressed transparently. A file without timestamps whose name starts
// with an M4 frequency ("Hourly-train.csv", "weekly.csv") has that
// frequency unless opt.Freq says otherwise.
func ReadFile(path string, opt ReadOptions) (*Dataset, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("series: %w", err)
	}
	defer f.Close()
	var size int64
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
		if size = st.Size(); size > opt.maxBytes() {
			return nil, &ParseError{File: path, Err: fmt.Errorf("%w: %d bytes, limit %d (ReadOptions.MaxBytes)", ErrTooLarge, size, opt.maxBytes())}
		}
	}
	ds, err := read(f, path, opt, size)
	if err != nil {
		return nil, err
	}
	if !ds.Freq.Regular() && !slices.ContainsFunc(ds.Series, func(s Series) bool { return s.Times != nil }) {
		ds.Freq = m4Frequency(path)
		for i := range ds.Series {
			ds.Series[i].Freq = ds.Freq
		}
	}
	return ds, nil
}

// Read reads a dataset from r; name is used in error messages. Gzipped
// input is detected by its magic number and decompressed.
//
// Cells that are empty or spell NA, N/A, NaN, null or None (any case) are
// missing values (NaN). Any other cell in a value or covariate column
// that is not a finite number is an error naming the line and column;
// see ReadOptions.Decimal for decimal commas and thousands separators.
//
// The format of a time column is chosen once for the whole column (or
// given by ReadOptions.TimeFormat): ISO dates and date-times (a zone or
// none, "T" or a space, fractional seconds), 2020-01, 2020/01/31,
// 01/31/2020 (month first), 31/01/2020, 31.01.2020 and 31-01-2020 (day
// first), Jan 2020, January 2020, 2020 Q1 (2020-Q1, 2020Q1, Q1 2020),
// expanded years (-6000-01-01, 12000-01-01) and, in a column named as the
// time or like one (see ReadOptions.Time), bare years, YYYYMM, YYYYMMDD,
// and Unix seconds or milliseconds. When a column reads both month-first
// and day-first, the reading on a regular grid wins; when both are (or
// neither is), Read refuses it and asks for the format. A cell that does
// not fit the column's format, or a first cell shaped like a date that no
// format reads, is an error naming the line: a date column never silently
// becomes ids. Months, quarters and years are read as their first day.
// Dataset.TimeLayout writes timestamps back the way the input wrote them.
//
// Rows may come in any order: each series is sorted by time. Rows of one
// series with the same timestamp are combined with ReadOptions.Agg, or
// are an error without it. When the frequency is regular, skipped
// periods are inserted as missing values and counted in Dataset.Filled;
// a timestamp off the grid is an error.
func Read(r io.Reader, name string, opt ReadOptions) (*Dataset, error) {
	return read(r, name, opt, 0)
}

// read is Read with the input's size when known (a regular file's; 0
// otherwise), so that the bytes are read into one buffer of that size
// instead of one that doubles as it fills (on a 65 MB file io.ReadAll
// allocated 156 MB).
func read(r io.Reader, name string, opt ReadOptions, size int64) (*Dataset, error) {
	limit := opt.maxBytes()
	src, err := fileio.Gunzip(r)
	if err != nil {
		return nil, &ParseError{File: name, Err: err}
	}
	var buf bytes.Buffer
	if size > 0 {
		// A gzipped file grows the buffer beyond its size as it needs.
		buf.Grow(int(min(size, limit)) + bytes.MinRead)
	}
	if _, err := buf.ReadFrom(io.LimitReader(src, limit+1)); err != nil {
		return nil, &ParseError{File: name, Err: err}
	}
	data := buf.Bytes()
	if int64(len(data)) > limit {
		return nil, &ParseError{File: name, Err: fmt.Errorf("%w: more than %d bytes (ReadOptions.MaxBytes)", ErrTooLarge, limit)}
	}
	t, err := readTable(data, name, opt)
	if err != nil {
		return nil, err
	}
	return t.dataset(opt)
}

// ReadM4 reads an M4 competition train file and its test file (rows layout,
// one series per row). The frequency comes from the file name ("Hourly-
// train.csv" is hourly) when it starts with an M4 frequency name. The two
// files must hold the same series in the same order.
func ReadM4(trainPath, testPath string) (train, test *Dataset, err error) {
	opt := ReadOptions{Layout: LayoutRows, Freq: m4Frequency(trainPath)}
	if train, err = ReadFile(trainPath, opt); err != nil {
		return nil, nil, err
	}
	if test, err = ReadFile(testPath, opt); err != nil {
		return nil, nil, err
	}
	if len(train.Series) != len(test.Series) {
		return nil, nil, fmt.Errorf("series: %s has %d series but %s has %d", trainPath, len(train.Series), testPath, len(test.Series))
	}
	for i := range train.Series {
		if a, b := train.Series[i].ID, test.Series[i].ID; a != b {
			return nil, nil, fmt.Errorf("series: series %d is %q in %s but %q in %s", i+1, a, trainPath, b, testPath)
		}
	}
	return train, test, nil
}

func m4Frequency(path string) Frequency {
	base := strings.ToLower(filepath.Base(path))
	for _, c := range []struct {
		prefix string
		f      Frequency
	}{{"hourly", Hourly}, {"daily", Daily}, {"weekly", Weekly}, {"monthly", Monthly}, {"quarterly", Quarterly}, {"yearly", Yearly}} {
		if strings.HasPrefix(base, c.prefix) {
			return c.f
		}
	}
	return Frequency{}
}
