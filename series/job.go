// Jobs: a forecast with an honest hold-out check against simple
// baselines, train/test pairing for M4-style files, the reports of both,
// and output files written only once all of them are rendered. These are
// the steps the arkit command strings together.

package series

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/arkit-go/arkit/series/classical"
	"github.com/arkit-go/arkit/series/eval"
	"github.com/arkit-go/arkit/series/forecast"
	"github.com/arkit-go/arkit/series/report"
	"github.com/arkit-go/arkit/series/table"
)

// ForecastJob forecasts a set of series, optionally checking the model
// first on a hold-out of the last Horizon points of every series.
type ForecastJob struct {
	Data    []table.Series
	Horizon int
	// Levels are the quantile levels wanted; Run also forecasts
	// PlotLevels for the plots (SelectLevels keeps the wanted ones).
	Levels []float64
	Model  forecast.Forecaster
	// Check holds out the last Horizon points of every series, forecasts
	// them with Model and with Baselines and scores all of them, before
	// forecasting the future from the whole history. A model that keeps
	// its training for the same series and horizon (the LSTM) is thus
	// trained once, without the hold-out, and the scores are those of the
	// very model that makes the forecast.
	Check bool
	// Baselines are scored beside Model on the hold-out; nil means
	// CheckBaselines(Period). Naive2 is always scored as the OWA
	// reference. A baseline with Model's name is left out.
	Baselines []forecast.Forecaster
	// Period is the seasonal period of MASE and of the baselines; 0 takes
	// each series' default.
	Period int
}

// CheckBaselines are the cheap baselines a forecast is checked against:
// naive, seasonal naive, Naive2 and Theta with the given period.
func CheckBaselines(period int) []forecast.Forecaster {
	return []forecast.Forecaster{classical.Naive{}, classical.SeasonalNaive{Period: period}, classical.Naive2{Period: period}, classical.Theta{Period: period}}
}

// ForecastResult is what ForecastJob.Run produces.
type ForecastResult struct {
	// Forecasts are the forecasts of the future, one per series.
	Forecasts []forecast.Forecast
	// Check holds the hold-out scores and forecasts (Model first), nil
	// without Check or when the check was skipped.
	Check *eval.BacktestResult
	// Skipped says why a requested check was not made.
	Skipped string
}

// Run runs the job.
func (j ForecastJob) Run(ctx context.Context) (*ForecastResult, error) {
	if err := forecast.CheckHorizon(j.Horizon, j.Data); err != nil {
		return nil, err
	}
	if err := forecast.CheckQuantiles(j.Levels); err != nil {
		return nil, err
	}
	res := &ForecastResult{}
	if j.Check {
		split, err := eval.HoldOut(j.Data, j.Horizon)
		if err != nil {
			res.Skipped = fmt.Sprintf("no hold-out check: %v", err)
		} else {
			models := []forecast.Forecaster{j.Model}
			base := j.Baselines
			if base == nil {
				base = CheckBaselines(j.Period)
			}
			for _, b := range base {
				if b.Name() != j.Model.Name() {
					models = append(models, b)
				}
			}
			bt := eval.Backtest{Horizon: j.Horizon, Period: j.Period}
			if res.Check, err = bt.Evaluate(ctx, []eval.Split{split}, models...); err != nil {
				return nil, err
			}
		}
	}
	fcs, err := j.Model.Forecast(ctx, j.Data, j.Horizon, forecast.MergeLevels(j.Levels, report.PlotLevels))
	if err != nil {
		return nil, err
	}
	if err := forecast.Check(j.Model.Name(), j.Data, fcs, j.Horizon); err != nil {
		return nil, err
	}
	res.Forecasts = fcs
	return res, nil
}

// globalCandidates are the candidates the global LSTM adds to auto.
var globalCandidates = (&classical.Global{Name: "lstm"}).Candidates()

// AutoChoices summarises which method the auto model chose per series
// (its forecasts' Model reads "method: fitted model"), e.g. "auto chose
// ets for 3 series (a, b, c), arima for 1 (d)"; it is empty when fcs are
// not auto's.
func AutoChoices(fcs []forecast.Forecast) string {
	var order []string
	ids := map[string][]string{}
	for _, f := range fcs {
		name, _, ok := strings.Cut(f.Model, ": ")
		if !ok || !(slices.Contains(classical.AutoCandidates, name) || slices.Contains(globalCandidates, name)) {
			return ""
		}
		if ids[name] == nil {
			order = append(order, name)
		}
		ids[name] = append(ids[name], f.ID)
	}
	if len(order) == 0 {
		return ""
	}
	var parts []string
	for _, name := range order {
		list := ids[name]
		shown := strings.Join(list[:min(len(list), 5)], ", ")
		if len(list) > 5 {
			shown += ", ..."
		}
		parts = append(parts, fmt.Sprintf("%s for %d series (%s)", name, len(list), shown))
	}
	return "auto chose " + strings.Join(parts, "; ") + "."
}

// ForecastReport builds the report of a forecast: the data summary, the
// hold-out scores with a verdict, the forecast plot, the hold-out plot and
// the training loss (when loss is not empty). data are the series
// forecast; notes come first.
func ForecastReport(title string, ds *table.Dataset, data []table.Series, r *ForecastResult, loss []float64, notes []string, opt report.PlotOptions) (*report.Report, error) {
	sum := report.Summarize(ds)
	rep := &report.Report{Title: title, Summary: &sum, Notes: slices.Clone(notes)}
	h := 0
	if len(r.Forecasts) > 0 {
		h = r.Forecasts[0].Horizon()
	}
	fig, err := report.ForecastFigure(fmt.Sprintf("Forecast of the next %d steps: median, 80%% and 95%% intervals", h), data, r.Forecasts, nil, opt)
	if err != nil {
		return nil, err
	}
	rep.Figures = append(rep.Figures, fig)
	if note := AutoChoices(r.Forecasts); note != "" {
		rep.Notes = append(rep.Notes, note)
	}
	if c := r.Check; c != nil {
		name := c.Scores[0].Model
		rep.Scores = c.WithReference()
		rep.Notes = append(rep.Notes, fmt.Sprintf("Accuracy on a hold-out of the last %d points of every series: %s was fitted without them, "+
			"then forecast the future from the whole history. The baselines were fitted on the same history.", h, name))
		if v := eval.Verdict(rep.Scores, name); v != "" {
			rep.Notes = append(rep.Notes, v)
		}
		fig, err := report.ForecastFigure(fmt.Sprintf("Hold-out check: %s's forecast of the last %d points against the actual values", name, h),
			c.Last.Train, c.Forecasts[0], c.Last.Test, opt)
		if err != nil {
			return nil, err
		}
		rep.Figures = append(rep.Figures, fig)
	} else if r.Skipped != "" {
		rep.Notes = append(rep.Notes, r.Skipped)
	}
	if err := rep.AddLossFigure(loss); err != nil {
		return nil, err
	}
	return rep, nil
}
