// Sources: one description of where images come from (MNIST, binarized
// MNIST, an image folder or file, or the built-in glyphs) and how they are
// quantized, so that training, evaluation and completion read data alike.

package pixels

import (
	"fmt"
	"strings"
)

// Source names a set of images and how to quantize them. Exactly one of
// MNIST, AMat, Images, Image or Glyphs must be set.
type Source struct {
	MNIST  string   // folder holding LeCun's MNIST files (see ReadMNIST)
	Split  string   // MNIST split: "train" or "test"; "" means "train"
	AMat   []string // binarized-MNIST .amat files, concatenated in order
	Images string   // folder of PNG, JPEG and GIF files (see ReadImageDir)
	Image  string   // one PNG, JPEG or GIF file
	Glyphs int      // this many built-in digit images (see Glyphs)

	// Width and Height resize image files (both or neither); Glyphs are
	// square, Width pixels (0 means 16); MNIST and .amat images are 28x28.
	Width, Height int
	RGB           bool // keep colour (image files only)
	// Levels quantizes the images; 0 means 2 (binarized at intensity 0.5)
	// except for image files, where it means 8. .amat files have 2.
	Levels int
	Seed   uint64 // seeds Glyphs
	// Invert swaps dark and light (level l becomes Levels-1-l), for dark
	// drawings on a light ground given to a model of light digits on dark.
	Invert bool

	// Warn, if not nil, receives the files an image folder holds that are
	// not images and are skipped.
	Warn func(path string, err error)
}

// Name describes the source in messages: its path, or "glyphs".
func (s Source) Name() string {
	switch {
	case s.MNIST != "":
		return s.MNIST
	case len(s.AMat) > 0:
		return strings.Join(s.AMat, ", ")
	case s.Images != "":
		return s.Images
	case s.Image != "":
		return s.Image
	}
	return "glyphs"
}

// Load reads the images s names. Errors name the file and the problem.
func (s Source) Load() (*Dataset, error) {
	d, err := s.load()
	if err != nil || !s.Invert {
		return d, err
	}
	for _, img := range d.Images {
		for i, v := range img {
			img[i] = uint8(d.Levels-1) - v
		}
	}
	return d, nil
}

func (s Source) load() (*Dataset, error) {
	n := 0
	for _, set := range []bool{s.MNIST != "", len(s.AMat) > 0, s.Images != "", s.Image != "", s.Glyphs != 0} {
		if set {
			n++
		}
	}
	if n != 1 {
		return nil, fmt.Errorf("pixels: give exactly one source of images (MNIST, .amat, image folder, image file or glyphs); %d given", n)
	}
	if s.Width < 0 || s.Height < 0 {
		return nil, fmt.Errorf("pixels: image size %dx%d is negative", s.Width, s.Height)
	}
	if s.Levels != 0 && (s.Levels < 2 || s.Levels > 256) {
		return nil, fmt.Errorf("pixels: %d levels outside 2..256", s.Levels)
	}
	levels := s.Levels
	if levels == 0 {
		levels = 2
	}
	fixedSize := func(what string, side int) error {
		if s.Width != 0 && (s.Width != side || s.Height != side) {
			return fmt.Errorf("pixels: %s images are %dx%d and cannot be resized to %dx%d", what, side, side, s.Width, s.Height)
		}
		if s.RGB {
			return fmt.Errorf("pixels: %s images are gray, not RGB", what)
		}
		return nil
	}
	switch {
	case s.MNIST != "":
		if err := fixedSize("MNIST", 28); err != nil {
			return nil, err
		}
		split := s.Split
		if split == "" {
			split = "train"
		}
		d, err := ReadMNIST(s.MNIST, split)
		if err != nil {
			return nil, err
		}
		if levels == 2 {
			err = d.Binarize(0.5)
		} else {
			err = d.Quantize(levels)
		}
		return d, err
	case len(s.AMat) > 0:
		if err := fixedSize("binarized-MNIST", amatSide); err != nil {
			return nil, err
		}
		if levels != 2 {
			return nil, fmt.Errorf("pixels: .amat images are binary; %d levels asked", levels)
		}
		var all []*Dataset
		for _, p := range s.AMat {
			d, err := ReadAMat(p)
			if err != nil {
				return nil, err
			}
			all = append(all, d)
		}
		return Concat(all...)
	case s.Glyphs != 0:
		if s.Glyphs < 0 || s.Glyphs > 1<<20 {
			return nil, fmt.Errorf("pixels: %d glyphs outside 1..%d", s.Glyphs, 1<<20)
		}
		side := s.Width
		if side == 0 {
			side = 16
		}
		if s.Height != 0 && s.Height != side {
			return nil, fmt.Errorf("pixels: glyphs are square; size %dx%d asked", s.Width, s.Height)
		}
		if side < MinGlyphSize || side > MaxGlyphSize {
			return nil, fmt.Errorf("pixels: glyph size %d outside %d..%d", side, MinGlyphSize, MaxGlyphSize)
		}
		if s.RGB {
			return nil, fmt.Errorf("pixels: glyphs are gray, not RGB")
		}
		d := Glyphs(s.Glyphs, side, s.Seed)
		return d, d.Quantize(levels)
	}
	if s.Levels == 0 {
		levels = 8
	}
	opts := ImageOptions{Width: s.Width, Height: s.Height, RGB: s.RGB, Levels: levels, Warn: s.Warn}
	if s.Image != "" {
		return ReadImage(s.Image, opts)
	}
	return ReadImageDir(s.Images, opts)
}

// Load reads the images src names in the model's format: its size,
// channels and levels replace those of src.
func (m *Model) Load(src Source) (*Dataset, error) {
	r := m.Raster
	d, err := src.as(r.W, r.H, r.C, r.Levels).Load()
	if err != nil {
		return nil, err
	}
	if err := m.checkData(d); err != nil {
		return nil, fmt.Errorf("%s: %w", src.Name(), err)
	}
	return d, nil
}

// LoadLike reads the images s names in like's format (its size, channels
// and levels replace those of s): a validation set for the training set
// like. Images that cannot take that format are an error.
func (s Source) LoadLike(like *Dataset) (*Dataset, error) {
	d, err := s.as(like.Width, like.Height, like.Channels, like.Levels).Load()
	if err != nil {
		return nil, err
	}
	if d.Width != like.Width || d.Height != like.Height || d.Channels != like.Channels || d.Levels != like.Levels {
		return nil, fmt.Errorf("pixels: %s: images are %dx%d, %d channels, %d levels; the training images are %dx%d, %d channels, %d levels: %w",
			s.Name(), d.Width, d.Height, d.Channels, d.Levels, like.Width, like.Height, like.Channels, like.Levels, ErrSizeMismatch)
	}
	return d, nil
}

// as returns s set to read images of w x h, c channels and the given
// levels where its kind of images can be resized.
func (s Source) as(w, h, c, levels int) Source {
	if s.MNIST == "" && len(s.AMat) == 0 && s.Glyphs == 0 {
		s.Width, s.Height, s.RGB = w, h, c == 3
	} else if s.Glyphs != 0 {
		s.Width, s.Height = w, h
	}
	s.Levels = levels
	return s
}

// Concat returns the images of ds one after the other. They must share a
// format; labels are kept only when every Dataset has the same class names.
func Concat(ds ...*Dataset) (*Dataset, error) {
	if len(ds) == 0 {
		return nil, fmt.Errorf("pixels: Concat: %w", ErrNoImages)
	}
	out := *ds[0]
	out.Images = nil
	labelled := true
	for i, d := range ds {
		if d.Width != out.Width || d.Height != out.Height || d.Channels != out.Channels || d.Levels != out.Levels {
			return nil, fmt.Errorf("pixels: dataset %d is %dx%d, %d channels, %d levels; the first is %dx%d, %d channels, %d levels: %w",
				i+1, d.Width, d.Height, d.Channels, d.Levels, out.Width, out.Height, out.Channels, out.Levels, ErrSizeMismatch)
		}
		labelled = labelled && d.Labels != nil && strings.Join(d.ClassNames, "\x00") == strings.Join(out.ClassNames, "\x00")
		out.Images = append(out.Images, d.Images...)
	}
	out.Labels = nil
	if labelled {
		for _, d := range ds {
			out.Labels = append(out.Labels, d.Labels...)
		}
	} else {
		out.ClassNames = nil
	}
	return &out, nil
}

// Spread returns k images of d evenly spaced from the first, or all of d
// when it holds no more than k; for looking at a sorted test set.
func (d *Dataset) Spread(k int) *Dataset {
	if k <= 0 || k >= len(d.Images) {
		return d.Subset(seq(len(d.Images)))
	}
	idx := make([]int, k)
	for i := range idx {
		idx[i] = i * len(d.Images) / k
	}
	return d.Subset(idx)
}

// Pick returns the images of d at the given indices, with an error naming an
// index out of range.
func (d *Dataset) Pick(indices []int) (*Dataset, error) {
	for _, i := range indices {
		if i < 0 || i >= len(d.Images) {
			return nil, fmt.Errorf("pixels: image index %d outside 0..%d", i, len(d.Images)-1)
		}
	}
	return d.Subset(indices), nil
}

func seq(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}
