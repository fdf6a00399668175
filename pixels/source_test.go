// Tests of Source: each kind of source, quantization defaults, inversion
// and the errors of a bad description.

package pixels

import (
	"errors"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSourceLoad(t *testing.T) {
	dir := t.TempDir()
	a := writeFile(t, dir, "a.amat", amatText(randomImages(1, 3, 784, 2)))
	b := writeFile(t, dir, "b.amat", gzipBytes(amatText(randomImages(2, 2, 784, 2))))
	for _, name := range []string{"x/1.png", "x/2.png"} {
		p := filepath.Join(dir, "imgs", name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		png.Encode(f, drawnShape(uint64(len(name)), 10, 6, color.RGBA{250, 40, 40, 255}, color.RGBA{0, 0, 0, 255}))
		f.Close()
	}
	for _, tc := range []struct {
		name              string
		src               Source
		images, w, h, lev int
		labelled          bool
	}{
		{"amat concatenated", Source{AMat: []string{a, b}}, 5, 28, 28, 2, false},
		{"glyphs default", Source{Glyphs: 7}, 7, 16, 16, 2, true},
		{"glyphs 12, 4 levels", Source{Glyphs: 3, Width: 12, Levels: 4}, 3, 12, 12, 4, true},
		{"image folder default levels", Source{Images: filepath.Join(dir, "imgs")}, 2, 10, 6, 8, true},
		{"image folder resized", Source{Images: filepath.Join(dir, "imgs"), Width: 4, Height: 4, Levels: 2}, 2, 4, 4, 2, true},
		{"one image", Source{Image: filepath.Join(dir, "imgs", "x", "1.png"), RGB: true}, 1, 10, 6, 8, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := tc.src.Load()
			if err != nil {
				t.Fatal(err)
			}
			if len(d.Images) != tc.images || d.Width != tc.w || d.Height != tc.h || d.Levels != tc.lev || (d.Labels != nil) != tc.labelled {
				t.Errorf("%d images %dx%d, %d levels, labels %v", len(d.Images), d.Width, d.Height, d.Levels, d.Labels)
			}
			if err := d.Validate(); err != nil {
				t.Error(err)
			}
		})
	}
	plain, _ := Source{Glyphs: 2}.Load()
	inv, _ := Source{Glyphs: 2, Invert: true}.Load()
	for i, v := range plain.Images[1] {
		if inv.Images[1][i] != 1-v {
			t.Fatal("Invert did not swap the levels")
		}
	}
	for _, tc := range []struct {
		name string
		src  Source
		want string
	}{
		{"nothing", Source{}, "exactly one source"},
		{"two", Source{Glyphs: 3, AMat: []string{a}}, "exactly one source"},
		{"amat levels", Source{AMat: []string{a}, Levels: 4}, "binary"},
		{"amat resized", Source{AMat: []string{a}, Width: 10, Height: 10}, "cannot be resized"},
		{"levels", Source{Glyphs: 3, Levels: 257}, "257 levels"},
		{"glyph size", Source{Glyphs: 3, Width: 4}, "glyph size 4"},
		{"glyphs RGB", Source{Glyphs: 3, RGB: true}, "not RGB"},
		{"missing amat", Source{AMat: []string{filepath.Join(dir, "none.amat")}}, "none.amat"},
		{"empty folder", Source{Images: t.TempDir()}, "no images"},
	} {
		if _, err := tc.src.Load(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}

func TestModelLoadTakesTheModelFormat(t *testing.T) {
	d := bars(4, 1)
	m := untrained(t, d, TrainOptions{Hidden: 4})
	g, err := m.Load(Source{Glyphs: 5, Width: 30, Levels: 7})
	if err != nil {
		t.Fatal(err)
	}
	if g.Width != 8 || g.Height != 8 || g.Levels != 2 {
		t.Errorf("glyphs loaded as %dx%d, %d levels", g.Width, g.Height, g.Levels)
	}
	amat := Source{AMat: []string{writeFile(t, t.TempDir(), "a.amat", amatText(randomImages(1, 1, 784, 2)))}}
	_, err = m.Load(amat)
	if err == nil || !strings.Contains(err.Error(), "the model wants 8x8") {
		t.Errorf("amat for an 8x8 model: %v", err)
	}
	// LoadLike does the same for a validation set of a training set.
	if g, err = (Source{Glyphs: 5, Width: 30, Levels: 7}).LoadLike(d); err != nil || g.Width != 8 || g.Levels != 2 {
		t.Errorf("glyphs like 8x8 binary images: %v", err)
	}
	if _, err = amat.LoadLike(d); !errors.Is(err, ErrSizeMismatch) {
		t.Errorf("amat like 8x8 images: %v", err)
	}
}
