// Package table reads time series from files and builds the values a
// forecasting model consumes.
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
// error naming the file, line and column (a *ParseError that unwraps to
// one of the Err values). The frequency is inferred from the median
// spacing of the timestamps; skipped periods are inserted as missing
// values. M4SeasonalPeriod and M4Horizon give the M4 competition's
// conventions for a frequency.
//
// CalendarFeatures and AppendCalendar turn a timestamp into a small vector
// of position-in-cycle features in [-0.5, 0.5] for a model; FutureTimes
// gives the timestamps of a forecast horizon.
//
// Covariates are extra inputs of a series. A model that takes them needs
// their values over the horizon too: ReadFuture reads them from a second
// file laid out as the history, ExtendCovariates appends them to each
// series.
//
// Builtin returns a small real dataset shipped in the package (Eurostat's
// monthly electrical-equipment index; see data/SOURCE.md).
package table
