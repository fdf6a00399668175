// Tests for the dataset summary and the HTML report.

package series

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSummarize(t *testing.T) {
	ds, err := readString("date,a,b,x\n2021-01-01,1,2,0\n2021-02-01,NA,4,0\n2021-04-01,5,6,0\n", ReadOptions{Covariates: []string{"x"}})
	if err != nil {
		t.Fatal(err)
	}
	s := Summarize(ds)
	if s.Series != 2 || s.MinLen != 4 || s.MaxLen != 4 || s.Points != 8 || s.Missing != 3 || s.Filled != 2 ||
		s.Freq != Monthly || s.Start.Format("2006-01-02") != "2021-01-01" || s.End.Format("2006-01-02") != "2021-04-01" || len(s.Covariates) != 1 {
		t.Errorf("summary %+v", s)
	}
}

func TestReport(t *testing.T) {
	train, test, fcs := plotData(t, true)
	fig, err := ForecastFigure("forecasts <b>", train, fcs, test, PlotOptions{MaxPanels: 2})
	if err != nil {
		t.Fatal(err)
	}
	loss, err := LossFigure("loss", []float64{2, 1}, nil, PlotOptions{})
	if err != nil {
		t.Fatal(err)
	}
	sum := Summary{Source: "x.csv", Series: 5}
	r := &Report{
		Title:   "Backtest <M4>",
		Summary: &sum,
		Scores:  []Score{{Model: "naive", SMAPE: 10, MASE: 2, OWA: 1.2, Coverage80: nan}, {Model: "lstm", SMAPE: 8, MASE: 2.5, OWA: 0.9}},
		Figures: []Figure{fig, loss},
		Notes:   []string{"horizon 24"},
	}
	var b bytes.Buffer
	if err := r.WriteHTML(&b); err != nil {
		t.Fatal(err)
	}
	html := b.String()
	for _, want := range []string{
		"<title>Backtest &lt;M4&gt;</title>", "horizon 24", "x.csv",
		`<td>lstm</td><td class="n best">8.000</td>`, `<td class="n best">2.000</td>`,
		"data:image/png;base64,", "forecasts &lt;b&gt;",
	} {
		if !strings.Contains(html, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if strings.Contains(html, "ZgotmplZ") {
		t.Error("template rejected the image URL")
	}
	path := filepath.Join(t.TempDir(), "r.html")
	if err := SaveReport(path, r); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(path); err != nil || st.Size() != int64(b.Len()) {
		t.Errorf("saved report: %v", err)
	}
}
