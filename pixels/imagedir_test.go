// Tests of the image readers on drawn PNG, JPEG and GIF files.

package pixels

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/color/palette"
	"image/gif"
	"image/jpeg"
	"image/png"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var (
	red   = color.RGBA{255, 0, 0, 255}
	green = color.RGBA{0, 255, 0, 255}
	blue  = color.RGBA{0, 0, 255, 255}
	black = color.RGBA{0, 0, 0, 255}
	white = color.RGBA{255, 255, 255, 255}
)

func pngBytes(m image.Image) []byte {
	var b bytes.Buffer
	png.Encode(&b, m)
	return b.Bytes()
}

func jpegBytes(m image.Image) []byte {
	var b bytes.Buffer
	jpeg.Encode(&b, m, &jpeg.Options{Quality: 95})
	return b.Bytes()
}

func gifBytes(m image.Image) []byte {
	var b bytes.Buffer
	gif.Encode(&b, m, nil)
	return b.Bytes()
}

// wantLevels converts m as the readers should at native size: ITU-R 601 luma
// through color.GrayModel, or the RGB channels, then Quantize.
func wantLevels(m image.Image, rgb bool, levels int) []uint8 {
	var out []uint8
	b := m.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if rgb {
				c := color.RGBAModel.Convert(m.At(x, y)).(color.RGBA)
				out = append(out, Quantize(c.R, levels), Quantize(c.G, levels), Quantize(c.B, levels))
			} else {
				out = append(out, Quantize(color.GrayModel.Convert(m.At(x, y)).(color.Gray).Y, levels))
			}
		}
	}
	return out
}

func decodeAll(t *testing.T, data []byte) image.Image {
	t.Helper()
	m, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestReadImageDirClasses(t *testing.T) {
	dir := t.TempDir()
	a := pngBytes(drawnShape(1, 8, 6, red, white))
	b := gifBytes(drawnShape(2, 8, 6, blue, black))
	c := jpegBytes(drawnShape(3, 8, 6, green, black))
	writeFile(t, dir, "cats/a.png", a)
	writeFile(t, dir, "cats/deeper/b.GIF", b)
	writeFile(t, dir, "dogs/c.jpeg", c)
	writeFile(t, dir, "dogs/notes.txt", []byte("not an image"))
	writeFile(t, dir, "README", []byte("hello"))
	writeFile(t, dir, ".git/objects/x.png", []byte("never read"))

	for _, rgb := range []bool{false, true} {
		var warned []string
		d, err := ReadImageDir(dir, ImageOptions{RGB: rgb, Levels: 16, Warn: func(path string, err error) {
			if !errors.Is(err, ErrNotImage) {
				t.Errorf("warning for %s: %v", path, err)
			}
			warned = append(warned, filepath.Base(path))
		}})
		if err != nil {
			t.Fatal(err)
		}
		if err := d.Validate(); err != nil {
			t.Fatal(err)
		}
		if d.Width != 8 || d.Height != 6 || d.Levels != 16 || d.Channels != map[bool]int{false: 1, true: 3}[rgb] {
			t.Errorf("format %dx%dx%d, %d levels", d.Width, d.Height, d.Channels, d.Levels)
		}
		if !slices.Equal(d.ClassNames, []string{"cats", "dogs"}) || !slices.Equal(d.Labels, []int{0, 0, 1}) {
			t.Errorf("classes %q, labels %v", d.ClassNames, d.Labels)
		}
		if !slices.Equal(warned, []string{"README", "notes.txt"}) {
			t.Errorf("warned about %q", warned)
		}
		// Lossless formats convert exactly as the standard colour models do.
		if !slices.Equal(d.Images[0], wantLevels(decodeAll(t, a), rgb, 16)) {
			t.Error("PNG levels differ from the standard conversion")
		}
		if !slices.Equal(d.Images[1], wantLevels(decodeAll(t, b), rgb, 16)) {
			t.Error("GIF levels differ from the standard conversion")
		}
		want := wantLevels(decodeAll(t, c), rgb, 16)
		for i, v := range d.Images[2] {
			if diff := int(v) - int(want[i]); diff < -1 || diff > 1 {
				t.Fatalf("JPEG sub-pixel %d: level %d, want %d", i, v, want[i])
			}
		}
	}
}

func TestReadImageDirUnlabelled(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "1.png", pngBytes(drawnShape(4, 5, 5, white, black)))
	writeFile(t, dir, "2.png", pngBytes(drawnShape(5, 5, 5, white, black)))
	d, err := ReadImageDir(dir, ImageOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Images) != 2 || d.Labels != nil || d.ClassNames != nil || d.Levels != 256 {
		t.Errorf("%d images, labels %v, classes %v, %d levels", len(d.Images), d.Labels, d.ClassNames, d.Levels)
	}
}

// stripes returns a w x h image cut into three equal bands, left to right
// when wide, top to bottom when tall: red, green, blue.
func stripes(w, h int) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			band := 3 * x / w
			if h > w {
				band = 3 * y / h
			}
			m.SetRGBA(x, y, []color.RGBA{red, green, blue}[band])
		}
	}
	return m
}

func TestDecodeImageCenterCrop(t *testing.T) {
	for _, tc := range []struct {
		name          string
		src           image.Image
		width, height int
	}{
		{"wide", stripes(60, 20), 6, 6},
		{"tall", stripes(20, 60), 5, 5},
		{"wide to tall", stripes(90, 20), 4, 8},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := DecodeImage(bytes.NewReader(pngBytes(tc.src)), ImageOptions{Width: tc.width, Height: tc.height, RGB: true})
			if err != nil {
				t.Fatal(err)
			}
			if d.Width != tc.width || d.Height != tc.height || len(d.Images[0]) != tc.width*tc.height*3 {
				t.Fatalf("got %dx%d", d.Width, d.Height)
			}
			// Only the green middle band survives the crop.
			for i := 0; i < len(d.Images[0]); i += 3 {
				p := d.Images[0][i : i+3]
				if p[0] > 2 || p[1] < 253 || p[2] > 2 {
					t.Fatalf("pixel %d is %v, want green", i/3, p)
				}
			}
		})
	}
}

// A GIF frame may sit anywhere on its screen: the decoded image then has
// bounds not at the origin, with or without resizing.
func TestDecodeImageOffsetGIFFrame(t *testing.T) {
	frame := image.NewPaletted(image.Rect(2, 1, 8, 3), color.Palette{black, red, green, blue})
	for x := 2; x < 8; x++ {
		frame.SetColorIndex(x, 1, uint8(1+(x-2)/2)) // red, green, blue bands on row 1
		frame.SetColorIndex(x, 2, uint8(1+(x-2)/2))
	}
	var b bytes.Buffer
	err := gif.EncodeAll(&b, &gif.GIF{Image: []*image.Paletted{frame}, Delay: []int{0},
		Config: image.Config{ColorModel: frame.Palette, Width: 10, Height: 4}})
	if err != nil {
		t.Fatal(err)
	}
	d, err := DecodeImage(bytes.NewReader(b.Bytes()), ImageOptions{RGB: true})
	if err != nil {
		t.Fatal(err)
	}
	want := slices.Repeat([]uint8{255, 0, 0, 255, 0, 0, 0, 255, 0, 0, 255, 0, 0, 0, 255, 0, 0, 255}, 2)
	if d.Width != 6 || d.Height != 2 || !slices.Equal(d.Images[0], want) {
		t.Errorf("native: %dx%d %v", d.Width, d.Height, d.Images[0])
	}
	d, err = DecodeImage(bytes.NewReader(b.Bytes()), ImageOptions{RGB: true, Width: 1, Height: 1})
	if err != nil || !slices.Equal(d.Images[0], []uint8{0, 255, 0}) {
		t.Errorf("cropped to the centre: %v %v", err, d.Images[0])
	}
}

func TestCenterCrop(t *testing.T) {
	for _, tc := range []struct {
		b    image.Rectangle
		w, h int
		want image.Rectangle
	}{
		{image.Rect(0, 0, 30, 10), 1, 1, image.Rect(10, 0, 20, 10)},
		{image.Rect(0, 0, 10, 30), 1, 1, image.Rect(0, 10, 10, 20)},
		{image.Rect(5, 7, 15, 17), 2, 1, image.Rect(5, 9, 15, 14)},
		{image.Rect(0, 0, 8, 6), 4, 3, image.Rect(0, 0, 8, 6)},
		{image.Rect(0, 0, 1000, 1), 1, 1000, image.Rect(499, 0, 500, 1)},
	} {
		if got := centerCrop(tc.b, tc.w, tc.h); got != tc.want {
			t.Errorf("centerCrop(%v, %d, %d) = %v, want %v", tc.b, tc.w, tc.h, got, tc.want)
		}
	}
}

func TestDecodeImageDownscaleKeepsBrightness(t *testing.T) {
	src := drawnShape(6, 64, 64, white, black)
	d, err := DecodeImage(bytes.NewReader(pngBytes(src)), ImageOptions{Width: 16, Height: 16})
	if err != nil {
		t.Fatal(err)
	}
	mean := func(v []uint8) float64 {
		s := 0.0
		for _, x := range v {
			s += float64(x)
		}
		return s / float64(len(v))
	}
	full, small := mean(wantLevels(src, false, 256)), mean(d.Images[0])
	if diff := full - small; diff < -4 || diff > 4 {
		t.Errorf("mean intensity %.1f at 64x64, %.1f at 16x16", full, small)
	}
}

// hugePNG returns a valid 1x1 PNG whose header claims w x h.
func hugePNG(w, h uint32) []byte {
	raw := pngBytes(image.NewGray(image.Rect(0, 0, 1, 1)))
	binary.BigEndian.PutUint32(raw[16:], w)
	binary.BigEndian.PutUint32(raw[20:], h)
	binary.BigEndian.PutUint32(raw[29:], crc32.ChecksumIEEE(raw[12:29]))
	return raw
}

func TestDecodeImageErrors(t *testing.T) {
	small := pngBytes(drawnShape(7, 8, 8, white, black))
	for _, tc := range []struct {
		name string
		raw  []byte
		opts ImageOptions
		want error
		text string
	}{
		{"not an image", []byte("hello, world"), ImageOptions{}, ErrFormat, "unknown format"},
		{"cut short", small[:len(small)/2], ImageOptions{}, ErrFormat, ""},
		{"huge header", hugePNG(100000, 100000), ImageOptions{}, ErrTooLarge, "100000x100000"},
		{"over MaxPixels", small, ImageOptions{MaxPixels: 63}, ErrTooLarge, "exceeds 63 pixels"},
		{"wide beyond MaxSide", hugePNG(MaxSide+1, 1), ImageOptions{}, ErrTooLarge, "per side"},
		{"width only", small, ImageOptions{Width: 4}, nil, "both width and height"},
		{"negative size", small, ImageOptions{Width: -4, Height: -4}, nil, "both width and height"},
		{"target too large", small, ImageOptions{Width: MaxSide + 1, Height: 4}, ErrTooLarge, "target"},
		{"levels", small, ImageOptions{Levels: 300}, nil, "300 levels"},
		{"negative MaxPixels", small, ImageOptions{MaxPixels: -1}, nil, "MaxPixels"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := DecodeImage(bytes.NewReader(tc.raw), tc.opts)
			if err == nil {
				t.Fatal("no error")
			}
			if tc.want != nil && !errors.Is(err, tc.want) {
				t.Errorf("error %q does not wrap %q", err, tc.want)
			}
			if !strings.Contains(err.Error(), tc.text) || !strings.HasPrefix(err.Error(), "pixels: ") {
				t.Errorf("error %q, want the prefix \"pixels: \" and %q", err, tc.text)
			}
		})
	}
}

func TestReadImageDirErrors(t *testing.T) {
	img := func(w, h int) []byte { return pngBytes(drawnShape(8, w, h, white, black)) }
	for _, tc := range []struct {
		name  string
		files map[string][]byte
		opts  ImageOptions
		want  error
		text  []string
	}{
		{"corrupt file", map[string][]byte{"a.png": img(4, 4), "b.png": []byte("\x89PNG\r\n\x1a\nrubbish")},
			ImageOptions{}, ErrFormat, []string{"b.png"}},
		{"sizes differ", map[string][]byte{"a.png": img(4, 4), "b.png": img(5, 4)},
			ImageOptions{}, ErrSizeMismatch, []string{"b.png is 5x4", "a.png is 4x4"}},
		{"no images", map[string][]byte{"a.txt": nil, "sub/b.csv": nil},
			ImageOptions{}, ErrNoImages, []string{"no .png"}},
		{"images in and under dir", map[string][]byte{"a.png": img(4, 4), "cls/b.png": img(4, 4)},
			ImageOptions{}, nil, []string{"a.png lies directly", "cls/b.png in a class sub-folder"}},
		{"bad options", map[string][]byte{"a.png": img(4, 4)},
			ImageOptions{Height: 3}, nil, []string{"both width and height"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, data := range tc.files {
				writeFile(t, dir, name, data)
			}
			_, err := ReadImageDir(dir, tc.opts)
			if err == nil {
				t.Fatal("no error")
			}
			if tc.want != nil && !errors.Is(err, tc.want) {
				t.Errorf("error %q does not wrap %q", err, tc.want)
			}
			for _, text := range tc.text {
				if !strings.Contains(err.Error(), text) {
					t.Errorf("error %q lacks %q", err, text)
				}
			}
		})
	}
	if _, err := ReadImageDir(filepath.Join(t.TempDir(), "missing"), ImageOptions{}); err == nil || !strings.Contains(err.Error(), "missing") {
		t.Errorf("missing folder: %v", err)
	}

	// Sizes that differ are fine with a target size.
	dir := t.TempDir()
	writeFile(t, dir, "a.png", img(4, 4))
	writeFile(t, dir, "b.png", img(9, 7))
	if d, err := ReadImageDir(dir, ImageOptions{Width: 3, Height: 3}); err != nil || len(d.Images) != 2 || d.Width != 3 {
		t.Errorf("with a target size: %v", err)
	}
}

func TestReadImage(t *testing.T) {
	src := drawnShape(9, 7, 5, white, black)
	p := writeFile(t, t.TempDir(), "x.png", pngBytes(src))
	d, err := ReadImage(p, ImageOptions{Levels: 2})
	if err != nil {
		t.Fatal(err)
	}
	if d.Width != 7 || d.Height != 5 || d.Levels != 2 || !slices.Equal(d.Images[0], wantLevels(src, false, 2)) {
		t.Errorf("ReadImage: %dx%d, %d levels, %v", d.Width, d.Height, d.Levels, d.Images[0])
	}
	bad := writeFile(t, t.TempDir(), "bad.png", []byte("nope"))
	if _, err := ReadImage(bad, ImageOptions{}); err == nil || !strings.Contains(err.Error(), bad) {
		t.Errorf("corrupt file: %v", err)
	}
}

func FuzzDecodeImage(f *testing.F) {
	f.Add(pngBytes(drawnShape(10, 6, 4, red, white)), false)
	f.Add(gifBytes(image.NewPaletted(image.Rect(0, 0, 3, 3), palette.Plan9)), true)
	f.Add(jpegBytes(drawnShape(11, 9, 9, green, black)), true)
	f.Add(hugePNG(3000, 3000), false)
	f.Fuzz(func(t *testing.T, raw []byte, resize bool) {
		opts := ImageOptions{RGB: resize, MaxPixels: 1 << 16}
		if resize {
			opts.Width, opts.Height = 5, 3
		}
		d, err := DecodeImage(bytes.NewReader(raw), opts)
		if err != nil {
			return
		}
		if err := d.Validate(); err != nil || len(d.Images) != 1 {
			t.Fatalf("invalid dataset: %v", err)
		}
		if resize && (d.Width != 5 || d.Height != 3) {
			t.Fatalf("got %dx%d, want 5x3", d.Width, d.Height)
		}
	})
}
