// Package seriesbeam forecasts and backtests the series of long CSV files
// (id, time, value) on Apache Beam, one series at a time, with the same
// library calls as the arkit command: rows are read file by file into blocks
// keyed by series id, grouped, parsed into a series by the series package's own
// reader (so an error names the file and line as arkit's does), and
// forecast with series.ForecastJob or scored with eval.Backtest.
//
// Forecast writes sharded forecast CSVs; Backtest combines the per-series
// scores into the averages over series that arkit series backtest prints.
// Both run on the runner that beamx picks (--runner, prism by default).
package seriesbeam
