// Package series is arkit's time-series adapter: it reads series from
// files, describes them for a model, provides classical benchmark
// forecasters, scores forecasts as the M4 competition does, and writes
// forecasts, plots and reports.
//
// # Data
//
// A Series is one target: Values in time order with NaN for missing
// points, optional Times on the grid of a Frequency, and optional
// Covariates aligned with Values. A Dataset is the set of series read from
// one source, with their common Frequency.
//
// ReadFile and Read parse delimited text (plain or gzipped) through gota
// data frames with pinned column types. Three layouts are understood:
//
//   - long: one observation per row (id, timestamp, value columns);
//   - wide: one column per series, optionally a timestamp column;
//   - rows: one series per row, as in the M4 files (ReadM4).
//
// The zero ReadOptions guesses the delimiter, the header, the layout and
// the timestamp column. Every cell is checked: a bad number or date is an
// error naming the file, line and column (a *ParseError). The frequency is
// inferred from the median spacing of the timestamps; skipped periods are
// inserted as missing values.
//
// CalendarFeatures and AppendCalendar turn a timestamp into a small vector
// of position-in-cycle features in [-0.5, 0.5] for a model; FutureTimes
// gives the timestamps of a forecast horizon.
//
// # Forecasting
//
// A Forecaster forecasts a batch of series at once, so a global model (one
// network over all series) and a local one (one fit per series) share the
// interface:
//
//	type Forecaster interface {
//		Name() string
//		Forecast(ctx context.Context, train []Series, horizon int, quantiles []float64) ([]Forecast, error)
//	}
//
// A Forecast holds the mean path, one path per requested quantile level and
// optionally sample paths. The baselines are Naive, SeasonalNaive, Naive2
// and Theta (the M4 benchmarks, as M4 defined them), Drift, AR (least
// squares, order by AIC) and ETS (exponential smoothing chosen by AICc),
// all with prediction intervals.
//
// # Evaluation
//
// The metrics (SMAPE, MASE, OWA, MSIS, ...) follow the M4 definitions;
// CRPS, Pinball and Coverage score the probabilistic forecasts. Backtest
// holds out the last points or rolls the forecast origin back, runs any
// Forecaster and averages the scores over series as M4 does, with OWA
// relative to Naive2. With the M4 Hourly files and M4SeasonalPeriod it
// reproduces the published Naive, sNaive and Naive2 scores exactly.
//
// # Output
//
// SaveForecastsCSV writes forecasts (id, timestamp or step, mean,
// quantiles), SaveForecastPlot draws history, median, 80% and 95% bands and
// actual values in a grid of panels (PNG, SVG or PDF by extension),
// SaveLossPlot draws training curves and SaveReport writes a self-contained
// HTML page. All files are written atomically.
package series
