// Package forecast holds what every forecasting model returns and the
// interface it implements, so that classical models, the LSTM, the
// evaluation and the reports speak one vocabulary.
//
// A Forecaster forecasts a batch of series at once, so a global model (one
// network over all series) and a local one (one fit per series) share the
// interface:
//
//	type Forecaster interface {
//		Name() string
//		Forecast(ctx context.Context, train []table.Series, horizon int, quantiles []float64) ([]Forecast, error)
//	}
//
// A Forecast holds the mean path, optionally the point forecast the
// metrics score (Point; nil means the mean), one path per requested
// quantile level and optionally sample paths.
//
// CheckRequest, CheckHorizon and CheckQuantiles vet a request (a horizon
// from 1 to MaxHorizon and at most 10 times the longest series, levels in
// (0, 1)); Check vets what a model returned (ErrBadForecast).
// MergeLevels and SelectLevels add and keep quantile levels.
package forecast
