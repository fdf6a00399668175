// The sheet: a file's cells after splitting, the delimiter sniffed, and
// the typed columns gota gives for them.

package table

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-gota/gota/dataframe"
	gseries "github.com/go-gota/gota/series"
)

// sheet is a parsed delimited file: column names, rows of trimmed cells
// and the file line each row started on.
type sheet struct {
	name  string
	cols  []string
	rows  [][]string
	lines []int
	width int // longest row
	// inFrame holds the column names of the last loaded gota frame; gota's
	// Col panics on an unknown name, so every lookup is checked here.
	inFrame map[string]bool
}

func readTable(data []byte, name string, opt ReadOptions) (*sheet, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, &ParseError{File: name, Err: fmt.Errorf("%w: empty file", ErrEmpty)}
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = opt.Delimiter
	if cr.Comma == 0 {
		cr.Comma = sniffDelimiter(data)
	}
	cr.FieldsPerRecord = -1
	t := &sheet{name: name}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, &ParseError{File: name, Line: pe.Line, Err: fmt.Errorf("%w: %v", ErrFormat, pe.Err)}
			}
			return nil, &ParseError{File: name, Err: fmt.Errorf("%w: %v", ErrFormat, err)}
		}
		line, _ := cr.FieldPos(0)
		for i := range rec {
			rec[i] = strings.TrimSpace(rec[i])
		}
		t.rows = append(t.rows, rec)
		t.lines = append(t.lines, line)
		t.width = max(t.width, len(rec))
	}
	if len(t.rows) == 0 {
		return nil, &ParseError{File: name, Err: fmt.Errorf("%w: empty file", ErrEmpty)}
	}
	header := opt.Header == HeaderPresent
	if opt.Header == HeaderAuto {
		header = true
		for _, c := range t.rows[0] {
			if c != "" && isNumber(c) {
				header = false
				break
			}
		}
	}
	if header {
		t.cols = slices.Clone(t.rows[0])
		t.rows, t.lines = t.rows[1:], t.lines[1:]
	} else {
		t.cols = make([]string, t.width)
	}
	seen := make(map[string]bool, len(t.cols))
	for i, c := range t.cols {
		if c == "" {
			c = "V" + strconv.Itoa(i+1)
			t.cols[i] = c
		}
		if seen[c] {
			return nil, &ParseError{File: name, Line: 1, Err: fmt.Errorf("%w: duplicate column name %q", ErrFormat, c)}
		}
		seen[c] = true
	}
	if len(t.rows) == 0 {
		return nil, &ParseError{File: name, Err: fmt.Errorf("%w: a header but no data rows", ErrEmpty)}
	}
	return t, nil
}

func sniffDelimiter(data []byte) rune {
	line := data
	if i := bytes.IndexByte(data, '\n'); i >= 0 {
		line = data[:i]
	}
	best, n := ',', bytes.Count(line, []byte{','})
	for _, d := range []rune{'\t', ';', '|'} {
		if c := bytes.Count(line, []byte{byte(d)}); c > n {
			best, n = d, c
		}
	}
	return best
}

// index returns the position of column name, or an error listing the
// columns there are.
func (t *sheet) index(name, role string) (int, error) {
	if i := slices.Index(t.cols, name); i >= 0 {
		return i, nil
	}
	list := t.cols
	more := ""
	if len(list) > 20 {
		list, more = list[:20], fmt.Sprintf(", ... (%d more)", len(t.cols)-20)
	}
	return -1, &ParseError{File: t.name, Column: name, Err: fmt.Errorf("%w for %s; the columns are %s%s", ErrUnknownColumn, role, strings.Join(list, ", "), more)}
}

// rectangular checks (or, for rows, pads) every row to the column count.
func (t *sheet) rectangular(pad bool) error {
	for r, row := range t.rows {
		if len(row) == len(t.cols) {
			continue
		}
		if len(row) < len(t.cols) && pad {
			t.rows[r] = append(row, make([]string, len(t.cols)-len(row))...)
			continue
		}
		if len(row) > len(t.cols) && !slices.ContainsFunc(row[len(t.cols):], func(c string) bool { return c != "" }) {
			t.rows[r] = row[:len(t.cols)]
			continue
		}
		return &ParseError{File: t.name, Line: t.lines[r], Err: fmt.Errorf("%w: %d fields, want %d", ErrFormat, len(row), len(t.cols))}
	}
	return nil
}

// frame loads the table into a gota data frame with the given columns
// pinned to Float and all others to String. Missing-value spelling is
// left to us (gota would turn "NA" into NaN in string columns too).
func (t *sheet) frame(floatCols []int) (dataframe.DataFrame, error) {
	types := make(map[string]gseries.Type, len(t.cols))
	for _, c := range t.cols {
		types[c] = gseries.String
	}
	for _, c := range floatCols {
		types[t.cols[c]] = gseries.Float
	}
	recs := make([][]string, 0, len(t.rows)+1)
	recs = append(recs, t.cols)
	recs = append(recs, t.rows...)
	df := dataframe.LoadRecords(recs,
		dataframe.HasHeader(true),
		dataframe.DetectTypes(false),
		dataframe.DefaultType(gseries.String),
		dataframe.WithTypes(types),
		dataframe.NaNValues([]string{}),
	)
	if df.Err != nil {
		return df, &ParseError{File: t.name, Err: fmt.Errorf("%w: %v", ErrFormat, df.Err)}
	}
	t.inFrame = make(map[string]bool, len(t.cols))
	for _, n := range df.Names() {
		t.inFrame[n] = true
	}
	return df, nil
}

// floats returns column c of df as checked values: NaN for missing cells,
// an error for anything else that is not a finite number.
func (t *sheet) floats(df dataframe.DataFrame, c int) ([]float64, error) {
	name := t.cols[c]
	if !t.inFrame[name] {
		return nil, &ParseError{File: t.name, Column: name, Err: ErrUnknownColumn}
	}
	vals := df.Col(name).Float()
	for r, v := range vals {
		raw := t.rows[r][c]
		switch {
		case isMissing(raw):
			vals[r] = math.NaN()
		case math.IsNaN(v):
			return nil, &ParseError{File: t.name, Line: t.lines[r], Column: name, Err: fmt.Errorf("%w: %q", ErrNotNumber, clip(raw))}
		case math.IsInf(v, 0):
			return nil, &ParseError{File: t.name, Line: t.lines[r], Column: name, Err: fmt.Errorf("%w: %q is not finite", ErrNotNumber, clip(raw))}
		}
	}
	return vals, nil
}

func (t *sheet) strings(df dataframe.DataFrame, c int) ([]string, error) {
	name := t.cols[c]
	if !t.inFrame[name] {
		return nil, &ParseError{File: t.name, Column: name, Err: ErrUnknownColumn}
	}
	return df.Col(name).Records(), nil
}

// times parses column c as timestamps.
func (t *sheet) times(df dataframe.DataFrame, c int, unix bool) ([]time.Time, error) {
	cells, err := t.strings(df, c)
	if err != nil {
		return nil, err
	}
	out := make([]time.Time, len(cells))
	hint := 0
	for r, s := range cells {
		if isMissing(s) {
			return nil, &ParseError{File: t.name, Line: t.lines[r], Column: t.cols[c], Err: fmt.Errorf("%w: missing timestamp", ErrBadTime)}
		}
		out[r], hint, err = parseTime(s, hint, unix)
		if err != nil {
			return nil, &ParseError{File: t.name, Line: t.lines[r], Column: t.cols[c], Err: err}
		}
	}
	return out, nil
}

// firstValue returns the first non-missing cell of column c.
func (t *sheet) firstValue(c int) string {
	for _, row := range t.rows {
		if c < len(row) && !isMissing(row[c]) {
			return row[c]
		}
	}
	return ""
}

// looksLikeTime reports whether column c's first value is a date (not a
// bare number: Unix seconds are only accepted in a named column).
func (t *sheet) looksLikeTime(c int) bool {
	_, _, err := parseTime(t.firstValue(c), 0, false)
	return err == nil
}
