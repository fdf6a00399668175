// The user-facing jobs: forecast the series of a CSV file, or backtest
// forecasters on them, from one request each. They hold every rule the
// arkit command applies (covariates need their future values, short
// series fall back to the seasonal naive forecast, a network is saved
// after the run), so that the command only parses flags and calls them.

package series

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/arkit-go/arkit/core"
	"github.com/arkit-go/arkit/series/classical"
	"github.com/arkit-go/arkit/series/eval"
	"github.com/arkit-go/arkit/series/forecast"
	"github.com/arkit-go/arkit/series/lstm"
	"github.com/arkit-go/arkit/series/report"
	"github.com/arkit-go/arkit/series/table"
)

// An OptionError is an error in one option of a request, or in a file it
// names. Option is the request's field, e.g. "Horizon" or "Future".
type OptionError struct {
	Option string
	// Invalid is true when the option's value itself is wrong for the
	// request (a bad command line), false when a file it names could not
	// be used (bad data).
	Invalid bool
	Err     error
}

func (e *OptionError) Error() string { return e.Option + ": " + e.Err.Error() }

func (e *OptionError) Unwrap() error { return e.Err }

func invalid(option string, err error) error {
	return &OptionError{Option: option, Invalid: true, Err: err}
}

func failed(option string, err error) error { return &OptionError{Option: option, Err: err} }

// Input says where a job's series come from: a file (CSV, TSV, ...;
// gzipped or not) or the built-in data.
type Input struct {
	// CSV is the file to read; "-" reads Stdin.
	CSV string
	// Builtin reads the built-in series (table.Builtin) instead.
	Builtin bool
	Options table.ReadOptions
	// Sorted promises that the rows of a long file are grouped by series
	// id (as a file sorted by id has them): a forecast then reads and
	// forecasts a few series at a time (table.ReadSorted), so that its
	// memory is that of a few series, not of the file. Only the
	// forecast CSV is written then; a row out of its group is an error
	// naming its line. Method auto then chooses among the local methods
	// alone: the global LSTM learns from every series at once.
	Sorted bool
	// Stdin is read for CSV "-"; nil means os.Stdin.
	Stdin io.Reader
}

// open returns the reader of a file input and its name in messages.
func (in Input) open() (io.ReadCloser, string, error) {
	if in.CSV == "-" {
		r := in.Stdin
		if r == nil {
			r = os.Stdin
		}
		return io.NopCloser(r), "standard input", nil
	}
	f, err := os.Open(in.CSV)
	if err != nil {
		return nil, "", fmt.Errorf("series: %w", err)
	}
	return f, in.CSV, nil
}

// Read reads the series.
func (in Input) Read() (*table.Dataset, error) {
	switch {
	case (in.CSV == "") == !in.Builtin:
		return nil, invalid("CSV", errors.New("series: give exactly one of a file or the built-in data"))
	case in.Builtin:
		return table.Builtin()
	case in.CSV == "-":
		r, name, _ := in.open()
		return table.Read(r, name, in.Options)
	}
	return table.ReadFile(in.CSV, in.Options)
}

// prepare is the set-up of a job before its work: the output files and
// the network file are checked, the series read and the horizon checked
// against them. It returns the series and the plot's format.
func (in Input) prepare(horizon int, nets *Networks, outs ...[2]string) (*table.Dataset, string, error) {
	plotFormat, err := checkOutputs(outs...)
	if err != nil {
		return nil, "", err
	}
	if err := nets.check(); err != nil {
		return nil, "", err
	}
	ds, err := in.Read()
	if err != nil {
		return nil, "", err
	}
	if err := forecast.CheckHorizon(horizon, ds.Series); err != nil {
		return nil, "", invalid("Horizon", err)
	}
	return ds, plotFormat, nil
}

// Networks says how a job gets its LSTM, when one of its methods is
// "lstm": trained with the settings of LSTM, or read from Model.
type Networks struct {
	// LSTM holds the training and forecasting settings (Season, Seed and
	// Covariates are the job's). Its TrainOptions.Out is the model file
	// the training writes (checkpoints and the end), which Resume
	// continues; with Model only Paths, Point and Negative are used.
	LSTM lstm.LSTM
	// Model is a network file written by training to forecast with
	// instead of training: it must have been trained for the horizon and,
	// when it embeds series identities, on the series to forecast (any of
	// them, in any order). Each series' sample paths are drawn from
	// lstm.SeriesRand(Seed, its id), whatever the other series.
	Model string
	// Warn is told of each series too short for the LSTM, which gets the
	// seasonal naive forecast instead; nil: no warnings.
	Warn func(id, reason string)
}

// check refuses, before any work, to replace an existing model file
// without Resume or Force (the training harness would refuse it only when
// the LSTM trains).
func (n *Networks) check() error {
	o := n.LSTM.TrainOptions.TrainOptions
	if o.Out == "" || o.Resume || o.Force {
		return nil
	}
	if fi, err := os.Stat(o.Out); err == nil && !fi.IsDir() {
		return failed("Save", fmt.Errorf("series: %s %w: give --resume to continue its training or --force to replace it", o.Out, core.ErrExists))
	}
	return nil
}

// trained checks, after the run, that the LSTM wrote the model file asked
// for: it does not train when every series is too short for it.
func (n *Networks) trained(net *lstm.LSTM) error {
	if n.LSTM.Out != "" && (net == nil || net.Net == nil) {
		return failed("Save", errors.New("series: no network was trained: every series is too short for the lstm"))
	}
	return nil
}

// models makes the named methods; the LSTM (at most one) is configured or
// loaded and wrapped in SeasonalFallback. It returns the LSTM too (nil if
// none) and the training-loss curve.
// candidates are the auto method's (see autoCandidates).
func (n *Networks) models(names []string, candidates []string, season int, seed uint64, covariates []string, data []table.Series, horizon int) ([]forecast.Forecaster, *lstm.LSTM, *LossCurve, error) {
	local, withLSTM, err := autoCandidates(candidates)
	if err != nil {
		return nil, nil, nil, invalid("Candidates", err)
	}
	if candidates != nil && !slices.ContainsFunc(names, func(s string) bool { return strings.EqualFold(strings.TrimSpace(s), "auto") }) {
		return nil, nil, nil, invalid("Candidates", errors.New("only the auto method has candidates, and it is not among the methods"))
	}
	var models []forecast.Forecaster
	var net *lstm.LSTM
	curve := &LossCurve{}
	seen := map[string]bool{}
	for _, name := range names {
		m, err := NewForecaster(name, season, seed)
		if err != nil {
			return nil, nil, nil, invalid("Method", err)
		}
		if seen[m.Name()] {
			return nil, nil, nil, invalid("Method", fmt.Errorf("%s named twice", m.Name()))
		}
		seen[m.Name()] = true
		if l, ok := m.(*lstm.LSTM); ok {
			if n.Model != "" {
				if l, err = lstm.LoadFor(n.Model, data, horizon); err != nil {
					return nil, nil, nil, failed("Model", err)
				}
				l.Paths, l.Seed = n.LSTM.Paths, seed
			} else {
				*l = n.LSTM
				l.Season, l.Seed, l.Covariates = season, seed, covariates
				progress := n.LSTM.Progress
				l.Progress = func(p core.Progress) {
					if progress != nil {
						progress(p)
					}
					curve.Record(p)
				}
			}
			l.Point, l.Negative = n.LSTM.Point, n.LSTM.Negative
			net = l
			fb := SeasonalFallback(l, season)
			fb.Warn = n.Warn
			m = fb
		}
		if ca, ok := m.(classical.Auto); ok {
			ca.Candidates = local
			m = &Auto{Auto: ca, LSTM: n.autoLSTM(withLSTM, names, season, seed, covariates, curve)}
		}
		models = append(models, m)
	}
	if len(models) == 0 {
		return nil, nil, nil, invalid("Method", errors.New("names no method"))
	}
	switch {
	case net == nil && (n.Model != "" || n.LSTM.Out != ""):
		return nil, nil, nil, invalid("Save", errors.New("a network file needs the lstm method"))
	case n.Model != "" && n.LSTM.Out != "":
		return nil, nil, nil, invalid("Save", errors.New("writes a trained network; a model file to read is forecast with instead of training: give one of them"))
	}
	return models, net, curve, nil
}

// autoLSTM returns the settings of auto's global LSTM, trained with the
// job's settings (nil when the candidates leave it out); its loss curve is
// the report's unless the lstm method trains too.
func (n *Networks) autoLSTM(with bool, names []string, season int, seed uint64, covariates []string, curve *LossCurve) *lstm.LSTM {
	if !with {
		return nil
	}
	l := n.LSTM
	l.Season, l.Seed, l.Covariates = season, seed, covariates
	if !slices.ContainsFunc(names, func(s string) bool { return strings.EqualFold(strings.TrimSpace(s), "lstm") }) {
		progress := n.LSTM.Progress
		l.Progress = func(p core.Progress) {
			if progress != nil {
				progress(p)
			}
			curve.Record(p)
		}
	}
	return &l
}

// checkOutputs checks the output files before any work: their folders
// exist, no two share a file, the plot has a known image format. It
// returns the plot's format.
func checkOutputs(outs ...[2]string) (plotFormat string, err error) {
	seen := map[string]string{}
	for _, o := range outs {
		name, path := o[0], o[1]
		if path == "" || path == "-" {
			continue
		}
		if err := core.CheckOutputPath(path); err != nil {
			return "", failed(name, err)
		}
		if prev, ok := seen[filepath.Clean(path)]; ok {
			return "", invalid(name, fmt.Errorf("%s is also the %s file", path, strings.ToLower(prev)))
		}
		seen[filepath.Clean(path)] = name
		if name == "Plot" {
			if plotFormat, err = report.FormatOf(path); err != nil {
				return "", invalid(name, err)
			}
		}
	}
	return plotFormat, nil
}

// seasonOf returns season, or the M4 convention for f when it is 0.
func seasonOf(season int, f table.Frequency) int {
	if season == 0 {
		return table.M4SeasonalPeriod(f)
	}
	return season
}

// ForecastRequest is a forecast of every series of an input.
type ForecastRequest struct {
	Input
	Horizon int
	// Season is the seasonal period (0: the M4 convention for the
	// frequency).
	Season int
	// Method is one of ModelNames ("": lstm).
	Method string
	// Candidates are the methods the auto method chooses from: names from
	// classical.AutoCandidates, "ar" and "lstm" (the global LSTM and its
	// combinations, when there are enough series); nil: all of
	// AutoCandidates and the LSTM.
	Candidates []string
	// Quantiles are the levels written to Out.
	Quantiles []float64
	// Future is a file with the values of Input.Options.Covariates over
	// the horizon, laid out as the input; required with covariates.
	Future string
	Seed   uint64
	Networks
	// Out is the forecast CSV ("-": standard output), Plot a plot (.png,
	// .svg or .pdf) and Report an HTML report; empty ones are not written.
	// A report also checks the method on a hold-out (see ForecastJob).
	Out, Plot, Report string
}

// Forecast runs a forecast request: it reads the series, forecasts them
// (an LSTM's training writes its model file when asked), and writes the
// outputs, all of them or none. Errors in an option of req are *OptionError.
func Forecast(ctx context.Context, req ForecastRequest) error {
	method := req.Method
	if method == "" {
		method = "lstm"
	}
	if err := forecast.CheckQuantiles(req.Quantiles); err != nil {
		return invalid("Quantiles", err)
	}
	covs := req.Options.Covariates
	if len(covs) > 0 && req.Future == "" {
		return invalid("Future", errors.New("covariates need their values over the horizon: give a file of them"))
	}
	if req.Future != "" && len(covs) == 0 {
		return invalid("Future", errors.New("needs covariates naming the columns to read"))
	}
	if req.Sorted {
		return forecastSorted(ctx, req, method)
	}
	ds, plotFormat, err := req.Input.prepare(req.Horizon, &req.Networks,
		[2]string{"Out", req.Out}, [2]string{"Plot", req.Plot}, [2]string{"Report", req.Report})
	if err != nil {
		return err
	}
	m := seasonOf(req.Season, ds.Freq)
	if req.Future != "" {
		fopt := req.Options
		fopt.Freq = ds.Freq
		fut, err := table.ReadFuture(req.Future, fopt)
		if err != nil {
			return failed("Future", err)
		}
		if err := table.ExtendCovariates(ds.Series, fut, covs, req.Horizon); err != nil {
			return failed("Future", err)
		}
	}
	models, net, curve, err := req.Networks.models([]string{method}, req.Candidates, m, req.Seed, covs, ds.Series, req.Horizon)
	if err != nil {
		return err
	}
	job := ForecastJob{Data: ds.Series, Horizon: req.Horizon, Levels: req.Quantiles, Model: models[0], Check: req.Report != "", Period: m}
	res, err := job.Run(ctx)
	if err != nil {
		return err
	}
	if err := req.Networks.trained(net); err != nil {
		return err
	}

	var outs report.Outputs
	fcs, err := forecast.SelectLevels(res.Forecasts, req.Quantiles)
	if err != nil {
		return err
	}
	if err := outs.Add(req.Out, func(w io.Writer) error {
		return report.ForecastCSV{TimeLayout: ds.TimeLayout, Method: method == "auto"}.Write(w, fcs)
	}); err != nil {
		return err
	}
	popt := report.PlotOptions{Title: fmt.Sprintf("%s: %s forecast", ds.Source, models[0].Name())}
	if err := outs.Add(req.Plot, func(w io.Writer) error {
		return report.WriteForecastPlot(w, plotFormat, ds.Series, res.Forecasts, nil, popt)
	}); err != nil {
		return err
	}
	if err := outs.Add(req.Report, func(w io.Writer) error {
		var notes []string
		if req.Model != "" {
			notes = append(notes, fmt.Sprintf("The network was read from %s, not trained here: if it was trained on these series up to their end, its hold-out scores are in-sample.", req.Model))
		}
		r, err := ForecastReport(fmt.Sprintf("%s: %s forecast, horizon %d", ds.Source, models[0].Name(), req.Horizon),
			ds, ds.Series, res, curve.Loss, notes, report.PlotOptions{})
		if err != nil {
			return err
		}
		addAuto(r, models[0], "of the final forecast, on each series' own history")
		return r.WriteHTML(w)
	}); err != nil {
		return err
	}
	return outs.Write()
}

// sortedBatch is the most series a sorted forecast holds at once.
const sortedBatch = 64

// forecastSorted runs a forecast request on input sorted by id: series
// are read, forecast with the method and written a few at a time (see
// Input.Sorted), in the order of the file. The forecast CSV is written whole or not at
// all, except on standard output.
func forecastSorted(ctx context.Context, req ForecastRequest, method string) error {
	switch {
	case req.Builtin:
		return invalid("Sorted", errors.New("reads a file, not the built-in data"))
	case req.Plot != "" || req.Report != "":
		return invalid("Sorted", errors.New("writes the forecast CSV alone: a plot or a report needs every series at once"))
	case len(req.Options.Covariates) > 0:
		return invalid("Sorted", errors.New("takes no covariates"))
	case strings.EqualFold(strings.TrimSpace(method), "lstm") || req.Model != "" || req.LSTM.Out != "":
		return invalid("Sorted", errors.New("streams the classical methods: the lstm learns from every series at once"))
	}
	if _, err := checkOutputs([2]string{"Out", req.Out}); err != nil {
		return err
	}
	if _, err := NewForecaster(method, 1, req.Seed); err != nil {
		return invalid("Method", err)
	}
	local, withLSTM, err := autoCandidates(req.Candidates)
	switch {
	case err != nil:
		return invalid("Candidates", err)
	case req.Candidates != nil && !strings.EqualFold(strings.TrimSpace(method), "auto"):
		return invalid("Candidates", errors.New("only the auto method has candidates, and it is not among the methods"))
	case req.Candidates != nil && withLSTM:
		return invalid("Candidates", errors.New("names the lstm, which sorted streaming leaves out: the lstm learns from every series at once"))
	}
	if req.Horizon < 1 {
		return invalid("Horizon", fmt.Errorf("series: horizon %d: give the number of steps to forecast, at least 1", req.Horizon))
	}
	r, name, err := req.Input.open()
	if err != nil {
		return failed("CSV", err)
	}
	defer r.Close()
	models := map[int]forecast.Forecaster{}
	write := func(w io.Writer) error {
		bw := bufio.NewWriterSize(w, 1<<16)
		header := true
		var b bytes.Buffer
		// Series are forecast a batch at a time, as the in-memory job
		// forecasts them (the classical methods fit a batch's series in
		// parallel): consecutive series with the same season and time
		// layout, at most sortedBatch of them.
		var batch []table.Series
		var layout string
		season := 0
		flush := func() error {
			if len(batch) == 0 {
				return nil
			}
			model := models[season]
			if model == nil {
				model, _ = NewForecaster(method, season, req.Seed)
				if ca, ok := model.(classical.Auto); ok {
					ca.Candidates = local
					model = ca
				}
				models[season] = model
			}
			job := ForecastJob{Data: batch, Horizon: req.Horizon, Levels: req.Quantiles, Model: model, Period: season}
			res, err := job.Run(ctx)
			if err != nil {
				return err
			}
			fcs, err := forecast.SelectLevels(res.Forecasts, req.Quantiles)
			if err != nil {
				return err
			}
			b.Reset()
			if err := (report.ForecastCSV{TimeLayout: layout, Method: method == "auto"}).Write(&b, fcs); err != nil {
				return err
			}
			out := b.Bytes()
			if !header {
				out = out[bytes.IndexByte(out, '\n')+1:]
			}
			header, batch = false, batch[:0]
			_, err = bw.Write(out)
			return err
		}
		err := table.ReadSorted(r, name, req.Options, func(ds *table.Dataset) error {
			if err := forecast.CheckHorizon(req.Horizon, ds.Series); err != nil {
				return invalid("Horizon", err)
			}
			m := seasonOf(req.Season, ds.Freq)
			if len(batch) == sortedBatch || m != season || ds.TimeLayout != layout {
				if err := flush(); err != nil {
					return err
				}
			}
			season, layout = m, ds.TimeLayout
			batch = append(batch, ds.Series...)
			return nil
		})
		if err == nil {
			err = flush()
		}
		if err != nil {
			return err
		}
		return bw.Flush()
	}
	switch req.Out {
	case "":
		return write(io.Discard)
	case "-":
		return write(os.Stdout)
	}
	return core.WriteFileAtomic(req.Out, write)
}

// BacktestRequest scores forecasting methods on held-out data of an
// input.
type BacktestRequest struct {
	Input
	Horizon int
	// Season is the seasonal period of MASE, Naive2 and the methods (0:
	// the M4 convention for the frequency).
	Season int
	// Methods are names from ModelNames; naive2 is always scored too, as
	// the reference of OWA.
	Methods []string
	// Candidates are auto's, as in ForecastRequest.
	Candidates []string
	// Test is a file of the values that follow each series (same layout
	// and IDs, as the M4 files); without it the last Horizon points are
	// held out, at Origins origins Step points apart (0: 1 origin; Step
	// 0: Horizon).
	Test          string
	Origins, Step int
	Seed          uint64
	Networks
	// JSON writes the scores to standard output as JSON instead of a
	// table.
	JSON bool
	// Plot is a plot of the first method's forecasts at the last origin,
	// Report an HTML report; empty ones are not written.
	Plot, Report string
}

// Backtest runs a backtest request: it reads the series, forecasts the
// held-out points with every method (an LSTM's training writes its model
// file when asked), and writes the scores, the plot and the report. Errors in an option of req
// are *OptionError.
func Backtest(ctx context.Context, req BacktestRequest) error {
	origins := max(req.Origins, 1)
	switch {
	case req.Origins < 0 || req.Step < 0:
		return invalid("Origins", errors.New("must be at least 1 and the step not negative"))
	case req.Test != "" && origins > 1:
		return invalid("Origins", errors.New("needs no test file: the test file fixes the one origin"))
	}
	if req.Sorted {
		return invalid("Sorted", errors.New("streams forecasts only: a backtest reads every series at once"))
	}
	ds, plotFormat, err := req.Input.prepare(req.Horizon, &req.Networks, [2]string{"Plot", req.Plot}, [2]string{"Report", req.Report})
	if err != nil {
		return err
	}
	var splits []eval.Split
	if req.Test != "" {
		tds, err := table.ReadFile(req.Test, req.Options)
		if err != nil {
			return failed("Test", err)
		}
		sp, err := eval.TrainTest(ds, tds)
		if err != nil {
			return failed("Test", err)
		}
		splits = []eval.Split{sp}
	} else {
		step := req.Step
		if step == 0 {
			step = req.Horizon
		}
		if splits, err = eval.RollingOrigin(ds.Series, req.Horizon, origins, step); err != nil {
			return err
		}
	}
	m := seasonOf(req.Season, ds.Freq)
	models, net, curve, err := req.Networks.models(req.Methods, req.Candidates, m, req.Seed, req.Options.Covariates, splits[0].Train, req.Horizon)
	if err != nil {
		return err
	}
	res, err := eval.Backtest{Horizon: req.Horizon, Period: m}.Evaluate(ctx, splits, models...)
	if err != nil {
		return err
	}
	if err := req.Networks.trained(net); err != nil {
		return err
	}

	var outs report.Outputs
	scores := res.WithReference()
	if err := outs.Add("-", func(w io.Writer) error {
		if req.JSON {
			return report.WriteScoresJSON(w, scores)
		}
		return report.WriteScoresTable(w, scores)
	}); err != nil {
		return err
	}
	popt := report.PlotOptions{Title: fmt.Sprintf("%s: %s at the last origin", ds.Source, models[0].Name())}
	if err := outs.Add(req.Plot, func(w io.Writer) error {
		return report.WriteForecastPlot(w, plotFormat, res.Last.Train, res.Forecasts[0], res.Last.Test, popt)
	}); err != nil {
		return err
	}
	if err := outs.Add(req.Report, func(w io.Writer) error {
		how := fmt.Sprintf("The last %d points of every series were held out", req.Horizon)
		switch {
		case req.Test != "":
			how = fmt.Sprintf("Each series was forecast %d steps ahead and scored against %s", req.Horizon, req.Test)
		case origins > 1:
			how = fmt.Sprintf("%d forecast origins, the last holding out the final %d points", origins, req.Horizon)
		}
		notes := []string{how + fmt.Sprintf("; seasonal period %d. Scores are averaged over series as in the M4 competition.", m)}
		for i, mdl := range models {
			if note := AutoChoices(res.Forecasts[i]); mdl.Name() == "auto" && note != "" {
				notes = append(notes, "At the last origin "+note)
			}
		}
		r, err := report.BacktestReport(fmt.Sprintf("%s: backtest, horizon %d", ds.Source, req.Horizon), ds, res, curve.Loss,
			notes, report.PlotOptions{})
		if err != nil {
			return err
		}
		for _, mdl := range models {
			addAuto(r, mdl, "at the last origin")
		}
		return r.WriteHTML(w)
	}); err != nil {
		return err
	}
	return outs.Write()
}

// Methods splits a comma-separated list of method names.
func Methods(list string) []string {
	var out []string
	for _, p := range strings.Split(list, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// addAuto adds to a report what an Auto model did in its last forecast:
// whether it considered the LSTM, and each series' cross-validation
// scores and choice.
func addAuto(r *report.Report, m forecast.Forecaster, when string) {
	a, ok := m.(*Auto)
	if !ok {
		return
	}
	if a.Note != "" {
		r.Notes = append(r.Notes, a.Note)
	}
	if len(a.Scores) > 0 {
		header, rows := AutoTable(a.Scores)
		r.Tables = append(r.Tables, report.Table{Caption: "auto's choice " + when + ": mean absolute error of each candidate over its cross-validation origins",
			Header: header, Rows: rows})
	}
}
