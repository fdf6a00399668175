// The HTML report: a data summary, score tables, notes and figures in one
// self-contained page, and the report of a backtest.

package report

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"math"
	"slices"
	"time"

	"github.com/arkit-go/arkit/series/eval"
	"github.com/arkit-go/arkit/series/forecast"
	"github.com/arkit-go/arkit/series/table"
)

// BacktestReport builds the report of a backtest: the data summary, the
// scores (with the Naive2 reference), the first model's forecasts at the
// last origin against the actual values, and the training loss (when loss
// is not empty).
func BacktestReport(title string, ds *table.Dataset, r *eval.BacktestResult, loss []float64, notes []string, opt PlotOptions) (*Report, error) {
	sum := Summarize(ds)
	rep := &Report{Title: title, Summary: &sum, Notes: slices.Clone(notes), Scores: r.WithReference()}
	if len(r.Forecasts) > 0 {
		name := r.Scores[0].Model
		if v := eval.Verdict(rep.Scores, name); v != "" {
			rep.Notes = append(rep.Notes, v)
		}
		fig, err := ForecastFigure(fmt.Sprintf("%s at the last origin against the actual values", name), r.Last.Train, r.Forecasts[0], r.Last.Test, opt)
		if err != nil {
			return nil, err
		}
		rep.Figures = append(rep.Figures, fig)
	}
	if err := rep.AddLossFigure(loss); err != nil {
		return nil, err
	}
	return rep, nil
}

// AddLossFigure adds a figure of the training loss; it adds nothing when
// loss is empty.
func (rep *Report) AddLossFigure(loss []float64) error {
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

// Summary describes a dataset.
type Summary struct {
	Source         string
	Series         int
	Freq           table.Frequency
	MinLen, MaxLen int
	MeanLen        float64
	Points         int // values in all series
	Missing        int // missing values, including Filled
	Filled         int // missing points inserted at timestamp gaps
	Start, End     time.Time
	Covariates     []string
}

// Summarize describes ds.
func Summarize(ds *table.Dataset) Summary {
	s := Summary{Source: ds.Source, Series: len(ds.Series), Freq: ds.Freq, Filled: ds.Filled}
	cov := map[string]bool{}
	for i, x := range ds.Series {
		n := x.Len()
		if i == 0 || n < s.MinLen {
			s.MinLen = n
		}
		s.MaxLen = max(s.MaxLen, n)
		s.Points += n
		s.Missing += n - x.Observed()
		if len(x.Times) > 0 {
			if first := x.Times[0]; s.Start.IsZero() || first.Before(s.Start) {
				s.Start = first
			}
			if last := x.Times[len(x.Times)-1]; last.After(s.End) {
				s.End = last
			}
		}
		for k := range x.Covariates {
			cov[k] = true
		}
	}
	if s.Series > 0 {
		s.MeanLen = float64(s.Points) / float64(s.Series)
	}
	for k := range cov {
		s.Covariates = append(s.Covariates, k)
	}
	slices.Sort(s.Covariates)
	return s
}

// Figure is a plot embedded in a report.
type Figure struct {
	Caption string
	PNG     []byte
}

// ForecastFigure renders a forecast plot (see WriteForecastPlot) as a PNG
// figure.
func ForecastFigure(caption string, history []table.Series, fcs []forecast.Forecast, actual []table.Series, opt PlotOptions) (Figure, error) {
	var b bytes.Buffer
	if err := WriteForecastPlot(&b, "png", history, fcs, actual, opt); err != nil {
		return Figure{}, err
	}
	return Figure{Caption: caption, PNG: b.Bytes()}, nil
}

// LossFigure renders a loss plot (see WriteLossPlot) as a PNG figure.
func LossFigure(caption string, train, valid []float64, opt PlotOptions) (Figure, error) {
	var b bytes.Buffer
	if err := WriteLossPlot(&b, "png", train, valid, opt); err != nil {
		return Figure{}, err
	}
	return Figure{Caption: caption, PNG: b.Bytes()}, nil
}

// Report is an evaluation report.
type Report struct {
	Title   string
	Summary *Summary
	Scores  []eval.Score
	Figures []Figure
	Notes   []string
	Tables  []Table
}

// Table is a table of text cells in a report, after the scores.
type Table struct {
	Caption string
	Header  []string
	Rows    [][]string
}

var reportTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"num": fmtScore,
	"png": func(b []byte) template.URL {
		// Safe: the URL is built here from our own bytes.
		return template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(b))
	},
	"date": func(t time.Time) string {
		if t.IsZero() {
			return "-"
		}
		return t.Format("2006-01-02 15:04:05")
	},
	"mean": func(v float64) string { return fmt.Sprintf("%.1f", v) },
	"best": func(scores []eval.Score, i int, field string) bool {
		get := func(s eval.Score) float64 {
			switch field {
			case "smape":
				return s.SMAPE
			case "mase":
				return s.MASE
			}
			return s.OWA
		}
		v := get(scores[i])
		if math.IsNaN(v) {
			return false
		}
		for _, s := range scores {
			if get(s) < v {
				return false
			}
		}
		return true
	},
}).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{.Title}}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 72em; color: #222; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { padding: 0.25em 0.8em; border-bottom: 1px solid #ddd; }
th { text-align: left; background: #f3f5f8; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
td.best { font-weight: bold; }
figure { margin: 1.5em 0; }
figure img { max-width: 100%; border: 1px solid #eee; }
figcaption { color: #555; font-size: 0.9em; }
</style>
</head>
<body>
<h1>{{.Title}}</h1>
{{range .Notes}}<p>{{.}}</p>
{{end}}
{{- with .Summary}}
<h2>Data</h2>
<table>
<tr><th>source</th><td>{{.Source}}</td></tr>
<tr><th>series</th><td class="n">{{.Series}}</td></tr>
<tr><th>frequency</th><td>{{.Freq}}</td></tr>
<tr><th>length (min / mean / max)</th><td class="n">{{.MinLen}} / {{mean .MeanLen}} / {{.MaxLen}}</td></tr>
<tr><th>values</th><td class="n">{{.Points}}</td></tr>
<tr><th>missing (of which gap-filled)</th><td class="n">{{.Missing}} ({{.Filled}})</td></tr>
<tr><th>span</th><td>{{date .Start}} to {{date .End}}</td></tr>
{{- if .Covariates}}
<tr><th>covariates</th><td>{{range $i, $c := .Covariates}}{{if $i}}, {{end}}{{$c}}{{end}}</td></tr>
{{- end}}
</table>
{{- end}}
{{- if .Scores}}
<h2>Accuracy</h2>
<table>
<tr><th>model</th><th>sMAPE</th><th>MASE</th><th>OWA</th><th>MAE</th><th>RMSE</th><th>coverage 80%</th><th>coverage 95%</th><th>MSIS</th><th>CRPS</th><th>forecasts</th></tr>
{{- $all := .Scores}}
{{- range $i, $s := .Scores}}
<tr><td>{{$s.Model}}</td><td class="n{{if best $all $i "smape"}} best{{end}}">{{num $s.SMAPE}}</td><td class="n{{if best $all $i "mase"}} best{{end}}">{{num $s.MASE}}</td><td class="n{{if best $all $i "owa"}} best{{end}}">{{num $s.OWA}}</td><td class="n">{{num $s.MAE}}</td><td class="n">{{num $s.RMSE}}</td><td class="n">{{num $s.Coverage80}}</td><td class="n">{{num $s.Coverage95}}</td><td class="n">{{num $s.MSIS}}</td><td class="n">{{num $s.CRPS}}</td><td class="n">{{$s.Forecasts}}</td></tr>
{{- end}}
</table>
<p>sMAPE and MASE as defined by the M4 competition; OWA relative to Naive2 (lower is better, Naive2 = 1); the best value of each is in bold.</p>
{{- end}}
{{- range .Tables}}
<h2>{{.Caption}}</h2>
<table>
<tr>{{range .Header}}<th>{{.}}</th>{{end}}</tr>
{{- range .Rows}}
<tr>{{range $i, $c := .}}<td{{if $i}} class="n"{{end}}>{{$c}}</td>{{end}}</tr>
{{- end}}
</table>
{{- end}}
{{- range .Figures}}
<figure><img src="{{png .PNG}}" alt="{{.Caption}}"><figcaption>{{.Caption}}</figcaption></figure>
{{- end}}
</body>
</html>
`))

// WriteHTML writes the report as one self-contained HTML page.
func (r *Report) WriteHTML(w io.Writer) error {
	if err := reportTemplate.Execute(w, r); err != nil {
		return fmt.Errorf("series: report: %w", err)
	}
	return nil
}

// SaveReport writes the report to path atomically.
func SaveReport(path string, r *Report) error {
	return writeFileAtomic(path, r.WriteHTML)
}
