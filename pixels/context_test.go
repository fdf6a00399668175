// Tests of the raster context: exact feature values, causality, tokens,
// panics and allocation-freedom.

package pixels

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestRasterFeatures(t *testing.T) {
	gray := Raster{W: 3, H: 2, C: 1, Levels: 5} // level l -> l/2 - 1
	grayImg := []uint8{0, 1, 2, 3, 4, 4}
	rgb := Raster{W: 2, H: 2, C: 3, Levels: 3, Classes: 2} // level l -> l - 1
	rgbImg := []uint8{0, 0, 2, 2, 2, 0, 1, 2, 1, 0, 1, 2}
	for _, tc := range []struct {
		name  string
		r     Raster
		img   []uint8
		t     int
		class int
		want  []float32
	}{
		{"first pixel", gray, grayImg, 0, -1, []float32{0, 0, 0, 0, 0, 0, 0, 0, -1, -1}},
		{"first row", gray, grayImg, 2, -1, []float32{0, 0, 0, 0, 0, 0, -0.5, 1, -1, 1}},
		{"inside", gray, grayImg, 4, -1, []float32{-0.5, 1, -1, 1, 0, 1, 0.5, 1, 1, 0}},
		{"right edge", gray, grayImg, 5, -1, []float32{0, 1, -0.5, 1, 0, 0, 1, 1, 1, 1}},
		{"left edge", gray, grayImg, 3, -1, []float32{-1, 1, 0, 0, -0.5, 1, 0, 0, 1, -1}},
		{"RGB green, class 1", rgb, rgbImg, 10, 1,
			[]float32{1, 1, -1, 1, 0, 0, 1, 1, 1, 1, 0, 1, 0, -1, 0, 0, 1}},
		{"RGB blue, no class", rgb, rgbImg, 11, -1,
			[]float32{-1, 1, 1, 1, 0, 0, 0, 1, 1, 1, 0, 0, 1, -1, 0, 0, 0}},
		{"RGB red, class 0", rgb, rgbImg, 0, 0,
			[]float32{0, 0, 0, 0, 0, 0, 0, 0, -1, -1, 1, 0, 0, 0, 0, 1, 0}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := make([]float32, tc.r.FeatureDim())
			for i := range got {
				got[i] = 42 // Features must overwrite everything
			}
			tc.r.Features(got, tc.img, tc.t, tc.class)
			if !slices.Equal(got, tc.want) {
				t.Errorf("Features(t=%d)\n got %v\nwant %v", tc.t, got, tc.want)
			}
		})
	}
}

// With Prev the features are the previous sub-pixel's level, across row
// ends (0 before the first), then the features without Prev.
func TestRasterFeaturesPrev(t *testing.T) {
	for _, r := range []Raster{{W: 3, H: 2, C: 1, Levels: 5}, {W: 2, H: 2, C: 3, Levels: 3, Classes: 2}} {
		p := r
		p.Prev = true
		if p.FeatureDim() != r.FeatureDim()+1 {
			t.Fatalf("%+v: FeatureDim %d, without Prev %d", p, p.FeatureDim(), r.FeatureDim())
		}
		img := make([]uint8, r.Len())
		for i := range img {
			img[i] = uint8((i * 7) % r.Levels)
		}
		plain, got := make([]float32, r.FeatureDim()), make([]float32, p.FeatureDim())
		for pos := range r.Len() {
			r.Features(plain, img, pos, r.Classes-1)
			p.Features(got, img, pos, r.Classes-1)
			want := float32(0)
			if pos > 0 {
				want = 2*float32(img[pos-1])/float32(r.Levels-1) - 1
			}
			if got[0] != want || !slices.Equal(got[1:], plain) {
				t.Errorf("%+v t=%d: %v, want %v then %v", p, pos, got, want, plain)
			}
		}
	}
}

func TestRasterShape(t *testing.T) {
	r := Raster{W: 4, H: 3, C: 3, Levels: 16, Classes: 10}
	if r.Len() != 36 || r.Tokens() != 17 || r.StartToken() != 16 || r.FeatureDim() != 10+5+10 {
		t.Errorf("Len %d Tokens %d Start %d FeatureDim %d", r.Len(), r.Tokens(), r.StartToken(), r.FeatureDim())
	}
	for i := range r.Len() {
		row, col, ch := r.Position(i)
		if r.Index(row, col, ch) != i || row >= r.H || col >= r.W || ch >= r.C {
			t.Errorf("Position(%d) = %d, %d, %d", i, row, col, ch)
		}
	}
	if (Raster{W: 28, H: 28, C: 1, Levels: 2}).FeatureDim() != 10 {
		t.Error("gray unconditional FeatureDim is not 10")
	}
	if err := (Raster{W: 2, H: 2, C: 2, Levels: 2}).Validate(); err == nil {
		t.Error("Validate accepted 2 channels")
	}
}

// Changing the sub-pixels at and after t never changes the token or the
// features for t.
func TestRasterCausal(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 8))
	for _, r := range []Raster{
		{W: 5, H: 4, C: 1, Levels: 2},
		{W: 3, H: 3, C: 3, Levels: 7, Classes: 3},
		{W: 1, H: 4, C: 3, Levels: 256},
		{W: 6, H: 1, C: 1, Levels: 4, Classes: 2},
		{W: 5, H: 4, C: 1, Levels: 2, Prev: true},
		{W: 3, H: 3, C: 3, Levels: 7, Classes: 3, Prev: true},
	} {
		t.Run(fmt.Sprintf("%dx%dx%d", r.W, r.H, r.C), func(t *testing.T) {
			img := make([]uint8, r.Len())
			before := make([]float32, r.FeatureDim())
			after := make([]float32, r.FeatureDim())
			for pos := range r.Len() {
				for i := range img {
					img[i] = uint8(rng.IntN(r.Levels))
				}
				class := rng.IntN(r.Classes+1) - 1
				r.Features(before, img, pos, class)
				token := r.InputToken(img, pos)
				for range 5 {
					for i := pos; i < len(img); i++ {
						img[i] = uint8(rng.IntN(256))
					}
					r.Features(after, img, pos, class)
					if !slices.Equal(before, after) {
						t.Fatalf("t=%d: features depend on img[t:]:\n%v\n%v", pos, before, after)
					}
					if r.InputToken(img, pos) != token {
						t.Fatalf("t=%d: token depends on img[t:]", pos)
					}
				}
				for _, v := range before {
					if v < -1 || v > 1 {
						t.Fatalf("t=%d: feature %v outside [-1,1]", pos, v)
					}
				}
			}
		})
	}
}

func TestRasterInputToken(t *testing.T) {
	r := Raster{W: 2, H: 1, C: 3, Levels: 4}
	img := []uint8{3, 1, 2, 0, 2, 1}
	var got []int
	for i := range r.Len() {
		got = append(got, r.InputToken(img, i))
	}
	if want := []int{4, 3, 1, 2, 0, 2}; !slices.Equal(got, want) {
		t.Errorf("tokens %v, want %v", got, want)
	}
	toks := make([]int32, 2)
	r.BatchInputTokens(toks, [][]uint8{img, {0, 0, 0, 1, 0, 0}}, 4)
	if !slices.Equal(toks, []int32{0, 1}) {
		t.Errorf("BatchInputTokens: %v", toks)
	}
}

func TestRasterBatchFeatures(t *testing.T) {
	r := Raster{W: 4, H: 4, C: 3, Levels: 8, Classes: 3}
	imgs := randomImages(9, 3, r.Len(), r.Levels)
	classes := []int{2, -1, 0}
	dst := make([]float32, len(imgs)*r.FeatureDim())
	one := make([]float32, r.FeatureDim())
	for pos := range r.Len() {
		r.BatchFeatures(dst, imgs, pos, classes)
		for b := range imgs {
			r.Features(one, imgs[b], pos, classes[b])
			if !slices.Equal(dst[b*len(one):(b+1)*len(one)], one) {
				t.Fatalf("t=%d image %d: batch and single features differ", pos, b)
			}
		}
	}
	r.BatchFeatures(dst, imgs, 5, nil)
	r.Features(one, imgs[0], 5, -1)
	if !slices.Equal(dst[:len(one)], one) {
		t.Error("nil classes differ from class -1")
	}
}

func TestRasterAllocationFree(t *testing.T) {
	r := Raster{W: 28, H: 28, C: 3, Levels: 256, Classes: 10}
	imgs := randomImages(10, 16, r.Len(), r.Levels)
	classes := make([]int, len(imgs))
	feats := make([]float32, len(imgs)*r.FeatureDim())
	toks := make([]int32, len(imgs))
	pos := 0
	allocs := testing.AllocsPerRun(200, func() {
		r.BatchFeatures(feats, imgs, pos, classes)
		r.BatchInputTokens(toks, imgs, pos)
		pos = (pos + 97) % r.Len()
	})
	if allocs != 0 {
		t.Errorf("%v allocations per batch step", allocs)
	}
}

func TestRasterPanics(t *testing.T) {
	r := Raster{W: 3, H: 2, C: 1, Levels: 4, Classes: 2}
	img := make([]uint8, 6)
	dst := make([]float32, r.FeatureDim())
	for name, f := range map[string]func(){
		"short dst":         func() { r.Features(dst[1:], img, 0, 0) },
		"short image":       func() { r.Features(dst, img[1:], 0, 0) },
		"t negative":        func() { r.Features(dst, img, -1, 0) },
		"t past end":        func() { r.InputToken(img, 6) },
		"class too large":   func() { r.Features(dst, img, 0, 2) },
		"class below -1":    func() { r.Features(dst, img, 0, -2) },
		"invalid raster":    func() { Raster{W: 3, H: 2, C: 1, Levels: 1}.InputToken(img, 0) },
		"batch token count": func() { r.BatchInputTokens(make([]int32, 1), [][]uint8{img, img}, 0) },
		"batch classes":     func() { r.BatchFeatures(make([]float32, 2*len(dst)), [][]uint8{img, img}, 0, []int{0}) },
	} {
		func() {
			defer func() {
				if msg, _ := recover().(string); len(msg) < 8 || msg[:8] != "pixels: " {
					t.Errorf("%s: panic %q, want one starting \"pixels: \"", name, msg)
				}
			}()
			f()
		}()
	}
}

func BenchmarkBatchFeatures(b *testing.B) {
	for _, r := range []Raster{
		{W: 28, H: 28, C: 1, Levels: 2},
		{W: 28, H: 28, C: 1, Levels: 256, Classes: 10},
		{W: 32, H: 32, C: 3, Levels: 256},
	} {
		const batch = 64
		imgs := randomImages(11, batch, r.Len(), r.Levels)
		feats := make([]float32, batch*r.FeatureDim())
		b.Run(fmt.Sprintf("%dx%dx%d_classes%d_batch%d", r.W, r.H, r.C, r.Classes, batch), func(b *testing.B) {
			pos := 0
			for b.Loop() {
				r.BatchFeatures(feats, imgs, pos, nil)
				pos = (pos + 1) % r.Len()
			}
		})
	}
}

// With reach 2 the neighbourhood is the two rows above, two columns either
// side, and two sub-pixels to the left: 12 neighbours.
func TestRasterFeaturesReach2(t *testing.T) {
	r := Raster{W: 4, H: 3, C: 1, Levels: 3, Context: 2} // level l -> l - 1
	img := []uint8{
		0, 1, 2, 0,
		1, 2, 0, 1,
		2, 0, 1, 2,
	}
	if r.Neighbours() != 12 || r.FeatureDim() != 26 {
		t.Fatalf("Neighbours %d, FeatureDim %d", r.Neighbours(), r.FeatureDim())
	}
	got := make([]float32, r.FeatureDim())
	r.Features(got, img, 9, -1) // row 2, column 1
	col := float32(1)
	col = 2*col/3 - 1 // in float32 arithmetic, as Features computes it
	want := []float32{
		// dy=1: dx = 0, -1, +1, -2 (outside), +2
		1, 1, 0, 1, -1, 1, 0, 0, 0, 1,
		// dy=2: dx = 0, -1, +1, -2 (outside), +2
		0, 1, -1, 1, 1, 1, 0, 0, -1, 1,
		// left: dx = -1, -2 (outside)
		1, 1, 0, 0,
		// row, column
		1, col,
	}
	if !slices.Equal(got, want) {
		t.Errorf("Features\n got %v\nwant %v", got, want)
	}
	if err := (Raster{W: 2, H: 2, C: 1, Levels: 2, Context: MaxContext + 1}).Validate(); err == nil {
		t.Error("Validate accepted a reach beyond MaxContext")
	}
}
