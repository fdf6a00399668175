// Frequency: the sampling interval of a series, how to step it on the
// calendar, its default seasonal period, and how it is inferred from
// timestamps.

package table

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Unit is the calendar unit a Frequency counts in.
type Unit uint8

// Units, from the finest to the coarsest. NoUnit means the spacing is not
// known or not regular: such series are never gap-filled and have no
// calendar features.
const (
	NoUnit Unit = iota
	Second
	Minute
	Hour
	Day
	Week
	Month
	Quarter
	Year
)

// Frequency is the spacing of consecutive points: Every units of Unit.
// The zero value means "unknown / irregular". Every 0 means 1.
//
// Fixed-length units (Second, Minute, Hour) step in absolute time. Day and
// Week step on the civil calendar (clock time kept across daylight-saving
// changes) and Month, Quarter and Year step by calendar months, so monthly
// data stamped at month ends stays at month ends.
type Frequency struct {
	Unit  Unit
	Every int
}

// The common frequencies.
var (
	Hourly    = Frequency{Unit: Hour, Every: 1}
	Daily     = Frequency{Unit: Day, Every: 1}
	Weekly    = Frequency{Unit: Week, Every: 1}
	Monthly   = Frequency{Unit: Month, Every: 1}
	Quarterly = Frequency{Unit: Quarter, Every: 1}
	Yearly    = Frequency{Unit: Year, Every: 1}
)

// ErrFrequency is returned (wrapped) for a frequency string that cannot be
// parsed.
var ErrFrequency = errors.New("unknown frequency")

func (f Frequency) every() int {
	if f.Every <= 0 {
		return 1
	}
	return f.Every
}

// Regular reports whether f is a known, regular spacing.
func (f Frequency) Regular() bool { return f.Unit != NoUnit }

// normalize folds equivalent spellings into one: 3 months is quarterly,
// 2 quarters is 6 months, 12 months or 4 quarters is yearly, 7 days is weekly, 60 minutes is
// hourly, 60 seconds is one minute.
func (f Frequency) normalize() Frequency {
	if f.Unit == NoUnit {
		return Frequency{}
	}
	n := f.every()
	switch {
	case f.Unit == Second && n%60 == 0:
		return Frequency{Minute, n / 60}.normalize()
	case f.Unit == Minute && n%60 == 0:
		return Frequency{Hour, n / 60}.normalize()
	case f.Unit == Hour && n%24 == 0:
		return Frequency{Day, n / 24}.normalize()
	case f.Unit == Day && n%7 == 0:
		return Frequency{Week, n / 7}
	case f.Unit == Month && n%12 == 0:
		return Frequency{Year, n / 12}
	case f.Unit == Month && n == 3:
		return Quarterly
	case f.Unit == Quarter && n%4 == 0:
		return Frequency{Year, n / 4}
	case f.Unit == Quarter && n == 2:
		return Frequency{Month, 6}
	}
	return Frequency{f.Unit, n}
}

var unitNames = [...]struct{ name, short string }{
	NoUnit:  {"none", ""},
	Second:  {"secondly", "s"},
	Minute:  {"minutely", "min"},
	Hour:    {"hourly", "h"},
	Day:     {"daily", "d"},
	Week:    {"weekly", "w"},
	Month:   {"monthly", "mo"},
	Quarter: {"quarterly", "q"},
	Year:    {"yearly", "y"},
}

// String returns "hourly", "daily", ... for single units, "15min", "2h",
// "6mo" for multiples and "none" for the zero Frequency. ParseFrequency
// reads all of these back.
func (f Frequency) String() string {
	if f.Unit > Year {
		return fmt.Sprintf("Frequency(%d,%d)", f.Unit, f.Every)
	}
	if f.Unit == NoUnit {
		return "none"
	}
	if f.every() == 1 {
		return unitNames[f.Unit].name
	}
	return strconv.Itoa(f.every()) + unitNames[f.Unit].short
}

// MarshalText implements encoding.TextMarshaler.
func (f Frequency) MarshalText() ([]byte, error) { return []byte(f.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler (so a Frequency works
// with flag.TextVar and JSON).
func (f *Frequency) UnmarshalText(b []byte) error {
	g, err := ParseFrequency(string(b))
	if err != nil {
		return err
	}
	*f = g
	return nil
}

// ParseFrequency reads a frequency: a name ("hourly", "daily", "weekly",
// "monthly", "quarterly", "yearly", "annual", "none"), a pandas-style code
// ("H", "D", "W", "M", "MS", "Q", "A", "Y", "T", "min", "S") or a multiple
// such as "15min", "2h", "30s", "6mo", "2w". Case does not matter.
func ParseFrequency(s string) (Frequency, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	switch t {
	case "", "none", "irregular":
		return Frequency{}, nil
	case "hourly":
		return Hourly, nil
	case "daily":
		return Daily, nil
	case "weekly":
		return Weekly, nil
	case "monthly":
		return Monthly, nil
	case "quarterly":
		return Quarterly, nil
	case "yearly", "annual", "annually":
		return Yearly, nil
	case "secondly":
		return Frequency{Second, 1}, nil
	case "minutely":
		return Frequency{Minute, 1}, nil
	}
	i := 0
	for i < len(t) && t[i] >= '0' && t[i] <= '9' {
		i++
	}
	n := 1
	if i > 0 {
		v, err := strconv.Atoi(t[:i])
		if err != nil || v <= 0 || v > 1_000_000 {
			return Frequency{}, fmt.Errorf("series: frequency %q: %w", s, ErrFrequency)
		}
		n = v
	}
	var u Unit
	switch strings.TrimSpace(t[i:]) {
	case "s", "sec", "second", "seconds":
		u = Second
	case "t", "min", "minute", "minutes", "m":
		// A bare "m" after a number is minutes (pandas "15m" is ambiguous;
		// we follow the common "15m" = 15 minutes reading). Alone it is
		// monthly, handled below.
		u = Minute
		if i == 0 && t == "m" {
			u = Month
		}
	case "h", "hr", "hour", "hours":
		u = Hour
	case "d", "day", "days":
		u = Day
	case "w", "wk", "week", "weeks":
		u = Week
	case "mo", "ms", "me", "month", "months":
		u = Month
	case "q", "qs", "qe", "quarter", "quarters":
		u = Quarter
	case "a", "y", "ys", "ye", "as", "year", "years":
		u = Year
	default:
		return Frequency{}, fmt.Errorf("series: frequency %q: %w", s, ErrFrequency)
	}
	return Frequency{u, n}.normalize(), nil
}

// SeasonalPeriod is the default seasonal period m for f: hourly 24 (a day),
// daily 7 (a week), weekly 52, monthly 12, quarterly 4, yearly 1. A multiple
// divides the cycle when it can (2h: 12, 6mo: 2); minutes cycle over a day
// (15min: 96) and seconds over a minute. Anything else, and NoUnit, is 1
// (not seasonal).
func (f Frequency) SeasonalPeriod() int {
	n := f.every()
	cycle := 1
	switch f.Unit {
	case Second:
		cycle = 60
	case Minute:
		cycle = 1440
	case Hour:
		cycle = 24
	case Day:
		cycle = 7
	case Week:
		cycle = 52
	case Month:
		cycle = 12
	case Quarter:
		cycle = 4
	}
	if cycle%n != 0 {
		return 1
	}
	return cycle / n
}

// Add returns t moved k periods of f (k may be negative). Month-based
// frequencies keep the day of month, clamped to the target month's length,
// and keep month ends at month ends. Add panics with a "series: ..." message
// if f is not Regular.
func (f Frequency) Add(t time.Time, k int) time.Time {
	n := f.every()
	switch f.Unit {
	case Second:
		return t.Add(time.Duration(k*n) * time.Second)
	case Minute:
		return t.Add(time.Duration(k*n) * time.Minute)
	case Hour:
		return t.Add(time.Duration(k*n) * time.Hour)
	case Day:
		return t.AddDate(0, 0, k*n)
	case Week:
		return t.AddDate(0, 0, 7*k*n)
	case Month:
		return addMonths(t, k*n)
	case Quarter:
		return addMonths(t, 3*k*n)
	case Year:
		return addMonths(t, 12*k*n)
	}
	panic("series: Frequency.Add on an irregular frequency")
}

// addMonths moves t by k calendar months without overflowing into the next
// month (Jan 31 + 1 month = Feb 28/29) and keeping month ends at month ends.
func addMonths(t time.Time, k int) time.Time {
	y, m, d := t.Date()
	wasLast := d == daysIn(y, m)
	first := time.Date(y, m+time.Month(k), 1, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), t.Location())
	ny, nm, _ := first.Date()
	last := daysIn(ny, nm)
	if wasLast || d > last {
		d = last
	}
	return first.AddDate(0, 0, d-1)
}

func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// civilDays numbers the calendar day of t (in t's own location).
func civilDays(t time.Time) int64 {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400
}

func monthIndex(t time.Time) int64 {
	return int64(t.Year())*12 + int64(t.Month()) - 1
}

// periodsBetween counts how many periods of f lie between a and b (b after
// a). exact is false when b is not on a's grid. For Day and Week the count
// is on calendar days, for Month, Quarter and Year on calendar months.
func (f Frequency) periodsBetween(a, b time.Time) (k int64, exact bool) {
	n := int64(f.every())
	var diff, size int64
	switch f.Unit {
	case Second, Minute, Hour:
		secs := int64(1)
		if f.Unit == Minute {
			secs = 60
		} else if f.Unit == Hour {
			secs = 3600
		}
		// Compare in seconds and nanoseconds separately: t.Sub saturates
		// for spans beyond 292 years.
		ds := b.Unix() - a.Unix()
		dn := int64(b.Nanosecond() - a.Nanosecond())
		if dn != 0 {
			return 0, false
		}
		diff, size = ds, n*secs
	case Day:
		diff, size = civilDays(b)-civilDays(a), n
	case Week:
		diff, size = civilDays(b)-civilDays(a), 7*n
	case Month:
		diff, size = monthIndex(b)-monthIndex(a), n
	case Quarter:
		diff, size = monthIndex(b)-monthIndex(a), 3*n
	case Year:
		diff, size = monthIndex(b)-monthIndex(a), 12*n
	default:
		return 0, false
	}
	return diff / size, diff%size == 0
}

// inferFrequency classifies the median spacing of the given gaps (positive
// durations between consecutive timestamps). Spacings within an hour of a
// whole number of days count as days (daylight-saving shifts); 28-31 days
// is monthly, 89-92 quarterly, 365-366 yearly. It returns the zero
// Frequency when nothing fits (sub-second or no gaps).
func inferFrequency(gaps []time.Duration) Frequency {
	if len(gaps) == 0 {
		return Frequency{}
	}
	g := slices.Clone(gaps)
	slices.Sort(g)
	med := g[(len(g)-1)/2] // lower median: always an observed spacing
	const day = 24 * time.Hour
	if med >= day-time.Hour {
		days := math.Round(med.Hours() / 24)
		if math.Abs(med.Hours()-24*days) <= 1 {
			d := int(days)
			allSame := g[0] == g[len(g)-1]
			switch {
			case d == 28 && allSame:
				return Frequency{Week, 4}
			case d%7 == 0 && d < 28:
				return Frequency{Week, d / 7}
			case d >= 28 && d <= 31:
				return Monthly
			case d >= 59 && d <= 62:
				return Frequency{Month, 2}
			case d >= 89 && d <= 92:
				return Quarterly
			case d >= 181 && d <= 184:
				return Frequency{Month, 6}
			case d >= 365 && d <= 366:
				return Yearly
			case d%365 <= d/365 && d >= 730 && d < 365*1000:
				return Frequency{Year, d / 365}
			}
			return Frequency{Day, d}.normalize()
		}
	}
	switch {
	case med <= 0:
		return Frequency{}
	case med%time.Hour == 0:
		return Frequency{Hour, int(med / time.Hour)}.normalize()
	case med%time.Minute == 0:
		return Frequency{Minute, int(med / time.Minute)}.normalize()
	case med%time.Second == 0:
		return Frequency{Second, int(med / time.Second)}.normalize()
	}
	return Frequency{}
}

// M4SeasonalPeriod is the seasonal period the M4 competition used for MASE,
// Naive2 and Theta at frequency f: hourly 24, monthly 12, quarterly 4, and
// 1 for daily, weekly and yearly data.
func M4SeasonalPeriod(f Frequency) int {
	switch f.normalize() {
	case Hourly:
		return 24
	case Monthly:
		return 12
	case Quarterly:
		return 4
	}
	return 1
}

// M4Horizon is the M4 forecast horizon at frequency f (hourly 48, daily 14,
// weekly 13, monthly 18, quarterly 8, yearly 6), or 0 for others.
func M4Horizon(f Frequency) int {
	switch f.normalize() {
	case Hourly:
		return 48
	case Daily:
		return 14
	case Weekly:
		return 13
	case Monthly:
		return 18
	case Quarterly:
		return 8
	case Yearly:
		return 6
	}
	return 0
}
