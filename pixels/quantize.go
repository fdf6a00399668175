// Quantization: 8-bit intensities to a few levels (the model's vocabulary)
// and back to 8 bits for display.

package pixels

import "fmt"

// Quantize maps an 8-bit intensity to one of levels uniform bins:
// floor(v*levels/256). With levels = 2 this is the usual binarization at
// threshold 0.5: v >= 128 (v/255 > 0.5) gives 1.
//
// Quantize panics if levels is outside 2..256.
func Quantize(v uint8, levels int) uint8 {
	if levels < 2 || levels > 256 {
		panic(fmt.Sprintf("pixels: Quantize: %d levels outside 2..256", levels))
	}
	return uint8(int(v) * levels >> 8)
}

// Dequantize maps a level back to 0..255 for display, spreading the levels
// evenly so that 0 is black and levels-1 is white:
// ceil(l*255/(levels-1)). Quantize(Dequantize(l, n), n) == l for every level.
//
// Dequantize panics if levels is outside 2..256 or l >= levels.
func Dequantize(l uint8, levels int) uint8 {
	if levels < 2 || levels > 256 || int(l) >= levels {
		panic(fmt.Sprintf("pixels: Dequantize: level %d with %d levels", l, levels))
	}
	return uint8((int(l)*255 + levels - 2) / (levels - 1))
}

// Quantize requantizes d's images in place to levels, passing each level
// through its 8-bit intensity: Quantize(Dequantize(l, d.Levels), levels).
// Going up in levels therefore spreads the existing levels; it cannot restore
// detail lost earlier.
func (d *Dataset) Quantize(levels int) error {
	if levels < 2 || levels > 256 {
		return fmt.Errorf("pixels: %d levels outside 2..256", levels)
	}
	if err := d.checkLevels(); err != nil {
		return err
	}
	var table [256]uint8
	for l := range d.Levels {
		table[l] = Quantize(Dequantize(uint8(l), d.Levels), levels)
	}
	d.remap(&table)
	d.Levels = levels
	return nil
}

// Binarize turns d's images in place into 2 levels: a sub-pixel is on (1)
// when its intensity v/255 exceeds threshold, in [0, 1). Threshold 0.5 gives
// the same images as Quantize(2).
func (d *Dataset) Binarize(threshold float64) error {
	if !(threshold >= 0 && threshold < 1) {
		return fmt.Errorf("pixels: binarization threshold %v outside [0,1)", threshold)
	}
	if err := d.checkLevels(); err != nil {
		return err
	}
	var table [256]uint8
	for l := range d.Levels {
		if float64(Dequantize(uint8(l), d.Levels))/255 > threshold {
			table[l] = 1
		}
	}
	d.remap(&table)
	d.Levels = 2
	return nil
}

func (d *Dataset) checkLevels() error {
	if d.Levels < 2 || d.Levels > 256 {
		return fmt.Errorf("pixels: dataset has %d levels, outside 2..256", d.Levels)
	}
	return nil
}

// remap replaces every level l by table[l]. Images must not overlap (the
// readers never make them overlap), or some levels would be remapped twice.
func (d *Dataset) remap(table *[256]uint8) {
	for _, img := range d.Images {
		for i, v := range img {
			img[i] = table[v]
		}
	}
}
