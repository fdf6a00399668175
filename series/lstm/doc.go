// Package lstm is arkit's DeepAR-style global forecaster: one LSTM, run by
// arkit's core engine, learns from windows of every series at once and
// forecasts by drawing sample paths, summarised by their median, mean and
// quantiles.
//
// Train trains an LSTM through core's training harness (the shared
// settings of core.TrainOptions, checkpoints in TrainOptions.Out, exact
// resume on the same series); Load reads a model file back, and LoadFor
// also checks that it can forecast the series and horizon at hand without
// training again. As a forecast.Forecaster, an LSTM's Forecast trains it
// first (Fit) when it is not trained for the series and horizon given.
//
// The files: lstm.go holds the settings and the inputs of the network,
// train.go the training (its options, windows as core batches), forecast.go
// the sample paths and their summaries, file.go the model file.
package lstm
