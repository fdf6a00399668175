// Tests of the image grids and the atomic PNG writer.

package pixels

import (
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var gapGray = color.RGBA{128, 128, 128, 255}

func TestGridImage(t *testing.T) {
	r := Raster{W: 2, H: 1, C: 1, Levels: 2}
	m := Grid{Cols: 2, Scale: 2, Gap: 1}.Image(r, [][]uint8{{0, 1}, {1, 1}, {0, 0}})
	if m.Bounds() != image.Rect(0, 0, 11, 7) {
		t.Fatalf("bounds %v, want 11x7", m.Bounds())
	}
	for _, tc := range []struct {
		x, y int
		want color.RGBA
	}{
		{0, 0, gapGray}, {5, 2, gapGray}, // border, gap between cells
		{1, 1, black}, {2, 2, black}, {3, 1, white}, {4, 2, white}, // image 0, scaled x2
		{6, 1, white}, {9, 2, white}, // image 1
		{1, 4, black}, {4, 5, black}, // image 2 on the second row
		{6, 4, gapGray}, {9, 5, gapGray}, // the empty fourth cell
	} {
		if got := m.RGBAAt(tc.x, tc.y); got != tc.want {
			t.Errorf("pixel (%d,%d) = %v, want %v", tc.x, tc.y, got, tc.want)
		}
	}
}

func TestGridDefaults(t *testing.T) {
	for _, tc := range []struct {
		r         Raster
		n         int
		wantW, wh int
	}{
		{Raster{W: 28, H: 28, C: 1, Levels: 2}, 64, 8*(56+1) + 1, 8*(56+1) + 1}, // scale 2, 8x8
		{Raster{W: 64, H: 32, C: 3, Levels: 4}, 5, 3*(64+1) + 1, 2*(32+1) + 1},  // scale 1, 3 cols
		{Raster{W: 5, H: 5, C: 1, Levels: 8}, 2, 2*(50+1) + 1, 50 + 2},          // scale 10, one row
	} {
		m := Grid{}.Image(tc.r, randomImages(12, tc.n, tc.r.Len(), tc.r.Levels))
		if m.Bounds().Dx() != tc.wantW || m.Bounds().Dy() != tc.wh {
			t.Errorf("%d images of %dx%d: grid %v, want %dx%d", tc.n, tc.r.W, tc.r.H, m.Bounds(), tc.wantW, tc.wh)
		}
	}
}

func TestGridRGBAndColours(t *testing.T) {
	r := Raster{W: 1, H: 1, C: 3, Levels: 4}
	gap := color.RGBA{1, 2, 3, 255}
	m := Grid{Scale: 1, Gap: 2, GapColor: gap}.Image(r, [][]uint8{{3, 1, 0}})
	if m.Bounds() != image.Rect(0, 0, 5, 5) || m.RGBAAt(0, 0) != gap || m.RGBAAt(2, 2) != (color.RGBA{255, 85, 0, 255}) {
		t.Errorf("bounds %v, gap %v, pixel %v", m.Bounds(), m.RGBAAt(0, 0), m.RGBAAt(2, 2))
	}
}

func TestGridCompletions(t *testing.T) {
	r := Raster{W: 2, H: 3, C: 1, Levels: 2}
	orig := [][]uint8{{1, 1, 1, 1, 1, 1}, {0, 0, 0, 0, 0, 0}}
	comps := [][][]uint8{{{0, 1, 0, 1, 0, 1}, {1, 0, 1, 0, 1, 0}}, {{1, 1, 1, 1, 1, 1}}}
	mask := color.RGBA{200, 0, 200, 255}
	m := Grid{Scale: 1, MaskColor: mask}.Completions(r, orig, 1, comps)
	if m.Bounds() != image.Rect(0, 0, 4*3+1, 2*4+1) {
		t.Fatalf("bounds %v, want 4 columns, 2 rows", m.Bounds())
	}
	cell := func(row, col, x, y int) color.RGBA { return m.RGBAAt(1+col*3+x, 1+row*4+y) }
	for _, tc := range []struct {
		row, col, x, y int
		want           color.RGBA
	}{
		{0, 0, 0, 2, white}, // original, bottom row
		{0, 1, 1, 0, white}, // masked copy, known top row
		{0, 1, 0, 1, mask},  // masked copy, hidden rows
		{0, 1, 1, 2, mask},
		{1, 1, 0, 0, black},
		{1, 1, 0, 2, mask},
		{0, 2, 0, 0, black}, {0, 2, 1, 0, white}, // first completion
		{0, 3, 0, 0, white}, // second completion
		{1, 2, 1, 2, white},
		{1, 3, 0, 0, gapGray}, // second row has one completion only
	} {
		if got := cell(tc.row, tc.col, tc.x, tc.y); got != tc.want {
			t.Errorf("row %d column %d pixel (%d,%d) = %v, want %v", tc.row, tc.col, tc.x, tc.y, got, tc.want)
		}
	}
}

func TestGridPanics(t *testing.T) {
	r := Raster{W: 2, H: 2, C: 1, Levels: 2}
	img := []uint8{0, 1, 1, 0}
	for name, f := range map[string]func(){
		"no images":       func() { Grid{}.Image(r, nil) },
		"wrong length":    func() { Grid{}.Image(r, [][]uint8{img[:3]}) },
		"level too high":  func() { Grid{}.Image(r, [][]uint8{{0, 2, 0, 0}}) },
		"negative gap":    func() { Grid{Gap: -1}.Image(r, [][]uint8{img}) },
		"invalid raster":  func() { Grid{}.Image(Raster{W: 2, H: 2, C: 2, Levels: 2}, [][]uint8{img}) },
		"known rows":      func() { Grid{}.Completions(r, [][]uint8{img}, 3, [][][]uint8{nil}) },
		"completion list": func() { Grid{}.Completions(r, [][]uint8{img}, 1, nil) },
	} {
		func() {
			defer func() {
				if msg, _ := recover().(string); !strings.HasPrefix(msg, "pixels: ") {
					t.Errorf("%s: panic %q, want one starting \"pixels: \"", name, msg)
				}
			}()
			f()
		}()
	}
}

func TestWritePNG(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "grid.png")
	r := Raster{W: 3, H: 2, C: 3, Levels: 4}
	m := Grid{}.Image(r, randomImages(13, 5, r.Len(), r.Levels))
	if err := os.WriteFile(path, []byte("old content"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := WritePNG(path, m); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	back, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	b := m.Bounds()
	if back.Bounds() != b {
		t.Fatalf("read back %v, wrote %v", back.Bounds(), b)
	}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if color.RGBAModel.Convert(back.At(x, y)) != m.At(x, y) {
				t.Fatalf("pixel (%d,%d) differs after the round trip", x, y)
			}
		}
	}
	if st, err := os.Stat(path); err != nil || st.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, %v", st.Mode(), err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("folder holds %d entries, want the PNG only", len(entries))
	}

	// Failures name the file and leave no temporary file behind.
	missing := filepath.Join(dir, "no", "such", "dir", "x.png")
	if err := WritePNG(missing, m); err == nil || !strings.Contains(err.Error(), missing) {
		t.Errorf("missing folder: %v", err)
	}
	sub := filepath.Join(dir, "taken")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := WritePNG(sub, m); err == nil {
		t.Error("writing over a folder succeeded")
	}
	if err := WritePNG(filepath.Join(dir, "empty.png"), image.NewRGBA(image.Rect(0, 0, 0, 0))); err == nil {
		t.Error("writing an empty image succeeded")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 2 {
		t.Errorf("after failures the folder holds %d entries, want 2", len(entries))
	}
}
