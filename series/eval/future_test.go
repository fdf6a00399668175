// Rolling origins keep each series' covariates.

package eval

import (
	"slices"
	"testing"

	"github.com/arkit-go/arkit/series/table"
)

func TestRollingOriginKeepsCovariates(t *testing.T) {
	s := table.Series{ID: "a", Values: []float64{0, 1, 2, 3, 4, 5}, Covariates: map[string][]float64{"p": {10, 11, 12, 13, 14, 15}}}
	splits, err := RollingOrigin([]table.Series{s}, 2, 2, 1)
	if err != nil {
		t.Fatal(err)
	}
	// Origin 0 trains on 3 points; its covariates run 2 points further.
	if got := splits[0].Train[0].Covariates["p"]; !slices.Equal(got, []float64{10, 11, 12, 13, 14}) {
		t.Errorf("origin 0 covariates %v", got)
	}
	if got := splits[1].Train[0].Covariates["p"]; !slices.Equal(got, []float64{10, 11, 12, 13, 14, 15}) {
		t.Errorf("origin 1 covariates %v", got)
	}
	if got := splits[1].Test[0].Values; !slices.Equal(got, []float64{4, 5}) {
		t.Errorf("test %v", got)
	}
}
