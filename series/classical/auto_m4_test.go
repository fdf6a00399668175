// The measurement of AR as one more Auto candidate on M4 Weekly and
// Hourly (ARKIT_AUTO_EVAL=1 and ARKIT_AUTO_M4=Weekly or Hourly): Auto's
// default candidates against the same plus "ar", scored as M4 scores.

package classical_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/arkit-go/arkit/internal/shareddata"
	"github.com/arkit-go/arkit/series/classical"
	"github.com/arkit-go/arkit/series/eval"
	"github.com/arkit-go/arkit/series/table"
)

type namedAuto struct {
	name string
	classical.Auto
}

func (n namedAuto) Name() string { return n.name }

func TestAutoARCandidateM4(t *testing.T) {
	if os.Getenv("ARKIT_AUTO_EVAL") == "" {
		t.Skip("a measurement: set ARKIT_AUTO_EVAL=1")
	}
	set := os.Getenv("ARKIT_AUTO_M4")
	cfg := map[string]struct{ h, m, score int }{"Weekly": {13, 1, 1}, "Hourly": {48, 24, 24}}
	c, ok := cfg[set]
	if !ok {
		t.Skip("set ARKIT_AUTO_M4 to Weekly or Hourly")
	}
	m4 := shareddata.Require(t, "series", "m4")
	train, test, err := table.ReadM4(filepath.Join(m4, set+"-train.csv"), filepath.Join(m4, set+"-test.csv"))
	if err != nil {
		t.Fatal(err)
	}
	withAR := append(append([]string{}, classical.AutoCandidates...), "ar")
	res, err := eval.Backtest{Horizon: c.h, Period: c.score}.Evaluate(context.Background(), []eval.Split{{Train: train.Series, Test: test.Series}},
		namedAuto{"auto", classical.Auto{Period: c.m}},
		namedAuto{"auto+ar", classical.Auto{Period: c.m, Candidates: withAR}},
		classical.AR{})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range res.WithReference() {
		t.Logf("%-10s sMAPE %.3f MASE %.3f OWA %.3f", s.Model, s.SMAPE, s.MASE, s.OWA)
	}
}
