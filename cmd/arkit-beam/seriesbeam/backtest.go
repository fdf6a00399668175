// Backtest: every series scored on its own with eval.Backtest at each
// origin, and the scores summed over series and averaged as the series
// package does (each figure over the forecasts where it is finite; OWA
// from the averages), as arkit series backtest prints them.

package seriesbeam

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"

	"github.com/arkit-go/arkit/series"
	"github.com/arkit-go/arkit/series/classical"
	"github.com/arkit-go/arkit/series/eval"
	"github.com/arkit-go/arkit/series/forecast"
)

func init() {
	register.DoFn5x1[context.Context, string, func(*Block) bool, func(string, Sums), func(BadRow), error](&backtestFn{})
	register.Emitter2[string, Sums]()
	register.Function2x1(addSums)
	register.DoFn3x1[context.Context, int, func(*string) bool, error](&writeScoresFn{})
	register.Function2x2(keyScore)
	register.Iter1[string]()
}

// BacktestRequest scores methods on the last points of every series of
// an input.
type BacktestRequest struct {
	Input
	Horizon int
	// Season is the seasonal period of MASE, Naive2 and the methods (0:
	// the M4 convention for each series' frequency).
	Season int
	// Methods are names from series.ModelNames; naive2 is always scored
	// too, as the reference of OWA; lstm forecasts with the saved network
	// of Networks.
	Methods []string
	Networks
	// Origins forecast origins (0: 1), Step points apart (0: Horizon).
	Origins, Step int
	Seed          uint64
	// Out is the prefix of the scores file, Out-scores.jsonl, which the
	// command reads back; empty: a temporary folder (a local runner only).
	Out string
}

// BacktestResult holds the scores: one per method, in the order asked,
// then Naive2's unless it was asked for.
type BacktestResult struct {
	Result
	Scores []eval.Score
}

// Sums are the sums and counts of a method's figures over forecasts, in
// the order of scoreFields.
type Sums struct {
	Sum       []float64
	N         []int
	Forecasts int
}

// scoreFields are the figures of a score, in the order of Sums.
func scoreFields(s *eval.Score) []*float64 {
	return []*float64{&s.SMAPE, &s.MASE, &s.MAE, &s.RMSE, &s.Coverage80, &s.Coverage95, &s.MSIS, &s.CRPS}
}

// add adds the figures of one forecast's score, each where finite.
func (a *Sums) add(s eval.Score) {
	fields := scoreFields(&s)
	if a.Sum == nil {
		a.Sum, a.N = make([]float64, len(fields)), make([]int, len(fields))
	}
	for i, p := range fields {
		if v := *p; !math.IsNaN(v) && !math.IsInf(v, 0) {
			a.Sum[i] += v
			a.N[i]++
		}
	}
	a.Forecasts += s.Forecasts
}

func addSums(a, b Sums) Sums {
	if a.Sum == nil {
		return b
	}
	if b.Sum == nil {
		return a
	}
	out := Sums{Sum: slices.Clone(a.Sum), N: slices.Clone(a.N), Forecasts: a.Forecasts + b.Forecasts}
	for i := range out.Sum {
		out.Sum[i] += b.Sum[i]
		out.N[i] += b.N[i]
	}
	return out
}

// score returns the averages of a.
func (a Sums) score(name string) eval.Score {
	s := eval.Score{Model: name, Forecasts: a.Forecasts, OWA: math.NaN()}
	for i, p := range scoreFields(&s) {
		*p = math.NaN()
		if i < len(a.N) && a.N[i] > 0 {
			*p = a.Sum[i] / float64(a.N[i])
		}
	}
	return s
}

// backtestFn scores the methods on one series.
type backtestFn struct {
	Builder       builder
	Methods       []string
	Season        int
	Horizon       int
	Origins, Step int
	Seed          uint64
	KeepBad       bool
	Network       *network
}

// Setup loads the network, when a method is lstm.
func (f *backtestFn) Setup() error { return f.Network.setup(f.Seed) }

func (f *backtestFn) ProcessElement(ctx context.Context, id string, rows func(*Block) bool, emit func(string, Sums), bad func(BadRow)) error {
	ds, err := buildFrom(f.Builder, id, rows, f.KeepBad, bad)
	if ds == nil || err != nil {
		return err
	}
	s := ds.Series[0]
	m := seasonOf(f.Season, s.Freq)
	var models []forecast.Forecaster
	for _, name := range f.Methods {
		mdl, err := newForecaster(name, m, f.Seed, f.Network)
		if err != nil {
			return err
		}
		models = append(models, mdl)
	}
	splits, err := eval.RollingOrigin(ds.Series, f.Horizon, max(f.Origins, 1), cmpOr(f.Step, f.Horizon))
	if err != nil {
		return fmt.Errorf("series: series %q: %w", id, err)
	}
	sums := map[string]*Sums{}
	var order []string
	for _, sp := range splits {
		res, err := eval.Backtest{Horizon: f.Horizon, Period: m}.Evaluate(ctx, []eval.Split{sp}, models...)
		if err != nil {
			return fmt.Errorf("series: series %q: %w", id, err)
		}
		for _, sc := range res.WithReference() {
			if sums[sc.Model] == nil {
				sums[sc.Model] = &Sums{}
				order = append(order, sc.Model)
			}
			sums[sc.Model].add(sc)
		}
	}
	for _, name := range order {
		emit(name, *sums[name])
	}
	return nil
}

func cmpOr(a, b int) int {
	if a != 0 {
		return a
	}
	return b
}

// keyScore writes a method's sums as a JSON line under one key, to write
// them all to one file.
func keyScore(name string, s Sums) (int, string) {
	b, _ := json.Marshal(struct {
		Name string
		Sums Sums
	}{name, s})
	return 0, string(b)
}

// writeScoresFn writes the sums of every method as JSON lines (keyScore).
type writeScoresFn struct {
	Path string
}

func (f *writeScoresFn) ProcessElement(ctx context.Context, _ int, lines func(*string) bool) error {
	return writeFile(ctx, f.Path, func(w io.Writer) error {
		var line string
		for lines(&line) {
			if _, err := io.WriteString(w, line+"\n"); err != nil {
				return err
			}
		}
		return nil
	})
}

// scoresOf averages the sums of each method and computes OWA against
// Naive2's, in the order of names.
func scoresOf(names []string, sums map[string]Sums) []eval.Score {
	ref := sums[classical.Naive2{}.Name()].score(classical.Naive2{}.Name())
	var out []eval.Score
	for _, n := range names {
		s := sums[n].score(n)
		s.OWA = eval.OWA(s.SMAPE, s.MASE, ref.SMAPE, ref.MASE)
		if n == ref.Model {
			s.OWA = 1
		}
		out = append(out, s)
	}
	return out
}

// Backtest builds and runs the pipeline of a backtest request on the
// runner that beamx picks, and reads back the scores.
func Backtest(ctx context.Context, req BacktestRequest) (*BacktestResult, error) {
	switch {
	case req.CSV == "":
		return nil, errors.New("series: give the files to read (--csv)")
	case req.Horizon < 1:
		return nil, fmt.Errorf("series: horizon %d: give the number of steps to forecast, at least 1", req.Horizon)
	case req.Origins < 0 || req.Step < 0:
		return nil, errors.New("series: origins must be at least 1 and the step not negative")
	case len(req.Methods) == 0:
		return nil, errors.New("series: name at least one method")
	}
	var names []string
	for _, n := range req.Methods {
		if isLSTM(n) && req.Model == "" {
			return nil, errors.New("series: method lstm forecasts with a saved network: train one with arkit series forecast --save, then give it (--model)")
		}
		m, err := series.NewForecaster(n, 1, req.Seed)
		if err != nil {
			return nil, err
		}
		if slices.Contains(names, m.Name()) {
			return nil, fmt.Errorf("series: method %s named twice", m.Name())
		}
		names = append(names, m.Name())
	}
	if req.Model != "" && !slices.Contains(names, "lstm") {
		return nil, errors.New("series: a network file (--model) needs the method lstm")
	}
	if ref := (classical.Naive2{}).Name(); !slices.Contains(names, ref) {
		names = append(names, ref)
	}
	net, err := readNetwork(ctx, req.Networks, req.Horizon)
	if err != nil {
		return nil, err
	}
	files, err := List(ctx, req.CSV)
	if err != nil {
		return nil, err
	}
	out := req.Out
	if out == "" {
		dir, err := os.MkdirTemp("", "arkit-beam-")
		if err != nil {
			return nil, fmt.Errorf("series: %w", err)
		}
		defer os.RemoveAll(dir)
		out = filepath.Join(dir, "backtest")
	}
	path := out + "-scores.jsonl"

	p, s := beam.NewPipelineWithRoot()
	rows, bad := readRows(s, files, req.Input)
	fn := &backtestFn{Builder: builder{Columns: req.Columns, Options: req.Options}, Methods: req.Methods, Season: req.Season,
		Horizon: req.Horizon, Origins: req.Origins, Step: req.Step, Seed: req.Seed, KeepBad: req.BadRows != "", Network: net}
	sums, bad2 := beam.ParDo2(s, fn, beam.GroupByKey(s, rows))
	total := beam.CombinePerKey(s, addSums, sums)
	beam.ParDo0(s, &writeScoresFn{Path: path}, beam.GroupByKey(s, beam.ParDo(s, keyScore, total)))
	if req.BadRows != "" {
		writeBadRows(s, req.BadRows, beam.Flatten(s, bad, bad2))
	}
	res, err := run(ctx, p)
	if err != nil {
		return nil, err
	}
	sumsOf, err := readSums(ctx, path)
	if err != nil {
		return nil, err
	}
	br := &BacktestResult{Result: *res, Scores: scoresOf(names, sumsOf)}
	if req.Out != "" {
		br.Files = append(br.Files, path)
	}
	if req.BadRows != "" {
		if br.BadRows, err = countBadRows(ctx, req.BadRows); err != nil {
			return nil, err
		}
		br.Files = append(br.Files, ShardName(req.BadRows, 0, 1))
	}
	return br, nil
}

// readSums reads the file writeScoresFn wrote.
func readSums(ctx context.Context, path string) (map[string]Sums, error) {
	fs, err := filesystem.New(ctx, path)
	if err != nil {
		return nil, err
	}
	defer fs.Close()
	rc, err := fs.OpenRead(ctx, path)
	if err != nil {
		return nil, fmt.Errorf("series: no series could be scored: %w", err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		return nil, err
	}
	out := map[string]Sums{}
	for line := range strings.Lines(string(b)) {
		var e struct {
			Name string
			Sums Sums
		}
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			return nil, fmt.Errorf("series: %s: %w", path, err)
		}
		out[e.Name] = e.Sums
	}
	return out, nil
}
