// Calendar features: position-in-cycle inputs for a model (hour of day,
// day of week, ...) scaled to [-0.5, 0.5], chosen by frequency as GluonTS
// does, and the timestamps of a forecast horizon.

package table

import (
	"fmt"
	"time"
)

// CalendarFeature is one position-in-cycle feature of a timestamp. At
// returns it scaled linearly to [-0.5, 0.5].
type CalendarFeature uint8

// Calendar features.
const (
	SecondOfMinute CalendarFeature = iota // 0..59
	MinuteOfHour                          // 0..59
	HourOfDay                             // 0..23
	DayOfWeek                             // Monday 0 .. Sunday 6
	DayOfMonth                            // 1..31
	DayOfYear                             // 1..366
	MonthOfYear                           // 1..12
	WeekOfYear                            // ISO week 1..53
)

var calendarNames = [...]string{"second_of_minute", "minute_of_hour", "hour_of_day", "day_of_week", "day_of_month", "day_of_year", "month_of_year", "week_of_year"}

func (c CalendarFeature) String() string {
	if int(c) < len(calendarNames) {
		return calendarNames[c]
	}
	return fmt.Sprintf("CalendarFeature(%d)", c)
}

// At returns feature c of t (in t's location) scaled to [-0.5, 0.5]. It
// panics with a "series: ..." message for an unknown feature.
func (c CalendarFeature) At(t time.Time) float64 {
	switch c {
	case SecondOfMinute:
		return float64(t.Second())/59 - 0.5
	case MinuteOfHour:
		return float64(t.Minute())/59 - 0.5
	case HourOfDay:
		return float64(t.Hour())/23 - 0.5
	case DayOfWeek:
		return float64((int(t.Weekday())+6)%7)/6 - 0.5
	case DayOfMonth:
		return float64(t.Day()-1)/30 - 0.5
	case DayOfYear:
		return float64(t.YearDay()-1)/365 - 0.5
	case MonthOfYear:
		return float64(t.Month()-1)/11 - 0.5
	case WeekOfYear:
		_, w := t.ISOWeek()
		return float64(w-1)/52 - 0.5
	}
	panic(fmt.Sprintf("series: unknown calendar feature %d", c))
}

// CalendarFeatures returns the features that vary within the cycles that
// matter at frequency f: none for yearly data, the month for monthly and
// quarterly, day of month and week of year for weekly, day of week, month
// and year for daily, and the hour (minute, second) on top of those for
// finer data.
func CalendarFeatures(f Frequency) []CalendarFeature {
	daily := []CalendarFeature{DayOfWeek, DayOfMonth, DayOfYear}
	switch f.Unit {
	case Second:
		return append([]CalendarFeature{SecondOfMinute, MinuteOfHour, HourOfDay}, daily...)
	case Minute:
		return append([]CalendarFeature{MinuteOfHour, HourOfDay}, daily...)
	case Hour:
		return append([]CalendarFeature{HourOfDay}, daily...)
	case Day:
		return daily
	case Week:
		return []CalendarFeature{DayOfMonth, WeekOfYear}
	case Month, Quarter:
		return []CalendarFeature{MonthOfYear}
	}
	return nil
}

// AppendCalendar appends the features feats of t to dst and returns the
// extended slice; it allocates nothing when dst has room.
func AppendCalendar(dst []float64, t time.Time, feats []CalendarFeature) []float64 {
	for _, c := range feats {
		dst = append(dst, c.At(t))
	}
	return dst
}

// FutureTimes returns the h timestamps that follow last at frequency f. It
// panics with a "series: ..." message if f is not Regular or h < 0.
func FutureTimes(last time.Time, f Frequency, h int) []time.Time {
	if !f.Regular() {
		panic("series: FutureTimes needs a regular frequency")
	}
	if h < 0 {
		panic(fmt.Sprintf("series: FutureTimes with horizon %d", h))
	}
	out := make([]time.Time, h)
	for k := range out {
		out[k] = f.Add(last, k+1)
	}
	return out
}
