// Cells: parsing timestamps, numbers and missing-value markers.

package table

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

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
