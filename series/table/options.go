// Read options, layouts, header modes and the errors of reading, with
// ParseError giving the file, line and column.

package table

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Layout is how series are laid out in a file.
type Layout uint8

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
	// value is a date (see Read). A column named here, or named date,
	// time, timestamp, datetime, ds, year or period, may also hold bare
	// years, YYYYMM, YYYYMMDD or Unix seconds or milliseconds.
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
	// Decimal is the decimal mark of numbers, '.' or ','; the other mark
	// may then separate thousands ("1.234,5"). 0 detects it: in a file
	// not separated by ',' a comma is the mark when some number is
	// written with one ("100,25") and none with a point. A lone
	// separator that could be either ("1.234" in such a file) is then an
	// error, never a guess.
	Decimal rune
	// TimeFormat is the format of the timestamps: a Go layout
	// ("02/01/2006 15:04") or strftime directives ("%d/%m/%Y %H:%M").
	// Empty: detected for the whole column (see Read).
	TimeFormat string
	// Agg combines the rows of one series that share a timestamp; the
	// zero value, AggNone, refuses them.
	Agg Aggregation
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

func (o ReadOptions) maxBytes() int64 {
	if o.MaxBytes <= 0 {
		return DefaultMaxBytes
	}
	return o.MaxBytes
}
