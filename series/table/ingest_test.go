// Tests for reading datasets: the three layouts, header and delimiter
// detection, gzip, timestamps, gap filling, and every error a user can
// cause.

package table

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func readString(s string, opt ReadOptions) (*Dataset, error) {
	return Read(strings.NewReader(s), "test.csv", opt)
}

// sameFloats compares with NaN equal to NaN.
func sameFloats(a, b []float64) bool {
	return slices.EqualFunc(a, b, func(x, y float64) bool { return x == y || (math.IsNaN(x) && math.IsNaN(y)) })
}

var nan = math.NaN()

func TestReadLayouts(t *testing.T) {
	type want struct {
		ids    []string
		values [][]float64
		freq   Frequency
		filled int
		times  bool
		cov    []string
	}
	for _, tc := range []struct {
		name string
		in   string
		opt  ReadOptions
		want want
	}{
		{
			name: "long auto",
			in:   "id,date,y\nA,2020-01-01,1\nA,2020-01-02,2\nB,2020-01-01,3\nB,2020-01-02,NA\nB,2020-01-03,5\n",
			want: want{ids: []string{"A", "B"}, values: [][]float64{{1, 2}, {3, nan, 5}}, freq: Daily, times: true},
		},
		{
			name: "long interleaved ids, several targets, covariate",
			in:   "store,ts,sales,visits,price\nx,2020-01-01 00:00,1,10,5\ny,2020-01-01 00:00,2,20,6\nx,2020-01-01 01:00,3,30,7\ny,2020-01-01 01:00,4,40,8\n",
			opt:  ReadOptions{ID: "store", Time: "ts", Value: []string{"sales", "visits"}, Covariates: []string{"price"}},
			want: want{ids: []string{"x/sales", "x/visits", "y/sales", "y/visits"}, values: [][]float64{{1, 3}, {10, 30}, {2, 4}, {20, 40}}, freq: Hourly, times: true, cov: []string{"price"}},
		},
		{
			name: "long without id or time",
			in:   "value\n1\n2\n3\n",
			opt:  ReadOptions{Layout: LayoutLong},
			want: want{ids: []string{"value"}, values: [][]float64{{1, 2, 3}}},
		},
		{
			name: "long with gap filled",
			in:   "id;date;y\nA;2020-01-01;1\nA;2020-01-04;4\n",
			want: want{ids: []string{"A"}, values: [][]float64{{1, 4}}, times: true},
			// The spacing is 3 days: inferred as a 3-day frequency, nothing to fill.
		},
		{
			name: "wide with date column",
			in:   "date,a,b\n2021-01-01,1,2\n2021-02-01,3,4\n2021-04-01,5,6\n",
			want: want{ids: []string{"a", "b"}, values: [][]float64{{1, 3, nan, 5}, {2, 4, nan, 6}}, freq: Monthly, filled: 2, times: true},
		},
		{
			name: "wide target with covariates",
			in:   "date,HUFL,OT\n2016-07-01 00:00:00,5.8,30.5\n2016-07-01 01:00:00,5.7,27.8\n",
			opt:  ReadOptions{Value: []string{"OT"}, Covariates: []string{"HUFL"}},
			want: want{ids: []string{"OT"}, values: [][]float64{{30.5, 27.8}}, freq: Hourly, times: true, cov: []string{"HUFL"}},
		},
		{
			name: "headerless wide",
			in:   "0.5,1.5\n0.6,1.6\n0.7,1.7\n",
			want: want{ids: []string{"V1", "V2"}, values: [][]float64{{0.5, 0.6, 0.7}, {1.5, 1.6, 1.7}}},
		},
		{
			name: "headerless wide with given frequency",
			in:   "0.5\t1.5\n0.6\t1.6\n",
			opt:  ReadOptions{Freq: Daily},
			want: want{ids: []string{"V1", "V2"}, values: [][]float64{{0.5, 0.6}, {1.5, 1.6}}, freq: Daily},
		},
		{
			name: "rows (M4)",
			in:   "\"V1\",\"V2\",\"V3\",\"V4\"\n\"H1\",\"1\",\"2\",\"3\"\n\"H2\",\"4\",\"5\",\"\"\n\"H3\",\"6\",\"\",\"7\"\n",
			want: want{ids: []string{"H1", "H2", "H3"}, values: [][]float64{{1, 2, 3}, {4, 5}, {6, nan, 7}}},
		},
		{
			name: "rows ragged without header",
			in:   "s1,1,2,3\ns2,4\n",
			opt:  ReadOptions{Layout: LayoutRows, Freq: Yearly},
			want: want{ids: []string{"s1", "s2"}, values: [][]float64{{1, 2, 3}, {4}}, freq: Yearly},
		},
		{
			name: "unix seconds in a named column",
			in:   "t,y\n1600000000,1\n1600003600,2\n1600010800,4\n",
			opt:  ReadOptions{Time: "t"},
			want: want{ids: []string{"y"}, values: [][]float64{{1, 2, nan, 4}}, freq: Hourly, filled: 1, times: true},
		},
		{
			name: "BOM, spaces, CRLF, RFC 3339",
			in:   "\xef\xbb\xbfwhen , y\r\n2020-01-01T00:00:00Z , 1 \r\n2020-01-01T00:30:00Z, 2\r\n",
			want: want{ids: []string{"y"}, values: [][]float64{{1, 2}}, freq: Frequency{Minute, 30}, times: true},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ds, err := readString(tc.in, tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			if len(ds.Series) != len(tc.want.ids) {
				t.Fatalf("%d series, want %d", len(ds.Series), len(tc.want.ids))
			}
			for i, s := range ds.Series {
				if s.ID != tc.want.ids[i] || !sameFloats(s.Values, tc.want.values[i]) {
					t.Errorf("series %d = %q %v, want %q %v", i, s.ID, s.Values, tc.want.ids[i], tc.want.values[i])
				}
				if (s.Times != nil) != tc.want.times || (s.Times != nil && len(s.Times) != len(s.Values)) {
					t.Errorf("series %q: %d times for %d values", s.ID, len(s.Times), len(s.Values))
				}
				if !slices.Equal(s.CovariateNames(), tc.want.cov) {
					t.Errorf("series %q covariates %v, want %v", s.ID, s.CovariateNames(), tc.want.cov)
				}
				for k, c := range s.Covariates {
					if len(c) != len(s.Values) {
						t.Errorf("covariate %s has %d values", k, len(c))
					}
				}
			}
			if tc.want.freq.Regular() && ds.Freq != tc.want.freq {
				t.Errorf("freq %v, want %v", ds.Freq, tc.want.freq)
			}
			if ds.Filled != tc.want.filled {
				t.Errorf("filled %d, want %d", ds.Filled, tc.want.filled)
			}
		})
	}
}

func TestReadGapTimestamps(t *testing.T) {
	in := "date,y\n2021-01-31,1\n2021-02-28,2\n2021-05-31,5\n"
	ds, err := readString(in, ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	s := ds.Series[0]
	var got []string
	for _, tm := range s.Times {
		got = append(got, tm.Format("2006-01-02"))
	}
	want := []string{"2021-01-31", "2021-02-28", "2021-03-31", "2021-04-30", "2021-05-31"}
	if !slices.Equal(got, want) || ds.Filled != 2 || ds.Freq != Monthly {
		t.Errorf("times %v filled %d freq %v; want %v, 2, monthly", got, ds.Filled, ds.Freq, want)
	}
	if !sameFloats(s.Values, []float64{1, 2, nan, nan, 5}) {
		t.Errorf("values %v", s.Values)
	}
}

func TestReadCovariatesFilled(t *testing.T) {
	in := "id,date,y,x\nA,2020-01-01,1,10\nA,2020-01-03,3,30\n"
	ds, err := readString(in, ReadOptions{Covariates: []string{"x"}, Freq: Daily})
	if err != nil {
		t.Fatal(err)
	}
	s := ds.Series[0]
	if !sameFloats(s.Values, []float64{1, nan, 3}) || !sameFloats(s.Covariates["x"], []float64{10, nan, 30}) {
		t.Errorf("values %v covariate %v", s.Values, s.Covariates["x"])
	}
}

func TestReadErrors(t *testing.T) {
	for _, tc := range []struct {
		name    string
		in      string
		opt     ReadOptions
		is      error
		line    int
		column  string
		message string
	}{
		{name: "empty", in: "", is: ErrEmpty},
		{name: "blank lines", in: "\n\n  \n", is: ErrEmpty},
		{name: "header only", in: "a,b\n", is: ErrEmpty},
		{name: "non-numeric cell", in: "date,y\n2020-01-01,1\n2020-01-02,abc\n", is: ErrNotNumber, line: 3, column: "y", message: `"abc"`},
		{name: "infinite cell", in: "y\n1\nInf\n", is: ErrNotNumber, line: 3, column: "y"},
		{name: "unknown column lists columns", in: "date,y\n2020-01-01,1\n", opt: ReadOptions{Value: []string{"z"}}, is: ErrUnknownColumn, column: "z", message: "the columns are date, y"},
		{name: "column used twice", in: "date,y\n2020-01-01,1\n", opt: ReadOptions{Value: []string{"y"}, Covariates: []string{"y"}}, is: ErrFormat},
		{name: "duplicate timestamp", in: "date,y\n2020-01-01,1\n2020-01-01,2\n", is: ErrDuplicate, line: 3, message: "line 2"},
		{name: "duplicate names the aggregation", in: "date,y\n2020-01-01,1\n2020-01-01,2\n", is: ErrDuplicate, message: "--agg sum"},
		{name: "ambiguous day and month", in: "date,y\n01/02/2020,1\n01/03/2020,2\n01/04/2020,3\n", is: ErrBadTime, line: 2, column: "date", message: "2 Jan 2020 (month-first, daily) or 1 Feb 2020 (day-first, monthly)"},
		{name: "date-like but not a date", in: "date,y\n2020-13-45,1\n2020-14-45,2\n", is: ErrBadTime, line: 2, column: "date", message: "looks like a date"},
		{name: "US date out of format", in: "date,y\n01/31/2020,1\n02/29/2020,2\n2020-03-31,3\n", is: ErrBadTime, line: 4, column: "date", message: "MM/DD/YYYY"},
		{name: "day-first in a US column", in: "date,y\n01/31/2020,1\n31/02/2020,2\n", is: ErrBadTime, line: 3, column: "date"},
		{name: "bad time format", in: "date,y\n2020-01-01,1\n", opt: ReadOptions{TimeFormat: "%Q"}, message: "unknown directive %Q"},
		{name: "time format without year", in: "date,y\n2020-01-01,1\n", opt: ReadOptions{TimeFormat: "%m/%d"}, message: "no year"},
		{name: "time format does not fit", in: "date,y\n2020-01-01,1\n", opt: ReadOptions{Time: "date", TimeFormat: "%d/%m/%Y"}, is: ErrBadTime, line: 2},
		{name: "thousands or decimal", in: "date;y\n2020-01-01;1.234\n2020-02-01;2,5\n", is: ErrNotNumber, line: 2, message: "thousands separator or a decimal mark"},
		{name: "decimal comma hint", in: "date,y\n2020-01-01,\"1,5\"\n2020-02-01,2.5\n", is: ErrNotNumber, line: 2, message: "--decimal ,"},
		{name: "dot thousands or decimal", in: "date;y\n2020-01-01;1.234\n2020-02-01;2.345\n", is: ErrNotNumber, line: 2, message: "thousands separator or a decimal mark"},
		{name: "comma thousands alone", in: "date;y\n2020-01-01;1,234\n2020-02-01;2.5\n", is: ErrNotNumber, line: 2, message: "thousands separator"},
		{name: "off grid", in: "date,y\n2020-01-01 00:00,1\n2020-01-01 01:00,2\n2020-01-01 02:30,3\n2020-01-01 03:30,3\n2020-01-01 04:30,3\n", is: ErrGrid, line: 4},
		{name: "same period at given frequency", in: "date,y\n2020-01-01 00:00,1\n2020-01-01 01:00,2\n", opt: ReadOptions{Freq: Daily}, is: ErrGrid, line: 3},
		{name: "gap too long", in: "date,y\n1990-01-01 00:00,1\n1990-01-01 01:00,2\n2020-01-01 00:00,3\n", is: ErrGap, line: 4},
		{name: "bad timestamp", in: "date,y\n2020-01-01,1\n2020-13-45,2\n", is: ErrBadTime, line: 3, column: "date"},
		{name: "missing timestamp", in: "date,y\n2020-01-01,1\n,2\n", is: ErrBadTime, line: 3},
		{name: "all missing", in: "date,y\n2020-01-01,NA\n2020-01-02,\n", is: ErrAllMissing, message: `"y"`},
		{name: "ragged row", in: "a,b\n1,2\n3\n", is: ErrFormat, line: 3},
		{name: "bad quote", in: "a,b\n1,\"2\n", is: ErrFormat},
		{name: "duplicate header", in: "a,a\n1,2\n", is: ErrFormat, line: 1},
		{name: "too large", in: "a\n1\n2\n3\n", opt: ReadOptions{MaxBytes: 4}, is: ErrTooLarge},
		{name: "empty id", in: "id,date,y\nA,2020-01-01,1\n,2020-01-02,2\n", opt: ReadOptions{ID: "id"}, is: ErrFormat, line: 3},
		{name: "duplicate row id", in: "s1,1,2\ns1,3,4\n", opt: ReadOptions{Layout: LayoutRows}, is: ErrFormat, line: 2},
		{name: "rows with value option", in: "s1,1,2\n", opt: ReadOptions{Layout: LayoutRows, Value: []string{"V2"}}, is: ErrFormat},
		{name: "wide with id option", in: "a,b\n1,2\n", opt: ReadOptions{Layout: LayoutWide, ID: "a"}, is: ErrFormat},
		{name: "not gzip", in: "\x1f\x8bnot really", is: nil, message: "gzip"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := readString(tc.in, tc.opt)
			if err == nil {
				t.Fatal("no error")
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("error %q is not %v", err, tc.is)
			}
			if !strings.HasPrefix(err.Error(), "series: ") {
				t.Errorf("error %q lacks the package prefix", err)
			}
			var pe *ParseError
			if tc.line > 0 || tc.column != "" {
				if !errors.As(err, &pe) {
					t.Fatalf("error %q is not a *ParseError", err)
				}
				if tc.line > 0 && pe.Line != tc.line {
					t.Errorf("line %d, want %d (%v)", pe.Line, tc.line, err)
				}
				if tc.column != "" && pe.Column != tc.column {
					t.Errorf("column %q, want %q (%v)", pe.Column, tc.column, err)
				}
			}
			if tc.message != "" && !strings.Contains(err.Error(), tc.message) {
				t.Errorf("error %q does not mention %q", err, tc.message)
			}
		})
	}
}

func TestReadFileGzipAndLimits(t *testing.T) {
	dir := t.TempDir()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	fmt.Fprint(zw, "1.5,2.5\n1.6,2.6\n")
	zw.Close()
	path := filepath.Join(dir, "rates.txt.gz")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	ds, err := ReadFile(path, ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ds.Series) != 2 || !sameFloats(ds.Series[1].Values, []float64{2.5, 2.6}) || ds.Source != path {
		t.Errorf("read %+v", ds.Series)
	}
	// The limit applies to the decompressed size too.
	if _, err := ReadFile(path, ReadOptions{MaxBytes: 10}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("decompressed limit: %v", err)
	}
	// And to the file size before reading.
	if _, err := ReadFile(path, ReadOptions{MaxBytes: int64(buf.Len() - 1)}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("file size limit: %v", err)
	}
	if _, err := ReadFile(filepath.Join(dir, "missing.csv"), ReadOptions{}); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

// writeLong formats series in the long layout, the way a user's tool
// might.
func writeLong(ss []Series) string {
	var b strings.Builder
	b.WriteString("id,timestamp,value\n")
	for _, s := range ss {
		for i, v := range s.Values {
			cell := "NA"
			if !math.IsNaN(v) {
				cell = fmt.Sprint(v)
			}
			fmt.Fprintf(&b, "%s,%s,%s\n", s.ID, s.Times[i].Format("2006-01-02 15:04:05"), cell)
		}
	}
	return b.String()
}

func TestReadRoundTrip(t *testing.T) {
	start := time.Date(2022, 3, 26, 0, 0, 0, 0, time.UTC)
	var in []Series
	for k, id := range []string{"north", "south"} {
		s := Series{ID: id}
		for i := 0; i < 50; i++ {
			s.Times = append(s.Times, start.Add(time.Duration(i+k)*time.Hour))
			v := math.Sin(float64(i)/3) * float64(k+1)
			if i%7 == 3 {
				v = nan
			}
			s.Values = append(s.Values, v)
		}
		in = append(in, s)
	}
	ds, err := readString(writeLong(in), ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if ds.Freq != Hourly || len(ds.Series) != 2 {
		t.Fatalf("freq %v, %d series", ds.Freq, len(ds.Series))
	}
	for i, s := range ds.Series {
		if s.ID != in[i].ID || !sameFloats(s.Values, in[i].Values) || !slices.EqualFunc(s.Times, in[i].Times, time.Time.Equal) {
			t.Errorf("series %d differs after a round trip", i)
		}
		if s.Freq != Hourly {
			t.Errorf("series freq %v", s.Freq)
		}
	}
}

func TestParseTime(t *testing.T) {
	want := time.Date(2020, 3, 4, 5, 6, 7, 0, time.UTC)
	for _, s := range []string{"2020-03-04 05:06:07", "2020-03-04T05:06:07", "2020-03-04T05:06:07Z", "2020-03-04T07:06:07+02:00", "2020/03/04 05:06:07"} {
		got, err := ParseTime(s)
		if err != nil || !got.Equal(want) {
			t.Errorf("ParseTime(%q) = %v, %v", s, got, err)
		}
	}
	for _, s := range []string{"2020-03-04", "2020/03/04", "2020-03"} {
		if _, err := ParseTime(s); err != nil {
			t.Errorf("ParseTime(%q): %v", s, err)
		}
	}
	for _, s := range []string{"", "1600000000", "03/04/2020", "2020-02-30", "yesterday"} {
		if _, err := ParseTime(s); !errors.Is(err, ErrBadTime) {
			t.Errorf("ParseTime(%q): err %v", s, err)
		}
	}
}

func TestLayoutText(t *testing.T) {
	for _, l := range []Layout{LayoutAuto, LayoutLong, LayoutWide, LayoutRows} {
		b, _ := l.MarshalText()
		var g Layout
		if err := g.UnmarshalText(b); err != nil || g != l {
			t.Errorf("%v round trip: %v %v", l, g, err)
		}
	}
	var l Layout
	if l.UnmarshalText([]byte("m4")); l != LayoutRows {
		t.Error("m4")
	}
	if err := l.UnmarshalText([]byte("diagonal")); err == nil {
		t.Error("bad layout accepted")
	}
}

func TestSeriesSliceClone(t *testing.T) {
	s := Series{ID: "a", Values: []float64{1, 2, 3, 4}, Times: make([]time.Time, 4), Covariates: map[string][]float64{"x": {5, 6, 7, 8}}}
	sub := s.Slice(1, 3)
	if !slices.Equal(sub.Values, []float64{2, 3}) || len(sub.Times) != 2 || !slices.Equal(sub.Covariates["x"], []float64{6, 7}) {
		t.Errorf("Slice: %+v", sub)
	}
	c := s.Clone()
	c.Values[0], c.Covariates["x"][0] = 99, 99
	if s.Values[0] != 1 || s.Covariates["x"][0] != 5 {
		t.Error("Clone shares memory")
	}
	defer func() {
		if recover() == nil {
			t.Error("out-of-range Slice did not panic")
		}
	}()
	s.Slice(2, 5)
}

func FuzzRead(f *testing.F) {
	for _, s := range []string{
		"id,date,y\nA,2020-01-01,1\nA,2020-01-02,2\nB,2020-01-01,3\n",
		"date,a,b\n2021-01-01,1,2\n2021-03-01,3,\n",
		"\"V1\",\"V2\",\"V3\"\n\"H1\",\"1\",\"\"\n",
		"0.1,0.2\n0.3,0.4\n",
		"t,y\n1600000000,1\n1600003600,x\n",
		"date;y\n2020-01-01;1\n2019-01-01;2\n",
		"a\tb\n1\t2\n3\n",
	} {
		f.Add([]byte(s), uint8(0))
	}
	f.Fuzz(func(t *testing.T, data []byte, mode uint8) {
		opt := ReadOptions{Layout: Layout(mode % 4), MaxBytes: 1 << 16}
		if mode&4 != 0 {
			opt.Time = "t"
		}
		if mode&8 != 0 {
			opt.Freq = Hourly
		}
		if mode&16 != 0 {
			opt.Agg = AggSum
		}
		ds, err := Read(bytes.NewReader(data), "fuzz", opt)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "series: ") {
				t.Fatalf("error without prefix: %v", err)
			}
			return
		}
		if len(ds.Series) == 0 {
			t.Fatal("no series and no error")
		}
		for _, s := range ds.Series {
			if s.Observed() == 0 {
				t.Fatalf("series %q has no data", s.ID)
			}
			if s.Times != nil && len(s.Times) != len(s.Values) {
				t.Fatalf("series %q: %d times, %d values", s.ID, len(s.Times), len(s.Values))
			}
			for i := 1; i < len(s.Times); i++ {
				if !s.Times[i].After(s.Times[i-1]) {
					t.Fatalf("series %q: times not increasing", s.ID)
				}
			}
			for _, v := range s.Values {
				if math.IsInf(v, 0) {
					t.Fatal("infinite value")
				}
			}
			if len(s.Values) > 10*len(data)+1000 {
				t.Fatalf("series of %d points from %d bytes", len(s.Values), len(data))
			}
		}
	})
}

func FuzzParseTime(f *testing.F) {
	for _, s := range []string{"2020-01-02", "2020-01-02 03:04:05", "2020-01-02T03:04:05+01:00", "2020/1/2", "0000-00-00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tm, err := ParseTime(s)
		if err != nil {
			if !errors.Is(err, ErrBadTime) {
				t.Fatalf("error %v is not ErrBadTime", err)
			}
			return
		}
		// A parsed time formats back to one that parses to the same instant.
		back, err := ParseTime(tm.Format(time.RFC3339Nano))
		if err != nil || !back.Equal(tm) {
			t.Fatalf("%q -> %v -> %v, %v", s, tm, back, err)
		}
	})
}

func FuzzLayoutText(f *testing.F) {
	for _, s := range []string{"auto", "LONG", " wide ", "m4", "rows", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var l Layout
		if err := l.UnmarshalText([]byte(s)); err != nil {
			return
		}
		var back Layout
		if err := back.UnmarshalText([]byte(l.String())); err != nil || back != l {
			t.Fatalf("%q -> %v -> %v, %v", s, l, back, err)
		}
	})
}
