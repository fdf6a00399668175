// Tests of quantization: bins, display mapping, round trips and binarization.

package pixels

import (
	"slices"
	"testing"
)

func TestQuantize(t *testing.T) {
	for _, tc := range []struct {
		v      uint8
		levels int
		want   uint8
	}{
		{0, 2, 0}, {127, 2, 0}, {128, 2, 1}, {255, 2, 1},
		{63, 4, 0}, {64, 4, 1}, {191, 4, 2}, {192, 4, 3},
		{85, 3, 0}, {86, 3, 1}, {170, 3, 1}, {171, 3, 2},
		{0, 256, 0}, {200, 256, 200}, {255, 256, 255},
	} {
		if got := Quantize(tc.v, tc.levels); got != tc.want {
			t.Errorf("Quantize(%d, %d) = %d, want %d", tc.v, tc.levels, got, tc.want)
		}
	}
}

// Every level survives the trip to 0..255 and back, black and white are the
// ends, and bins are uniform: each holds 256/levels intensities, give or take
// one.
func TestQuantizeDequantizeAllLevels(t *testing.T) {
	for levels := 2; levels <= 256; levels++ {
		if Dequantize(0, levels) != 0 || Dequantize(uint8(levels-1), levels) != 255 {
			t.Errorf("%d levels: ends map to %d and %d", levels, Dequantize(0, levels), Dequantize(uint8(levels-1), levels))
		}
		count := make([]int, levels)
		for v := range 256 {
			count[Quantize(uint8(v), levels)]++
		}
		lo, hi := slices.Min(count), slices.Max(count)
		if hi-lo > 1 {
			t.Errorf("%d levels: bin sizes from %d to %d", levels, lo, hi)
		}
		prev := -1
		for l := range levels {
			d := Dequantize(uint8(l), levels)
			if got := Quantize(d, levels); int(got) != l {
				t.Errorf("%d levels: level %d -> %d -> %d", levels, l, d, got)
			}
			if int(d) <= prev {
				t.Errorf("%d levels: Dequantize not increasing at %d", levels, l)
			}
			prev = int(d)
		}
	}
}

func TestQuantizePanics(t *testing.T) {
	for name, f := range map[string]func(){
		"Quantize 1 level":     func() { Quantize(3, 1) },
		"Quantize 257 levels":  func() { Quantize(3, 257) },
		"Dequantize too large": func() { Dequantize(4, 4) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s did not panic", name)
				}
			}()
			f()
		}()
	}
}

func TestDatasetQuantizeBinarize(t *testing.T) {
	gray := func() *Dataset {
		return &Dataset{Width: 4, Height: 1, Channels: 1, Levels: 256,
			Images: [][]uint8{{0, 127, 128, 255}, {30, 60, 200, 250}}}
	}
	d := gray()
	if err := d.Quantize(4); err != nil {
		t.Fatal(err)
	}
	if d.Levels != 4 || !slices.Equal(d.Images[0], []uint8{0, 1, 2, 3}) || !slices.Equal(d.Images[1], []uint8{0, 0, 3, 3}) {
		t.Errorf("Quantize(4): %v", d.Images)
	}
	if err := d.Quantize(2); err != nil || !slices.Equal(d.Images[0], []uint8{0, 0, 1, 1}) {
		t.Errorf("4 -> 2 levels: %v %v", err, d.Images[0])
	}

	// Threshold 0.5 agrees with Quantize(2) on every intensity.
	all := make([]uint8, 256)
	for i := range all {
		all[i] = uint8(i)
	}
	b := &Dataset{Width: 256, Height: 1, Channels: 1, Levels: 256, Images: [][]uint8{slices.Clone(all)}}
	q := &Dataset{Width: 256, Height: 1, Channels: 1, Levels: 256, Images: [][]uint8{slices.Clone(all)}}
	if b.Binarize(0.5) != nil || q.Quantize(2) != nil || !slices.Equal(b.Images[0], q.Images[0]) || b.Levels != 2 {
		t.Error("Binarize(0.5) differs from Quantize(2)")
	}

	d = gray()
	if err := d.Binarize(0.1); err != nil || !slices.Equal(d.Images[1], []uint8{1, 1, 1, 1}) || !slices.Equal(d.Images[0], []uint8{0, 1, 1, 1}) {
		t.Errorf("Binarize(0.1): %v %v", err, d.Images)
	}
	for _, bad := range []float64{-0.1, 1, 2} {
		if gray().Binarize(bad) == nil {
			t.Errorf("Binarize(%v) accepted", bad)
		}
	}
	for _, bad := range []int{0, 1, 257} {
		if gray().Quantize(bad) == nil {
			t.Errorf("Quantize(%d) accepted", bad)
		}
	}
}

func TestDatasetValidate(t *testing.T) {
	ok := func() *Dataset {
		return &Dataset{Width: 2, Height: 1, Channels: 3, Levels: 4,
			Images: [][]uint8{{0, 1, 2, 3, 0, 1}}, Labels: []int{1}, ClassNames: []string{"a", "b"}}
	}
	if err := ok().Validate(); err != nil {
		t.Fatal(err)
	}
	for name, spoil := range map[string]func(d *Dataset){
		"2 channels":     func(d *Dataset) { d.Channels = 2 },
		"1 level":        func(d *Dataset) { d.Levels = 1 },
		"zero width":     func(d *Dataset) { d.Width = 0 },
		"short image":    func(d *Dataset) { d.Images[0] = d.Images[0][:5] },
		"level too high": func(d *Dataset) { d.Images[0][2] = 4 },
		"label count":    func(d *Dataset) { d.Labels = []int{0, 1} },
		"label range":    func(d *Dataset) { d.Labels[0] = 2 },
	} {
		d := ok()
		spoil(d)
		if d.Validate() == nil {
			t.Errorf("%s: Validate accepted %+v", name, d)
		}
	}
}
