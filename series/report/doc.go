// Package report writes what a forecast or a backtest produced: forecasts
// as CSV (WriteForecastsCSV, ReadForecastsCSV), scores as JSON or a table,
// plots with gonum/plot (history, median, 80% and 95% bands and actual
// values in a grid of panels; training-loss curves; PNG, SVG or PDF by
// extension) and a self-contained HTML Report.
//
// Outputs renders every output file in memory before writing any, each
// atomically, so that a failure leaves none behind.
package report
