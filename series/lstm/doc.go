// Package lstm is arkit's DeepAR-style global forecaster: one LSTM, run by
// arkit's core engine, learns from windows of every series at once and
// forecasts by drawing sample paths, summarised by their median, mean and
// quantiles.
//
// Train trains an LSTM through core's training harness (the shared
// settings of core.TrainOptions, checkpoints in TrainOptions.Out, exact
// resume on the same series); Load reads a model file back, and LoadFor
// also checks that it can forecast the series and horizon at hand without
// training again. ForecastSeries forecasts one series on its own, its
// sample paths drawn from SeriesRand(seed, id), so that a series' forecast
// is the same whatever other series are forecast with it and in whatever
// order (a pipeline forecasting series one by one agrees with arkit). As a
// forecast.Forecaster, an LSTM's Forecast trains it first (Fit) when it is
// not trained for the series and horizon given (a loaded one never is).
//
// The files: lstm.go holds the settings and the inputs of the network,
// train.go the training (its options, windows as core batches), forecast.go
// the sample paths and their summaries, file.go the model file.
package lstm
