// Dataset: the quantized images every reader in this package returns, the
// limits that keep hostile files from exhausting memory, and the sentinel
// errors callers can branch on.

package pixels

import (
	"errors"
	"fmt"
)

// Limits applied to every input. They bound what a header, a file name or a
// compressed stream can make the readers allocate.
const (
	// MaxDatasetBytes bounds the total size of a Dataset's images
	// (images x width x height x channels), 2 GiB.
	MaxDatasetBytes = 1 << 31
	// MaxSide bounds an image's width and height in a Dataset.
	MaxSide = 1 << 14
	// DefaultMaxPixels is the largest source image (width x height) the image
	// readers decode when ImageOptions.MaxPixels is zero: 32 Mpx, which
	// decodes to 128 MiB of RGBA.
	DefaultMaxPixels = 1 << 25
)

// Errors that callers may test with errors.Is. Returned errors wrap them with
// the file name and position.
var (
	// ErrFormat reports a file that is not of the expected format: wrong
	// magic number, wrong dimensions, a bad token.
	ErrFormat = errors.New("invalid format")
	// ErrTruncated reports a file shorter than its header says.
	ErrTruncated = errors.New("truncated data")
	// ErrTooLarge reports dimensions or counts beyond the package limits.
	ErrTooLarge = errors.New("too large")
	// ErrNoImages reports an input that holds no image.
	ErrNoImages = errors.New("no images")
	// ErrSizeMismatch reports images of different sizes where one size is
	// required.
	ErrSizeMismatch = errors.New("image sizes differ")
)

// Dataset holds quantized images of one size.
//
// Each image is Width*Height*Channels levels in raster order: rows top to
// bottom, pixels left to right, and within an RGB pixel the sub-pixels R, G, B.
// Every level lies in [0, Levels). Images may share one backing array; treat
// them as read-only unless the Dataset is yours alone.
type Dataset struct {
	Width, Height int
	Channels      int // 1 (gray) or 3 (RGB)
	Levels        int // quantization levels, 2..256
	Images        [][]uint8
	Labels        []int    // class index per image; nil when unlabelled
	ClassNames    []string // name per class index; nil when unlabelled
}

// ImageLen returns the number of levels in one image: Width*Height*Channels.
func (d *Dataset) ImageLen() int { return d.Width * d.Height * d.Channels }

// Raster returns the raster-scan description of d's images with Classes set
// to zero (unconditional). Set Classes to len(d.ClassNames) for a
// class-conditional model.
func (d *Dataset) Raster() Raster {
	return Raster{W: d.Width, H: d.Height, C: d.Channels, Levels: d.Levels}
}

// Validate checks d's invariants: a size within the limits, 1 or 3 channels,
// 2..256 levels, images of the right length with levels in range, and labels
// (if any) matching the images and the class names.
func (d *Dataset) Validate() error {
	if err := checkShape(d.Width, d.Height, d.Channels, d.Levels); err != nil {
		return fmt.Errorf("pixels: %w", err)
	}
	n := d.ImageLen()
	if int64(n)*int64(len(d.Images)) > MaxDatasetBytes {
		return fmt.Errorf("pixels: %d images of %d levels exceed %d bytes: %w",
			len(d.Images), n, MaxDatasetBytes, ErrTooLarge)
	}
	for i, img := range d.Images {
		if len(img) != n {
			return fmt.Errorf("pixels: image %d holds %d levels, want %d", i, len(img), n)
		}
		for j, v := range img {
			if int(v) >= d.Levels {
				return fmt.Errorf("pixels: image %d sub-pixel %d: level %d out of range [0,%d)", i, j, v, d.Levels)
			}
		}
	}
	if d.Labels == nil {
		return nil
	}
	if len(d.Labels) != len(d.Images) {
		return fmt.Errorf("pixels: %d labels for %d images", len(d.Labels), len(d.Images))
	}
	for i, l := range d.Labels {
		if l < 0 || l >= len(d.ClassNames) {
			return fmt.Errorf("pixels: image %d: label %d out of range [0,%d)", i, l, len(d.ClassNames))
		}
	}
	return nil
}

// checkShape reports whether an image format is within the package limits,
// with an error message lacking the package prefix.
func checkShape(w, h, c, levels int) error {
	if w < 1 || h < 1 {
		return fmt.Errorf("image size %dx%d is empty", w, h)
	}
	if w > MaxSide || h > MaxSide {
		return fmt.Errorf("image size %dx%d exceeds %d per side: %w", w, h, MaxSide, ErrTooLarge)
	}
	if c != 1 && c != 3 {
		return fmt.Errorf("%d channels, want 1 (gray) or 3 (RGB)", c)
	}
	if levels < 2 || levels > 256 {
		return fmt.Errorf("%d levels outside 2..256", levels)
	}
	return nil
}

// decimalNames returns "0", "1", ..., the names of n numbered classes.
func decimalNames(n int) []string {
	names := make([]string, n)
	for i := range names {
		names[i] = fmt.Sprint(i)
	}
	return names
}
