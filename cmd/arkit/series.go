// arkit series: forecast time series and backtest forecasters (package
// series). Each command parses its flags and calls the library.

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/arkit-go/arkit/core"
	"github.com/arkit-go/arkit/series"
	"github.com/arkit-go/arkit/series/eval"
	"github.com/arkit-go/arkit/series/forecast"
	"github.com/arkit-go/arkit/series/lstm"
	"github.com/arkit-go/arkit/series/report"
	"github.com/arkit-go/arkit/series/table"
)

func init() {
	register(&command{
		name:    "series forecast",
		summary: "forecast time series from a CSV file (global LSTM or a classical baseline)",
		usage:   "(--csv PATH | --builtin) --horizon H [--model NAME] [--out CSV] [--plot FILE] [--report HTML] [flags]",
		examples: `arkit series forecast --builtin --horizon 24 --plot elecequip.png --report elecequip.html
			arkit series forecast --csv sales.csv --id store --time date --value sales --horizon 14 --out forecast.csv --max-time 5m
			arkit series forecast --csv sales.csv --id store --time date --value sales --covariates price,promo --future next.csv --horizon 14
			arkit series forecast --csv m.csv --layout wide --horizon 12 --model ets --quantiles 0.05,0.5,0.95
			arkit series forecast --csv sales.csv --horizon 14 --save sales.safetensors
			arkit series forecast --csv sales.csv --horizon 14 --load sales.safetensors --out forecast.csv`,
		setup: seriesForecastSetup,
	})
	register(&command{
		name:    "series backtest",
		summary: "score forecasters on held-out data as the M4 competition did (sMAPE, MASE, OWA, coverage)",
		usage:   "(--csv PATH | --builtin) --horizon H [--model NAME,...] [--test PATH] [--origins N] [--json] [flags]",
		examples: `arkit series backtest --builtin --horizon 24 --model lstm,snaive,ets,theta --max-time 2m
			arkit series backtest --csv Weekly-train.csv --test Weekly-test.csv --layout rows --horizon 13 --model naive2,snaive,theta,ets,ar --json
			arkit series backtest --csv sales.csv --horizon 7 --origins 4 --step 7 --model snaive,ets --report backtest.html`,
		setup: seriesBacktestSetup,
	})
}

// seriesInput declares the flags that say where the series are and how
// they are laid out.
type seriesInput struct {
	csv, value, time, id, layout, freq, covariates string
	builtin                                        bool
}

func (in *seriesInput) declare(fs *flag.FlagSet) {
	fs.StringVar(&in.csv, "csv", "", "input file (CSV, TSV, ...; gzipped or not)")
	fs.BoolVar(&in.builtin, "builtin", false, "use the built-in monthly series elecequip (257 months, Eurostat) instead of --csv")
	fs.StringVar(&in.value, "value", "", "value column(s) of a long file, comma-separated (several targets: several series per id); default every column that is not the id, time or a covariate")
	fs.StringVar(&in.time, "time", "", "timestamp column (default: the first column holding dates)")
	fs.StringVar(&in.id, "id", "", "series id column of a long file (default: the first column when the layout is guessed; none otherwise)")
	fs.StringVar(&in.layout, "layout", "auto", "long (one observation per row), wide (one column per series) or rows (one series per row, as M4); auto guesses")
	fs.StringVar(&in.freq, "freq", "", "frequency, e.g. monthly, 1h, 15min (default: inferred from the timestamps, or from an M4 file name)")
	fs.StringVar(&in.covariates, "covariates", "", "numeric covariate columns, comma-separated: inputs of the lstm")
}

// options turns the flags into table.ReadOptions.
func (in *seriesInput) options() (table.ReadOptions, error) {
	var opt table.ReadOptions
	if (in.csv == "") == !in.builtin {
		return opt, usageError{errors.New("give exactly one of --csv PATH or --builtin")}
	}
	if err := opt.Layout.UnmarshalText([]byte(in.layout)); err != nil {
		return opt, usageError{fmt.Errorf("--layout %q: want long, wide or rows", in.layout)}
	}
	if in.freq != "" {
		f, err := table.ParseFrequency(in.freq)
		if err != nil {
			return opt, usageError{fmt.Errorf("--freq %q: not a frequency (e.g. hourly, daily, monthly, 15min)", in.freq)}
		}
		opt.Freq = f
	}
	opt.ID, opt.Time = in.id, in.time
	opt.Value = seriesList(in.value)
	opt.Covariates = seriesList(in.covariates)
	if in.builtin && (opt.ID != "" || opt.Time != "" || len(opt.Value) > 0 || len(opt.Covariates) > 0) {
		return opt, usageError{errors.New("--builtin takes no --id, --time, --value or --covariates")}
	}
	return opt, nil
}

// read reads the series.
func (in *seriesInput) read(opt table.ReadOptions) (*table.Dataset, error) {
	if in.builtin {
		return table.Builtin()
	}
	return table.ReadFile(in.csv, opt)
}

func seriesList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// lstmFlags declares the flags of the LSTM.
type lstmFlags struct {
	hidden, layers, context, steps, batch, paths, scaleWindow, baseLag int
	maxTime                                                            time.Duration
	lr, dropout                                                        float64
	likelihood, point, save, load                                      string
	quiet, negative                                                    bool
}

func (f *lstmFlags) declare(fs *flag.FlagSet, maxTime time.Duration) {
	fs.IntVar(&f.hidden, "hidden", 64, "lstm: LSTM width")
	fs.IntVar(&f.layers, "layers", 2, "lstm: LSTM layers")
	fs.IntVar(&f.context, "context", 0, "lstm: steps seen before the forecast origin (0: twice the larger of horizon and season, at most 500)")
	fs.IntVar(&f.steps, "steps", 0, "lstm: training steps (0: no step limit; --max-time stops training)")
	fs.DurationVar(&f.maxTime, "max-time", maxTime, "lstm: training time budget, e.g. 30s, 10m (0: none; then --steps, default 2000)")
	fs.Float64Var(&f.lr, "lr", 1e-3, "lstm: Adam learning rate")
	fs.IntVar(&f.batch, "batch", 64, "lstm: training windows per step")
	fs.IntVar(&f.paths, "paths", 200, "lstm: sample paths per series (quantiles and the median come from them)")
	fs.StringVar(&f.likelihood, "likelihood", "studentt", "lstm: studentt or gaussian")
	fs.StringVar(&f.point, "point", "median", "lstm: point forecast: median (of the sample paths, step by step) or path (one path feeding back the predicted mean)")
	fs.IntVar(&f.scaleWindow, "scale-window", 0, "lstm: last points of the context whose mean absolute value scales it (0: one season, at least 4; -1: the whole context)")
	fs.IntVar(&f.baseLag, "base-lag", 0, "lstm: model each value's change from the value this many steps earlier (0: the season when above 1, else none; -1: none)")
	fs.BoolVar(&f.negative, "negative", false, "lstm: allow negative forecasts for series whose history is never negative (default: clamped at 0)")
	fs.Float64Var(&f.dropout, "dropout", 0, "lstm: dropout between LSTM layers, in [0, 1)")
	fs.StringVar(&f.save, "save", "", "lstm: write the trained network to this file")
	fs.StringVar(&f.load, "load", "", "lstm: forecast with a network written by --save (same series and horizon) instead of training")
	fs.BoolVar(&f.quiet, "quiet", false, "lstm: no progress bar on stderr")
}

func (f *lstmFlags) check(isLSTM bool) error {
	switch {
	case !isLSTM && (f.save != "" || f.load != ""):
		return usageError{errors.New("--save and --load need --model lstm")}
	case f.hidden < 1 || f.layers < 1 || f.batch < 1 || f.paths < 1:
		return usageError{errors.New("--hidden, --layers, --batch and --paths must be positive")}
	case f.context < 0 || f.steps < 0 || f.maxTime < 0:
		return usageError{errors.New("--context, --steps and --max-time must not be negative")}
	case !(f.lr > 0):
		return usageError{fmt.Errorf("--lr %g must be positive", f.lr)}
	case !(f.dropout >= 0 && f.dropout < 1):
		return usageError{fmt.Errorf("--dropout %g must be in [0, 1)", f.dropout)}
	case f.likelihood != "studentt" && f.likelihood != "gaussian":
		return usageError{fmt.Errorf("--likelihood %q: want studentt or gaussian", f.likelihood)}
	case f.point != "median" && f.point != "path":
		return usageError{fmt.Errorf("--point %q: want median or path", f.point)}
	case f.scaleWindow < -1:
		return usageError{fmt.Errorf("--scale-window %d: want -1, 0 or a number of points", f.scaleWindow)}
	case f.baseLag < -1:
		return usageError{fmt.Errorf("--base-lag %d: want -1, 0 or a number of steps", f.baseLag)}
	}
	if f.save != "" {
		if err := seriesOutputDir("save", f.save); err != nil {
			return err
		}
	}
	return nil
}

// configure sets l's training options from the flags.
func (f *lstmFlags) configure(l *lstm.LSTM, covariates []string) {
	l.Hidden, l.Layers, l.Context, l.Batch, l.Paths = f.hidden, f.layers, f.context, f.batch, f.paths
	l.Steps, l.MaxTime, l.LR, l.Dropout = f.steps, f.maxTime, float32(f.lr), float32(f.dropout)
	l.Likelihood, l.Covariates = f.likelihood, covariates
	l.ScaleWindow, l.BaseLag = f.scaleWindow, f.baseLag
	f.configureForecast(l)
}

// configureForecast sets how l summarises its paths (also for a loaded model).
func (f *lstmFlags) configureForecast(l *lstm.LSTM) {
	l.Point = ""
	if f.point == "path" {
		l.Point = "path"
	}
	l.Negative = f.negative
}

// fallbackWarnings collects the fallback warnings of a run, the last
// reason of each series kept (a hold-out check or earlier origins come
// first), to print once the run ends.
type fallbackWarnings struct {
	ids    []string
	reason map[string]string
}

func (w *fallbackWarnings) add(id, reason string) {
	if w.reason == nil {
		w.reason = map[string]string{}
	}
	if _, ok := w.reason[id]; !ok {
		w.ids = append(w.ids, id)
	}
	w.reason[id] = reason
}

func (w *fallbackWarnings) print() {
	for _, id := range w.ids {
		fmt.Fprintf(os.Stderr, "arkit: warning: series %q: %s\n", id, w.reason[id])
	}
}

// seriesModels makes the named models; the LSTM (at most one) is
// configured from the flags, or loaded, and wrapped in the seasonal
// fallback for short series, which reports to warnings. It returns the
// LSTM too (nil if none).
func seriesModels(names []string, season int, seed uint64, lf *lstmFlags, covariates []string, data []table.Series, horizon int,
	progress func(core.Progress), warnings *fallbackWarnings) ([]forecast.Forecaster, *lstm.LSTM, error) {
	var models []forecast.Forecaster
	var net *lstm.LSTM
	seen := map[string]bool{}
	for _, name := range names {
		m, err := series.NewForecaster(name, season, seed)
		if err != nil {
			return nil, nil, usageError{fmt.Errorf("--model: %w", err)}
		}
		if seen[m.Name()] {
			return nil, nil, usageError{fmt.Errorf("--model: %s named twice", m.Name())}
		}
		seen[m.Name()] = true
		if l, ok := m.(*lstm.LSTM); ok {
			if lf.load != "" {
				if l, err = lstm.LoadFor(lf.load, data, horizon); err != nil {
					return nil, nil, fmt.Errorf("--load: %w", err)
				}
				l.Paths, l.Seed = lf.paths, seed
				lf.configureForecast(l)
			} else {
				lf.configure(l, covariates)
			}
			l.Progress = progress
			net = l
			fb := series.SeasonalFallback(l, season)
			fb.Warn = warnings.add
			m = fb
		}
		models = append(models, m)
	}
	if len(models) == 0 {
		return nil, nil, usageError{errors.New("--model names no model")}
	}
	return models, net, nil
}

// seriesOutputDir checks that the folder of an output file exists.
func seriesOutputDir(flagName, path string) error {
	if st, err := os.Stat(filepath.Dir(path)); err != nil || !st.IsDir() {
		return fmt.Errorf("--%s %s: folder %s does not exist", flagName, path, filepath.Dir(path))
	}
	return nil
}

// seriesOutputs checks the output flags before any work: folders exist,
// the plot has a known image format, no two outputs share a file.
func seriesOutputs(out, plot, reportPath string) (plotFormat string, err error) {
	seen := map[string]string{}
	for _, o := range []struct{ flag, path string }{{"out", out}, {"plot", plot}, {"report", reportPath}} {
		if o.path == "" || o.path == "-" {
			continue
		}
		if err := seriesOutputDir(o.flag, o.path); err != nil {
			return "", err
		}
		if prev, ok := seen[filepath.Clean(o.path)]; ok {
			return "", usageError{fmt.Errorf("--%s and --%s name the same file %s", prev, o.flag, o.path)}
		}
		seen[filepath.Clean(o.path)] = o.flag
	}
	if plot != "" {
		if plotFormat, err = report.FormatOf(plot); err != nil {
			return "", usageError{fmt.Errorf("--plot: %w", err)}
		}
	}
	return plotFormat, nil
}

// seriesProgress returns the progress callback of the LSTM: the bar on
// stderr and the loss curve for the report.
func seriesProgress(quiet bool, curve *series.LossCurve) (func(core.Progress), *progressBar) {
	bar := newProgress(quiet, "values")
	return func(p core.Progress) {
		bar.Report(p)
		curve.Record(p)
	}, bar
}

func seriesForecastSetup(fs *flag.FlagSet) func(context.Context, []string) error {
	var in seriesInput
	in.declare(fs)
	horizon := fs.Int("horizon", 0, fmt.Sprintf("forecast horizon in steps: 1 to %d, and at most 10 times the longest series (required)", forecast.MaxHorizon))
	season := fs.Int("season", 0, "seasonal period (0: the M4 convention for the frequency: hourly 24, monthly 12, quarterly 4, else 1)")
	model := fs.String("model", "lstm", "lstm, naive, naive2, snaive, drift, ar, ets or theta")
	quantiles := fs.String("quantiles", "0.1,0.5,0.9", "quantile levels written to --out, comma-separated, each in (0, 1)")
	out := fs.String("out", "-", "forecast CSV to write (id, timestamp or step, mean, [point,] one column per quantile); - for stdout")
	plot := fs.String("plot", "", "plot of recent history, median, 80% and 95% bands, one panel per series (up to 6); .png, .svg or .pdf")
	reportPath := fs.String("report", "", "self-contained HTML report; it also checks the model on a hold-out of the last --horizon points against naive, snaive, naive2 and theta (an lstm is then trained once, without those points)")
	future := fs.String("future", "", "CSV with the --covariates' values over the horizon (same layout, id and time columns)")
	seed := fs.Uint64("seed", 1, "random seed (lstm weights, windows and paths; ets simulations)")
	var lf lstmFlags
	lf.declare(fs, 2*time.Minute)
	return func(ctx context.Context, args []string) error {
		if len(args) > 0 {
			return usageError{fmt.Errorf("unexpected argument %q", args[0])}
		}
		opt, err := in.options()
		if err != nil {
			return err
		}
		if *horizon < 1 {
			return usageError{fmt.Errorf("--horizon %d: give the number of steps to forecast, at least 1", *horizon)}
		}
		if *season < 0 {
			return usageError{fmt.Errorf("--season %d must not be negative", *season)}
		}
		levels, err := parseFloats(*quantiles)
		if err == nil {
			err = forecast.CheckQuantiles(levels)
		}
		if err != nil {
			return usageError{fmt.Errorf("--quantiles: %w", err)}
		}
		names := seriesList(*model)
		if len(names) != 1 {
			return usageError{fmt.Errorf("--model %q: forecast takes one model (backtest compares several)", *model)}
		}
		if _, err := series.NewForecaster(names[0], 0, 0); err != nil {
			return usageError{fmt.Errorf("--model: %w", err)}
		}
		if err := lf.check(names[0] == "lstm"); err != nil {
			return err
		}
		plotFormat, err := seriesOutputs(*out, *plot, *reportPath)
		if err != nil {
			return err
		}
		removeStaleTempsOf(*out, *plot, *reportPath, lf.save)
		if len(opt.Covariates) > 0 && *future == "" {
			return usageError{errors.New("--covariates need their values over the horizon: give --future PATH")}
		}
		if *future != "" && len(opt.Covariates) == 0 {
			return usageError{errors.New("--future needs --covariates naming the columns to read")}
		}

		ds, err := in.read(opt)
		if err != nil {
			return err
		}
		if err := forecast.CheckHorizon(*horizon, ds.Series); err != nil {
			return usageError{fmt.Errorf("--horizon: %w", err)}
		}
		m := *season
		if m == 0 {
			m = table.M4SeasonalPeriod(ds.Freq)
		}
		if *future != "" {
			fopt := opt
			fopt.Freq = ds.Freq
			fut, err := table.ReadFuture(*future, fopt)
			if err != nil {
				return fmt.Errorf("--future: %w", err)
			}
			if err := table.ExtendCovariates(ds.Series, fut, opt.Covariates, *horizon); err != nil {
				return fmt.Errorf("--future: %w", err)
			}
		}
		var curve series.LossCurve
		progress, bar := seriesProgress(lf.quiet, &curve)
		var warnings fallbackWarnings
		models, net, err := seriesModels(names, m, *seed, &lf, opt.Covariates, ds.Series, *horizon, progress, &warnings)
		if err != nil {
			return err
		}
		job := series.ForecastJob{Data: ds.Series, Horizon: *horizon, Levels: levels, Model: models[0], Check: *reportPath != "", Period: m}
		res, err := job.Run(ctx)
		bar.Done()
		warnings.print()
		if err != nil {
			return err
		}
		if net != nil && lf.save != "" {
			if err := net.Save(lf.save, nil); err != nil {
				return fmt.Errorf("--save: %w", err)
			}
		}

		var outs report.Outputs
		fcs, err := forecast.SelectLevels(res.Forecasts, levels)
		if err != nil {
			return err
		}
		if err := outs.Add(*out, func(w io.Writer) error { return report.WriteForecastsCSV(w, fcs) }); err != nil {
			return err
		}
		popt := report.PlotOptions{Title: fmt.Sprintf("%s: %s forecast", ds.Source, models[0].Name())}
		if err := outs.Add(*plot, func(w io.Writer) error {
			return report.WriteForecastPlot(w, plotFormat, ds.Series, res.Forecasts, nil, popt)
		}); err != nil {
			return err
		}
		if err := outs.Add(*reportPath, func(w io.Writer) error {
			var notes []string
			if lf.load != "" {
				notes = append(notes, fmt.Sprintf("The network was loaded from %s, not trained here: if it was trained on these series up to their end, its hold-out scores are in-sample.", lf.load))
			}
			r, err := series.ForecastReport(fmt.Sprintf("%s: %s forecast, horizon %d", ds.Source, models[0].Name(), *horizon),
				ds, ds.Series, res, curve.Loss, notes, report.PlotOptions{})
			if err != nil {
				return err
			}
			return r.WriteHTML(w)
		}); err != nil {
			return err
		}
		return outs.Write()
	}
}

func seriesBacktestSetup(fs *flag.FlagSet) func(context.Context, []string) error {
	var in seriesInput
	in.declare(fs)
	horizon := fs.Int("horizon", 0, fmt.Sprintf("forecast horizon in steps: 1 to %d, and at most 10 times the longest series (required)", forecast.MaxHorizon))
	season := fs.Int("season", 0, "seasonal period of MASE, Naive2 and the models (0: the M4 convention for the frequency: hourly 24, monthly 12, quarterly 4, else 1)")
	model := fs.String("model", "lstm,snaive,theta", "models to score, comma-separated: lstm, naive, naive2, snaive, drift, ar, ets, theta; naive2 is always scored too, as the reference of OWA")
	test := fs.String("test", "", "test file holding the values that follow each series (same layout and ids; M4 style); without it the last --horizon points are held out")
	origins := fs.Int("origins", 1, "forecast origins, each --step points before the next (rolling-origin evaluation; not with --test); the lstm is trained once, on the history of the first origin")
	step := fs.Int("step", 0, "points between origins (0: --horizon)")
	js := fs.Bool("json", false, "print the scores as a JSON array instead of a table: one object per model (naive2 included) with model, smape, mase, owa, mae, rmse, coverage_80, ..., each averaged over series")
	plot := fs.String("plot", "", "plot of the first model's forecasts at the last origin with the actual values; .png, .svg or .pdf")
	reportPath := fs.String("report", "", "self-contained HTML report: data, scores, plots")
	seed := fs.Uint64("seed", 1, "random seed (lstm weights, windows and paths; ets simulations)")
	var lf lstmFlags
	lf.declare(fs, 2*time.Minute)
	return func(ctx context.Context, args []string) error {
		if len(args) > 0 {
			return usageError{fmt.Errorf("unexpected argument %q", args[0])}
		}
		opt, err := in.options()
		if err != nil {
			return err
		}
		switch {
		case *horizon < 1:
			return usageError{fmt.Errorf("--horizon %d: give the number of steps to forecast, at least 1", *horizon)}
		case *season < 0:
			return usageError{fmt.Errorf("--season %d must not be negative", *season)}
		case *origins < 1 || *step < 0:
			return usageError{fmt.Errorf("--origins must be at least 1 and --step not negative")}
		case *test != "" && *origins > 1:
			return usageError{errors.New("--origins needs no --test: the test file fixes the one origin")}
		}
		names := seriesList(*model)
		hasLSTM := false
		for _, n := range names {
			if _, err := series.NewForecaster(n, 0, 0); err != nil {
				return usageError{fmt.Errorf("--model: %w", err)}
			}
			hasLSTM = hasLSTM || strings.EqualFold(n, "lstm")
		}
		if err := lf.check(hasLSTM); err != nil {
			return err
		}
		plotFormat, err := seriesOutputs("", *plot, *reportPath)
		if err != nil {
			return err
		}
		removeStaleTempsOf(*plot, *reportPath, lf.save)

		ds, err := in.read(opt)
		if err != nil {
			return err
		}
		if err := forecast.CheckHorizon(*horizon, ds.Series); err != nil {
			return usageError{fmt.Errorf("--horizon: %w", err)}
		}
		var splits []eval.Split
		if *test != "" {
			tds, err := table.ReadFile(*test, opt)
			if err != nil {
				return fmt.Errorf("--test: %w", err)
			}
			sp, err := eval.TrainTest(ds, tds)
			if err != nil {
				return fmt.Errorf("--test: %w", err)
			}
			splits = []eval.Split{sp}
		} else {
			every := *step
			if every == 0 {
				every = *horizon
			}
			if splits, err = eval.RollingOrigin(ds.Series, *horizon, *origins, every); err != nil {
				return err
			}
		}
		m := *season
		if m == 0 {
			m = table.M4SeasonalPeriod(ds.Freq)
		}
		var curve series.LossCurve
		progress, bar := seriesProgress(lf.quiet, &curve)
		var warnings fallbackWarnings
		models, net, err := seriesModels(names, m, *seed, &lf, opt.Covariates, splits[0].Train, *horizon, progress, &warnings)
		if err != nil {
			return err
		}
		bt := eval.Backtest{Horizon: *horizon, Period: m}
		res, err := bt.Evaluate(ctx, splits, models...)
		bar.Done()
		warnings.print()
		if err != nil {
			return err
		}
		if net != nil && lf.save != "" {
			if err := net.Save(lf.save, nil); err != nil {
				return fmt.Errorf("--save: %w", err)
			}
		}

		var outs report.Outputs
		scores := res.WithReference()
		if err := outs.Add("-", func(w io.Writer) error {
			if *js {
				return report.WriteScoresJSON(w, scores)
			}
			return report.WriteScoresTable(w, scores)
		}); err != nil {
			return err
		}
		popt := report.PlotOptions{Title: fmt.Sprintf("%s: %s at the last origin", ds.Source, models[0].Name())}
		if err := outs.Add(*plot, func(w io.Writer) error {
			return report.WriteForecastPlot(w, plotFormat, res.Last.Train, res.Forecasts[0], res.Last.Test, popt)
		}); err != nil {
			return err
		}
		if err := outs.Add(*reportPath, func(w io.Writer) error {
			how := fmt.Sprintf("The last %d points of every series were held out", *horizon)
			switch {
			case *test != "":
				how = fmt.Sprintf("Each series was forecast %d steps ahead and scored against %s", *horizon, *test)
			case *origins > 1:
				how = fmt.Sprintf("%d forecast origins, the last holding out the final %d points", *origins, *horizon)
			}
			r, err := report.BacktestReport(fmt.Sprintf("%s: backtest, horizon %d", ds.Source, *horizon), ds, res, curve.Loss,
				[]string{how + fmt.Sprintf("; seasonal period %d. Scores are averaged over series as in the M4 competition.", m)}, report.PlotOptions{})
			if err != nil {
				return err
			}
			return r.WriteHTML(w)
		}); err != nil {
			return err
		}
		return outs.Write()
	}
}
