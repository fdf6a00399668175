// Tests of the built-in digit images.

package pixels

import (
	"slices"
	"testing"
)

func TestGlyphs(t *testing.T) {
	d := Glyphs(40, 16, 3)
	if err := d.Validate(); err != nil {
		t.Fatal(err)
	}
	if d.Width != 16 || d.Height != 16 || d.Channels != 1 || d.Levels != 256 || len(d.Images) != 40 || len(d.ClassNames) != 10 {
		t.Fatalf("dataset %dx%dx%d, %d levels, %d images, %d classes", d.Width, d.Height, d.Channels, d.Levels, len(d.Images), len(d.ClassNames))
	}
	seen := map[int]bool{}
	for i, img := range d.Images {
		seen[d.Labels[i]] = true
		// A digit covers part of the image, not nothing and not all: count
		// the sub-pixels above half intensity.
		on := 0
		for _, v := range img {
			if v >= 128 {
				on++
			}
		}
		if on < 8 || on > 128 {
			t.Errorf("image %d (digit %d): %d of 256 pixels on", i, d.Labels[i], on)
		}
		// The ink lies away from the borders, as in MNIST.
		for x := range 16 {
			if img[x] > 200 || img[15*16+x] > 200 {
				t.Errorf("image %d: ink on the top or bottom border", i)
				break
			}
		}
	}
	if len(seen) < 8 {
		t.Errorf("only digits %v among 40 images", seen)
	}
	prefix := Glyphs(10, 16, 3)
	if !slices.EqualFunc(prefix.Images, d.Images[:10], slices.Equal) || !slices.Equal(prefix.Labels, d.Labels[:10]) {
		t.Error("Glyphs(10) is not a prefix of Glyphs(40) with the same seed")
	}
	other := Glyphs(10, 16, 4)
	if slices.EqualFunc(other.Images, prefix.Images, slices.Equal) {
		t.Error("another seed gives the same images")
	}
	for _, size := range []int{MinGlyphSize, 28} {
		if g := Glyphs(3, size, 1); g.Width != size || len(g.Images[0]) != size*size {
			t.Errorf("size %d: got %dx%d", size, g.Width, g.Height)
		}
	}
}

func TestGlyphsPanics(t *testing.T) {
	for _, args := range [][2]int{{0, 16}, {5, MinGlyphSize - 1}, {5, MaxGlyphSize + 1}} {
		func() {
			defer func() {
				if msg, _ := recover().(string); len(msg) < 8 || msg[:8] != "pixels: " {
					t.Errorf("Glyphs(%d, %d): panic %q", args[0], args[1], msg)
				}
			}()
			Glyphs(args[0], args[1], 1)
		}()
	}
}

func BenchmarkGlyphs(b *testing.B) {
	for b.Loop() {
		Glyphs(100, 16, 1)
	}
}
