// Grids of images for looking at data and samples: a plain rows x columns
// grid, a completion figure (original, masked input, completions), and an
// atomic PNG writer.

package pixels

import (
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"math"

	"github.com/arkit-go/arkit/core"
)

// Grid lays out images in rows and columns, levels mapped back to 0..255
// (Dequantize). The zero value gives a near-square layout, a 1-pixel mid-gray
// gap and enough upscaling for small images to be seen.
type Grid struct {
	// Cols is the number of columns of Image; zero means ceil(sqrt(n)).
	Cols int
	// Scale is the integer upscaling factor (each pixel becomes a Scale x
	// Scale block); zero means the smallest factor making the longer side at
	// least 48 pixels.
	Scale int
	// Gap is the width in pixels of the lines between and around cells;
	// zero means 1.
	Gap int
	// GapColor colours the gaps and empty cells; nil means mid gray.
	GapColor color.Color
	// MaskColor colours the hidden rows in Completions; nil means a muted
	// blue, distinct from any gray level.
	MaskColor color.Color
}

var (
	defaultGapColor  = color.RGBA{128, 128, 128, 255}
	defaultMaskColor = color.RGBA{70, 100, 170, 255}
)

// Image draws imgs, each of r.Len() levels, row by row in a grid of g.Cols
// columns. r.Classes is ignored.
//
// Image panics if r is invalid, imgs is empty, an image has the wrong length
// or a level out of range, or a field of g is negative.
func (g Grid) Image(r Raster, imgs [][]uint8) *image.RGBA {
	if len(imgs) == 0 {
		panic("pixels: Grid.Image: no images")
	}
	g.check(r)
	cols := g.Cols
	if cols == 0 {
		cols = int(math.Ceil(math.Sqrt(float64(len(imgs)))))
	}
	cols = min(cols, len(imgs))
	rows := (len(imgs) + cols - 1) / cols
	canvas := g.canvas(r, rows, cols)
	for i, img := range imgs {
		g.drawCell(canvas, r, i/cols, i%cols, img, r.H)
	}
	return canvas
}

// Completions draws one row per original: originals[i], the same image with
// its rows from knownRows on hidden (filled with MaskColor), then the
// completions[i][0], completions[i][1], ... of it. Rows may hold different
// numbers of completions; missing cells are left in GapColor. g.Cols is
// ignored.
//
// Completions panics if r is invalid, originals is empty or of another length
// than completions, knownRows is outside 0..r.H, an image has the wrong length
// or a level out of range, or a field of g is negative.
func (g Grid) Completions(r Raster, originals [][]uint8, knownRows int, completions [][][]uint8) *image.RGBA {
	if len(originals) == 0 || len(originals) != len(completions) {
		panic(fmt.Sprintf("pixels: Grid.Completions: %d originals, %d lists of completions", len(originals), len(completions)))
	}
	if knownRows < 0 || knownRows > r.H {
		panic(fmt.Sprintf("pixels: Grid.Completions: %d known rows of %d", knownRows, r.H))
	}
	g.check(r)
	k := 0
	for _, c := range completions {
		k = max(k, len(c))
	}
	canvas := g.canvas(r, len(originals), 2+k)
	for i, orig := range originals {
		g.drawCell(canvas, r, i, 0, orig, r.H)
		g.drawCell(canvas, r, i, 1, orig, knownRows)
		for j, c := range completions[i] {
			g.drawCell(canvas, r, i, 2+j, c, r.H)
		}
	}
	return canvas
}

func (g Grid) check(r Raster) {
	if err := r.Validate(); err != nil {
		panic(fmt.Sprintf("pixels: Grid: invalid raster: %v", err))
	}
	if g.Cols < 0 || g.Scale < 0 || g.Gap < 0 {
		panic(fmt.Sprintf("pixels: Grid: negative field in %+v", g))
	}
}

func (g Grid) scale(r Raster) int {
	if g.Scale > 0 {
		return g.Scale
	}
	return max(1, (48+max(r.W, r.H)-1)/max(r.W, r.H))
}

func (g Grid) gap() int {
	if g.Gap > 0 {
		return g.Gap
	}
	return 1
}

// canvas returns an image of rows x cols cells filled with the gap colour.
func (g Grid) canvas(r Raster, rows, cols int) *image.RGBA {
	s, gap := g.scale(r), g.gap()
	w := cols*(r.W*s+gap) + gap
	h := rows*(r.H*s+gap) + gap
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	fill := color.RGBAModel.Convert(orDefault(g.GapColor, defaultGapColor)).(color.RGBA)
	for i := 0; i < len(m.Pix); i += 4 {
		m.Pix[i], m.Pix[i+1], m.Pix[i+2], m.Pix[i+3] = fill.R, fill.G, fill.B, fill.A
	}
	return m
}

// drawCell draws img into the cell at (row, col), showing its rows from
// hideFrom on in the mask colour.
func (g Grid) drawCell(m *image.RGBA, r Raster, row, col int, img []uint8, hideFrom int) {
	if len(img) != r.Len() {
		panic(fmt.Sprintf("pixels: Grid: image has length %d, want %d", len(img), r.Len()))
	}
	s, gap := g.scale(r), g.gap()
	x0 := gap + col*(r.W*s+gap)
	y0 := gap + row*(r.H*s+gap)
	mask := color.RGBAModel.Convert(orDefault(g.MaskColor, defaultMaskColor)).(color.RGBA)
	for y := range r.H {
		for x := range r.W {
			c := mask
			if y < hideFrom {
				p := img[(y*r.W+x)*r.C:]
				c.R = Dequantize(p[0], r.Levels)
				c.G, c.B, c.A = c.R, c.R, 255
				if r.C == 3 {
					c.G, c.B = Dequantize(p[1], r.Levels), Dequantize(p[2], r.Levels)
				}
			}
			for dy := range s {
				i := m.PixOffset(x0+x*s, y0+y*s+dy)
				for range s {
					m.Pix[i], m.Pix[i+1], m.Pix[i+2], m.Pix[i+3] = c.R, c.G, c.B, c.A
					i += 4
				}
			}
		}
	}
}

func orDefault(c, def color.Color) color.Color {
	if c == nil {
		return def
	}
	return c
}

// WritePNG writes m to path as PNG, atomically (core.WriteFileAtomic): it
// encodes into a temporary file in the same folder and renames it over path
// only once complete, so readers never see a partial file. The file gets
// mode 0644. Errors name the file.
func WritePNG(path string, m image.Image) error {
	err := core.WriteFileAtomic(path, func(w io.Writer) error { return png.Encode(w, m) })
	if err != nil {
		return fmt.Errorf("pixels: %s: %w", path, err)
	}
	return nil
}
