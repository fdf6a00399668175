// Package classical provides the classical forecasters that a learned
// model must beat: Naive, SeasonalNaive, Naive2 and Theta (the M4
// competition's benchmarks, as M4 defined them), Drift, AR (least squares,
// order by AIC), ETS (exponential smoothing chosen by AICc), ARIMA (R's
// auto.arima: stepwise order search, exact Kalman-filter likelihood) and
// Auto (per series, the candidate with the lowest rolling-origin
// cross-validation error, the median of ETS, ARIMA and Theta among
// them), all with prediction intervals. Each is a forecast.Forecaster that fits every
// series on its own; missing values are interpolated first.
//
// SeasonalityTest and SeasonalIndices are M4's seasonality test and R's
// classical decomposition, which Naive2, Theta and the ETS initial states
// use.
package classical
