// Package eval scores forecasts as the M4 competition did.
//
// The metrics (SMAPE, MASE, OWA, MSIS, ...) follow the M4 definitions;
// CRPS, Pinball and Coverage score the probabilistic forecasts. Backtest
// holds out the last points or rolls the forecast origin back, runs any
// forecast.Forecaster and averages the scores over series as M4 does,
// with OWA relative to Naive2; sMAPE, MASE, MAE and RMSE score each
// forecast's PointForecast. TrainTest pairs a train file with a test file
// of the values that follow (the M4 layout). Verdict says in one sentence
// whether a model beats the others.
//
// With the M4 Hourly and Weekly files and table.M4SeasonalPeriod, the
// published Naive, sNaive and Naive2 scores are reproduced exactly (to
// the three decimals published) and Theta's within 0.002 sMAPE and 0.001
// MASE: TestM4PublishedBenchmarks checks both.
package eval
