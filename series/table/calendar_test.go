// Tests for the calendar features and horizon timestamps.

package table

import (
	"math"
	"testing"
	"time"
)

func TestCalendarFeatureValues(t *testing.T) {
	mon := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC) // a Monday, ISO week 1
	sun := time.Date(2023, 12, 31, 23, 59, 59, 0, time.UTC)
	for _, tc := range []struct {
		f    CalendarFeature
		t    time.Time
		want float64
	}{
		{HourOfDay, mon, -0.5}, {HourOfDay, sun, 0.5},
		{DayOfWeek, mon, -0.5}, {DayOfWeek, sun, 0.5},
		{DayOfMonth, mon, -0.5}, {DayOfMonth, sun, 0.5},
		{DayOfYear, mon, -0.5}, {DayOfYear, sun, 364.0/365 - 0.5},
		{MonthOfYear, mon, -0.5}, {MonthOfYear, sun, 0.5},
		{WeekOfYear, mon, -0.5}, {WeekOfYear, sun, 51.0/52 - 0.5},
		{MinuteOfHour, sun, 0.5}, {SecondOfMinute, sun, 0.5},
	} {
		if got := tc.f.At(tc.t); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("%v.At(%v) = %v, want %v", tc.f, tc.t, got, tc.want)
		}
	}
}

func TestCalendarFeaturesInRange(t *testing.T) {
	all := []CalendarFeature{SecondOfMinute, MinuteOfHour, HourOfDay, DayOfWeek, DayOfMonth, DayOfYear, MonthOfYear, WeekOfYear}
	start := time.Date(2019, 12, 25, 0, 0, 0, 0, time.UTC)
	for i := 0; i < 2000; i++ {
		tm := start.Add(time.Duration(i) * 7 * time.Hour).Add(time.Duration(i%61) * time.Second)
		for _, c := range all {
			if v := c.At(tm); v < -0.5 || v > 0.5 {
				t.Fatalf("%v.At(%v) = %v out of range", c, tm, v)
			}
		}
	}
}

func TestCalendarFeaturesPerFrequency(t *testing.T) {
	for _, tc := range []struct {
		f    Frequency
		want int
	}{
		{Frequency{Second, 1}, 6}, {Frequency{Minute, 15}, 5}, {Hourly, 4}, {Daily, 3},
		{Weekly, 2}, {Monthly, 1}, {Quarterly, 1}, {Yearly, 0}, {Frequency{}, 0},
	} {
		if got := CalendarFeatures(tc.f); len(got) != tc.want {
			t.Errorf("CalendarFeatures(%v) = %v, want %d features", tc.f, got, tc.want)
		}
	}
	if HourOfDay.String() != "hour_of_day" {
		t.Error(HourOfDay.String())
	}
}

func TestAppendCalendarNoAlloc(t *testing.T) {
	feats := CalendarFeatures(Hourly)
	buf := make([]float64, 0, len(feats))
	tm := time.Date(2024, 5, 6, 7, 0, 0, 0, time.UTC)
	allocs := testing.AllocsPerRun(100, func() { buf = AppendCalendar(buf[:0], tm, feats) })
	if allocs != 0 || len(buf) != len(feats) {
		t.Errorf("AppendCalendar: %v allocations, %d values", allocs, len(buf))
	}
}

func TestFutureTimes(t *testing.T) {
	got := FutureTimes(time.Date(2020, 1, 31, 0, 0, 0, 0, time.UTC), Monthly, 3)
	want := []string{"2020-02-29", "2020-03-31", "2020-04-30"}
	for i := range want {
		if got[i].Format("2006-01-02") != want[i] {
			t.Errorf("step %d: %v, want %s", i+1, got[i], want[i])
		}
	}
	if len(FutureTimes(time.Now(), Hourly, 0)) != 0 {
		t.Error("horizon 0")
	}
}
