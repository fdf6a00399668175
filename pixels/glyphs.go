// Built-in data: small digit images drawn by the program from the Go fonts
// (golang.org/x/image/font/gofont), with seeded jitter, so that quick starts,
// examples and tests need no download.

package pixels

import (
	"fmt"
	"image"
	"image/draw"
	"math"
	"math/rand/v2"
	"sync"

	xdraw "golang.org/x/image/draw"
	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/gomedium"
	"golang.org/x/image/font/gofont/gomono"
	"golang.org/x/image/font/gofont/gomonobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/f64"
	"golang.org/x/image/math/fixed"
)

// Glyph sizes Glyphs accepts.
const (
	MinGlyphSize = 8
	MaxGlyphSize = 128
)

// glyphFonts are the typefaces the digits are drawn in: two widths of
// stroke in a proportional and a monospaced design.
var glyphFonts = [][]byte{goregular.TTF, gomedium.TTF, gobold.TTF, gomono.TTF, gomonobold.TTF}

var (
	glyphOnce  sync.Once
	glyphParse []*opentype.Font
	glyphErr   error
)

func parsedGlyphFonts() ([]*opentype.Font, error) {
	glyphOnce.Do(func() {
		for _, ttf := range glyphFonts {
			f, err := opentype.Parse(ttf)
			if err != nil {
				glyphErr = err
				return
			}
			glyphParse = append(glyphParse, f)
		}
	})
	return glyphParse, glyphErr
}

// Glyphs returns n images of the digits 0 to 9, size x size pixels, gray with
// 256 levels, labelled by digit (ClassNames "0".."9"). Each image is one
// digit drawn in one of five Go fonts of different stroke weight and then
// jittered: scaled by 0.8 to 1.1, rotated by up to 12 degrees, sheared by up
// to 0.25, shifted by up to a tenth of the size, its ink thickened or
// thinned. The digits fill about 70% of the height, as in MNIST; call
// Dataset.Quantize or Dataset.Binarize for fewer levels.
//
// Image i depends only on seed and i, so Glyphs(m, size, seed) is a prefix of
// Glyphs(n, size, seed) for m < n. Glyphs panics if n < 1 or size is outside
// MinGlyphSize..MaxGlyphSize.
func Glyphs(n, size int, seed uint64) *Dataset {
	if n < 1 || size < MinGlyphSize || size > MaxGlyphSize {
		panic(fmt.Sprintf("pixels: Glyphs(%d, %d): want n >= 1 and size in %d..%d", n, size, MinGlyphSize, MaxGlyphSize))
	}
	fonts, err := parsedGlyphFonts()
	if err != nil {
		panic("pixels: Glyphs: parsing the Go fonts: " + err.Error())
	}
	// Each (font, digit) is rendered once on a canvas four times the target
	// size, then resampled into every image that uses it.
	canvas := 4 * size
	cache := map[[2]int]*image.Gray{}
	d := &Dataset{Width: size, Height: size, Channels: 1, Levels: 256,
		Images: make([][]uint8, n), Labels: make([]int, n), ClassNames: decimalNames(10)}
	data := make([]uint8, n*size*size)
	dst := image.NewGray(image.Rect(0, 0, size, size))
	for i := range n {
		rng := rand.New(rand.NewPCG(seed, uint64(i)))
		digit, fi := rng.IntN(10), rng.IntN(len(fonts))
		src := cache[[2]int{fi, digit}]
		if src == nil {
			src = renderDigit(fonts[fi], digit, canvas)
			cache[[2]int{fi, digit}] = src
		}
		uniform := func(lo, hi float64) float64 { return lo + (hi-lo)*rng.Float64() }
		scale := uniform(0.8, 1.1) * float64(size) / float64(canvas)
		angle := uniform(-12, 12) * math.Pi / 180
		shear := uniform(-0.25, 0.25)
		dx, dy := uniform(-0.1, 0.1)*float64(size), uniform(-0.1, 0.1)*float64(size)
		gain := uniform(0.85, 1.8)

		// dst = centre + S·R·Shear·(src - centre) + shift, as source-to-
		// destination matrix [a b c; d e f].
		cos, sin := math.Cos(angle), math.Sin(angle)
		a, b := scale*cos, scale*(cos*shear-sin)
		c, e := scale*sin, scale*(sin*shear+cos)
		sc, dc := float64(canvas)/2, float64(size)/2
		m := f64.Aff3{
			a, b, dc + dx - a*sc - b*sc,
			c, e, dc + dy - c*sc - e*sc,
		}
		draw.Draw(dst, dst.Bounds(), image.Black, image.Point{}, draw.Src)
		xdraw.CatmullRom.Transform(dst, m, src, src.Bounds(), xdraw.Over, nil)
		img := data[i*size*size : (i+1)*size*size : (i+1)*size*size]
		for j, v := range dst.Pix {
			img[j] = uint8(math.Min(255, math.Round(float64(v)*gain)))
		}
		d.Images[i], d.Labels[i] = img, digit
	}
	return d
}

// renderDigit draws the digit in white on black, its ink box centred on a
// canvas x canvas image and 70% of the canvas high.
func renderDigit(f *opentype.Font, digit, canvas int) *image.Gray {
	s := string(rune('0' + digit))
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: float64(canvas), DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		panic("pixels: Glyphs: " + err.Error())
	}
	// Scale the face so that the digit's ink is 70% of the canvas high.
	ink, _ := font.BoundString(face, s)
	h := (ink.Max.Y - ink.Min.Y).Ceil()
	face.Close()
	size := float64(canvas) * 0.7 * float64(canvas) / float64(max(h, 1))
	face, err = opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		panic("pixels: Glyphs: " + err.Error())
	}
	defer face.Close()
	ink, _ = font.BoundString(face, s)
	m := image.NewGray(image.Rect(0, 0, canvas, canvas))
	half := fixed.I(canvas) / 2
	dot := fixed.Point26_6{
		X: half - (ink.Min.X+ink.Max.X)/2,
		Y: half - (ink.Min.Y+ink.Max.Y)/2,
	}
	dr := font.Drawer{Dst: m, Src: image.White, Face: face, Dot: dot}
	dr.DrawString(s)
	return m
}
