// Plots of a clip: the waveform above a log-magnitude spectrogram (STFT with
// a Hann window) and its colour scale, saved as PNG, SVG or PDF.

package audio

import (
	"fmt"
	"image/color"
	"math"
	"os"

	"gonum.org/v1/gonum/dsp/fourier"
	"gonum.org/v1/gonum/dsp/window"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/arkit-go/arkit/internal/fileio"
)

// Layout and resolution of PlotClip.
const (
	plotWidth   = 10 * vg.Inch
	plotHeight  = 6.5 * vg.Inch
	colorBarH   = 0.75 * vg.Inch
	maxColumns  = 1000 // spectrogram frames and waveform buckets across the plot
	dynamicDB   = 80   // colour range of the spectrogram below its peak
	floorDB     = -200 // level given to exact silence
	paletteSize = 256
)

// PlotClip draws clip as a waveform above its spectrogram and writes the
// figure to path, as PNG, SVG or PDF according to the extension of path. The
// spectrogram is a short-time Fourier transform with a Hann window of about
// 32 ms and 75% overlap, shown in dB relative to a full-scale sine over the
// 80 dB below its peak. Long clips are summarised: the waveform by its
// minimum and maximum in each of at most 1000 slices, the spectrogram by at
// most 1000 frames. The file is written atomically.
//
// PlotClip returns an error for an unknown extension, a clip with fewer than
// two samples, a sample that is NaN or infinite, or a rate that is not
// positive. It panics if clip is nil.
func PlotClip(path string, clip *Clip) error {
	if clip == nil {
		panic("audio: PlotClip of a nil clip")
	}
	canvas, err := newPlotCanvas(path)
	if err != nil {
		return fmt.Errorf("audio: %w", err) // names the file
	}
	if err := drawClip(draw.New(canvas), clip); err != nil {
		return fmt.Errorf("audio: %s: %w", path, err)
	}
	err = writeFileAtomic(path, func(f *os.File) error {
		_, err := canvas.WriteTo(f)
		return err
	})
	if err != nil {
		return fmt.Errorf("audio: %s: %w", path, err)
	}
	return nil
}

// newPlotCanvas returns the canvas for the format named by the extension.
func newPlotCanvas(path string) (vg.CanvasWriterTo, error) {
	format, err := fileio.PlotFormat(path)
	if err != nil {
		return nil, err
	}
	return draw.NewFormattedCanvas(plotWidth, plotHeight, format)
}

// drawClip lays out the waveform, the spectrogram and the colour bar on dc.
func drawClip(dc draw.Canvas, clip *Clip) error {
	switch {
	case clip.Rate <= 0:
		return fmt.Errorf("cannot plot a clip with sample rate %d", clip.Rate)
	case len(clip.Samples) < 2:
		return fmt.Errorf("cannot plot a clip of %d samples", len(clip.Samples))
	}
	for i, v := range clip.Samples {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return fmt.Errorf("cannot plot: sample %d is %v", i, v)
		}
	}
	spec := newSpectrogram(clip.Samples, clip.Rate)
	xmin, xmax, _, _ := spec.DataRange()

	wave := plot.New()
	wave.Title.Text = fmt.Sprintf("%d Hz, %.3f s", clip.Rate, float64(len(clip.Samples))/float64(clip.Rate))
	wave.Y.Label.Text = "amplitude"
	wave.X.Min, wave.X.Max = xmin, xmax
	wave.Y.Min, wave.Y.Max = -1, 1
	wave.Add(plotter.NewGrid())
	line, err := plotter.NewLine(waveformPoints(clip.Samples, clip.Rate))
	if err != nil {
		return err
	}
	line.Color = color.RGBA{R: 31, G: 86, B: 160, A: 255}
	line.Width = vg.Points(0.6)
	wave.Add(line)

	colors := moreland.ExtendedBlackBody()
	colors.SetMin(spec.Min)
	colors.SetMax(spec.Max)
	heat := plotter.NewHeatMap(spec, colors.Palette(paletteSize))
	heat.Min, heat.Max = spec.Min, spec.Max
	heat.Underflow = heat.Palette.Colors()[0]
	heat.Rasterized = true
	sp := plot.New()
	sp.X.Label.Text = "time (s)"
	sp.Y.Label.Text = "frequency (kHz)"
	sp.Add(rasterHeatMap{heat})
	sp.X.Min, sp.X.Max = xmin, xmax

	bar := plot.New()
	bar.X.Label.Text = "level (dB relative to a full-scale sine)"
	bar.HideY()
	bar.Add(&plotter.ColorBar{ColorMap: colors})

	top := draw.Crop(dc, 0, 0, colorBarH, 0)
	tiles := draw.Tiles{Rows: 2, Cols: 1, PadTop: vg.Points(4), PadBottom: vg.Points(2), PadLeft: vg.Points(4), PadRight: vg.Points(12), PadY: vg.Points(8)}
	cells := plot.Align([][]*plot.Plot{{wave}, {sp}}, tiles, top)
	wave.Draw(cells[0][0])
	sp.Draw(cells[1][0])

	// The colour bar spans the spectrogram's data area.
	data := sp.DataCanvas(cells[1][0])
	strip := draw.Crop(dc, data.Min.X-dc.Min.X, data.Max.X-dc.Max.X, vg.Points(2), colorBarH-dc.Max.Y+dc.Min.Y)
	inner := bar.DataCanvas(strip)
	bar.Draw(draw.Crop(strip, data.Min.X-inner.Min.X, data.Max.X-inner.Max.X, 0, 0))
	return nil
}

// rasterHeatMap draws a heat map without its glyph boxes, which would pad
// the spectrogram's axes and misalign them with the waveform's.
type rasterHeatMap struct{ *plotter.HeatMap }

func (h rasterHeatMap) Plot(c draw.Canvas, p *plot.Plot) { h.HeatMap.Plot(c, p) }

func (h rasterHeatMap) DataRange() (xmin, xmax, ymin, ymax float64) { return h.HeatMap.DataRange() }

// GlyphBoxes returns nothing: the heat map fills its data range exactly.
func (rasterHeatMap) GlyphBoxes(*plot.Plot) []plot.GlyphBox { return nil }

// waveformPoints returns the samples as (time, value) points, or for a long
// clip the minimum and maximum of each of maxColumns slices, alternating, so
// that the line fills the envelope.
func waveformPoints(x []float32, rate int) plotter.XYs {
	dt := 1 / float64(rate)
	if len(x) <= 4*maxColumns {
		pts := make(plotter.XYs, len(x))
		for i, v := range x {
			pts[i] = plotter.XY{X: float64(i) * dt, Y: float64(v)}
		}
		return pts
	}
	pts := make(plotter.XYs, 0, 2*maxColumns)
	for b := range maxColumns {
		lo, hi := b*len(x)/maxColumns, (b+1)*len(x)/maxColumns
		minV, maxV := x[lo], x[lo]
		for _, v := range x[lo:hi] {
			minV, maxV = min(minV, v), max(maxV, v)
		}
		t := float64(lo+hi) / 2 * dt
		pts = append(pts, plotter.XY{X: t, Y: float64(minV)}, plotter.XY{X: t, Y: float64(maxV)})
	}
	return pts
}

// spectrogram is a log-magnitude STFT laid out as a plotter.GridXYZ: column
// c is the frame centred on sample (c+0.5)*hop, row r the frequency r*rate/n.
type spectrogram struct {
	db       []float64 // column-major: db[c*rows+r]
	cols     int
	rows     int
	hop, n   int
	rate     float64
	Min, Max float64 // colour range: the peak level and dynamicDB below it
}

func (s *spectrogram) Dims() (c, r int)   { return s.cols, s.rows }
func (s *spectrogram) Z(c, r int) float64 { return s.db[c*s.rows+r] }
func (s *spectrogram) X(c int) float64    { return (float64(c) + 0.5) * float64(s.hop) / s.rate }
func (s *spectrogram) Y(r int) float64    { return float64(r) * s.rate / float64(s.n) / 1000 }
func (s *spectrogram) DataRange() (xmin, xmax, ymin, ymax float64) {
	return 0, float64(s.cols*s.hop) / s.rate, -0.5 * s.rate / float64(s.n) / 1000, s.Y(s.rows-1) + 0.5*s.rate/float64(s.n)/1000
}

// newSpectrogram computes the STFT of x: a Hann window of the power of two
// nearest to 32 ms, a hop of a quarter window (longer for long clips, so
// that there are at most maxColumns frames), zeros outside x, and levels in
// dB relative to the peak bin of a full-scale sine.
func newSpectrogram(x []float32, rate int) *spectrogram {
	n := 1 << int(math.Round(math.Log2(0.032*float64(rate))))
	n = min(max(n, 16), 1<<13)
	hop := max(n/4, (len(x)+maxColumns-1)/maxColumns)
	s := &spectrogram{
		cols: (len(x) + hop - 1) / hop,
		rows: n/2 + 1,
		hop:  hop,
		n:    n,
		rate: float64(rate),
	}
	s.db = make([]float64, s.cols*s.rows)

	win := window.NewValues(window.Hann, n)
	var gain float64 // a full-scale sine peaks at gain/2 in its bin
	for _, w := range win {
		gain += w
	}
	fft := fourier.NewFFT(n)
	frame := make([]float64, n)
	coef := make([]complex128, n/2+1)
	peak := math.Inf(-1)
	for c := range s.cols {
		start := (2*c+1)*hop/2 - n/2
		for i := range frame {
			frame[i] = 0
			if j := start + i; j >= 0 && j < len(x) {
				frame[i] = float64(x[j]) * win[i]
			}
		}
		fft.Coefficients(coef, frame)
		col := s.db[c*s.rows : (c+1)*s.rows]
		for r, z := range coef {
			mag := math.Hypot(real(z), imag(z)) * 2 / gain
			db := float64(floorDB)
			if mag > 0 {
				db = max(20*math.Log10(mag), floorDB)
			}
			col[r] = db
			peak = max(peak, db)
		}
	}
	s.Max = math.Ceil(peak/10) * 10
	s.Min = s.Max - dynamicDB
	return s
}

// A compile-time check that the spectrogram is what the heat map consumes.
var _ plotter.GridXYZ = (*spectrogram)(nil)
