// Jobs: a forecast with an honest hold-out check against simple
// baselines, train/test pairing for M4-style files, the reports of both,
// and output files written only once all of them are rendered. These are
// the steps the arkit command strings together.

package series

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
)

// ForecastJob forecasts a set of series, optionally checking the model
// first on a hold-out of the last Horizon points of every series.
type ForecastJob struct {
	Data    []Series
	Horizon int
	// Levels are the quantile levels wanted; Run also forecasts
	// PlotLevels for the plots (SelectLevels keeps the wanted ones).
	Levels []float64
	Model  Forecaster
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
	Baselines []Forecaster
	// Period is the seasonal period of MASE and of the baselines; 0 takes
	// each series' default.
	Period int
}

// CheckBaselines are the cheap baselines a forecast is checked against:
// naive, seasonal naive, Naive2 and Theta with the given period.
func CheckBaselines(period int) []Forecaster {
	return []Forecaster{Naive{}, SeasonalNaive{Period: period}, Naive2{Period: period}, Theta{Period: period}}
}

// ForecastResult is what ForecastJob.Run produces.
type ForecastResult struct {
	// Forecasts are the forecasts of the future, one per series.
	Forecasts []Forecast
	// Check holds the hold-out scores and forecasts (Model first), nil
	// without Check or when the check was skipped.
	Check *BacktestResult
	// Skipped says why a requested check was not made.
	Skipped string
}

// Run runs the job.
func (j ForecastJob) Run(ctx context.Context) (*ForecastResult, error) {
	if err := CheckHorizon(j.Horizon, j.Data); err != nil {
		return nil, err
	}
	if err := CheckQuantiles(j.Levels); err != nil {
		return nil, err
	}
	res := &ForecastResult{}
	if j.Check {
		split, err := HoldOut(j.Data, j.Horizon)
		if err != nil {
			res.Skipped = fmt.Sprintf("no hold-out check: %v", err)
		} else {
			models := []Forecaster{j.Model}
			base := j.Baselines
			if base == nil {
				base = CheckBaselines(j.Period)
			}
			for _, b := range base {
				if b.Name() != j.Model.Name() {
					models = append(models, b)
				}
			}
			bt := Backtest{Horizon: j.Horizon, Period: j.Period}
			if res.Check, err = bt.Evaluate(ctx, []Split{split}, models...); err != nil {
				return nil, err
			}
		}
	}
	fcs, err := j.Model.Forecast(ctx, j.Data, j.Horizon, MergeLevels(j.Levels, PlotLevels))
	if err != nil {
		return nil, err
	}
	if err := checkForecasts(j.Model.Name(), j.Data, fcs, j.Horizon); err != nil {
		return nil, err
	}
	res.Forecasts = fcs
	return res, nil
}

// WithReference returns the scores followed by the Naive2 reference's,
// unless a model named naive2 is already among them.
func (r *BacktestResult) WithReference() []Score {
	out := slices.Clone(r.Scores)
	if !slices.ContainsFunc(out, func(s Score) bool { return s.Model == r.Reference.Model }) {
		out = append(out, r.Reference)
	}
	return out
}

// TrainTest pairs the series of a train set with those of a test set
// holding the values that follow them (as the M4 files do), by ID. Every
// train series must have a test series and the other way round.
func TrainTest(train, test *Dataset) (Split, error) {
	byID := make(map[string]int, len(test.Series))
	for i, s := range test.Series {
		byID[s.ID] = i
	}
	sp := Split{Train: train.Series, Test: make([]Series, len(train.Series))}
	for i, s := range train.Series {
		k, ok := byID[s.ID]
		if !ok {
			return Split{}, fmt.Errorf("series: %s has no series %q (it is in %s)", test.Source, s.ID, train.Source)
		}
		sp.Test[i] = test.Series[k]
		delete(byID, s.ID)
	}
	for id := range byID {
		return Split{}, fmt.Errorf("series: %s has no series %q (it is in %s)", train.Source, id, test.Source)
	}
	return sp, nil
}

// Verdict says in one sentence whether the named model beats the other
// scored models on OWA, or "" when its OWA is undefined.
func Verdict(scores []Score, model string) string {
	i := slices.IndexFunc(scores, func(s Score) bool { return s.Model == model })
	if i < 0 || math.IsNaN(scores[i].OWA) {
		return ""
	}
	own := scores[i].OWA
	best := -1
	for k, s := range scores {
		if k != i && !math.IsNaN(s.OWA) && (best < 0 || s.OWA < scores[best].OWA) {
			best = k
		}
	}
	if best < 0 {
		return ""
	}
	b := scores[best]
	if own < b.OWA {
		return fmt.Sprintf("On the hold-out %s (OWA %.3f) beats every baseline; the best of them, %s, has OWA %.3f.", model, own, b.Model, b.OWA)
	}
	return fmt.Sprintf("On the hold-out %s (OWA %.3f) does not beat %s (OWA %.3f).", model, own, b.Model, b.OWA)
}

// ForecastReport builds the report of a forecast: the data summary, the
// hold-out scores with a verdict, the forecast plot, the hold-out plot and
// the training loss (when loss is not empty). data are the series
// forecast; notes come first.
func ForecastReport(title string, ds *Dataset, data []Series, r *ForecastResult, loss []float64, notes []string, opt PlotOptions) (*Report, error) {
	sum := Summarize(ds)
	rep := &Report{Title: title, Summary: &sum, Notes: slices.Clone(notes)}
	h := 0
	if len(r.Forecasts) > 0 {
		h = r.Forecasts[0].Horizon()
	}
	fig, err := ForecastFigure(fmt.Sprintf("Forecast of the next %d steps: median, 80%% and 95%% intervals", h), data, r.Forecasts, nil, opt)
	if err != nil {
		return nil, err
	}
	rep.Figures = append(rep.Figures, fig)
	if c := r.Check; c != nil {
		name := c.Scores[0].Model
		rep.Scores = c.WithReference()
		rep.Notes = append(rep.Notes, fmt.Sprintf("Accuracy on a hold-out of the last %d points of every series: %s was fitted without them, "+
			"then forecast the future from the whole history. The baselines were fitted on the same history.", h, name))
		if v := Verdict(rep.Scores, name); v != "" {
			rep.Notes = append(rep.Notes, v)
		}
		fig, err := ForecastFigure(fmt.Sprintf("Hold-out check: %s's forecast of the last %d points against the actual values", name, h),
			c.Last.Train, c.Forecasts[0], c.Last.Test, opt)
		if err != nil {
			return nil, err
		}
		rep.Figures = append(rep.Figures, fig)
	} else if r.Skipped != "" {
		rep.Notes = append(rep.Notes, r.Skipped)
	}
	if err := addLossFigure(rep, loss); err != nil {
		return nil, err
	}
	return rep, nil
}

// BacktestReport builds the report of a backtest: the data summary, the
// scores (with the Naive2 reference), the first model's forecasts at the
// last origin against the actual values, and the training loss (when loss
// is not empty).
func BacktestReport(title string, ds *Dataset, r *BacktestResult, loss []float64, notes []string, opt PlotOptions) (*Report, error) {
	sum := Summarize(ds)
	rep := &Report{Title: title, Summary: &sum, Notes: slices.Clone(notes), Scores: r.WithReference()}
	if len(r.Forecasts) > 0 {
		name := r.Scores[0].Model
		if v := Verdict(rep.Scores, name); v != "" {
			rep.Notes = append(rep.Notes, v)
		}
		fig, err := ForecastFigure(fmt.Sprintf("%s at the last origin against the actual values", name), r.Last.Train, r.Forecasts[0], r.Last.Test, opt)
		if err != nil {
			return nil, err
		}
		rep.Figures = append(rep.Figures, fig)
	}
	if err := addLossFigure(rep, loss); err != nil {
		return nil, err
	}
	return rep, nil
}

func addLossFigure(rep *Report, loss []float64) error {
	if len(loss) == 0 {
		return nil
	}
	fig, err := LossFigure("Training loss (negative log-likelihood per value, smoothed)", loss, nil, PlotOptions{XLabel: "step"})
	if err != nil {
		return err
	}
	rep.Figures = append(rep.Figures, fig)
	return nil
}

// Outputs is a set of output files rendered in memory and written only
// once all of them rendered, each atomically, so that a failure leaves no
// file half written and, short of a failing disk, no file written at all.
// The path "-" is standard output.
type Outputs struct {
	paths []string
	data  [][]byte
}

// Add renders one file; an empty path is skipped.
func (o *Outputs) Add(path string, render func(io.Writer) error) error {
	if path == "" {
		return nil
	}
	var b bytes.Buffer
	if err := render(&b); err != nil {
		return err
	}
	o.paths = append(o.paths, path)
	o.data = append(o.data, b.Bytes())
	return nil
}

// Write writes the rendered files.
func (o *Outputs) Write() error {
	for i, p := range o.paths {
		if p == "-" {
			if _, err := os.Stdout.Write(o.data[i]); err != nil {
				return fmt.Errorf("series: standard output: %w", err)
			}
			continue
		}
		data := o.data[i]
		if err := writeFileAtomic(p, func(w io.Writer) error {
			_, err := w.Write(data)
			return err
		}); err != nil {
			return err
		}
	}
	return nil
}
