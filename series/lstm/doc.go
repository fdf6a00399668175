// Package lstm is arkit's DeepAR-style global forecaster: one LSTM, run by
// arkit's core engine, learns from windows of every series at once and
// forecasts by drawing sample paths, summarised by their median, mean and
// quantiles.
//
// Set the fields of an LSTM (the zero value works), then call Fit and
// Forecast; Forecast fits first when the model is not trained. Save writes
// the trained network and its input specification to a safetensors file,
// Load reads it back, and LoadFor also checks that it can forecast the
// series and horizon at hand without training again.
//
// The files: lstm.go holds the settings and the inputs of the network,
// train.go the training (windows as core batches, the budget schedule),
// forecast.go the sample paths and their summaries, file.go saving and
// loading.
package lstm
