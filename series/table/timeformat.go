// Timestamp formats: the ways people write dates, and the choice of one
// format for a whole column. Month-first against day-first is settled by
// the reading that gives a regular frequency, or refused.

package table

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// timeKind is what a column's timestamps say, which decides how its
// forecast timestamps are written.
type timeKind uint8

const (
	// kindDate: calendar dates, or months, quarters and years (read as
	// their first day).
	kindDate timeKind = iota
	// kindClock: dates with a clock time and no zone.
	kindClock
	// kindZoned: instants with a zone or offset, and Unix times.
	kindZoned
)

// layout returns the Go layout that writes timestamps of kind k.
func (k timeKind) layout() string {
	switch k {
	case kindDate:
		return "2006-01-02"
	case kindClock:
		return "2006-01-02T15:04:05.999999999"
	}
	return time.RFC3339Nano
}

// timeFormat is one way of writing timestamps.
type timeFormat struct {
	// name shows the format to users, e.g. "MM/DD/YYYY".
	name string
	// parse reads one trimmed, non-empty cell.
	parse func(s string) (time.Time, timeKind, bool)
	// numeric formats read bare integers (years, YYYYMM, Unix times):
	// they are tried only on a column named as the time, or named like
	// one (see timeName).
	numeric bool
	// order is "month-first" or "day-first" for the two readings of
	// NN/NN/YYYY that can both fit a column.
	order string
	// custom is a format the user gave (ReadOptions.TimeFormat).
	custom bool
}

// layoutFormat reads cells with Go layouts, the first that fits.
func layoutFormat(name, order string, pre func(string) bool, layouts ...string) *timeFormat {
	return &timeFormat{name: name, order: order, parse: func(s string) (time.Time, timeKind, bool) {
		if !pre(s) {
			return time.Time{}, 0, false
		}
		for _, l := range layouts {
			if t, err := time.Parse(l, s); err == nil {
				return t, layoutKind(l), true
			}
		}
		return time.Time{}, 0, false
	}}
}

// layoutKind is the kind of timestamps a Go layout writes.
func layoutKind(l string) timeKind {
	switch {
	case strings.Contains(l, "Z07") || strings.Contains(l, "-07") || strings.Contains(l, "MST"):
		return kindZoned
	case strings.Contains(l, "15") || strings.Contains(l, "03") || strings.Contains(l, ":04"):
		return kindClock
	}
	return kindDate
}

// isoLayouts are the ISO 8601 forms (and their "/" variants); Go accepts
// fractional seconds after the seconds even when a layout does not show
// them.
var isoLayouts = []string{
	time.RFC3339,
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02T15:04:05Z0700",
	"2006-01-02 15:04:05",
	"2006-01-02T15:04:05",
	"2006-01-02 15:04",
	"2006-01-02T15:04",
	"2006-01-02",
	"2006/01/02",
	"2006/01/02 15:04:05",
	"2006/01/02 15:04",
	"2006-01",
	"2006/01",
}

// isoFormat reads the ISO forms, with the layout that matched the previous
// cell tried first (columns mostly keep one), and extended years.
var isoFormat = &timeFormat{name: "YYYY-MM-DD", parse: parseISO}

func parseISO(s string) (time.Time, timeKind, bool) {
	if len(s) >= 7 && isDigits(s[:4]) && (s[4] == '-' || s[4] == '/') {
		layouts := isoLayouts
		switch len(s) {
		case 10:
			// Most files: YYYY-MM-DD, read without time.Parse, which
			// would first fail on every longer layout.
			if s[7] == s[4] && isDigits(s[5:7]) && isDigits(s[8:]) {
				y, _ := strconv.Atoi(s[:4])
				m, _ := strconv.Atoi(s[5:7])
				d, _ := strconv.Atoi(s[8:])
				if m < 1 || m > 12 || d < 1 || d > daysIn(y, time.Month(m)) {
					return time.Time{}, 0, false
				}
				return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC), kindDate, true
			}
		case 7:
			layouts = isoLayouts[len(isoLayouts)-2:]
		}
		for _, l := range layouts {
			if t, err := time.Parse(l, s); err == nil {
				return t, layoutKind(l), true
			}
		}
		return time.Time{}, 0, false
	}
	return parseExtendedYear(s)
}

// parseExtendedYear reads the ISO 8601 expanded dates Go's layouts cannot:
// a signed year or one of five digits or more, then -MM and maybe -DD
// ("-6000-01-01", "+12000-06").
func parseExtendedYear(s string) (time.Time, timeKind, bool) {
	i := 0
	if len(s) > 0 && (s[0] == '-' || s[0] == '+') {
		i = 1
	}
	j := i
	for j < len(s) && s[j] >= '0' && s[j] <= '9' {
		j++
	}
	if j-i < 4 || (i == 0 && j-i < 5) || j-i > 9 {
		return time.Time{}, 0, false
	}
	y, err := strconv.Atoi(s[:j])
	if err != nil {
		return time.Time{}, 0, false
	}
	rest := s[j:]
	if len(rest) > 6 && (rest[6] == 'T' || rest[6] == ' ') {
		// A date-time, as arkit writes one (RFC 3339 with the expanded
		// year): the month onwards read by the ISO layouts in a leap year,
		// the day then checked against year y.
		t, kind, ok := parseISO("2000" + rest)
		if !ok || t.Day() > daysIn(y, t.Month()) {
			return time.Time{}, 0, false
		}
		return time.Date(y, t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), t.Location()), kind, true
	}
	if len(rest) != 3 && len(rest) != 6 || rest[0] != '-' || !isDigits(rest[1:3]) {
		return time.Time{}, 0, false
	}
	m, _ := strconv.Atoi(rest[1:3])
	d := 1
	if len(rest) == 6 {
		if rest[3] != '-' || !isDigits(rest[4:]) {
			return time.Time{}, 0, false
		}
		d, _ = strconv.Atoi(rest[4:])
	}
	if m < 1 || m > 12 || d < 1 || d > daysIn(y, time.Month(m)) {
		return time.Time{}, 0, false
	}
	return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC), kindDate, true
}

// slashed reports whether s starts like NN<sep>NN<sep>YYYY.
func slashed(sep byte) func(string) bool {
	return func(s string) bool {
		a := strings.IndexByte(s, sep)
		if a < 1 || a > 2 || !isDigits(s[:a]) {
			return false
		}
		b := strings.IndexByte(s[a+1:], sep)
		return b >= 1 && b <= 2 && isDigits(s[a+1:a+1+b])
	}
}

func clocked(date string) []string {
	return []string{date, date + " 15:04:05", date + " 15:04", date + "T15:04:05"}
}

func startsWithLetter(s string) bool {
	return s != "" && (s[0]|0x20) >= 'a' && (s[0]|0x20) <= 'z'
}

// timeFormats are tried in this order; when several read a whole column
// the first wins, except that month-first and day-first readings of the
// same column are settled by their frequency (see detectTimes).
var timeFormats = []*timeFormat{
	isoFormat,
	layoutFormat("MM/DD/YYYY", "month-first", slashed('/'), clocked("1/2/2006")...),
	layoutFormat("DD/MM/YYYY", "day-first", slashed('/'), clocked("2/1/2006")...),
	layoutFormat("DD.MM.YYYY", "", slashed('.'), clocked("2.1.2006")...),
	layoutFormat("DD-MM-YYYY", "", slashed('-'), clocked("2-1-2006")...),
	layoutFormat("Mon YYYY", "", startsWithLetter, "Jan 2006", "January 2006", "Jan-2006", "January-2006"),
	{name: "YYYY Qn", parse: parseQuarter},
	{name: "YYYY", parse: parseYear, numeric: true},
	{name: "YYYYMM", parse: parseCompact(6), numeric: true},
	{name: "YYYYMMDD", parse: parseCompact(8), numeric: true},
	{name: "Unix seconds", parse: parseUnix(1, 0, 1e11), numeric: true},
	{name: "Unix milliseconds", parse: parseUnix(1000, 1e11, 1e14), numeric: true},
}

// parseQuarter reads "2020 Q1", "2020-Q1", "2020Q1" and "Q1 2020".
func parseQuarter(s string) (time.Time, timeKind, bool) {
	year, q := s, ""
	if len(s) >= 3 && (s[0] == 'Q' || s[0] == 'q') {
		q, year = s[1:2], strings.TrimLeft(s[2:], " -")
	} else if k := strings.LastIndexAny(s, "Qq"); k > 0 && k == len(s)-2 {
		q, year = s[k+1:], strings.TrimRight(s[:k], " -")
	} else {
		return time.Time{}, 0, false
	}
	if len(q) != 1 || q[0] < '1' || q[0] > '4' || len(year) != 4 || !isDigits(year) {
		return time.Time{}, 0, false
	}
	y, _ := strconv.Atoi(year)
	return time.Date(y, time.Month(3*int(q[0]-'1')+1), 1, 0, 0, 0, 0, time.UTC), kindDate, true
}

// parseYear reads a bare year, -99999 to 99999.
func parseYear(s string) (time.Time, timeKind, bool) {
	digits := strings.TrimPrefix(s, "-")
	if len(digits) == 0 || len(digits) > 5 || !isDigits(digits) {
		return time.Time{}, 0, false
	}
	y, _ := strconv.Atoi(s)
	return time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC), kindDate, true
}

// parseCompact reads YYYYMM (n 6) or YYYYMMDD (n 8).
func parseCompact(n int) func(string) (time.Time, timeKind, bool) {
	return func(s string) (time.Time, timeKind, bool) {
		if len(s) != n || !isDigits(s) {
			return time.Time{}, 0, false
		}
		y, _ := strconv.Atoi(s[:4])
		m, _ := strconv.Atoi(s[4:6])
		d := 1
		if n == 8 {
			d, _ = strconv.Atoi(s[6:])
		}
		if m < 1 || m > 12 || d < 1 || d > daysIn(y, time.Month(m)) {
			return time.Time{}, 0, false
		}
		return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC), kindDate, true
	}
}

// parseUnix reads integer Unix times in units per second, with magnitude
// in [lo, hi) so that seconds and milliseconds do not overlap.
func parseUnix(per int64, lo, hi float64) func(string) (time.Time, timeKind, bool) {
	return func(s string) (time.Time, timeKind, bool) {
		v, err := strconv.ParseInt(s, 10, 64)
		a := float64(v)
		if a < 0 {
			a = -a
		}
		if err != nil || a < lo || a >= hi {
			return time.Time{}, 0, false
		}
		return time.Unix(v/per, v%per*int64(time.Second)/per).UTC(), kindZoned, true
	}
}

// timeName reports whether a column's name says it holds timestamps, so
// that bare numbers in it are read as years or Unix times.
func timeName(name string) bool {
	switch strings.ToLower(name) {
	case "date", "time", "timestamp", "datetime", "ds", "year", "period":
		return true
	}
	return false
}

// customFormat reads cells with a layout given by the user: a Go layout
// ("02/01/2006") or strftime directives ("%d/%m/%Y").
func customFormat(spec string) (*timeFormat, error) {
	layout := spec
	if strings.Contains(spec, "%") {
		var err error
		if layout, err = strftimeLayout(spec); err != nil {
			return nil, err
		}
	}
	if !strings.Contains(layout, "2006") && !strings.Contains(layout, "06") {
		return nil, fmt.Errorf("series: time format %q has no year (Go layouts write it 2006, strftime %%Y)", spec)
	}
	kind := layoutKind(layout)
	return &timeFormat{name: spec, custom: true, parse: func(s string) (time.Time, timeKind, bool) {
		t, err := time.Parse(layout, s)
		return t, kind, err == nil
	}}, nil
}

var strftime = map[byte]string{
	'Y': "2006", 'y': "06", 'm': "01", 'd': "02", 'e': "_2", 'H': "15", 'I': "03", 'M': "04", 'S': "05",
	'p': "PM", 'b': "Jan", 'h': "Jan", 'B': "January", 'a': "Mon", 'A': "Monday", 'j': "002", 'z': "-0700",
	'Z': "MST", 'F': "2006-01-02", 'T': "15:04:05", 'f': "999999999", '%': "%",
}

// strftimeLayout turns strftime directives into a Go layout.
func strftimeLayout(spec string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(spec); i++ {
		if spec[i] != '%' {
			b.WriteByte(spec[i])
			continue
		}
		if i+1 == len(spec) {
			return "", fmt.Errorf("series: time format %q ends in %%", spec)
		}
		i++
		l, ok := strftime[spec[i]]
		if !ok {
			return "", fmt.Errorf("series: time format %q: unknown directive %%%c", spec, spec[i])
		}
		if spec[i] == 'f' && b.Len() > 0 && strings.HasSuffix(b.String(), ".") {
			l = "999999999"
		}
		b.WriteString(l)
	}
	return b.String(), nil
}

// timeColumn is a column's timestamps, read in one format.
type timeColumn struct {
	times  []time.Time
	format *timeFormat
	kind   timeKind // the finest kind of any cell
}

// timeCellError is a cell that stops a column from being read as
// timestamps; row indexes the cells.
type timeCellError struct {
	row int
	err error
}

// detectTimes finds the format that reads every cell and reads them with
// it. Formats that do not read the first cell are not tried; numeric
// formats are tried only with numeric. When both a month-first and a
// day-first format read every cell, the one whose timestamps lie on a
// regular grid wins; when both do, or neither, the column is ambiguous.
func detectTimes(cells []string, numeric bool, formats []*timeFormat) (timeColumn, *timeCellError) {
	if len(cells) == 0 {
		return timeColumn{}, nil
	}
	var alive []*timeFormat
	for _, f := range formats {
		if f.numeric && !numeric {
			continue
		}
		if _, _, ok := f.parse(cells[0]); ok {
			alive = append(alive, f)
		}
	}
	if len(alive) == 0 {
		if isMissing(cells[0]) {
			return timeColumn{}, &timeCellError{0, fmt.Errorf("%w: missing timestamp", ErrBadTime)}
		}
		if len(formats) == 1 && formats[0].custom {
			return timeColumn{}, &timeCellError{0, fmt.Errorf("%w: %q does not match the time format %q", ErrBadTime, clip(cells[0]), formats[0].name)}
		}
		return timeColumn{}, &timeCellError{0, fmt.Errorf("%w: %q is in no known date format (give the format: --time-format, ReadOptions.TimeFormat)", ErrBadTime, clip(cells[0]))}
	}
	kinds := make([]timeKind, len(alive))
	// The first format's readings are kept: it is the usual choice.
	owner, times := alive[0], make([]time.Time, len(cells))
	for r, s := range cells {
		if isMissing(s) {
			return timeColumn{}, &timeCellError{r, fmt.Errorf("%w: missing timestamp", ErrBadTime)}
		}
		first := alive[0]
		n := 0
		for k, f := range alive {
			if t, kind, ok := f.parse(s); ok {
				alive[n], kinds[n] = f, max(kinds[k], kind)
				n++
				if f == owner {
					times[r] = t
				}
			}
		}
		if n == 0 {
			return timeColumn{}, &timeCellError{r, fmt.Errorf("%w: %q is not in the column's format %s (as %q on its first row)", ErrBadTime, clip(s), first.name, clip(cells[0]))}
		}
		alive, kinds = alive[:n], kinds[:n]
	}
	if len(alive) > 1 && alive[0].order != "" && alive[1].order != "" {
		a, b := parseAll(cells, alive[0]), parseAll(cells, alive[1])
		ra, rb := regularGrid(a), regularGrid(b)
		switch {
		case ra && !rb:
			return timeColumn{a, alive[0], kinds[0]}, nil
		case rb && !ra:
			return timeColumn{b, alive[1], kinds[1]}, nil
		}
		// Show a cell whose two readings differ.
		k := slices.IndexFunc(cells, func(s string) bool { t, _, _ := alive[0].parse(s); u, _, _ := alive[1].parse(s); return !t.Equal(u) })
		k = max(k, 0)
		return timeColumn{}, &timeCellError{k, fmt.Errorf("%w: ambiguous dates: %q is %s (%s, %s) or %s (%s, %s); give the format: --time-format %%m/%%d/%%Y or %%d/%%m/%%Y (ReadOptions.TimeFormat)",
			ErrBadTime, clip(cells[k]), a[k].Format("2 Jan 2006"), alive[0].order, readingFreq(a), b[k].Format("2 Jan 2006"), alive[1].order, readingFreq(b))}
	}
	if alive[0] != owner {
		times = parseAll(cells, alive[0])
	}
	return timeColumn{times, alive[0], kinds[0]}, nil
}

func parseAll(cells []string, f *timeFormat) []time.Time {
	out := make([]time.Time, len(cells))
	for r, s := range cells {
		out[r], _, _ = f.parse(s)
	}
	return out
}

// sortedUnique returns the distinct instants of ts in order.
func sortedUnique(ts []time.Time) []time.Time {
	u := slices.Clone(ts)
	slices.SortFunc(u, func(a, b time.Time) int { return a.Compare(b) })
	return slices.CompactFunc(u, func(a, b time.Time) bool { return a.Equal(b) })
}

// readingFreq describes the frequency of one reading of a column.
func readingFreq(ts []time.Time) string {
	u := sortedUnique(ts)
	gaps := make([]time.Duration, 0, len(u))
	for i := 1; i < len(u); i++ {
		gaps = append(gaps, u[i].Sub(u[i-1]))
	}
	f := inferFrequency(gaps)
	if !regularGrid(ts) {
		return "irregular"
	}
	return f.String()
}

// regularGrid reports whether the distinct instants of ts lie on the grid
// of their inferred frequency with at most half its points missing.
func regularGrid(ts []time.Time) bool {
	u := sortedUnique(ts)
	if len(u) < 2 {
		return true
	}
	gaps := make([]time.Duration, len(u)-1)
	for i := range gaps {
		gaps[i] = u[i+1].Sub(u[i])
	}
	f := inferFrequency(gaps)
	if !f.Regular() {
		return false
	}
	var total int64 = 1
	for i := 1; i < len(u); i++ {
		k, exact := f.periodsBetween(u[i-1], u[i])
		if !exact || k < 1 {
			return false
		}
		total += k
	}
	return total <= 2*int64(len(u))
}

// CheckTimeFormat reports whether spec is a usable ReadOptions.TimeFormat:
// a Go layout or strftime directives that include a year.
func CheckTimeFormat(spec string) error {
	_, err := customFormat(spec)
	return err
}
