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
// A Forecast holds the mean path, optionally the point forecast the
// metrics score (Point; nil means the mean), one path per requested
// quantile level and optionally sample paths. The baselines are Naive,
// SeasonalNaive, Naive2 and Theta (the M4 benchmarks, as M4 defined them),
// Drift, AR (least squares, order by AIC) and ETS (exponential smoothing
// chosen by AICc), all with prediction intervals. NewForecaster makes any
// of them, or the LSTM, by name (ModelNames).
//
// Fallback wraps a model so that series too short for it get a baseline
// instead, with a warning saying which and why; SeasonalFallback is the
// rule the arkit command applies to the LSTM: fewer than two seasons of
// observed values, the seasonal naive forecast (naive below one season).
//
// Covariates are extra inputs of a series. A model that takes them needs
// their values over the horizon too: ReadFuture reads them from a second
// file laid out as the history, ExtendCovariates appends them to each
// series.
//
// # The LSTM
//
// (The lead's section: LSTM, its inputs, training, Save and LoadLSTM.)
//
// # Evaluation
//
// The metrics (SMAPE, MASE, OWA, MSIS, ...) follow the M4 definitions;
// CRPS, Pinball and Coverage score the probabilistic forecasts. Backtest
// holds out the last points or rolls the forecast origin back, runs any
// Forecaster and averages the scores over series as M4 does, with OWA
// relative to Naive2; sMAPE, MASE, MAE and RMSE score each forecast's
// PointForecast. TrainTest pairs a train file with a test file of the
// values that follow (the M4 layout). With the M4 Hourly and Weekly files
// and M4SeasonalPeriod it reproduces the published Naive, sNaive, Naive2
// and (Weekly) Theta scores exactly.
//
// # Running a forecast
//
// The arkit command's "series forecast" and "series backtest" are thin
// layers over these pieces:
//
//   - CheckHorizon and CheckQuantiles vet a request: a horizon from 1 to
//     MaxHorizon and at most 10 times the longest series, levels in (0, 1);
//   - ForecastJob forecasts with PlotLevels added for the plots and, with
//     Check, first scores the model against CheckBaselines (naive, snaive,
//     Naive2, Theta) on a hold-out of the last horizon points: a model that
//     keeps its training for the same series and horizon, as the LSTM does,
//     is trained once, without the hold-out, so the report scores the very
//     model that made the forecast;
//   - ForecastReport and BacktestReport assemble the HTML report (scores,
//     a Verdict on whether the model beats the baselines, forecast plots,
//     the training loss that a LossCurve collected from core's progress
//     reports);
//   - Outputs renders every output file in memory before writing any, so a
//     failure leaves none behind;
//   - LoadLSTMFor loads a saved LSTM and checks it fits the series and
//     horizon at hand.
//
// Builtin returns a small real dataset shipped in the package (Eurostat's
// monthly electrical-equipment index; see data/SOURCE.md).
//
// # Output
//
// SaveForecastsCSV writes forecasts (id, timestamp or step, mean, a point
// column when a forecast sets Point, quantiles), SaveForecastPlot draws history, median, 80% and 95% bands and
// actual values in a grid of panels (PNG, SVG or PDF by extension),
// SaveLossPlot draws training curves and SaveReport writes a self-contained
// HTML page. All files are written atomically.
package series
