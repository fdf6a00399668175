// Image files: PNG, JPEG and GIF decoded into quantized gray or RGB levels,
// optionally scaled and center-cropped to one size, alone or as a folder
// tree whose sub-folders name the classes.

package pixels

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	_ "image/gif" // registers GIF with image.Decode
	_ "image/jpeg"
	_ "image/png"
	"io"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/image/draw"

	"github.com/arkit-go/arkit/internal/fileio"
)

// ErrNotImage is what ReadImageDir passes to ImageOptions.Warn for a file it
// skips because its name does not end in .png, .jpg, .jpeg or .gif.
var ErrNotImage = errors.New("not an image file (.png, .jpg, .jpeg, .gif); skipped")

// ImageOptions says how image files become Dataset images. The zero value
// keeps each image's size and 256 gray levels.
type ImageOptions struct {
	// Width and Height, when both nonzero, are the size of every image: the
	// source is scaled (Catmull-Rom) to cover that size and its center
	// cropped to it. When both are zero, images keep their size, and
	// ReadImageDir requires all of them to share one.
	Width, Height int
	// RGB keeps three channels; otherwise images become gray (ITU-R 601
	// luma, as color.GrayModel). Transparent areas come out black.
	RGB bool
	// Levels is the number of quantization levels, 2..256 (see Quantize);
	// zero means 256.
	Levels int
	// MaxPixels bounds a source image's width x height, checked from its
	// header before decoding; zero means DefaultMaxPixels.
	MaxPixels int
	// Warn, if not nil, is called by ReadImageDir for each file it skips,
	// with an error wrapping ErrNotImage.
	Warn func(path string, err error)
}

// normalize checks o and fills in its defaults.
func (o ImageOptions) normalize() (ImageOptions, error) {
	if o.Width < 0 || o.Height < 0 || (o.Width == 0) != (o.Height == 0) {
		return o, fmt.Errorf("pixels: target size %dx%d: set both width and height, or neither", o.Width, o.Height)
	}
	if o.Levels == 0 {
		o.Levels = 256
	}
	if o.MaxPixels == 0 {
		o.MaxPixels = DefaultMaxPixels
	}
	if o.MaxPixels < 0 {
		return o, fmt.Errorf("pixels: MaxPixels %d is negative", o.MaxPixels)
	}
	if o.Width != 0 {
		if err := checkShape(o.Width, o.Height, 1, o.Levels); err != nil {
			return o, fmt.Errorf("pixels: target %w", err)
		}
	} else if o.Levels < 2 || o.Levels > 256 {
		return o, fmt.Errorf("pixels: %d levels outside 2..256", o.Levels)
	}
	return o, nil
}

func (o ImageOptions) channels() int {
	if o.RGB {
		return 3
	}
	return 1
}

// DecodeImage decodes one PNG, JPEG or GIF image (GIF: its first frame) into
// a Dataset holding that image, unlabelled. It reads the header first and
// refuses images larger than opts.MaxPixels before decoding them. Errors wrap
// ErrFormat (not a supported image, corrupt data) or ErrTooLarge.
func DecodeImage(r io.Reader, opts ImageOptions) (*Dataset, error) {
	o, err := opts.normalize()
	if err != nil {
		return nil, err
	}
	pix, w, h, err := decodeImage(r, o)
	if err != nil {
		return nil, fmt.Errorf("pixels: %w", err)
	}
	return &Dataset{Width: w, Height: h, Channels: o.channels(), Levels: o.Levels, Images: [][]uint8{pix}}, nil
}

// ReadImage reads the image file at path (see DecodeImage).
func ReadImage(path string, opts ImageOptions) (*Dataset, error) {
	o, err := opts.normalize()
	if err != nil {
		return nil, err
	}
	pix, w, h, err := readImageFile(path, o)
	if err != nil {
		return nil, err
	}
	return &Dataset{Width: w, Height: h, Channels: o.channels(), Levels: o.Levels, Images: [][]uint8{pix}}, nil
}

// ReadImageDir reads every .png, .jpg, .jpeg and .gif file under dir,
// recursively, in lexical path order, as DecodeImage does. Other files are
// skipped and reported to opts.Warn; folders whose names start with a dot
// are skipped silently, and symbolic links to folders are not followed.
//
// When every image lies in a sub-folder of dir, the images are labelled:
// the names of dir's immediate sub-folders, sorted, are the ClassNames, and
// an image's label is the index of the sub-folder it lies under, at any
// depth. When every image lies directly in dir, the Dataset is unlabelled; a
// mix of the two is an error.
//
// A file that cannot be decoded fails the whole read with an error naming
// it: a training set should not shrink silently. With no target size, images
// of different sizes give an error naming both files and wrapping
// ErrSizeMismatch; no images at all give one wrapping ErrNoImages.
func ReadImageDir(dir string, opts ImageOptions) (*Dataset, error) {
	o, err := opts.normalize()
	if err != nil {
		return nil, err
	}
	var paths, classOf []string
	err = filepath.WalkDir(dir, func(path string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if e.IsDir() {
			if path != dir && strings.HasPrefix(e.Name(), ".") {
				return filepath.SkipDir
			}
			return nil
		}
		if !isImageName(e.Name()) {
			if o.Warn != nil {
				o.Warn(path, ErrNotImage)
			}
			return nil
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		class, _, nested := strings.Cut(rel, string(filepath.Separator))
		if !nested {
			class = ""
		}
		paths = append(paths, path)
		classOf = append(classOf, class)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("pixels: %w", err)
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("pixels: %s: no .png, .jpg, .jpeg or .gif files: %w", dir, ErrNoImages)
	}
	labelled := classOf[0] != ""
	for i, c := range classOf {
		if (c != "") != labelled {
			inDir, inClass := paths[0], paths[i]
			if labelled {
				inDir, inClass = inClass, inDir
			}
			return nil, fmt.Errorf("pixels: %s: %s lies directly in the folder but %s in a class sub-folder; put every image in a class sub-folder or none",
				dir, inDir, inClass)
		}
	}

	d := &Dataset{Width: o.Width, Height: o.Height, Channels: o.channels(), Levels: o.Levels,
		Images: make([][]uint8, 0, len(paths))}
	total := int64(0)
	for i, path := range paths {
		pix, w, h, err := readImageFile(path, o)
		if err != nil {
			return nil, err
		}
		if i == 0 {
			d.Width, d.Height = w, h
		} else if w != d.Width || h != d.Height {
			return nil, fmt.Errorf("pixels: %s is %dx%d but %s is %dx%d; set a target size to resize them: %w",
				path, w, h, paths[0], d.Width, d.Height, ErrSizeMismatch)
		}
		total += int64(len(pix))
		if total > MaxDatasetBytes {
			return nil, fmt.Errorf("pixels: %s: images exceed %d bytes: %w", dir, MaxDatasetBytes, ErrTooLarge)
		}
		d.Images = append(d.Images, pix)
	}
	if labelled {
		d.ClassNames = slices.Compact(slices.Sorted(slices.Values(classOf)))
		d.Labels = make([]int, len(paths))
		for i, c := range classOf {
			d.Labels[i], _ = slices.BinarySearch(d.ClassNames, c)
		}
	}
	return d, nil
}

func isImageName(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".png", ".jpg", ".jpeg", ".gif":
		return true
	}
	return false
}

// readImageFile decodes the image at path with normalized options.
func readImageFile(path string, o ImageOptions) (pix []uint8, w, h int, err error) {
	f, err := fileio.Open(path)
	if err != nil {
		return nil, 0, 0, fmt.Errorf("pixels: %w", err)
	}
	defer f.Close()
	pix, w, h, err = decodeImage(f, o)
	if err != nil {
		return nil, 0, 0, fmt.Errorf("pixels: %s: %w", path, err)
	}
	return pix, w, h, nil
}

// decodeImage decodes one image with normalized options into levels,
// returning them with the output width and height.
func decodeImage(r io.Reader, o ImageOptions) (pix []uint8, w, h int, err error) {
	// Keep the bytes DecodeConfig consumes so that Decode can start over
	// without needing r to seek.
	var head bytes.Buffer
	cfg, _, err := image.DecodeConfig(io.TeeReader(r, &head))
	if err != nil {
		return nil, 0, 0, fmt.Errorf("%w: %w", ErrFormat, err)
	}
	if err := checkSource(cfg.Width, cfg.Height, o); err != nil {
		return nil, 0, 0, err
	}
	src, _, err := image.Decode(io.MultiReader(&head, r))
	if err != nil {
		return nil, 0, 0, fmt.Errorf("%w: %w", ErrFormat, err)
	}
	b := src.Bounds()
	if err := checkSource(b.Dx(), b.Dy(), o); err != nil {
		return nil, 0, 0, err
	}

	w, h = o.Width, o.Height
	crop := b
	if w == 0 {
		w, h = b.Dx(), b.Dy()
	} else {
		crop = centerCrop(b, w, h)
	}
	rgba := image.NewRGBA(image.Rect(0, 0, w, h))
	if crop.Dx() == w && crop.Dy() == h {
		draw.Draw(rgba, rgba.Bounds(), src, crop.Min, draw.Src)
	} else {
		draw.CatmullRom.Scale(rgba, rgba.Bounds(), src, crop, draw.Src, nil)
	}
	return rgbaLevels(rgba, o), w, h, nil
}

// checkSource bounds a source image's size before and after decoding.
func checkSource(w, h int, o ImageOptions) error {
	if w <= 0 || h <= 0 {
		return fmt.Errorf("%w: image size %dx%d", ErrFormat, w, h)
	}
	if int64(w)*int64(h) > int64(o.MaxPixels) {
		return fmt.Errorf("%w: image size %dx%d exceeds %d pixels", ErrTooLarge, w, h, o.MaxPixels)
	}
	if o.Width == 0 && (w > MaxSide || h > MaxSide) {
		return fmt.Errorf("%w: image size %dx%d exceeds %d per side; set a target size", ErrTooLarge, w, h, MaxSide)
	}
	return nil
}

// centerCrop returns the largest rectangle of aspect w:h centered in b.
func centerCrop(b image.Rectangle, w, h int) image.Rectangle {
	sw, sh := int64(b.Dx()), int64(b.Dy())
	cw, ch := sw, sh
	if sw*int64(h) > sh*int64(w) {
		cw = max(1, (sh*int64(w)+int64(h)/2)/int64(h)) // source wider: trim the sides
	} else {
		ch = max(1, (sw*int64(h)+int64(w)/2)/int64(w)) // source taller: trim top and bottom
	}
	x0 := b.Min.X + int((sw-cw)/2)
	y0 := b.Min.Y + int((sh-ch)/2)
	return image.Rect(x0, y0, x0+int(cw), y0+int(ch))
}

// rgbaLevels quantizes an RGBA image (alpha premultiplied, that is,
// composited over black) to gray or RGB levels in raster order.
func rgbaLevels(m *image.RGBA, o ImageOptions) []uint8 {
	w, h := m.Rect.Dx(), m.Rect.Dy()
	c := o.channels()
	pix := make([]uint8, w*h*c)
	for y := range h {
		row := m.Pix[y*m.Stride : y*m.Stride+4*w]
		out := pix[y*w*c : (y+1)*w*c]
		for x := range w {
			r, g, b := row[4*x], row[4*x+1], row[4*x+2]
			if c == 3 {
				out[3*x] = Quantize(r, o.Levels)
				out[3*x+1] = Quantize(g, o.Levels)
				out[3*x+2] = Quantize(b, o.Levels)
				continue
			}
			// color.GrayModel's luma on 16-bit channels (8-bit value * 0x101).
			y16 := (19595*uint32(r)*0x101 + 38470*uint32(g)*0x101 + 7471*uint32(b)*0x101 + 1<<15) >> 24
			out[x] = Quantize(uint8(y16), o.Levels)
		}
	}
	return pix
}
