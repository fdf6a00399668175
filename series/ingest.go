// Ingest: read delimited text files (plain or gzipped) in long, wide or
// M4 "rows" layout into a Dataset, through gota data frames with pinned
// column types, checking every cell and timestamp.

package series

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-gota/gota/dataframe"
	gseries "github.com/go-gota/gota/series"
)

// Layout is how series are laid out in a file.
type Layout uint8

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

var layoutNames = [...]string{"auto", "long", "wide", "rows"}

// String returns "auto", "long", "wide" or "rows".
func (l Layout) String() string {
	if int(l) < len(layoutNames) {
		return layoutNames[l]
	}
	return "Layout(" + strconv.Itoa(int(l)) + ")"
}

// UnmarshalText implements encoding.TextUnmarshaler ("auto", "long",
// "wide", "rows"; "m4" is accepted for "rows").
func (l *Layout) UnmarshalText(b []byte) error {
	s := strings.ToLower(strings.TrimSpace(string(b)))
	if s == "m4" {
		*l = LayoutRows
		return nil
	}
	for i, n := range layoutNames {
		if s == n {
			*l = Layout(i)
			return nil
		}
	}
	return fmt.Errorf("series: layout %q: want auto, long, wide or rows", string(b))
}

// MarshalText implements encoding.TextMarshaler.
func (l Layout) MarshalText() ([]byte, error) { return []byte(l.String()), nil }

// HeaderMode says whether the first row names the columns.
type HeaderMode uint8

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

// DefaultMaxBytes is the default limit on the (decompressed) input size.
const DefaultMaxBytes = 1 << 30

// ReadOptions configures Read and ReadFile. The zero value reads most files:
// it detects the delimiter, the header, the layout, the timestamp column
// and the frequency.
//
// Columns are chosen by name: the header's names, or V1, V2, ... when the
// file has no header (an empty header cell is also named by its position).
//
// With LayoutAuto the layout is guessed from the first data row: when its
// first cell (or the ID column, if given) is text that is neither a number
// nor a timestamp, the file is long if some column holds timestamps or the
// ids repeat, and rows (M4) otherwise; everything else is wide.
type ReadOptions struct {
	Layout Layout
	// ID names the series id column (long, rows). Empty: none for long
	// files (one series per value column), the first column for rows.
	ID string
	// Time names the timestamp column. Empty: the first column whose first
	// value parses as a date (see ParseTime). A column named here may
	// also hold Unix seconds.
	Time string
	// Value names the target columns. Empty: every column that is not the
	// id, time or a covariate. In a long file with several value columns
	// each becomes its own series, with ID "id/column".
	Value []string
	// Covariates names extra numeric inputs attached to each series.
	Covariates []string
	Header     HeaderMode
	// Delimiter separates cells; 0 picks the most frequent of ',', '\t',
	// ';' and '|' on the first line.
	Delimiter rune
	// Freq overrides the inferred frequency. For files without timestamps
	// it is the only source of the frequency.
	Freq Frequency
	// MaxBytes limits the input size after decompression; 0 means
	// DefaultMaxBytes.
	MaxBytes int64

	// covariatesOnly reads only the id, time and covariate columns (see
	// ReadFuture).
	covariatesOnly bool
}

// Errors that callers may branch on; they arrive wrapped, usually in a
// *ParseError.
var (
	ErrEmpty         = errors.New("no data")
	ErrAllMissing    = errors.New("all values missing")
	ErrTooLarge      = errors.New("input too large")
	ErrUnknownColumn = errors.New("unknown column")
	ErrNotNumber     = errors.New("not a number")
	ErrBadTime       = errors.New("bad timestamp")
	ErrUnsorted      = errors.New("timestamps out of order")
	ErrDuplicate     = errors.New("duplicate timestamp")
	ErrGrid          = errors.New("timestamp off the frequency grid")
	ErrGap           = errors.New("gap too long to fill")
	ErrFormat        = errors.New("malformed input")
)

// ParseError reports a problem in an input file, with its position.
type ParseError struct {
	File   string
	Line   int    // 1-based line; 0 when not about one line
	Column string // column name; "" when not about one column
	Err    error
}

func (e *ParseError) Error() string {
	var b strings.Builder
	b.WriteString("series: ")
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, " line %d", e.Line)
	}
	if e.Column != "" {
		fmt.Fprintf(&b, " column %q", e.Column)
	}
	b.WriteString(": ")
	b.WriteString(e.Err.Error())
	return b.String()
}

// Unwrap returns the underlying error.
func (e *ParseError) Unwrap() error { return e.Err }

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
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() && st.Size() > opt.maxBytes() {
		return nil, &ParseError{File: path, Err: fmt.Errorf("%w: %d bytes, limit %d (ReadOptions.MaxBytes)", ErrTooLarge, st.Size(), opt.maxBytes())}
	}
	ds, err := Read(f, path, opt)
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
// that is not a finite number is an error naming the line and column.
// Timestamps must increase strictly within a series. When the frequency is
// regular, skipped periods are inserted as missing values and counted in
// Dataset.Filled; a timestamp off the grid is an error.
func Read(r io.Reader, name string, opt ReadOptions) (*Dataset, error) {
	limit := opt.maxBytes()
	br := bufio.NewReader(r)
	var src io.Reader = br
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		gz, err := gzip.NewReader(br)
		if err != nil {
			return nil, &ParseError{File: name, Err: fmt.Errorf("gzip: %w", err)}
		}
		defer gz.Close()
		src = gz
	}
	data, err := io.ReadAll(io.LimitReader(src, limit+1))
	if err != nil {
		return nil, &ParseError{File: name, Err: err}
	}
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

func (o ReadOptions) maxBytes() int64 {
	if o.MaxBytes <= 0 {
		return DefaultMaxBytes
	}
	return o.MaxBytes
}

// timeLayouts are tried in order by ParseTime. Go accepts fractional
// seconds after the seconds field even when a layout does not show them.
var timeLayouts = []string{
	time.RFC3339,
	"2006-01-02 15:04:05",
	"2006-01-02T15:04:05",
	"2006-01-02 15:04",
	"2006-01-02T15:04",
	"2006-01-02",
	"2006/01/02",
	"2006/01/02 15:04:05",
	"2006/01/02 15:04",
	"2006-01",
}

// ParseTime parses a timestamp in one of the accepted forms: RFC 3339,
// "2006-01-02 15:04:05", "2006-01-02T15:04:05", "2006-01-02 15:04",
// "2006-01-02", "2006/01/02" (optionally with a clock time) and "2006-01".
// Times without a zone are UTC.
func ParseTime(s string) (time.Time, error) {
	t, _, err := parseTime(strings.TrimSpace(s), 0, false)
	return t, err
}

// parseTime tries layout hint first, then all layouts; with unix it also
// accepts integer Unix seconds. It returns the layout index that matched
// (-1 for Unix seconds).
func parseTime(s string, hint int, unix bool) (time.Time, int, error) {
	if hint >= 0 && hint < len(timeLayouts) {
		if t, err := time.Parse(timeLayouts[hint], s); err == nil {
			return t, hint, nil
		}
	}
	// Cheap pre-check: every accepted layout starts with four digits.
	if len(s) >= 7 && isDigits(s[:4]) && (s[4] == '-' || s[4] == '/') {
		for i, layout := range timeLayouts {
			if t, err := time.Parse(layout, s); err == nil {
				return t, i, nil
			}
		}
	}
	if unix {
		if sec, err := strconv.ParseInt(s, 10, 64); err == nil && sec > -1e13 && sec < 1e13 {
			return time.Unix(sec, 0).UTC(), -1, nil
		}
	}
	return time.Time{}, hint, fmt.Errorf("%w: %q", ErrBadTime, clip(s))
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isMissing reports whether a (trimmed) cell spells a missing value.
func isMissing(s string) bool {
	switch len(s) {
	case 0:
		return true
	case 2, 3, 4:
		switch strings.ToLower(s) {
		case "na", "n/a", "nan", "null", "none":
			return true
		}
	}
	return false
}

func isNumber(s string) bool {
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}

// clip shortens s for an error message.
func clip(s string) string {
	if len(s) > 40 {
		return s[:37] + "..."
	}
	return s
}

// table is a parsed delimited file: column names, rows of trimmed cells
// and the file line each row started on.
type table struct {
	name  string
	cols  []string
	rows  [][]string
	lines []int
	width int // longest row
	// inFrame holds the column names of the last loaded gota frame; gota's
	// Col panics on an unknown name, so every lookup is checked here.
	inFrame map[string]bool
}

func readTable(data []byte, name string, opt ReadOptions) (*table, error) {
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
	t := &table{name: name}
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
func (t *table) index(name, role string) (int, error) {
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
func (t *table) rectangular(pad bool) error {
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
func (t *table) frame(floatCols []int) (dataframe.DataFrame, error) {
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
func (t *table) floats(df dataframe.DataFrame, c int) ([]float64, error) {
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

func (t *table) strings(df dataframe.DataFrame, c int) ([]string, error) {
	name := t.cols[c]
	if !t.inFrame[name] {
		return nil, &ParseError{File: t.name, Column: name, Err: ErrUnknownColumn}
	}
	return df.Col(name).Records(), nil
}

// times parses column c as timestamps.
func (t *table) times(df dataframe.DataFrame, c int, unix bool) ([]time.Time, error) {
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
func (t *table) firstValue(c int) string {
	for _, row := range t.rows {
		if c < len(row) && !isMissing(row[c]) {
			return row[c]
		}
	}
	return ""
}

// looksLikeTime reports whether column c's first value is a date (not a
// bare number: Unix seconds are only accepted in a named column).
func (t *table) looksLikeTime(c int) bool {
	_, _, err := parseTime(t.firstValue(c), 0, false)
	return err == nil
}

// rawSeries is one series before the timestamp checks and gap filling.
type rawSeries struct {
	id     string
	times  []time.Time
	lines  []int
	values []float64
	cov    map[string][]float64
}

// columns resolves the named columns, checking they exist and are not
// used twice.
type columns struct {
	id, time    int // -1 if none
	values, cov []int
	// covOnly: no value columns; one series per id carries the
	// covariates (ReadFuture).
	covOnly bool
}

func (t *table) resolve(opt ReadOptions, layout Layout) (columns, error) {
	cs := columns{id: -1, time: -1, covOnly: opt.covariatesOnly}
	used := map[int]string{}
	use := func(name, role string) (int, error) {
		i, err := t.index(name, role)
		if err != nil {
			return -1, err
		}
		if prev, ok := used[i]; ok {
			return -1, &ParseError{File: t.name, Column: name, Err: fmt.Errorf("%w: column used as both %s and %s", ErrFormat, prev, role)}
		}
		used[i] = role
		return i, nil
	}
	var err error
	if opt.ID != "" {
		if cs.id, err = use(opt.ID, "the id"); err != nil {
			return cs, err
		}
	} else if layout == LayoutRows {
		cs.id = 0
		used[0] = "the id"
	}
	if opt.Time != "" {
		if cs.time, err = use(opt.Time, "the time"); err != nil {
			return cs, err
		}
	}
	for _, name := range opt.Covariates {
		i, err := use(name, "a covariate")
		if err != nil {
			return cs, err
		}
		cs.cov = append(cs.cov, i)
	}
	for _, name := range opt.Value {
		i, err := use(name, "a value")
		if err != nil {
			return cs, err
		}
		cs.values = append(cs.values, i)
	}
	if layout == LayoutWide && opt.ID != "" {
		return cs, &ParseError{File: t.name, Column: opt.ID, Err: fmt.Errorf("%w: the wide layout has no id column (each column is a series)", ErrFormat)}
	}
	if layout == LayoutRows {
		if opt.Time != "" || len(opt.Value) > 0 || len(opt.Covariates) > 0 || cs.covOnly {
			return cs, &ParseError{File: t.name, Err: fmt.Errorf("%w: the rows layout takes only an id column (no Time, Value or Covariates)", ErrFormat)}
		}
		return cs, nil
	}
	if cs.time < 0 && opt.Time == "" {
		for i := range t.cols {
			if _, taken := used[i]; !taken && t.looksLikeTime(i) {
				cs.time = i
				used[i] = "the time"
				break
			}
		}
	}
	if cs.covOnly {
		cs.values = nil
		if len(cs.cov) == 0 {
			return cs, &ParseError{File: t.name, Err: fmt.Errorf("%w: no covariate columns named", ErrEmpty)}
		}
		return cs, nil
	}
	if len(cs.values) == 0 {
		for i := range t.cols {
			if _, taken := used[i]; !taken {
				cs.values = append(cs.values, i)
			}
		}
	}
	if len(cs.values) == 0 {
		return cs, &ParseError{File: t.name, Err: fmt.Errorf("%w: no value columns", ErrEmpty)}
	}
	return cs, nil
}

// detectLayout implements the LayoutAuto rules documented on ReadOptions.
func (t *table) detectLayout(opt ReadOptions) Layout {
	idCol := 0
	if opt.ID != "" {
		if i := slices.Index(t.cols, opt.ID); i >= 0 {
			idCol = i
		}
	}
	first := t.rows[0]
	label := opt.ID != ""
	if !label && idCol < len(first) {
		c := first[idCol]
		label = !isMissing(c) && !isNumber(c) && !t.looksLikeTime(idCol)
	}
	if !label {
		return LayoutWide
	}
	if opt.Time != "" || len(opt.Value) > 0 || len(opt.Covariates) > 0 {
		return LayoutLong
	}
	for i := range t.cols {
		if i != idCol && t.looksLikeTime(i) {
			return LayoutLong
		}
	}
	seen := map[string]bool{}
	for _, row := range t.rows {
		if idCol < len(row) {
			if seen[row[idCol]] {
				return LayoutLong
			}
			seen[row[idCol]] = true
		}
	}
	return LayoutRows
}

func (t *table) dataset(opt ReadOptions) (*Dataset, error) {
	layout := opt.Layout
	if layout == LayoutAuto {
		layout = t.detectLayout(opt)
		if layout == LayoutLong && opt.ID == "" {
			opt.ID = t.cols[0]
		}
	}
	if layout > LayoutRows {
		return nil, fmt.Errorf("series: %s: unknown layout %d", t.name, layout)
	}
	if err := t.rectangular(layout == LayoutRows); err != nil {
		return nil, err
	}
	cs, err := t.resolve(opt, layout)
	if err != nil {
		return nil, err
	}
	var raws []rawSeries
	switch layout {
	case LayoutLong:
		raws, err = t.long(cs, opt.Time != "")
	case LayoutWide:
		raws, err = t.wide(cs, opt.Time != "")
	case LayoutRows:
		raws, err = t.byRow(cs)
	}
	if err != nil {
		return nil, err
	}
	return finish(t.name, raws, opt.Freq, !cs.covOnly)
}

func (t *table) floatColumns(cols []int) (map[int][]float64, error) {
	df, err := t.frame(cols)
	if err != nil {
		return nil, err
	}
	out := make(map[int][]float64, len(cols))
	for _, c := range cols {
		if out[c], err = t.floats(df, c); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (t *table) long(cs columns, unix bool) ([]rawSeries, error) {
	num := append(slices.Clone(cs.values), cs.cov...)
	df, err := t.frame(num)
	if err != nil {
		return nil, err
	}
	vals := make(map[int][]float64, len(num))
	for _, c := range num {
		if vals[c], err = t.floats(df, c); err != nil {
			return nil, err
		}
	}
	var ids []string
	if cs.id >= 0 {
		if ids, err = t.strings(df, cs.id); err != nil {
			return nil, err
		}
	}
	var times []time.Time
	if cs.time >= 0 {
		if times, err = t.times(df, cs.time, unix); err != nil {
			return nil, err
		}
	}
	// Group rows by id, in order of first appearance.
	var order []string
	groups := map[string][]int{}
	for r := range t.rows {
		id := ""
		if ids != nil {
			id = ids[r]
			if isMissing(id) {
				return nil, &ParseError{File: t.name, Line: t.lines[r], Column: t.cols[cs.id], Err: fmt.Errorf("%w: empty series id", ErrFormat)}
			}
		}
		if _, ok := groups[id]; !ok {
			order = append(order, id)
		}
		groups[id] = append(groups[id], r)
	}
	var out []rawSeries
	for _, id := range order {
		rows := groups[id]
		var gt []time.Time
		if times != nil {
			gt = make([]time.Time, len(rows))
			for i, r := range rows {
				gt[i] = times[r]
			}
		}
		lines := make([]int, len(rows))
		for i, r := range rows {
			lines[i] = t.lines[r]
		}
		var cov map[string][]float64
		if len(cs.cov) > 0 {
			cov = make(map[string][]float64, len(cs.cov))
			for _, c := range cs.cov {
				cov[t.cols[c]] = pick(vals[c], rows)
			}
		}
		if cs.covOnly {
			out = append(out, rawSeries{id: id, times: gt, lines: lines, values: nanSlice(len(rows)), cov: cov})
			continue
		}
		for k, c := range cs.values {
			name := id
			switch {
			case ids == nil:
				name = t.cols[c]
			case len(cs.values) > 1:
				name = id + "/" + t.cols[c]
			}
			rs := rawSeries{id: name, times: gt, lines: lines, values: pick(vals[c], rows), cov: cov}
			if k > 0 {
				rs.cov = cloneCov(cov)
				rs.times = slices.Clone(gt)
			}
			out = append(out, rs)
		}
	}
	return out, nil
}

func nanSlice(n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = math.NaN()
	}
	return out
}

func pick(v []float64, rows []int) []float64 {
	out := make([]float64, len(rows))
	for i, r := range rows {
		out[i] = v[r]
	}
	return out
}

func cloneCov(c map[string][]float64) map[string][]float64 {
	if c == nil {
		return nil
	}
	out := make(map[string][]float64, len(c))
	for k, v := range c {
		out[k] = slices.Clone(v)
	}
	return out
}

func (t *table) wide(cs columns, unix bool) ([]rawSeries, error) {
	num := append(slices.Clone(cs.values), cs.cov...)
	df, err := t.frame(num)
	if err != nil {
		return nil, err
	}
	var times []time.Time
	if cs.time >= 0 {
		if times, err = t.times(df, cs.time, unix); err != nil {
			return nil, err
		}
	}
	cov := map[string][]float64{}
	for _, c := range cs.cov {
		if cov[t.cols[c]], err = t.floats(df, c); err != nil {
			return nil, err
		}
	}
	if cs.covOnly {
		return []rawSeries{{times: times, lines: t.lines, values: nanSlice(len(t.rows)), cov: cov}}, nil
	}
	out := make([]rawSeries, 0, len(cs.values))
	for k, c := range cs.values {
		v, err := t.floats(df, c)
		if err != nil {
			return nil, err
		}
		rs := rawSeries{id: t.cols[c], times: times, lines: t.lines, values: v}
		if len(cs.cov) > 0 {
			rs.cov = cov
		}
		if k > 0 {
			rs.times = slices.Clone(times)
			rs.cov = cloneCov(rs.cov)
		}
		out = append(out, rs)
	}
	return out, nil
}

func (t *table) byRow(cs columns) ([]rawSeries, error) {
	var num []int
	for i := range t.cols {
		if i != cs.id {
			num = append(num, i)
		}
	}
	if len(num) == 0 {
		return nil, &ParseError{File: t.name, Err: fmt.Errorf("%w: no value columns after the id column", ErrEmpty)}
	}
	df, err := t.frame(num)
	if err != nil {
		return nil, err
	}
	ids, err := t.strings(df, cs.id)
	if err != nil {
		return nil, err
	}
	cols := make([][]float64, len(num))
	for k, c := range num {
		if cols[k], err = t.floats(df, c); err != nil {
			return nil, err
		}
	}
	out := make([]rawSeries, len(t.rows))
	seen := make(map[string]int, len(t.rows))
	for r := range t.rows {
		id := ids[r]
		if isMissing(id) {
			return nil, &ParseError{File: t.name, Line: t.lines[r], Column: t.cols[cs.id], Err: fmt.Errorf("%w: empty series id", ErrFormat)}
		}
		if prev, ok := seen[id]; ok {
			return nil, &ParseError{File: t.name, Line: t.lines[r], Column: t.cols[cs.id], Err: fmt.Errorf("%w: series id %q already on line %d", ErrFormat, id, prev)}
		}
		seen[id] = t.lines[r]
		n := len(cols)
		for n > 0 && math.IsNaN(cols[n-1][r]) {
			n--
		}
		v := make([]float64, n)
		for k := range v {
			v[k] = cols[k][r]
		}
		out[r] = rawSeries{id: id, values: v}
	}
	return out, nil
}

// maxFill bounds how long a series may grow by gap filling: bad timestamps
// must not make us allocate without limit.
func maxFill(n int) int { return 10*n + 1000 }

// finish checks timestamps, settles the frequency, fills gaps and, with
// needValues, checks that every series has data.
func finish(name string, raws []rawSeries, freq Frequency, needValues bool) (*Dataset, error) {
	if len(raws) == 0 {
		return nil, &ParseError{File: name, Err: fmt.Errorf("%w: no series", ErrEmpty)}
	}
	var gaps []time.Duration
	for _, rs := range raws {
		for i := 1; i < len(rs.times); i++ {
			prev, cur := rs.times[i-1], rs.times[i]
			if !cur.After(prev) {
				err := fmt.Errorf("%w: series %q: %s is not after %s (line %d)", ErrUnsorted, rs.id, cur.Format(time.RFC3339), prev.Format(time.RFC3339), rs.lines[i-1])
				if cur.Equal(prev) {
					err = fmt.Errorf("%w: series %q: %s already on line %d", ErrDuplicate, rs.id, cur.Format(time.RFC3339), rs.lines[i-1])
				}
				return nil, &ParseError{File: name, Line: rs.lines[i], Err: err}
			}
			gaps = append(gaps, cur.Sub(prev))
		}
	}
	hasTimes := slices.ContainsFunc(raws, func(r rawSeries) bool { return r.times != nil })
	freq = freq.normalize()
	if !freq.Regular() && hasTimes {
		freq = inferFrequency(gaps)
	}
	ds := &Dataset{Freq: freq, Source: name, Series: make([]Series, len(raws))}
	for i, rs := range raws {
		s := Series{ID: rs.id, Times: rs.times, Values: rs.values, Covariates: rs.cov, Freq: freq}
		if rs.times != nil && freq.Regular() {
			filled, n, err := fill(name, rs, freq)
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
func fill(name string, rs rawSeries, f Frequency) (Series, int, error) {
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
				ErrGrid, rs.id, rs.times[i].Format(time.RFC3339), what, rs.times[i-1].Format(time.RFC3339), rs.lines[i-1], f)}
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
