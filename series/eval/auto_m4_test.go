// The measurement that chose Auto's default candidates on M4 Weekly: the
// cross-validated choice with and without the ETS/ARIMA/Theta median as a
// candidate, and that median alone. Run with ARKIT_AUTO_EVAL=1 (about
// 7 minutes on 2 busy cores); docs/benchmarks.md records the figures.

package eval

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/arkit-go/arkit/internal/shareddata"
	"github.com/arkit-go/arkit/series/classical"
	"github.com/arkit-go/arkit/series/table"
)

func TestAutoVariantsM4Weekly(t *testing.T) {
	if os.Getenv("ARKIT_AUTO_EVAL") == "" {
		t.Skip("a measurement: set ARKIT_AUTO_EVAL=1")
	}
	m4 := shareddata.Require(t, "series", "m4")
	train, test, err := table.ReadM4(filepath.Join(m4, "Weekly-train.csv"), filepath.Join(m4, "Weekly-test.csv"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := Backtest{Horizon: 13, Period: 1}.Evaluate(context.Background(), []Split{{Train: train.Series, Test: test.Series}},
		namedAuto{"comb", classical.Auto{Period: 1, Candidates: []string{"comb"}}},
		namedAuto{"select-no-comb", classical.Auto{Period: 1, Candidates: []string{"ets", "arima", "theta", "snaive", "drift"}}},
		namedAuto{"select-2-origins", classical.Auto{Period: 1, Origins: 2}},
		namedAuto{"select-3-origins", classical.Auto{Period: 1, Origins: 3}})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range res.WithReference() {
		t.Logf("%-18s sMAPE %.3f MASE %.3f OWA %.3f cov80 %.3f cov95 %.3f MSIS %.3f", s.Model, s.SMAPE, s.MASE, s.OWA, s.Coverage80, s.Coverage95, s.MSIS)
	}
}

// namedAuto renames an Auto variant for the score table.
type namedAuto struct {
	name string
	classical.Auto
}

func (n namedAuto) Name() string { return n.name }
