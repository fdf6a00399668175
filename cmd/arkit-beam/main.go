// arkit-beam: arkit series forecast and backtest at scale, on Apache Beam.
// Each command parses its flags (Beam's own, such as --runner, are parsed
// with them), makes one seriesbeam call and prints what it says.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"

	"github.com/arkit-go/arkit/cmd/arkit-beam/seriesbeam"
	"github.com/arkit-go/arkit/series"
	"github.com/arkit-go/arkit/series/forecast"
	"github.com/arkit-go/arkit/series/lstm"
	"github.com/arkit-go/arkit/series/report"
	"github.com/arkit-go/arkit/series/table"
)

// A command is one subcommand: its flags are declared by setup, which
// returns the body.
type command struct {
	name, usage string
	setup       func(fs *flag.FlagSet) func(context.Context) error
}

var commands = []command{
	{"series forecast", "--csv PATTERN --out PREFIX --horizon H [--method ets] [--shards N] [--bad-rows PREFIX] [flags] [--runner prism|dataflow|flink|spark ...]", forecastSetup},
	{"series backtest", "--csv PATTERN --horizon H [--method ets,theta] [--origins N] [--json] [--bad-rows PREFIX] [flags] [--runner ...]", backtestSetup},
}

// usageError is a bad command line: exit status 2.
type usageError struct{ error }

func main() {
	os.Exit(run(os.Args[1:], os.Stderr))
}

func run(args []string, stderr io.Writer) int {
	fail := func(code int, format string, a ...any) int {
		fmt.Fprintf(stderr, "arkit-beam: "+format+"\n", a...)
		return code
	}
	if len(args) > 0 && strings.HasPrefix(args[0], "-") {
		// A remote runner starts this binary as its worker, with Beam's
		// flags alone: beam.Init then runs the worker and exits.
		flag.Parse()
		beam.Init()
	}
	if len(args) < 2 {
		usage(stderr)
		return 2
	}
	name := args[0] + " " + args[1]
	for _, c := range commands {
		if c.name != name {
			continue
		}
		own := flag.NewFlagSet("arkit-beam "+name, flag.ContinueOnError)
		own.SetOutput(stderr)
		verbose := own.Bool("verbose", false, "show the runner's log")
		body := c.setup(own)
		// Beam's options (--runner and each runner's) live on the command
		// line's flag set: they are parsed with the command's, which win
		// a clash of names (Beam's worker --id).
		fs := flag.NewFlagSet(own.Name(), flag.ContinueOnError)
		fs.SetOutput(stderr)
		for _, set := range []*flag.FlagSet{own, flag.CommandLine} {
			set.VisitAll(func(f *flag.Flag) {
				if fs.Lookup(f.Name) == nil {
					fs.Var(f.Value, f.Name, f.Usage)
				}
			})
		}
		fs.Usage = func() {
			fmt.Fprintf(stderr, "usage: arkit-beam %s %s\n", c.name, c.usage)
			own.PrintDefaults()
			fmt.Fprintln(stderr, "Beam's flags pass through: --runner (default prism) and each runner's options (see cmd/arkit-beam/README.md)")
		}
		if err := fs.Parse(args[2:]); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return 0
			}
			return 2
		}
		if fs.NArg() > 0 {
			return fail(2, "unexpected argument %q", fs.Arg(0))
		}
		beam.Init()
		// The runner's log is quiet unless asked for (--verbose, or Beam's
		// own --log_level): a failed job's error is printed once, below.
		given := map[string]bool{}
		fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
		if !*verbose && !given["log_level"] {
			slog.SetDefault(slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelError + 4})))
		}
		if err := body(context.Background()); err != nil {
			var ue usageError
			if errors.As(err, &ue) {
				return fail(2, "%v", err)
			}
			var je *seriesbeam.JobError
			if errors.As(err, &je) && *verbose {
				fmt.Fprintln(stderr, je.Err)
			}
			return fail(1, "%v", err)
		}
		return 0
	}
	usage(stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: arkit-beam COMMAND [flags]; arkit-beam COMMAND -h lists the flags")
	for _, c := range commands {
		fmt.Fprintf(w, "  arkit-beam %s %s\n", c.name, c.usage)
	}
}

// inputFlags declares the flags that say where the series are.
type inputFlags struct {
	csv, id, time, value, freq, agg, timeFormat, decimal, badRows string
	net                                                           seriesbeam.Networks
}

func (f *inputFlags) declare(fs *flag.FlagSet) {
	fs.StringVar(&f.csv, "csv", "", "input files, a glob through Beam's file systems (local, gs://, ...): long CSVs with a header, one row per observation; a series' rows may be in several files, in any order")
	fs.StringVar(&f.id, "id", "", "series id column (default: the first)")
	fs.StringVar(&f.time, "time", "", "timestamp column (default: the second)")
	fs.StringVar(&f.value, "value", "", "value column (default: the third)")
	fs.StringVar(&f.freq, "freq", "", "frequency, e.g. monthly, 1h, 15min (default: inferred from each series' timestamps)")
	fs.StringVar(&f.agg, "agg", "", "combine rows of one series with the same timestamp: sum, mean, median, min, max, first, last or count (default: such rows are an error)")
	fs.StringVar(&f.timeFormat, "time-format", "", "format of the timestamps, a Go layout (02/01/2006) or strftime directives (%d/%m/%Y) (default: detected for each series)")
	fs.StringVar(&f.decimal, "decimal", "", "decimal mark of the numbers, . or , (default: detected)")
	fs.StringVar(&f.badRows, "bad-rows", "", "write the rows that cannot be read, with their error, to PREFIX-00000-of-00001.csv and go on without them (default: the first fails the job)")
	fs.StringVar(&f.net.Model, "model", "", "lstm: network file written by arkit series forecast --save (trained for --horizon, on these series when it embeds their identities; local or through Beam's file systems)")
	fs.IntVar(&f.net.Paths, "paths", lstm.DefaultPaths, "lstm: sample paths per series (quantiles and the median come from them)")
	fs.StringVar(&f.net.Point, "point", "median", "lstm: point forecast: median (of the sample paths, step by step) or path (one path feeding back the predicted mean)")
	fs.BoolVar(&f.net.Negative, "negative", false, "lstm: allow negative forecasts for series whose history is never negative (default: clamped at 0)")
}

func (f *inputFlags) input() (seriesbeam.Input, error) {
	in := seriesbeam.Input{CSV: f.csv, Columns: seriesbeam.Columns{ID: f.id, Time: f.time, Value: f.value}, BadRows: f.badRows}
	opt := &in.Options
	switch {
	case f.csv == "":
		return in, usageError{errors.New("give the input files: --csv PATTERN")}
	case f.net.Paths < 1:
		return in, usageError{errors.New("--paths must be positive")}
	case f.net.Point != "median" && f.net.Point != "path":
		return in, usageError{fmt.Errorf("--point %q: want median or path", f.net.Point)}
	case strings.Contains(f.value, ","):
		return in, usageError{fmt.Errorf("--value %q: name one column", f.value)}
	}
	if f.freq != "" {
		fr, err := table.ParseFrequency(f.freq)
		if err != nil {
			return in, usageError{fmt.Errorf("--freq %q: not a frequency (e.g. hourly, daily, monthly, 15min)", f.freq)}
		}
		opt.Freq = fr
	}
	if err := opt.Agg.UnmarshalText([]byte(f.agg)); err != nil {
		return in, usageError{fmt.Errorf("--agg %q: want sum, mean, median, min, max, first, last or count", f.agg)}
	}
	switch f.decimal {
	case "":
	case ".", ",":
		opt.Decimal = rune(f.decimal[0])
	default:
		return in, usageError{fmt.Errorf("--decimal %q: want . or ,", f.decimal)}
	}
	if f.timeFormat != "" {
		if err := table.CheckTimeFormat(f.timeFormat); err != nil {
			return in, usageError{fmt.Errorf("--time-format: %w", err)}
		}
		opt.TimeFormat = f.timeFormat
	}
	return in, nil
}

func forecastSetup(fs *flag.FlagSet) func(context.Context) error {
	var in inputFlags
	in.declare(fs)
	horizon := fs.Int("horizon", 0, "forecast horizon in steps (required)")
	season := fs.Int("season", 0, "seasonal period (0: the M4 convention for the frequency: hourly 24, monthly 12, quarterly 4, else 1)")
	method := fs.String("method", "", "naive, naive2, snaive, drift, ar, ets, theta, arima, auto (per series, the best by cross-validation) or lstm (with --model) (default: ets, or lstm with --model)")
	quantiles := fs.String("quantiles", "0.1,0.5,0.9", "quantile levels written to --out, comma-separated, each in (0, 1)")
	seed := fs.Uint64("seed", 1, "random seed (ets's simulated intervals, the lstm's sample paths: each series' from the seed and its id; arkit's default)")
	out := fs.String("out", "", "prefix of the forecast CSVs, written as PREFIX-00000-of-0000N.csv (id, timestamp, mean, [point,] one column per quantile) (required)")
	shards := fs.Int("shards", 4, "number of forecast CSVs")
	return func(ctx context.Context) error {
		input, err := in.input()
		if err != nil {
			return err
		}
		levels, err := forecast.ParseLevels(*quantiles)
		if err != nil {
			return usageError{fmt.Errorf("--quantiles: %w", err)}
		}
		switch {
		case *horizon < 1:
			return usageError{fmt.Errorf("--horizon %d: give the number of steps to forecast, at least 1", *horizon)}
		case *season < 0:
			return usageError{fmt.Errorf("--season %d must not be negative", *season)}
		case *out == "":
			return usageError{errors.New("give the prefix of the forecast files: --out PREFIX")}
		case *shards < 1:
			return usageError{fmt.Errorf("--shards %d: want at least 1", *shards)}
		}
		if *method == "" {
			*method = "ets"
			if in.net.Model != "" {
				*method = "lstm"
			}
		}
		res, err := seriesbeam.Forecast(ctx, seriesbeam.ForecastRequest{Input: input, Horizon: *horizon, Season: *season,
			Method: *method, Networks: in.net, Quantiles: levels, Seed: *seed, Out: *out, Shards: *shards})
		if err != nil {
			return err
		}
		reportBadRows(*res, input.BadRows)
		return nil
	}
}

func backtestSetup(fs *flag.FlagSet) func(context.Context) error {
	var in inputFlags
	in.declare(fs)
	horizon := fs.Int("horizon", 0, "forecast horizon in steps (required)")
	season := fs.Int("season", 0, "seasonal period of MASE, Naive2 and the methods (0: the M4 convention for the frequency)")
	method := fs.String("method", "", "methods to score, comma-separated: naive, naive2, snaive, drift, ar, ets, theta, arima, auto, lstm (with --model); naive2 is always scored too, as the reference of OWA (default: snaive,theta,ets, or lstm with --model)")
	origins := fs.Int("origins", 1, "forecast origins, each --step points before the next")
	step := fs.Int("step", 0, "points between origins (0: --horizon)")
	seed := fs.Uint64("seed", 1, "random seed (ets's simulated intervals, the lstm's sample paths: each series' from the seed and its id; arkit's default)")
	js := fs.Bool("json", false, "print the scores as JSON lines, one object per method, as arkit series backtest --json does")
	out := fs.String("out", "", "prefix of the scores file the job writes and the command reads back, PREFIX-scores.jsonl (default: a temporary folder; give one a remote runner can write)")
	return func(ctx context.Context) error {
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
			return usageError{errors.New("--origins must be at least 1 and --step not negative")}
		}
		if *method == "" {
			*method = "snaive,theta,ets"
			if in.net.Model != "" {
				*method = "lstm"
			}
		}
		res, err := seriesbeam.Backtest(ctx, seriesbeam.BacktestRequest{Input: input, Horizon: *horizon, Season: *season,
			Methods: series.Methods(*method), Networks: in.net, Origins: *origins, Step: *step, Seed: *seed, Out: *out})
		if err != nil {
			return err
		}
		reportBadRows(res.Result, input.BadRows)
		if *js {
			return report.WriteScoresJSON(os.Stdout, res.Scores)
		}
		return report.WriteScoresTable(os.Stdout, res.Scores)
	}
}

func reportBadRows(r seriesbeam.Result, prefix string) {
	if prefix != "" {
		fmt.Fprintf(os.Stderr, "arkit-beam: %d bad rows left out, written to %s\n", r.BadRows, seriesbeam.ShardName(prefix, 0, 1))
	}
}
