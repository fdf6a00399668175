// Cells: parsing timestamps, numbers and missing-value markers.

package table

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ParseTime parses a timestamp in one of the ISO 8601 forms: RFC 3339,
// "2006-01-02 15:04:05", "2006-01-02T15:04:05", "2006-01-02 15:04",
// "2006-01-02", "2006/01/02" (optionally with a clock time), "2006-01" and
// expanded years ("-6000-01-01", "+12000-06"). Times without a zone are
// UTC. The other forms a file may hold (01/31/2020, Jan 2020, 2020 Q1, ...)
// are read by Read, which chooses one per column.
func ParseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, _, ok := parseISO(s); ok {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("%w: %q", ErrBadTime, clip(s))
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

// Numbers with a decimal comma or thousands separators. Read turns them
// into what strconv reads before gota parses a column; a separator that
// could be either (the "1,234" of a file with decimal commas) is refused
// unless ReadOptions.Decimal was given.

// groupedInt reports whether s is digits in groups of three joined by
// sep, e.g. "1.234.567"; grouped is false for plain digits.
func groupedInt(s string, sep byte) (ok, grouped bool) {
	if !strings.Contains(s, string(sep)) {
		return s != "" && isDigits(s), false
	}
	parts := strings.Split(s, string(sep))
	if len(parts[0]) < 1 || len(parts[0]) > 3 || !isDigits(parts[0]) {
		return false, true
	}
	for _, p := range parts[1:] {
		if len(p) != 3 || !isDigits(p) {
			return false, true
		}
	}
	return true, true
}

// numberMarks classifies a cell: comma is true when it can only be a
// number with a decimal comma ("100,25", "1.234,5"), dot when it can only
// be one with a decimal point ("12.5", "1,234.5").
func numberMarks(s string) (comma, dot bool) {
	s = strings.TrimLeft(s, "+-")
	if i := strings.LastIndexByte(s, ','); i >= 0 && !strings.Contains(s[i:], ".") {
		ok, grouped := groupedInt(s[:i], '.')
		frac := s[i+1:]
		return ok && frac != "" && isDigits(frac) && (len(frac) != 3 || grouped), false
	}
	if i := strings.LastIndexByte(s, '.'); i >= 0 && !strings.Contains(s[i:], ",") {
		ok, grouped := groupedInt(s[:i], ',')
		frac := s[i+1:]
		return false, ok && frac != "" && isDigits(frac) && (len(frac) != 3 || grouped)
	}
	return false, false
}

// detectDecimal returns ',' when some cell of rows (beyond the first,
// which may be a header) holds a number with a decimal comma and none one
// with a decimal point, else '.'. sure is false when no cell showed
// either mark for certain.
func detectDecimal(rows [][]string) (mark byte, sure bool) {
	commas := false
	for _, row := range rows {
		for _, c := range row {
			if c == "" || c[len(c)-1] < '0' || c[len(c)-1] > '9' {
				continue
			}
			comma, dot := numberMarks(c)
			if dot {
				return '.', true
			}
			commas = commas || comma
		}
	}
	if commas {
		return ',', true
	}
	return '.', false
}

// plainNumber rewrites a number cell with decimal mark dec (and maybe
// thousands separators, the other mark) into strconv's form. A cell that
// is not a number is returned as it is, for the caller to report. With
// sure false a lone separator that could be either mark is an error.
func plainNumber(s string, dec byte, sure bool) (string, error) {
	group := byte(',')
	if dec == ',' {
		group = '.'
	}
	if !strings.ContainsRune(s, rune(group)) {
		if dec == '.' {
			return s, nil
		}
		return strings.Replace(s, ",", ".", 1), nil
	}
	body := strings.TrimLeft(s, "+-")
	sign := s[:len(s)-len(body)]
	intPart, frac := body, ""
	if i := strings.IndexByte(body, dec); i >= 0 {
		intPart, frac = body[:i], body[i+1:]
		if frac == "" || !isDigits(frac) {
			return s, nil
		}
	}
	if ok, _ := groupedInt(intPart, group); !ok || len(sign) > 1 {
		return s, nil
	}
	if frac == "" && !sure {
		return "", fmt.Errorf("%w: %q: is %q a thousands separator or a decimal mark? give the decimal mark (--decimal, ReadOptions.Decimal)", ErrNotNumber, clip(s), string(group))
	}
	out := sign + strings.ReplaceAll(intPart, string(group), "")
	if frac != "" {
		out += "." + frac
	}
	return out, nil
}
