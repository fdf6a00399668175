// Tests of the request checks.

package forecast

import (
	"math"
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
