// Package series is arkit's time-series adapter: the jobs a user runs
// (forecast a CSV file, backtest forecasters on it) over a tree of
// packages, one per concept, as gonum splits stat, optimize and floats.
//
// Data flows one way through the tree:
//
//	table       files -> Series, Dataset, Frequency, calendar features, covariates
//	forecast    Forecaster, the interface every model implements, and Forecast, what it returns
//	classical   naive, seasonal naive, Naive2, drift, AR, ETS, Theta (the M4 benchmarks among them)
//	lstm        the DeepAR-style global LSTM, trained by arkit's core engine
//	eval        sMAPE, MASE, OWA, MSIS, CRPS as M4 scores them; hold-out and rolling-origin backtests
//	report      forecast CSV, score JSON and tables, plots, the HTML report
//	series      this package: models by name and the jobs that string the others together
//
// # Jobs
//
// Forecast and Backtest are what the arkit command's "series forecast" and
// "series backtest" call, one request each: an Input (a file, standard
// input or the built-in data), the horizon, the methods by name, the
// LSTM's Networks (train with these settings, writing and resuming its
// model file, or read a saved network; warn of short series), and the
// output files, which are rendered in memory and written all or none. An
// error in one option of a request is an *OptionError naming it.
//
// NewForecaster makes any model by name (ModelNames). SeasonalFallback
// wraps a model so that series too short for it (fewer than two seasons
// of observed values) get the seasonal naive forecast instead, with a
// warning saying which and why. ForecastJob forecasts with
// report.PlotLevels added for the plots and, with Check, first scores the
// model against CheckBaselines (naive, snaive, Naive2, Theta) on a
// hold-out of the last horizon points: a model that keeps its training
// for the same series and horizon, as the LSTM does, is trained once,
// without the hold-out, so the report scores the very model that made the
// forecast. Auto is the "auto" model of the jobs: classical.Auto with
// the global LSTM among its candidates when there are enough series for
// it (trained once, before the earliest cross-validation origin; its
// Note says when and why it was left out, and its Scores hold each
// series' cross-validation errors, which the reports show as a table).
// AutoChoices lists, for the reports, the method the "auto"
// model chose for each series. LossCurve collects the training loss from core's progress
// reports for the report.
package series
