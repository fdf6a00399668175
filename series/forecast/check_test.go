// Tests of the request checks.

package forecast

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/arkit-go/arkit/series/table"
)

func TestCheckHorizonAndQuantiles(t *testing.T) {
	data := []table.Series{{Values: make([]float64, 30)}, {Values: make([]float64, 50)}}
	for _, tc := range []struct {
		h  int
		ok bool
	}{{0, false}, {-3, false}, {1, true}, {500, true}, {501, false}, {MaxHorizon + 1, false}} {
		if err := CheckHorizon(tc.h, data); (err == nil) != tc.ok {
			t.Errorf("horizon %d: %v", tc.h, err)
		}
	}
	if err := CheckHorizon(MaxHorizon+1, []table.Series{{Values: make([]float64, 1e5)}}); err == nil || !strings.Contains(err.Error(), "at most 100000 steps") {
		t.Errorf("huge horizon: %v", err)
	}
	for _, bad := range [][]float64{{0}, {1}, {0.5, 0.5}, {math.NaN()}, {-0.1}} {
		if CheckQuantiles(bad) == nil {
			t.Errorf("levels %v accepted", bad)
		}
	}
	if err := CheckQuantiles([]float64{0.1, 0.5, 0.9}); err != nil {
		t.Error(err)
	}
}

func TestParseLevels(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []float64
		err  string
	}{
		{"0.1,0.5, 0.9", []float64{0.1, 0.5, 0.9}, ""},
		{" 0.05 ,,0.95,", []float64{0.05, 0.95}, ""},
		{"", nil, ""},
		{"0.1,x", nil, `"x" is not a number`},
	} {
		got, err := ParseLevels(c.in)
		if c.err != "" {
			if err == nil || err.Error() != c.err {
				t.Errorf("ParseLevels(%q): error %v, want %q", c.in, err, c.err)
			}
			continue
		}
		if err != nil || !slices.Equal(got, c.want) {
			t.Errorf("ParseLevels(%q) = %v, %v; want %v", c.in, got, err, c.want)
		}
	}
}
