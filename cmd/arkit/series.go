// arkit series: forecast time series and backtest forecasters (package
// series). Each command parses its flags, makes one library call
// (series.Forecast or series.Backtest) and prints what it says.

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/arkit-go/arkit/series"
	"github.com/arkit-go/arkit/series/forecast"
	"github.com/arkit-go/arkit/series/lstm"
	"github.com/arkit-go/arkit/series/table"
)

func init() {
	register(&command{
		name:    "series forecast",
		summary: "forecast time series from a CSV file (global LSTM or a classical baseline)",
		usage:   "(--csv PATH | --csv - | --builtin) --horizon H [--method NAME] [--out CSV] [--plot FILE] [--report HTML] [--save FILE [--resume | --force] | --model FILE] [flags]",
		examples: `arkit series forecast --builtin --horizon 24 --plot elecequip.png --report elecequip.html
			arkit series forecast --csv sales.csv --id store --time date --value sales --horizon 14 --out forecast.csv --max-time 5m
			arkit series forecast --csv sales.csv --id store --time date --value sales --covariates price,promo --future next.csv --horizon 14
			arkit series forecast --csv sales.csv --layout wide --horizon 12 --method ets --quantiles 0.05,0.5,0.95
			arkit series forecast --csv sales.csv --horizon 14 --save sales.safetensors --max-time 10m --lr 2e-3 --hidden 128
			arkit series forecast --csv sales.csv --horizon 14 --save sales.safetensors --max-time 10m --resume
			arkit series forecast --csv sales.csv --horizon 14 --model sales.safetensors --out forecast.csv
			zcat sales.csv.gz | arkit series forecast --csv - --horizon 14 --method snaive`,
		setup: seriesForecastSetup,
	})
	register(&command{
		name:    "series backtest",
		summary: "score forecasters on held-out data as the M4 competition did (sMAPE, MASE, OWA, coverage)",
		usage:   "(--csv PATH | --csv - | --builtin) --horizon H [--method NAME,...] [--test PATH] [--origins N] [--json] [flags]",
		examples: `arkit series backtest --builtin --horizon 24 --method lstm,snaive,ets,theta --max-time 2m
			arkit series backtest --csv Weekly-train.csv --test Weekly-test.csv --layout rows --horizon 13 --method naive2,snaive,theta,ets,ar --json
			arkit series backtest --csv sales.csv --horizon 7 --origins 4 --step 7 --method snaive,ets --report backtest.html`,
		setup: seriesBacktestSetup,
	})
}

// seriesInput declares the flags that say where the series are and how
// they are laid out.
type seriesInput struct {
	csv, value, time, id, layout, freq, covariates string
	timeFormat, agg, decimal                       string
	builtin                                        bool
}

func (in *seriesInput) declare(fs *flag.FlagSet) {
	fs.StringVar(&in.csv, "csv", "", "input file (CSV, TSV, ...; gzipped or not); - reads standard input")
	fs.BoolVar(&in.builtin, "builtin", false, "use the built-in monthly series elecequip (257 months, Eurostat) instead of --csv")
	fs.StringVar(&in.value, "value", "", "value column(s) of a long file, comma-separated (several targets: several series per id); default every column that is not the id, time or a covariate")
	fs.StringVar(&in.time, "time", "", "timestamp column (default: the first column holding dates, e.g. 2020-01-31, 01/31/2020, 31.01.2020, Jan 2020, 2020 Q1; a column named here, or date, time, year, ..., may hold bare years, YYYYMM or Unix seconds)")
	fs.StringVar(&in.timeFormat, "time-format", "", "format of the timestamps, as a Go layout (02/01/2006) or strftime directives (%d/%m/%Y) (default: detected for the whole column)")
	fs.StringVar(&in.agg, "agg", "", "combine rows of one series with the same timestamp: sum, mean, median, min, max, first, last or count (default: such rows are an error)")
	fs.StringVar(&in.decimal, "decimal", "", "decimal mark of the numbers, . or , (default: detected; a file separated by ; or tabs may use decimal commas)")
	fs.StringVar(&in.id, "id", "", "series id column of a long file (default: the first column when the layout is guessed; none otherwise)")
	fs.StringVar(&in.layout, "layout", "auto", "long (one observation per row), wide (one column per series) or rows (one series per row, as M4); auto guesses")
	fs.StringVar(&in.freq, "freq", "", "frequency, e.g. monthly, 1h, 15min (default: inferred from the timestamps, or from an M4 file name)")
	fs.StringVar(&in.covariates, "covariates", "", "numeric covariate columns, comma-separated: inputs of the lstm")
}

// input turns the flags into a series.Input.
func (in *seriesInput) input() (series.Input, error) {
	var opt table.ReadOptions
	if (in.csv == "") == !in.builtin {
		return series.Input{}, usageError{errors.New("give exactly one of --csv PATH or --builtin")}
	}
	if err := opt.Layout.UnmarshalText([]byte(in.layout)); err != nil {
		return series.Input{}, usageError{fmt.Errorf("--layout %q: want long, wide or rows", in.layout)}
	}
	if in.freq != "" {
		f, err := table.ParseFrequency(in.freq)
		if err != nil {
			return series.Input{}, usageError{fmt.Errorf("--freq %q: not a frequency (e.g. hourly, daily, monthly, 15min)", in.freq)}
		}
		opt.Freq = f
	}
	if err := opt.Agg.UnmarshalText([]byte(in.agg)); err != nil {
		return series.Input{}, usageError{fmt.Errorf("--agg %q: want sum, mean, median, min, max, first, last or count", in.agg)}
	}
	switch in.decimal {
	case "":
	case ".", ",":
		opt.Decimal = rune(in.decimal[0])
	default:
		return series.Input{}, usageError{fmt.Errorf("--decimal %q: want . or ,", in.decimal)}
	}
	if in.timeFormat != "" {
		if err := table.CheckTimeFormat(in.timeFormat); err != nil {
			return series.Input{}, usageError{fmt.Errorf("--time-format: %w", err)}
		}
	}
	opt.ID, opt.Time, opt.TimeFormat = in.id, in.time, in.timeFormat
	opt.Value = series.Methods(in.value)
	opt.Covariates = series.Methods(in.covariates)
	if in.builtin && (opt.ID != "" || opt.Time != "" || len(opt.Value) > 0 || len(opt.Covariates) > 0) {
		return series.Input{}, usageError{errors.New("--builtin takes no --id, --time, --value or --covariates")}
	}
	return series.Input{CSV: in.csv, Builtin: in.builtin, Options: opt}, nil
}

// lstmFlags declares the flags of the LSTM: the shared training flags
// (the model file is --save), the network's own settings and the
// forecasting ones.
type lstmFlags struct {
	net   lstm.LSTM
	tf    *trainFlags
	point string
	model string
}

// defaultMaxTime is the command's training budget: a run stops after it
// rather than after lstm.DefaultSteps.
const defaultMaxTime = 2 * time.Minute

func (f *lstmFlags) declare(fs *flag.FlagSet) {
	l := &f.net
	d := lstm.Defaults()
	d.Steps = 0 // the command's limit is --max-time
	f.tf = declareTrainFlagsSaving(fs, &l.TrainOptions.TrainOptions, d, "save",
		"lstm: model file to write (.safetensors): the trained network, its checkpoints and training state (--resume continues it)")
	l.MaxTime = defaultMaxTime
	fs.Lookup("max-time").DefValue = defaultMaxTime.String()
	fs.Lookup("max-time").Usage = fmt.Sprintf("stop after this much training time, e.g. 30s, 10m (0: none; then --steps, default %d)", lstm.DefaultSteps)
	fs.Lookup("warmup").Usage = fmt.Sprintf("steps of learning-rate warmup (0: a tenth of --steps, at most %d)", lstm.DefaultWarmup)
	fs.Lookup("decay").Usage = "learning-rate decay over the run's steps, or its --max-time: constant, cosine or linear"
	t := f.tf
	t.Int(&l.Hidden, "hidden", lstm.DefaultHidden, "")
	t.Int(&l.Layers, "layers", lstm.DefaultLayers, "")
	t.IntMin(&l.Embed, "embed", 0, -1, "series-identity embedding width (0: 8 when there are several series; -1: none)")
	t.Float32(&l.Dropout, "dropout", 0, "")
	t.Int(&l.Context, "context", 0, "steps seen before the forecast origin (0: twice the larger of horizon and season, at most 500)")
	t.Int(&l.Batch, "batch", lstm.DefaultBatch, "training windows per step")
	t.String(&l.Likelihood, "likelihood", "studentt", "studentt or gaussian")
	t.IntMin(&l.ScaleWindow, "scale-window", 0, -1, "last points of the context whose mean absolute value scales it (0: one season, at least 4; -1: the whole context)")
	t.IntMin(&l.BaseLag, "base-lag", 0, -1, "model each value's change from the value this many steps earlier (0: the season when above 1, else none; -1: none)")
	fs.IntVar(&l.Paths, "paths", lstm.DefaultPaths, "lstm: sample paths per series (quantiles and the median come from them)")
	fs.StringVar(&f.point, "point", "median", "lstm: point forecast: median (of the sample paths, step by step) or path (one path feeding back the predicted mean)")
	fs.BoolVar(&l.Negative, "negative", false, "lstm: allow negative forecasts for series whose history is never negative (default: clamped at 0)")
	fs.StringVar(&f.model, "model", "", "lstm: forecast with a network file written by --save (same horizon; series it was trained on, in any order) instead of training")
}

// check checks the LSTM's flags and completes the training options.
func (f *lstmFlags) check(isLSTM bool) error {
	l := &f.net
	switch {
	case !isLSTM && (l.Out != "" || f.model != ""):
		return usageError{errors.New("--save and --model need --method lstm")}
	case l.Out != "" && f.model != "":
		return usageError{errors.New("--save writes a trained network; --model reads one instead of training: give one of them")}
	case l.Paths < 1:
		return usageError{errors.New("--paths must be positive")}
	case !(l.Dropout >= 0 && l.Dropout < 1):
		return usageError{fmt.Errorf("--dropout %g must be in [0, 1)", l.Dropout)}
	case l.Likelihood != "studentt" && l.Likelihood != "gaussian":
		return usageError{fmt.Errorf("--likelihood %q: want studentt or gaussian", l.Likelihood)}
	case f.point != "median" && f.point != "path":
		return usageError{fmt.Errorf("--point %q: want median or path", f.point)}
	case l.Embed < lstm.NoEmbed:
		return usageError{fmt.Errorf("--embed %d: want -1, 0 or a width", l.Embed)}
	case l.ScaleWindow < lstm.WholeContext:
		return usageError{fmt.Errorf("--scale-window %d: want -1, 0 or a number of points", l.ScaleWindow)}
	case l.BaseLag < lstm.NoBaseLag:
		return usageError{fmt.Errorf("--base-lag %d: want -1, 0 or a number of steps", l.BaseLag)}
	}
	if f.point == "path" {
		l.Point = "path"
	}
	return f.tf.finish()
}

// networks turns the flags into the job's series.Networks, the training
// progress reported by report.
func (f *lstmFlags) networks(report *trainReport, warn func(id, reason string)) series.Networks {
	report.hook(&f.net.TrainOptions.TrainOptions)
	return series.Networks{LSTM: f.net, Model: f.model, Warn: warn}
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

// seriesError turns a library error in an option into one naming its
// flag: exit status 2 when the value is wrong, 1 when a file it names is.
func seriesError(err error) error {
	var oe *series.OptionError
	if !errors.As(err, &oe) {
		return err
	}
	e := fmt.Errorf("--%s: %w", strings.ToLower(oe.Option), oe.Err)
	if oe.Invalid {
		return usageError{e}
	}
	return e
}

func seriesForecastSetup(fs *flag.FlagSet) func(context.Context, []string) error {
	var in seriesInput
	in.declare(fs)
	horizon := fs.Int("horizon", 0, fmt.Sprintf("forecast horizon in steps: 1 to %d, and at most 10 times the longest series (required)", forecast.MaxHorizon))
	season := fs.Int("season", 0, "seasonal period (0: the M4 convention for the frequency: hourly 24, monthly 12, quarterly 4, else 1)")
	method := fs.String("method", "lstm", "lstm, naive, naive2, snaive, drift, ar, ets, theta, arima or auto (per series, the best by cross-validation)")
	quantiles := fs.String("quantiles", "0.1,0.5,0.9", "quantile levels written to --out, comma-separated, each in (0, 1)")
	out := fs.String("out", "-", "forecast CSV to write (id, timestamp or step, mean, [point,] one column per quantile); - for stdout")
	plot := fs.String("plot", "", "plot of recent history, median, 80% and 95% bands, one panel per series (up to 6); .png, .svg or .pdf")
	reportPath := fs.String("report", "", "self-contained HTML report; it also checks the method on a hold-out of the last --horizon points against naive, snaive, naive2 and theta (an lstm is then trained once, without those points)")
	candidates := candidatesFlag(fs)
	future := fs.String("future", "", "CSV with the --covariates' values over the horizon (same layout, id and time columns)")
	sorted := fs.Bool("sorted", false, "the long file's rows are grouped by id (sorted by id): read and forecast one series at a time, in the memory of one series (classical methods; --out only; frequency and time format found per series)")
	var lf lstmFlags
	lf.declare(fs)
	return func(ctx context.Context, args []string) error {
		if len(args) > 0 {
			return usageError{fmt.Errorf("unexpected argument %q", args[0])}
		}
		input, err := in.input()
		if err != nil {
			return err
		}
		input.Sorted = *sorted
		if *horizon < 1 {
			return usageError{fmt.Errorf("--horizon %d: give the number of steps to forecast, at least 1", *horizon)}
		}
		if *season < 0 {
			return usageError{fmt.Errorf("--season %d must not be negative", *season)}
		}
		levels, err := forecast.ParseLevels(*quantiles)
		if err != nil {
			return usageError{fmt.Errorf("--quantiles: %w", err)}
		}
		names := series.Methods(*method)
		if len(names) != 1 {
			return usageError{fmt.Errorf("--method %q: forecast takes one method (backtest compares several)", *method)}
		}
		if err := lf.check(strings.EqualFold(names[0], "lstm")); err != nil {
			return err
		}
		removeStaleTempsOf(*out, *plot, *reportPath)
		var warnings fallbackWarnings
		report := newTrainReport(lf.tf.quiet, "values")
		err = series.Forecast(ctx, series.ForecastRequest{Input: input, Horizon: *horizon, Season: *season, Method: names[0], Candidates: series.Methods(*candidates),
			Quantiles: levels, Future: *future, Seed: lf.net.Seed, Networks: lf.networks(report, warnings.add),
			Out: *out, Plot: *plot, Report: *reportPath})
		report.end()
		warnings.print()
		return seriesError(err)
	}
}

func seriesBacktestSetup(fs *flag.FlagSet) func(context.Context, []string) error {
	var in seriesInput
	in.declare(fs)
	horizon := fs.Int("horizon", 0, fmt.Sprintf("forecast horizon in steps: 1 to %d, and at most 10 times the longest series (required)", forecast.MaxHorizon))
	season := fs.Int("season", 0, "seasonal period of MASE, Naive2 and the methods (0: the M4 convention for the frequency: hourly 24, monthly 12, quarterly 4, else 1)")
	method := fs.String("method", "lstm,snaive,theta", "methods to score, comma-separated: lstm, naive, naive2, snaive, drift, ar, ets, theta, arima, auto; naive2 is always scored too, as the reference of OWA")
	test := fs.String("test", "", "test file holding the values that follow each series (same layout and ids; M4 style); without it the last --horizon points are held out")
	origins := fs.Int("origins", 1, "forecast origins, each --step points before the next (rolling-origin evaluation; not with --test); the lstm is trained once, on the history of the first origin")
	step := fs.Int("step", 0, "points between origins (0: --horizon)")
	js := fs.Bool("json", false, "print the scores as JSON lines instead of a table: one object per method (naive2 included), one per line, with model, smape, mase, owa, mae, rmse, coverage_80, ..., each averaged over series")
	plot := fs.String("plot", "", "plot of the first method's forecasts at the last origin with the actual values; .png, .svg or .pdf")
	reportPath := fs.String("report", "", "self-contained HTML report: data, scores, plots")
	candidates := candidatesFlag(fs)
	var lf lstmFlags
	lf.declare(fs)
	return func(ctx context.Context, args []string) error {
		if len(args) > 0 {
			return usageError{fmt.Errorf("unexpected argument %q", args[0])}
		}
		input, err := in.input()
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
		}
		names := series.Methods(*method)
		hasLSTM := false
		for _, n := range names {
			hasLSTM = hasLSTM || strings.EqualFold(n, "lstm")
		}
		if err := lf.check(hasLSTM); err != nil {
			return err
		}
		removeStaleTempsOf(*plot, *reportPath)
		var warnings fallbackWarnings
		report := newTrainReport(lf.tf.quiet, "values")
		err = series.Backtest(ctx, series.BacktestRequest{Input: input, Horizon: *horizon, Season: *season, Methods: names, Candidates: series.Methods(*candidates),
			Test: *test, Origins: *origins, Step: *step, Seed: lf.net.Seed, Networks: lf.networks(report, warnings.add),
			JSON: *js, Plot: *plot, Report: *reportPath})
		report.end()
		warnings.print()
		return seriesError(err)
	}
}

// candidatesFlag declares --candidates, the methods --method auto
// chooses from.
func candidatesFlag(fs *flag.FlagSet) *string {
	return fs.String("candidates", "", "methods --method auto chooses from, comma-separated: ets, arima, theta, snaive, drift, comb, ar, lstm (default: all but ar; the lstm only with 10 series or more)")
}

// end ends the progress bar of a series command (which does not learn
// how the LSTM's training ended: the job returns its forecasts).
func (r *trainReport) end() {
	if r != nil {
		r.bar.Done()
	}
}
