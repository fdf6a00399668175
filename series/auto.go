// Auto with the global LSTM among its candidates: the network is trained
// once, on every series' history before the earliest cross-validation
// origin, forecasts each series from each origin and from its end, and
// classical.Auto scores those forecasts beside its local models and their
// combinations, per series.

package series

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/arkit-go/arkit/series/classical"
	"github.com/arkit-go/arkit/series/forecast"
	"github.com/arkit-go/arkit/series/lstm"
	"github.com/arkit-go/arkit/series/report"
	"github.com/arkit-go/arkit/series/table"
)

// DefaultMinSeries is the fewest series for which Auto considers the
// global LSTM. On R's classic series forecast one at a time the LSTM made
// auto worse (mean sMAPE 20.72 against 19.59); on 3 to 30 M4 Hourly
// series it was as often better as worse than seasonal naive, so 10 is a
// judgment between the two (docs/benchmarks.md, "The global LSTM inside
// --method auto").
const DefaultMinSeries = 10

// Auto is classical.Auto with the global LSTM among the candidates when a
// request holds at least MinSeries series. The LSTM is trained once, with
// LSTM's settings and its whole training budget (Steps or MaxTime), on
// every series cut before its earliest cross-validation origin (the
// last Origins·horizon values left out), so that no origin's forecast
// saw the values it is scored on; that network then forecasts each series
// from each origin (it conditions on the history up to the origin) and
// from the whole series for the final forecast, without training again.
// classical.Auto scores it on the same origins with the same error as its
// own candidates, with its combinations "lstm-arima" and "lstm-comb"
// (see classical.Global).
//
// A Forecast reuses the network of the one before it when that network
// saw none of the values this one's origins hold out: the same horizon,
// the same series, each trained on no more than its values before this
// call's earliest origin. So a forecast job with a hold-out check
// (ForecastJob.Check, the arkit command's --report) trains once, for the
// check, and the final forecast comes from that network (trained without
// the last (Origins+1)·horizon values); a rolling-origin backtest trains
// once, at its earliest origin. Otherwise Forecast trains anew.
//
// An Auto is not safe for concurrent use: Forecast records what it did
// in Note and Scores.
type Auto struct {
	classical.Auto
	// LSTM holds the network's settings (it is copied, not changed); nil
	// leaves the LSTM out.
	LSTM *lstm.LSTM
	// MinSeries is the fewest series for the LSTM (0: DefaultMinSeries).
	MinSeries int

	// Note says, after Forecast, whether the LSTM was a candidate and
	// why not when it was not.
	Note string
	// Scores are, after Forecast, the cross-validation scores of each
	// series, in the order of the series.
	Scores []classical.AutoScore
	// Net is, after Forecast, the trained LSTM (nil when it was not a
	// candidate).
	Net *lstm.LSTM

	// seen is the number of values of each series (by id) Net trained
	// on, and horizon the horizon it trained for.
	seen    map[string]int
	horizon int
}

var _ forecast.Forecaster = (*Auto)(nil)

// Name returns "auto".
func (a *Auto) Name() string { return "auto" }

// Forecast implements Forecaster.
func (a *Auto) Forecast(ctx context.Context, train []table.Series, horizon int, quantiles []float64) ([]forecast.Forecast, error) {
	net := a.reusable(train, horizon)
	a.Note, a.Scores, a.Net = "", nil, nil
	ca := a.Auto
	var mu sync.Mutex
	scores := make([]classical.AutoScore, len(train))
	ca.Record = func(s classical.AutoScore) {
		mu.Lock()
		scores[s.Index] = s
		mu.Unlock()
	}
	minSeries := a.MinSeries
	if minSeries == 0 {
		minSeries = DefaultMinSeries
	}
	switch {
	case a.LSTM == nil:
	case len(train) < minSeries:
		a.Note = fmt.Sprintf("auto left the global LSTM out: %d series, fewer than the %d it needs to learn across series (with it, auto forecast single short series worse than without); it chose among the local methods.", len(train), minSeries)
	default:
		g, note, err := a.global(ctx, net, train, horizon, quantiles)
		switch {
		case errors.Is(err, lstm.ErrTooShort):
			a.Note = fmt.Sprintf("auto left the global LSTM out: no series has two values before its first cross-validation origin (%d·%d steps before its end); it chose among the local methods.", a.origins(), horizon)
		case err != nil:
			return nil, err
		default:
			ca.Global, a.Note = g, note
		}
	}
	fcs, err := ca.Forecast(ctx, train, horizon, quantiles)
	if err != nil {
		return nil, err
	}
	for i := range scores {
		scores[i].Index, scores[i].ID = i, train[i].ID
		if scores[i].Chosen == "" { // one candidate: no cross-validation
			scores[i].Chosen = report.MethodOf(fcs[i].Model)
		}
	}
	a.Scores = scores
	return fcs, nil
}

// reusable returns the network of the previous Forecast when it may
// forecast train's origins without having seen what they hold out, nil
// when it may not.
func (a *Auto) reusable(train []table.Series, horizon int) *lstm.LSTM {
	if a.Net == nil || a.LSTM == nil || horizon != a.horizon || len(train) != len(a.seen) {
		return nil
	}
	for _, s := range train {
		n, ok := a.seen[s.ID]
		if !ok || n > max(1, len(s.Values)-a.origins()*horizon) {
			return nil
		}
	}
	return a.Net
}

// global trains the LSTM on the series cut before their earliest origin
// (or takes net, trained on no more) and forecasts every series from each
// of its origins and from its end.
func (a *Auto) global(ctx context.Context, net *lstm.LSTM, train []table.Series, horizon int, quantiles []float64) (*classical.Global, string, error) {
	origins := a.origins()
	l := net
	if l == nil {
		cut := make([]table.Series, len(train))
		seen := make(map[string]int, len(train))
		for i, s := range train {
			cut[i] = cutSeries(s, max(1, len(s.Values)-origins*horizon))
			seen[s.ID] = len(cut[i].Values)
		}
		l = new(lstm.LSTM)
		*l = *a.LSTM
		if _, err := l.Fit(ctx, cut, horizon); err != nil {
			return nil, "", fmt.Errorf("series: auto: the lstm: %w", err)
		}
		if err := ctx.Err(); err != nil {
			return nil, "", err
		}
		if len(seen) < len(train) { // ids repeat: never reuse
			seen = nil
		}
		a.seen, a.horizon = seen, horizon
	}
	a.Net = l
	g := &classical.Global{Name: "lstm", Origins: make([][][]float64, len(train)), Final: make([]forecast.Forecast, len(train))}
	for i, s := range train {
		for _, end := range a.Auto.CVEnds(s, horizon) {
			fc, err := l.ForecastSeries(ctx, cutSeries(s, end), horizon, nil)
			if err != nil {
				return nil, "", fmt.Errorf("series: auto: the lstm: %w", err)
			}
			g.Origins[i] = append(g.Origins[i], fc.PointForecast())
		}
		fc, err := l.ForecastSeries(ctx, s, horizon, quantiles)
		if err != nil {
			return nil, "", fmt.Errorf("series: auto: the lstm: %w", err)
		}
		g.SetFinal(i, fc)
	}
	o := l.TrainOptions.TrainOptions
	budget := fmt.Sprintf("%d steps", o.Steps)
	if o.MaxTime > 0 {
		budget = fmt.Sprintf("at most %d steps and %s", o.Steps, o.MaxTime)
	}
	if o.Steps == 0 {
		budget = o.MaxTime.String()
	}
	note := fmt.Sprintf("auto considered the global LSTM (%d series): it was trained once (%s, the whole budget), on every series without its last %d values "+
		"(%d origins of %d steps), forecast each origin from that network, and made the final forecast from the whole history with the same network.",
		len(train), budget, origins*horizon, origins, horizon)
	if net != nil {
		note = fmt.Sprintf("auto considered the global LSTM (%d series): it reused the network of its previous forecast (%s, the whole budget), "+
			"which was trained on no more of each series than its values before the first of this forecast's %d origins of %d steps, "+
			"forecast each origin from that network, and made the final forecast from the whole history with the same network.",
			len(train), budget, origins, horizon)
	}
	return g, note, nil
}

// origins is the number of cross-validation origins (classical.Auto's
// default: 3).
func (a *Auto) origins() int {
	if a.Origins == 0 {
		return 3
	}
	return a.Origins
}

// cutSeries returns the first n points of s (values and times; the
// covariates, known ahead, are kept whole).
func cutSeries(s table.Series, n int) table.Series {
	n = min(n, len(s.Values))
	c := s
	c.Values = s.Values[:n:n]
	if s.Times != nil {
		c.Times = s.Times[:n:n]
	}
	return c
}

// AutoTable returns the cross-validation scores of an Auto forecast as a
// table for the reports: per series the choice, the number of origins
// and each candidate's mean absolute error.
func AutoTable(scores []classical.AutoScore) (header []string, rows [][]string) {
	var cands []string
	for _, s := range scores {
		for _, c := range s.Candidates {
			if !slices.Contains(cands, c) {
				cands = append(cands, c)
			}
		}
	}
	header = append([]string{"series", "chosen", "origins"}, cands...)
	for _, s := range scores {
		row := []string{s.ID, s.Chosen, fmt.Sprint(s.Origins)}
		for _, c := range cands {
			k := slices.Index(s.Candidates, c)
			switch {
			case k < 0 || s.MAE == nil:
				row = append(row, "")
			default:
				row = append(row, fmt.Sprintf("%.4g", s.MAE[k]))
			}
		}
		rows = append(rows, row)
	}
	return header, rows
}
