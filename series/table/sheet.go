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
	// timeFormat is ReadOptions.TimeFormat, nil to detect it.
	timeFormat *timeFormat
	// timeKind is what the time column's cells say (a date, a clock time,
	// an instant with a zone).
	timeKind timeKind
	// decimal is the decimal mark of numbers, '.' or ','; sureDecimal
	// says it was given, not detected.
	decimal     byte
	sureDecimal bool
	// dotUnsure: the mark '.' was assumed in a file not separated by ','
	// with no number that shows it, so "1.234" may mean 1234.
	dotUnsure bool
}

// isNumber reports whether a cell is a number in the sheet's decimal mark.
func (t *sheet) isNumber(s string) bool {
	p, err := plainNumber(s, t.decimal, t.sureDecimal)
	return err == nil && isNumber(p)
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
	// One row per line at most (quoted cells may span lines): sized once,
	// the row index does not grow by doubling (on 2.4 million rows its
	// growth allocated 400 MB).
	n := bytes.Count(data, []byte{'\n'}) + 1
	t := &sheet{name: name, rows: make([][]string, 0, n), lines: make([]int, 0, n)}
	var err error
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
	switch {
	case opt.Decimal == ',' || opt.Decimal == '.':
		t.decimal, t.sureDecimal = byte(opt.Decimal), true
	case opt.Decimal != 0:
		return nil, fmt.Errorf("series: decimal mark %q: want '.' or ','", opt.Decimal)
	case cr.Comma == ',':
		t.decimal = '.'
	default:
		var sure bool
		t.decimal, sure = detectDecimal(t.rows[1:])
		// Without a decimal mark for certain, "1.234" could be 1234.
		t.dotUnsure = !sure
	}
	if opt.TimeFormat != "" {
		if t.timeFormat, err = customFormat(opt.TimeFormat); err != nil {
			return nil, err
		}
	}
	header := opt.Header == HeaderPresent
	if opt.Header == HeaderAuto {
		header = true
		for _, c := range t.rows[0] {
			if c != "" && t.isNumber(c) {
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
		if err := t.plainNumbers(c); err != nil {
			return dataframe.DataFrame{}, err
		}
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

// plainNumbers rewrites the numbers of column c into strconv's form
// (decimal point, no thousands separators) for gota.
func (t *sheet) plainNumbers(c int) error {
	for r, row := range t.rows {
		s := row[c]
		if t.decimal == '.' && !strings.Contains(s, ",") {
			if t.dotUnsure && strings.Contains(s, ".") && s[0] != '0' {
				if ok, grouped := groupedInt(strings.TrimLeft(s, "+-"), '.'); ok && grouped {
					return &ParseError{File: t.name, Line: t.lines[r], Column: t.cols[c], Err: fmt.Errorf("%w: %q: is \".\" a thousands separator or a decimal mark? give the decimal mark (--decimal, ReadOptions.Decimal)", ErrNotNumber, clip(s))}
				}
			}
			continue
		}
		p, err := plainNumber(s, t.decimal, t.sureDecimal)
		if err != nil {
			return &ParseError{File: t.name, Line: t.lines[r], Column: t.cols[c], Err: err}
		}
		row[c] = p
	}
	return nil
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
			hint := ""
			if comma, _ := numberMarks(raw); comma && t.decimal == '.' {
				hint = " (a decimal comma? give --decimal , or ReadOptions.Decimal)"
			}
			return nil, &ParseError{File: t.name, Line: t.lines[r], Column: name, Err: fmt.Errorf("%w: %q%s", ErrNotNumber, clip(raw), hint)}
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

// times reads column c as timestamps in the format detected for the
// whole column (see detectTimes), or ReadOptions.TimeFormat; named says
// the column was named as the time, so bare numbers are timestamps too.
func (t *sheet) times(df dataframe.DataFrame, c int, named bool) ([]time.Time, error) {
	cells, err := t.strings(df, c)
	if err != nil {
		return nil, err
	}
	col, cerr := detectTimes(cells, named || timeName(t.cols[c]), t.timeFormats())
	if cerr != nil {
		return nil, &ParseError{File: t.name, Line: t.lines[cerr.row], Column: t.cols[c], Err: cerr.err}
	}
	t.timeKind = col.kind
	return col.times, nil
}

// timeFormats are the formats a time column may be in.
func (t *sheet) timeFormats() []*timeFormat {
	if t.timeFormat != nil {
		return []*timeFormat{t.timeFormat}
	}
	return timeFormats
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

// looksLikeTime reports whether column c's first value is a timestamp in
// a known format; bare numbers (years, Unix times) count only in a column
// named like a time (see timeName). A value shaped like a date that no
// format reads is an error: such a column must not silently become ids.
func (t *sheet) looksLikeTime(c int) (bool, error) {
	v := t.firstValue(c)
	numeric := timeName(t.cols[c])
	for _, f := range t.timeFormats() {
		if !f.numeric || numeric {
			if _, _, ok := f.parse(v); ok {
				return true, nil
			}
		}
	}
	if t.timeFormat != nil && v != "" && timeName(t.cols[c]) || dateShaped(v) {
		r := slices.IndexFunc(t.rows, func(row []string) bool { return c < len(row) && row[c] == v })
		err := fmt.Errorf("%w: %q looks like a date but is in no known date format (give the format: --time-format, ReadOptions.TimeFormat)", ErrBadTime, clip(v))
		if t.timeFormat != nil {
			err = fmt.Errorf("%w: %q does not match the time format %q", ErrBadTime, clip(v), t.timeFormat.name)
		}
		return false, &ParseError{File: t.name, Line: t.lines[r], Column: t.cols[c], Err: err}
	}
	return false, nil
}

// dateShaped reports whether s starts like a date: three groups of digits
// joined by the same '-', '/' or '.'.
func dateShaped(s string) bool {
	groups, sep := 0, byte(0)
	i := 0
	for groups < 3 {
		j := i
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		if j == i || j-i > 4 {
			return false
		}
		groups++
		if groups == 3 {
			return j == len(s) || s[j] == ' ' || s[j] == 'T'
		}
		if j == len(s) || (s[j] != '-' && s[j] != '/' && s[j] != '.') || (sep != 0 && s[j] != sep) {
			return false
		}
		sep, i = s[j], j+1
	}
	return false
}
