// Tests for timestamps as people write them (one format per column,
// month-first against day-first), rows in any order, duplicates combined,
// decimal commas, and the layout written back.

package table

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestTimeFormats(t *testing.T) {
	for _, tc := range []struct {
		name   string
		in     string // the time column's cells, one per line
		opt    ReadOptions
		first  time.Time
		freq   Frequency
		layout string
	}{
		{"iso date", "2020-01-01\n2020-02-01\n2020-03-01", ReadOptions{}, day(2020, 1, 1), Monthly, "2006-01-02"},
		{"month ends", "2020-01-31\n2020-02-29\n2020-03-31\n2020-04-30", ReadOptions{}, day(2020, 1, 31), Monthly, "2006-01-02"},
		{"iso zoned", "2020-01-01T00:00:00+01:00\n2020-01-01T01:00:00+01:00\n2020-01-01T02:00:00+01:00", ReadOptions{}, time.Date(2020, 1, 1, 0, 0, 0, 0, time.FixedZone("", 3600)), Hourly, time.RFC3339Nano},
		{"space and fraction", "2020-01-01 00:00:00.5\n2020-01-01 00:00:01.5\n2020-01-01 00:00:02.5", ReadOptions{}, time.Date(2020, 1, 1, 0, 0, 0, 5e8, time.UTC), Frequency{Second, 1}, "2006-01-02T15:04:05.999999999"},
		{"year-month", "2020-01\n2020-02\n2020-03", ReadOptions{}, day(2020, 1, 1), Monthly, "2006-01-02"},
		{"compact month", "202001\n202002\n202003", ReadOptions{Time: "date"}, day(2020, 1, 1), Monthly, "2006-01-02"},
		{"compact day", "20200130\n20200131\n20200201", ReadOptions{Time: "date"}, day(2020, 1, 30), Daily, "2006-01-02"},
		{"slashed iso", "2020/01/31\n2020/02/01\n2020/02/02", ReadOptions{}, day(2020, 1, 31), Daily, "2006-01-02"},
		{"US month ends", "01/31/2020\n02/29/2020\n03/31/2020\n04/30/2020", ReadOptions{}, day(2020, 1, 31), Monthly, "2006-01-02"},
		{"US first of month", "01/01/2020\n02/01/2020\n03/01/2020\n04/01/2020\n05/01/2020\n06/01/2020\n07/01/2020\n08/01/2020\n09/01/2020\n10/01/2020\n11/01/2020\n12/01/2020\n01/01/2021\n02/01/2021",
			ReadOptions{}, day(2020, 1, 1), Monthly, "2006-01-02"},
		{"day-first slash", "31/01/2020\n29/02/2020\n31/03/2020", ReadOptions{}, day(2020, 1, 31), Monthly, "2006-01-02"},
		{"day-first regular wins", "01/01/2020\n01/02/2020\n01/03/2020\n01/04/2020\n01/05/2020\n01/06/2020\n01/07/2020\n01/08/2020\n01/09/2020\n01/10/2020\n01/11/2020\n01/12/2020\n01/01/2021\n01/02/2021",
			ReadOptions{}, day(2020, 1, 1), Monthly, "2006-01-02"},
		{"day-first dots", "31.01.2020\n01.02.2020\n02.02.2020", ReadOptions{}, day(2020, 1, 31), Daily, "2006-01-02"},
		{"US with clock", "1/31/2020 13:00\n1/31/2020 14:00\n1/31/2020 15:00", ReadOptions{}, time.Date(2020, 1, 31, 13, 0, 0, 0, time.UTC), Hourly, "2006-01-02T15:04:05.999999999"},
		{"short month", "Jan 2020\nFeb 2020\nMar 2020", ReadOptions{}, day(2020, 1, 1), Monthly, "2006-01-02"},
		{"long month", "January 2020\nFebruary 2020\nMarch 2020", ReadOptions{}, day(2020, 1, 1), Monthly, "2006-01-02"},
		{"quarter space", "2020 Q1\n2020 Q2\n2020 Q3", ReadOptions{}, day(2020, 1, 1), Quarterly, "2006-01-02"},
		{"quarter dash", "2020-Q3\n2020-Q4\n2021-Q1", ReadOptions{}, day(2020, 7, 1), Quarterly, "2006-01-02"},
		{"quarter joined", "2020Q4\n2021Q1\n2021Q2", ReadOptions{}, day(2020, 10, 1), Quarterly, "2006-01-02"},
		{"bare year named", "1990\n1991\n1992", ReadOptions{Time: "date"}, day(1990, 1, 1), Yearly, "2006-01-02"},
		{"negative years", "-6000\n-5999\n-5998", ReadOptions{Time: "date"}, day(-6000, 1, 1), Yearly, "2006-01-02"},
		{"extended years", "-6000-01-01\n-5999-01-01\n-5998-01-01", ReadOptions{}, day(-6000, 1, 1), Yearly, "2006-01-02"},
		{"extended years as time", "-6000-01-01\n-5999-01-01\n-5998-01-01", ReadOptions{Time: "date"}, day(-6000, 1, 1), Yearly, "2006-01-02"},
		{"beyond 9999", "12000-01-01\n12001-01-01\n12002-01-01", ReadOptions{}, day(12000, 1, 1), Yearly, "2006-01-02"},
		{"unix seconds", "1600000000\n1600003600\n1600007200", ReadOptions{Time: "date"}, time.Unix(1600000000, 0).UTC(), Hourly, time.RFC3339Nano},
		{"unix milliseconds", "1600000000000\n1600003600000\n1600007200000", ReadOptions{Time: "date"}, time.Unix(1600000000, 0).UTC(), Hourly, time.RFC3339Nano},
		{"strftime", "01/02/2020\n01/03/2020\n01/04/2020", ReadOptions{TimeFormat: "%d/%m/%Y"}, day(2020, 2, 1), Monthly, "2006-01-02"},
		{"go layout", "01/02/2020\n01/03/2020\n01/04/2020", ReadOptions{TimeFormat: "01/02/2006"}, day(2020, 1, 2), Daily, "2006-01-02"},
		{"strftime clock", "01/02/2020 10h\n01/02/2020 11h", ReadOptions{TimeFormat: "%d/%m/%Y %Hh"}, time.Date(2020, 2, 1, 10, 0, 0, 0, time.UTC), Hourly, "2006-01-02T15:04:05.999999999"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b strings.Builder
			b.WriteString("date,y\n")
			for i, c := range strings.Split(tc.in, "\n") {
				b.WriteString(c + "," + string(rune('1'+i%9)) + "\n")
			}
			ds, err := readString(b.String(), tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			if len(ds.Series) != 1 || ds.Series[0].ID != "y" {
				t.Fatalf("read %d series, first %q: want the one series y", len(ds.Series), ds.Series[0].ID)
			}
			s := ds.Series[0]
			if !s.Times[0].Equal(tc.first) || ds.Freq != tc.freq || ds.TimeLayout != tc.layout {
				t.Errorf("first %v, freq %v, layout %q; want %v, %v, %q", s.Times[0], ds.Freq, ds.TimeLayout, tc.first, tc.freq, tc.layout)
			}
			if _, off := s.Times[0].Zone(); tc.layout == time.RFC3339Nano && off != func() int { _, o := tc.first.Zone(); return o }() {
				t.Errorf("zone offset %d lost", off)
			}
		})
	}
}

// The worst defect: a column of dates read as ids. US dates used to be.
func TestUSDatesAreNotIDs(t *testing.T) {
	var b strings.Builder
	b.WriteString("date,sales\n")
	for k := range 48 {
		d := day(2020, time.Month(k+2), 0) // month ends
		b.WriteString(d.Format("01/02/2006") + ",1\n")
	}
	ds, err := readString(b.String(), ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ds.Series) != 1 || ds.Series[0].Len() != 48 || ds.Freq != Monthly {
		t.Fatalf("%d series, freq %v: want one monthly series of 48 points", len(ds.Series), ds.Freq)
	}
}

func TestMessyRows(t *testing.T) {
	for _, tc := range []struct {
		name  string
		in    string
		opt   ReadOptions
		times []time.Time
		vals  []float64
	}{
		{"unsorted", "date,y\n2020-03-01,3\n2020-01-01,1\n2020-02-01,2\n", ReadOptions{}, []time.Time{day(2020, 1, 1), day(2020, 2, 1), day(2020, 3, 1)}, []float64{1, 2, 3}},
		{"sum", "date,y\n2020-02-01,2\n2020-01-01,1\n2020-02-01,5\n2020-03-01,NA\n2020-03-01,4\n", ReadOptions{Agg: AggSum}, nil, []float64{1, 7, 4}},
		{"mean", "date,y\n2020-01-01,1\n2020-01-01,2\n2020-02-01,4\n", ReadOptions{Agg: AggMean}, nil, []float64{1.5, 4}},
		{"median", "date,y\n2020-01-01,1\n2020-01-01,2\n2020-01-01,9\n2020-02-01,4\n", ReadOptions{Agg: AggMedian}, nil, []float64{2, 4}},
		{"min", "date,y\n2020-01-01,3\n2020-01-01,2\n2020-02-01,4\n", ReadOptions{Agg: AggMin}, nil, []float64{2, 4}},
		{"max", "date,y\n2020-01-01,3\n2020-01-01,2\n2020-02-01,4\n", ReadOptions{Agg: AggMax}, nil, []float64{3, 4}},
		{"first in file order", "date,y\n2020-02-01,4\n2020-01-01,3\n2020-01-01,2\n", ReadOptions{Agg: AggFirst}, nil, []float64{3, 4}},
		{"last in file order", "date,y\n2020-01-01,3\n2020-02-01,4\n2020-01-01,2\n", ReadOptions{Agg: AggLast}, nil, []float64{2, 4}},
		{"count", "date,y\n2020-01-01,3\n2020-01-01,NA\n2020-01-01,1\n2020-02-01,4\n", ReadOptions{Agg: AggCount}, nil, []float64{2, 1}},
		{"all missing", "date,y\n2020-01-01,NA\n2020-01-01,\n2020-02-01,4\n", ReadOptions{Agg: AggSum}, nil, []float64{nan, 4}},
		{"decimal comma", "date;y\n31.01.2020;100,25\n29.02.2020;1.234,5\n31.03.2020;-3\n", ReadOptions{}, []time.Time{day(2020, 1, 31), day(2020, 2, 29), day(2020, 3, 31)}, []float64{100.25, 1234.5, -3}},
		{"tabs and decimal comma", "date\ty\n2020-01-01\t0,5\n2020-01-02\t1,5\n", ReadOptions{}, nil, []float64{0.5, 1.5}},
		{"given decimal comma", "date;y\n2020-01-01;1.234\n2020-01-02;1,5\n", ReadOptions{Decimal: ','}, nil, []float64{1234, 1.5}},
		{"given decimal point", "date;y\n2020-01-01;1,234\n2020-01-02;1.5\n", ReadOptions{Decimal: '.'}, nil, []float64{1234, 1.5}},
		{"comma thousands with point", "date,y\n2020-01-01,\"1,234.5\"\n2020-01-02,2\n", ReadOptions{}, nil, []float64{1234.5, 2}},
		{"dot decimal in semicolons", "date;y\n2020-01-01;1.5\n2020-01-02;2.25\n", ReadOptions{}, nil, []float64{1.5, 2.25}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ds, err := readString(tc.in, tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			s := ds.Series[0]
			if !sameFloats(s.Values, tc.vals) {
				t.Errorf("values %v, want %v", s.Values, tc.vals)
			}
			if tc.times != nil && !slicesEqualTimes(s.Times, tc.times) {
				t.Errorf("times %v, want %v", s.Times, tc.times)
			}
		})
	}
}

func slicesEqualTimes(a, b []time.Time) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !a[i].Equal(b[i]) {
			return false
		}
	}
	return true
}

// Long files: each series is sorted and combined on its own, and the
// slices one wide file's series share are not disturbed.
func TestMessyLongAndWide(t *testing.T) {
	ds, err := readString("id,date,y\nB,2020-02-01,2\nA,2020-02-01,5\nA,2020-01-01,1\nB,2020-01-01,1\nA,2020-01-01,2\n", ReadOptions{Agg: AggSum})
	if err != nil {
		t.Fatal(err)
	}
	if a, _ := ds.Lookup("A"); !sameFloats(a.Values, []float64{3, 5}) {
		t.Errorf("A %v", a.Values)
	}
	if b, _ := ds.Lookup("B"); !sameFloats(b.Values, []float64{1, 2}) {
		t.Errorf("B %v", b.Values)
	}
	ds, err = readString("date,a,b\n2020-02-01,2,20\n2020-01-01,1,10\n", ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !sameFloats(ds.Series[0].Values, []float64{1, 2}) || !sameFloats(ds.Series[1].Values, []float64{10, 20}) {
		t.Errorf("wide: %v %v", ds.Series[0].Values, ds.Series[1].Values)
	}
}

func TestAggregationText(t *testing.T) {
	for i, n := range aggNames {
		var a Aggregation
		if err := a.UnmarshalText([]byte(strings.ToUpper(n))); err != nil || a != Aggregation(i) || a.String() != n {
			t.Errorf("%q: %v, %v", n, a, err)
		}
	}
	var a Aggregation
	if err := a.UnmarshalText([]byte("avg")); err == nil {
		t.Error("avg accepted")
	}
}

func TestStrftimeLayout(t *testing.T) {
	for spec, want := range map[string]string{
		"%Y-%m-%d":          "2006-01-02",
		"%d.%m.%Y %H:%M:%S": "02.01.2006 15:04:05",
		"%b %Y":             "Jan 2006",
		"%F %T%z":           "2006-01-02 15:04:05-0700",
		"100%%":             "100%",
	} {
		if got, err := strftimeLayout(spec); err != nil || got != want {
			t.Errorf("%q: %q, %v; want %q", spec, got, err, want)
		}
	}
}

// FuzzDetectTimes checks the detector on any column: it never panics, an
// error names a row of the column and is ErrBadTime, and a column it
// reads gives one timestamp per cell, each read back by the chosen format.
func FuzzDetectTimes(f *testing.F) {
	for _, s := range []string{
		"2020-01-01\n2020-02-01", "01/31/2020\n02/29/2020", "01/02/2020\n01/03/2020", "31.01.2020\n01.02.2020",
		"Jan 2020\nFeb 2020", "2020 Q1\n2020-Q2", "-6000\n-5999", "1600000000\n1600003600", "202001\n202013",
		"-6000-01-01\n12000-01-01", "2020-01-01T00:00:00+01:00\n2020-01-01 01:00", "\n2020-01-01",
	} {
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, in string, numeric bool) {
		cells := strings.Split(in, "\n")
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		col, cerr := detectTimes(cells, numeric, timeFormats)
		if cerr != nil {
			if cerr.row < 0 || cerr.row >= len(cells) || !errors.Is(cerr.err, ErrBadTime) {
				t.Fatalf("error at row %d of %d: %v", cerr.row, len(cells), cerr.err)
			}
			return
		}
		if len(col.times) != len(cells) {
			t.Fatalf("%d times for %d cells", len(col.times), len(cells))
		}
		for i, s := range cells {
			tm, _, ok := col.format.parse(s)
			if !ok || !tm.Equal(col.times[i]) {
				t.Fatalf("cell %q: chosen format %s reads %v, %v; column has %v", s, col.format.name, tm, ok, col.times[i])
			}
		}
	})
}
