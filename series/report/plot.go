// Plots with gonum/plot: forecasts with their 80% and 95% bands in a grid
// of panels, and training-loss curves, as PNG, SVG or PDF.

package report

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/arkit-go/arkit/internal/fileio"
	"github.com/arkit-go/arkit/series/forecast"
	"github.com/arkit-go/arkit/series/table"
)

// PlotLevels are the quantile levels the forecast plots draw: the median
// and the 80% and 95% bands.
var PlotLevels = []float64{0.025, 0.1, 0.5, 0.9, 0.975}

// PlotOptions configures the plots. The zero value is useful.
type PlotOptions struct {
	// History is the number of past points shown before the forecast;
	// 0 means three horizons (at least 48).
	History int
	// MaxPanels caps the number of series drawn; 0 means 6.
	MaxPanels int
	// Columns is the number of panels per row; 0 means 2 (1 for a single
	// panel).
	Columns int
	// PanelWidth and PanelHeight size each panel; 0 means 16 cm by 8 cm.
	PanelWidth, PanelHeight vg.Length
	// Title is drawn above the panels when not empty.
	Title string
	// XLabel labels the x axis of a loss plot; "" means "epoch".
	XLabel string
}

func (o PlotOptions) panelSize() (vg.Length, vg.Length) {
	w, h := o.PanelWidth, o.PanelHeight
	if w <= 0 {
		w = 16 * vg.Centimeter
	}
	if h <= 0 {
		h = 8 * vg.Centimeter
	}
	return w, h
}

// Colours of the forecast plots.
var (
	colHistory = color.RGBA{R: 60, G: 60, B: 60, A: 255}
	colActual  = color.RGBA{A: 255}
	colMedian  = color.RGBA{R: 31, G: 94, B: 180, A: 255}
	colBand80  = color.NRGBA{R: 31, G: 94, B: 180, A: 90}
	colBand95  = color.NRGBA{R: 31, G: 94, B: 180, A: 45}
	colValid   = color.RGBA{R: 200, G: 80, B: 20, A: 255}
)

// FormatOf returns the image format of a file name: "png", "svg" or
// "pdf" (also "jpg", "jpeg", "tif", "tiff", "eps"), or an error.
func FormatOf(path string) (string, error) {
	f, err := fileio.PlotFormat(path)
	if err != nil {
		return "", fmt.Errorf("series: %w", err)
	}
	return f, nil
}

// WriteForecastPlot draws forecasts in a grid of panels, one per series up
// to MaxPanels, and writes the image in format ("png", "svg", "pdf").
// history[i] is the data before fcs[i] (same ID); actual, if not nil,
// holds the true future values, drawn over the forecast.
func WriteForecastPlot(w io.Writer, format string, history []table.Series, fcs []forecast.Forecast, actual []table.Series, opt PlotOptions) error {
	if len(fcs) == 0 {
		return fmt.Errorf("series: plot: %w: no forecasts", table.ErrEmpty)
	}
	if len(history) != len(fcs) || (actual != nil && len(actual) != len(fcs)) {
		return fmt.Errorf("series: plot: %d forecasts, %d history series, %d actual series", len(fcs), len(history), len(actual))
	}
	n := len(fcs)
	maxPanels := opt.MaxPanels
	if maxPanels <= 0 {
		maxPanels = 6
	}
	n = min(n, maxPanels)
	cols := opt.Columns
	if cols <= 0 {
		cols = 2
	}
	cols = min(cols, n)
	rows := (n + cols - 1) / cols
	plots := make([][]*plot.Plot, rows)
	for r := range plots {
		plots[r] = make([]*plot.Plot, cols)
	}
	for i := range n {
		var act *table.Series
		if actual != nil {
			act = &actual[i]
		}
		p, err := forecastPanel(history[i], &fcs[i], act, opt, i == 0)
		if err != nil {
			return err
		}
		plots[i/cols][i%cols] = p
	}
	pw, ph := opt.panelSize()
	return drawGrid(w, format, plots, pw, ph, opt.Title)
}

// SaveForecastPlot writes the forecast plot to path atomically, in the
// format its extension names.
func SaveForecastPlot(path string, history []table.Series, fcs []forecast.Forecast, actual []table.Series, opt PlotOptions) error {
	format, err := FormatOf(path)
	if err != nil {
		return err
	}
	return writeFileAtomic(path, func(w io.Writer) error {
		return WriteForecastPlot(w, format, history, fcs, actual, opt)
	})
}

// drawGrid tiles plots on one canvas, with an optional title strip.
func drawGrid(w io.Writer, format string, plots [][]*plot.Plot, pw, ph vg.Length, title string) error {
	rows, cols := len(plots), len(plots[0])
	titleH := vg.Length(0)
	if title != "" {
		titleH = 1 * vg.Centimeter
	}
	cw, err := draw.NewFormattedCanvas(vg.Length(cols)*pw, vg.Length(rows)*ph+titleH, format)
	if err != nil {
		return fmt.Errorf("series: plot: %w", err)
	}
	dc := draw.New(cw)
	if title != "" {
		sty := plot.New().Title.TextStyle
		sty.Font.Size = 14
		sty.XAlign = draw.XCenter
		sty.YAlign = draw.YCenter
		dc.FillText(sty, vg.Point{X: (dc.Min.X + dc.Max.X) / 2, Y: dc.Max.Y - titleH/2}, title)
	}
	tiles := draw.Tiles{Rows: rows, Cols: cols, PadTop: titleH + 2, PadBottom: 2, PadLeft: 2, PadRight: 6, PadX: 8, PadY: 8}
	canvases := plot.Align(plots, tiles, dc)
	for r := range plots {
		for c, p := range plots[r] {
			if p != nil {
				p.Draw(canvases[r][c])
			}
		}
	}
	if _, err := cw.WriteTo(w); err != nil {
		return fmt.Errorf("series: plot: %w", err)
	}
	return nil
}

// runs splits points into runs of consecutive finite points.
func runs(xs, ys []float64) []plotter.XYs {
	var out []plotter.XYs
	var cur plotter.XYs
	for i := range xs {
		if finite(xs[i]) && finite(ys[i]) {
			cur = append(cur, plotter.XY{X: xs[i], Y: ys[i]})
			continue
		}
		if len(cur) > 0 {
			out = append(out, cur)
			cur = nil
		}
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// addLine draws ys against xs, skipping missing points; the first segment
// gets the legend entry.
func addLine(p *plot.Plot, xs, ys []float64, c color.Color, width vg.Length, dashes []vg.Length, legend string) error {
	for k, seg := range runs(xs, ys) {
		var l *plotter.Line
		var err error
		if len(seg) == 1 {
			s, err := plotter.NewScatter(seg)
			if err != nil {
				return fmt.Errorf("series: plot: %w", err)
			}
			s.GlyphStyle.Color = c
			s.GlyphStyle.Radius = width
			s.GlyphStyle.Shape = draw.CircleGlyph{}
			p.Add(s)
			continue
		}
		if l, err = plotter.NewLine(seg); err != nil {
			return fmt.Errorf("series: plot: %w", err)
		}
		l.Color = c
		l.Width = width
		l.Dashes = dashes
		p.Add(l)
		if k == 0 && legend != "" {
			p.Legend.Add(legend, l)
		}
	}
	return nil
}

// addBand shades the area between lo and hi, skipping missing points.
func addBand(p *plot.Plot, xs, lo, hi []float64, c color.Color, legend string) error {
	var seg plotter.XYs
	var rev plotter.XYs
	flush := func(first bool) error {
		if len(seg) < 2 {
			seg, rev = nil, nil
			return nil
		}
		ring := append(plotter.XYs{}, seg...)
		for i := len(rev) - 1; i >= 0; i-- {
			ring = append(ring, rev[i])
		}
		poly, err := plotter.NewPolygon(ring)
		if err != nil {
			return fmt.Errorf("series: plot: %w", err)
		}
		poly.Color = c
		poly.LineStyle.Width = 0
		p.Add(poly)
		if first && legend != "" {
			p.Legend.Add(legend, poly)
		}
		seg, rev = nil, nil
		return nil
	}
	first := true
	for i := range xs {
		if finite(xs[i]) && finite(lo[i]) && finite(hi[i]) {
			seg = append(seg, plotter.XY{X: xs[i], Y: lo[i]})
			rev = append(rev, plotter.XY{X: xs[i], Y: hi[i]})
			continue
		}
		if len(seg) >= 2 {
			if err := flush(first); err != nil {
				return err
			}
			first = false
		}
		seg, rev = nil, nil
	}
	return flush(first)
}

// timeTicker puts time-axis ticks on round calendar boundaries (hours,
// days, months, years; UTC) and labels them at the precision the spacing
// needs. Axis values are Unix seconds.
type timeTicker struct{}

var tickSteps = []struct {
	secs   float64 // fixed step, or
	months int     // calendar months
	format string
}{
	{1, 0, "15:04:05"}, {5, 0, "15:04:05"}, {15, 0, "15:04:05"}, {30, 0, "15:04:05"},
	{60, 0, "15:04"}, {300, 0, "15:04"}, {900, 0, "15:04"}, {1800, 0, "15:04"},
	{3600, 0, "01-02 15h"}, {3 * 3600, 0, "01-02 15h"}, {6 * 3600, 0, "01-02 15h"}, {12 * 3600, 0, "01-02 15h"},
	{86400, 0, "2006-01-02"}, {2 * 86400, 0, "2006-01-02"}, {7 * 86400, 0, "2006-01-02"}, {14 * 86400, 0, "2006-01-02"},
	{0, 1, "2006-01"}, {0, 3, "2006-01"}, {0, 6, "2006-01"},
	{0, 12, "2006"}, {0, 24, "2006"}, {0, 60, "2006"}, {0, 120, "2006"}, {0, 240, "2006"}, {0, 600, "2006"},
}

// Ticks implements plot.Ticker.
func (timeTicker) Ticks(lo, hi float64) []plot.Tick {
	span := hi - lo
	if !(span > 0) || !finite(span) {
		return plot.DefaultTicks{}.Ticks(lo, hi)
	}
	const want = 5
	for _, st := range tickSteps {
		size := st.secs
		if st.months > 0 {
			size = float64(st.months) * 30.44 * 86400
		}
		if span/size > want && st != tickSteps[len(tickSteps)-1] {
			continue
		}
		var ticks []plot.Tick
		add := func(t time.Time) {
			ticks = append(ticks, plot.Tick{Value: float64(t.Unix()), Label: t.Format(st.format)})
		}
		if st.months == 0 {
			for x := math.Ceil(lo/size) * size; x <= hi; x += size {
				add(time.Unix(int64(x), 0).UTC())
			}
		} else {
			t0 := time.Unix(int64(math.Floor(lo)), 0).UTC()
			m := (t0.Year()*12 + int(t0.Month()) - 1 + st.months - 1) / st.months * st.months
			for t := time.Date(m/12, time.Month(m%12+1), 1, 0, 0, 0, 0, time.UTC); float64(t.Unix()) <= hi; t = t.AddDate(0, st.months, 0) {
				if float64(t.Unix()) >= lo {
					add(t)
				}
			}
		}
		if len(ticks) >= 2 {
			return ticks
		}
	}
	return plot.DefaultTicks{}.Ticks(lo, hi)
}

func unixSeconds(ts []time.Time) []float64 {
	out := make([]float64, len(ts))
	for i, t := range ts {
		out[i] = float64(t.Unix()) + float64(t.Nanosecond())/1e9
	}
	return out
}

func forecastPanel(hist table.Series, f *forecast.Forecast, actual *table.Series, opt PlotOptions, legend bool) (*plot.Plot, error) {
	if hist.ID != f.ID || (actual != nil && actual.ID != f.ID) {
		return nil, fmt.Errorf("series: plot: forecast %q does not match history %q", f.ID, hist.ID)
	}
	h := f.Horizon()
	keep := opt.History
	if keep <= 0 {
		keep = max(3*h, 48)
	}
	start := max(hist.Len()-keep, 0)
	past := hist.Slice(start, hist.Len())
	p := plot.New()
	title := f.ID
	if f.Model != "" {
		title += "  (" + f.Model + ")"
	}
	p.Title.Text = title
	p.Legend.Top, p.Legend.Left = true, true
	var xPast, xFut []float64
	timed := past.Times != nil && f.Times != nil
	if timed {
		xPast, xFut = unixSeconds(past.Times), unixSeconds(f.Times)
		p.X.Tick.Marker = timeTicker{}
	} else {
		xPast = make([]float64, past.Len())
		for i := range xPast {
			xPast[i] = float64(start + i)
		}
		xFut = make([]float64, h)
		for k := range xFut {
			xFut[k] = float64(hist.Len() + k)
		}
		p.X.Label.Text = "step"
	}
	if lo, hi := f.Interval(0.95); lo != nil {
		if err := addBand(p, xFut, lo, hi, colBand95, "95%"); err != nil {
			return nil, err
		}
	}
	if lo, hi := f.Interval(0.8); lo != nil {
		if err := addBand(p, xFut, lo, hi, colBand80, "80%"); err != nil {
			return nil, err
		}
	}
	if err := addLine(p, xPast, past.Values, colHistory, 1, nil, "history"); err != nil {
		return nil, err
	}
	if actual != nil {
		ys := actual.Values
		xs := xFut
		if len(ys) < len(xs) {
			xs = xs[:len(ys)]
		}
		if err := addLine(p, xs, ys[:len(xs)], colActual, 1.2, []vg.Length{vg.Points(3), vg.Points(2)}, "actual"); err != nil {
			return nil, err
		}
	}
	name, line := "median", f.Quantile(0.5)
	if line == nil {
		name, line = "forecast", f.PointForecast()
	}
	if err := addLine(p, xFut, line, colMedian, 1.5, nil, name); err != nil {
		return nil, err
	}
	if legend {
		// Headroom so the legend does not cover the data.
		if r := p.Y.Max - p.Y.Min; finite(r) {
			p.Y.Max += 0.35 * r
		}
	} else {
		p.Legend = plot.NewLegend()
	}
	return p, nil
}

// WriteLossPlot draws training curves: train[i] and valid[i] are the
// losses after epoch (or step, or evaluation: see PlotOptions.XLabel) i+1;
// valid may be nil or of another length. Missing (NaN) points are skipped.
func WriteLossPlot(w io.Writer, format string, train, valid []float64, opt PlotOptions) error {
	if len(train) == 0 && len(valid) == 0 {
		return fmt.Errorf("series: loss plot: %w: no losses", table.ErrEmpty)
	}
	p := plot.New()
	p.X.Label.Text = "epoch"
	if opt.XLabel != "" {
		p.X.Label.Text = opt.XLabel
	}
	p.Y.Label.Text = "loss"
	p.Legend.Top = true
	xs := func(n int) []float64 {
		out := make([]float64, n)
		for i := range out {
			out[i] = float64(i + 1)
		}
		return out
	}
	if err := addLine(p, xs(len(train)), train, colMedian, 1.5, nil, "train"); err != nil {
		return err
	}
	if len(valid) > 0 {
		if err := addLine(p, xs(len(valid)), valid, colValid, 1.5, []vg.Length{vg.Points(4), vg.Points(2)}, "validation"); err != nil {
			return err
		}
	}
	pw, ph := opt.panelSize()
	return drawGrid(w, format, [][]*plot.Plot{{p}}, pw, ph, opt.Title)
}

// SaveLossPlot writes the loss plot to path atomically, in the format its
// extension names.
func SaveLossPlot(path string, train, valid []float64, opt PlotOptions) error {
	format, err := FormatOf(path)
	if err != nil {
		return err
	}
	return writeFileAtomic(path, func(w io.Writer) error {
		return WriteLossPlot(w, format, train, valid, opt)
	})
}
