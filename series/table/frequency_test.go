// Tests for Frequency: parsing, printing, periods, calendar stepping and
// inference from timestamps.

package table

import (
	"errors"
	"testing"
	"time"
)

func TestParseFrequency(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Frequency
	}{
		{"hourly", Hourly}, {"H", Hourly}, {"1h", Hourly}, {"60min", Hourly},
		{"daily", Daily}, {"D", Daily}, {"7d", Weekly}, {"W", Weekly},
		{"monthly", Monthly}, {"M", Monthly}, {"MS", Monthly}, {"3mo", Quarterly},
		{"Q", Quarterly}, {"quarterly", Quarterly}, {"A", Yearly}, {"Y", Yearly}, {"12mo", Yearly},
		{"15min", Frequency{Minute, 15}}, {"15T", Frequency{Minute, 15}}, {"15m", Frequency{Minute, 15}},
		{"30s", Frequency{Second, 30}}, {"2h", Frequency{Hour, 2}}, {"24h", Daily}, {"6mo", Frequency{Month, 6}},
		{"none", Frequency{}}, {"", Frequency{}},
	} {
		got, err := ParseFrequency(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("ParseFrequency(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{"fortnightly", "0h", "-1d", "h2", "99999999999h", "3 parsecs"} {
		if _, err := ParseFrequency(bad); !errors.Is(err, ErrFrequency) {
			t.Errorf("ParseFrequency(%q): err %v, want ErrFrequency", bad, err)
		}
	}
}

func TestFrequencyTextRoundTrip(t *testing.T) {
	for _, f := range []Frequency{{}, Hourly, Daily, Weekly, Monthly, Quarterly, Yearly,
		{Minute, 15}, {Second, 30}, {Hour, 2}, {Day, 3}, {Week, 2}, {Month, 6}, {Year, 2}, {Minute, 1}, {Second, 1}} {
		b, err := f.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var g Frequency
		if err := g.UnmarshalText(b); err != nil || g != f.normalize() {
			t.Errorf("%v -> %q -> %v, %v", f, b, g, err)
		}
	}
}

func TestSeasonalPeriod(t *testing.T) {
	for _, tc := range []struct {
		f    Frequency
		want int
	}{
		{Hourly, 24}, {Daily, 7}, {Weekly, 52}, {Monthly, 12}, {Quarterly, 4}, {Yearly, 1},
		{Frequency{Hour, 2}, 12}, {Frequency{Hour, 5}, 1}, {Frequency{Minute, 15}, 96},
		{Frequency{Second, 10}, 6}, {Frequency{Month, 6}, 2}, {Frequency{}, 1},
	} {
		if got := tc.f.SeasonalPeriod(); got != tc.want {
			t.Errorf("%v.SeasonalPeriod() = %d, want %d", tc.f, got, tc.want)
		}
	}
	if M4SeasonalPeriod(Weekly) != 1 || M4SeasonalPeriod(Hourly) != 24 || M4Horizon(Hourly) != 48 || M4Horizon(Weekly) != 13 {
		t.Error("M4 constants")
	}
}

func date(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, time.UTC) }

func TestFrequencyAdd(t *testing.T) {
	for _, tc := range []struct {
		f    Frequency
		t    time.Time
		k    int
		want time.Time
	}{
		{Hourly, date(2020, 1, 1, 23), 2, date(2020, 1, 2, 1)},
		{Daily, date(2020, 2, 28, 9), 2, date(2020, 3, 1, 9)},
		{Weekly, date(2020, 1, 1, 0), -1, date(2019, 12, 25, 0)},
		{Monthly, date(2020, 1, 31, 0), 1, date(2020, 2, 29, 0)},  // month end stays month end
		{Monthly, date(2020, 2, 29, 0), 1, date(2020, 3, 31, 0)},  // ... also from February
		{Monthly, date(2020, 1, 15, 0), 13, date(2021, 2, 15, 0)}, // day kept
		{Monthly, date(2020, 1, 30, 0), 1, date(2020, 2, 29, 0)},  // clamped
		{Quarterly, date(2020, 11, 30, 0), 1, date(2021, 2, 28, 0)},
		{Yearly, date(2020, 2, 29, 0), 1, date(2021, 2, 28, 0)},
		{Frequency{Minute, 15}, date(2020, 1, 1, 0), 5, time.Date(2020, 1, 1, 1, 15, 0, 0, time.UTC)},
	} {
		if got := tc.f.Add(tc.t, tc.k); !got.Equal(tc.want) {
			t.Errorf("%v.Add(%v, %d) = %v, want %v", tc.f, tc.t, tc.k, got, tc.want)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("Add on an irregular frequency did not panic")
		}
	}()
	Frequency{}.Add(time.Now(), 1)
}

func TestDaylightSaving(t *testing.T) {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip("no time zone data")
	}
	a := time.Date(2021, 3, 27, 9, 0, 0, 0, loc) // the day before the clocks change
	b := Daily.Add(a, 1)
	if b.Hour() != 9 || b.Sub(a) != 23*time.Hour {
		t.Errorf("daily step across DST: %v", b)
	}
	if k, exact := Daily.periodsBetween(a, b); k != 1 || !exact {
		t.Errorf("periodsBetween across DST = %d, %v", k, exact)
	}
}

func TestInferFrequency(t *testing.T) {
	days := func(ds ...int) []time.Duration {
		var out []time.Duration
		for _, d := range ds {
			out = append(out, time.Duration(d)*24*time.Hour)
		}
		return out
	}
	for _, tc := range []struct {
		name string
		gaps []time.Duration
		want Frequency
	}{
		{"hourly", []time.Duration{time.Hour, time.Hour, 2 * time.Hour}, Hourly},
		{"15 minutes", []time.Duration{15 * time.Minute, 15 * time.Minute}, Frequency{Minute, 15}},
		{"seconds", []time.Duration{10 * time.Second}, Frequency{Second, 10}},
		{"daily", days(1, 1, 1, 3), Daily},
		{"daily with DST", []time.Duration{23 * time.Hour, 24 * time.Hour, 25 * time.Hour}, Daily},
		{"business days", days(1, 1, 1, 1, 3), Daily},
		{"weekly", days(7, 7, 14), Weekly},
		{"monthly", days(31, 28, 31, 30, 31), Monthly},
		{"four-weekly", days(28, 28, 28), Frequency{Week, 4}},
		{"quarterly", days(90, 91, 92, 92), Quarterly},
		{"yearly", days(365, 366, 365), Yearly},
		{"sub-second", []time.Duration{time.Millisecond}, Frequency{}},
		{"none", nil, Frequency{}},
	} {
		if got := inferFrequency(tc.gaps); got != tc.want {
			t.Errorf("%s: inferFrequency = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func FuzzParseFrequency(f *testing.F) {
	for _, s := range []string{"hourly", "15min", "2h", "M", "6mo", "0s", "9999999h", "", "1e3h"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fr, err := ParseFrequency(s)
		if err != nil {
			return
		}
		// Whatever parses prints to something that parses to the same.
		g, err := ParseFrequency(fr.String())
		if err != nil || g != fr {
			t.Fatalf("%q -> %v -> %q -> %v, %v", s, fr, fr.String(), g, err)
		}
		if fr.SeasonalPeriod() < 1 {
			t.Fatalf("period %d", fr.SeasonalPeriod())
		}
	})
}
