// Tests of the IDX decoder, ReadIDX and ReadMNIST on synthetic files.

package pixels

import (
	"bytes"
	"errors"
	"io/fs"
	"runtime"
	"slices"
	"strings"
	"testing"
)

func TestDecodeIDXRoundTrip(t *testing.T) {
	imgs := randomImages(1, 5, 4*3, 256)
	data := slices.Concat(imgs...)
	for _, tc := range []struct {
		name string
		raw  []byte
	}{
		{"plain", idxBytes([]int{5, 4, 3}, data)},
		{"gzip", gzipBytes(idxBytes([]int{5, 4, 3}, data))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x, err := DecodeIDX(bytes.NewReader(tc.raw))
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(x.Dims, []int{5, 4, 3}) || !bytes.Equal(x.Data, data) {
				t.Errorf("got dims %v and %d bytes, want [5 4 3] and the %d bytes written", x.Dims, len(x.Data), len(data))
			}
		})
	}
}

func TestDecodeIDXErrors(t *testing.T) {
	good := idxBytes([]int{2, 2, 2}, make([]byte, 8))
	badCRC := gzipBytes(good)
	badCRC[len(badCRC)-8] ^= 0xff // the CRC-32 in the gzip trailer
	for _, tc := range []struct {
		name string
		raw  []byte
		want error  // wrapped sentinel, or nil for any error
		text string // substring of the message
	}{
		{"empty", nil, ErrTruncated, "header"},
		{"short header", []byte{0, 0, 8}, ErrTruncated, "header"},
		{"bad magic", []byte{1, 2, 8, 1, 0, 0, 0, 0}, ErrFormat, "0x01020801"},
		{"float elements", []byte{0, 0, 0x0d, 1, 0, 0, 0, 0}, ErrFormat, "0x0d"},
		{"no dimensions", []byte{0, 0, 8, 0}, ErrFormat, "no dimensions"},
		{"dims cut short", []byte{0, 0, 8, 3, 0, 0, 0, 1}, ErrTruncated, "header"},
		{"data cut short", good[:len(good)-1], ErrTruncated, "promises 8 data bytes, found 7"},
		{"trailing data", append(slices.Clone(good), 0), ErrFormat, "continues past"},
		{"huge dims", idxBytes([]int{1 << 30, 1 << 30, 4}, nil), ErrTooLarge, "exceed"},
		{"gzip cut short", gzipBytes(good)[:20], ErrTruncated, ""},
		{"gzip bad checksum", badCRC, nil, "checksum"},
		{"gzip bad header", []byte{0x1f, 0x8b, 0, 0}, nil, "gzip"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := DecodeIDX(bytes.NewReader(tc.raw))
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

// A header may claim any size; the allocation must follow the bytes present.
func TestDecodeIDXLyingHeaderAllocatesLittle(t *testing.T) {
	raw := idxBytes([]int{1 << 20, 28, 28}, make([]byte, 100)) // claims 822 MB
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := DecodeIDX(bytes.NewReader(raw))
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrTruncated) {
		t.Errorf("error %v, want one wrapping ErrTruncated", err)
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > 4<<20 {
		t.Errorf("decoding a lying 100-byte file allocated %d bytes", n)
	}
}

func TestReadIDX(t *testing.T) {
	dir := t.TempDir()
	imgs := randomImages(2, 3, 2*4, 256)
	images := writeFile(t, dir, "img.gz", gzipBytes(idxBytes([]int{3, 2, 4}, slices.Concat(imgs...))))
	labels := writeFile(t, dir, "lab", idxBytes([]int{3}, []byte{2, 0, 2}))

	d, err := ReadIDX(images, labels)
	if err != nil {
		t.Fatal(err)
	}
	if d.Width != 4 || d.Height != 2 || d.Channels != 1 || d.Levels != 256 {
		t.Errorf("format %dx%dx%d, %d levels; want 4x2x1, 256", d.Width, d.Height, d.Channels, d.Levels)
	}
	if !slices.EqualFunc(d.Images, imgs, slices.Equal) {
		t.Error("images differ from those written")
	}
	if !slices.Equal(d.Labels, []int{2, 0, 2}) || !slices.Equal(d.ClassNames, []string{"0", "1", "2"}) {
		t.Errorf("labels %v, classes %q", d.Labels, d.ClassNames)
	}
	if err := d.Validate(); err != nil {
		t.Error(err)
	}
	// An image slice must not reach into the next image when appended to.
	_ = append(d.Images[0], 99)
	if d.Images[1][0] != imgs[1][0] {
		t.Error("appending to one image overwrote the next")
	}

	unlabelled, err := ReadIDX(images, "")
	if err != nil || unlabelled.Labels != nil || unlabelled.ClassNames != nil {
		t.Errorf("without labels: %v, labels %v", err, unlabelled)
	}
}

func TestReadIDXErrors(t *testing.T) {
	dir := t.TempDir()
	images := writeFile(t, dir, "images", idxBytes([]int{3, 2, 2}, make([]byte, 12)))
	labels := writeFile(t, dir, "labels", idxBytes([]int{3}, []byte{0, 1, 2}))
	fewLabels := writeFile(t, dir, "few", idxBytes([]int{2}, []byte{0, 1}))
	noImages := writeFile(t, dir, "none", idxBytes([]int{0, 2, 2}, nil))
	zeroSize := writeFile(t, dir, "zero", idxBytes([]int{3, 0, 2}, nil))
	for _, tc := range []struct {
		name           string
		images, labels string
		want           error
		text           string
	}{
		{"swapped files", labels, images, ErrFormat, "want 0x00000803"},
		{"labels not 1-d", images, images, ErrFormat, "want 0x00000801"},
		{"label count", images, fewLabels, ErrFormat, "2 labels for the 3 images"},
		{"no images", noImages, "", ErrNoImages, "none"},
		{"empty image size", zeroSize, "", nil, "2x0 is empty"},
		{"missing file", dir + "/nothing", "", fs.ErrNotExist, "nothing"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadIDX(tc.images, tc.labels)
			if err == nil {
				t.Fatal("no error")
			}
			if tc.want != nil && !errors.Is(err, tc.want) {
				t.Errorf("error %q does not wrap %q", err, tc.want)
			}
			if !strings.Contains(err.Error(), tc.text) {
				t.Errorf("error %q lacks %q", err, tc.text)
			}
		})
	}
}

func TestReadMNIST(t *testing.T) {
	dir := t.TempDir()
	imgs := randomImages(3, 4, 28*28, 256)
	writeFile(t, dir, "t10k-images-idx3-ubyte.gz", gzipBytes(idxBytes([]int{4, 28, 28}, slices.Concat(imgs...))))
	writeFile(t, dir, "t10k-labels-idx1-ubyte", idxBytes([]int{4}, []byte{9, 0, 1, 9}))

	d, err := ReadMNIST(dir, "test")
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Images) != 4 || !slices.Equal(d.Images[3], imgs[3]) || len(d.ClassNames) != 10 || d.Labels[0] != 9 {
		t.Errorf("got %d images, classes %q, labels %v", len(d.Images), d.ClassNames, d.Labels)
	}
	if _, err := ReadMNIST(dir, "train"); !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), "train-images-idx3-ubyte") {
		t.Errorf("missing train split: %v", err)
	}
	if _, err := ReadMNIST(dir, "validation"); err == nil || !strings.Contains(err.Error(), `"validation"`) {
		t.Errorf("bad split: %v", err)
	}
}

func FuzzDecodeIDX(f *testing.F) {
	f.Add(idxBytes([]int{2, 3, 3}, make([]byte, 18)))
	f.Add(idxBytes([]int{4}, []byte{1, 2, 3, 4}))
	f.Add(gzipBytes(idxBytes([]int{1, 2, 2}, []byte{0, 64, 128, 255})))
	f.Add(idxBytes([]int{1 << 31, 1 << 31}, nil))
	f.Add([]byte{0, 0, 8, 0})
	f.Add([]byte{0x1f, 0x8b})
	f.Fuzz(func(t *testing.T, raw []byte) {
		x, err := DecodeIDX(bytes.NewReader(raw))
		if err != nil {
			return
		}
		n := 1
		for _, d := range x.Dims {
			n *= d
		}
		if n != len(x.Data) {
			t.Fatalf("dims %v but %d data bytes", x.Dims, len(x.Data))
		}
		// What decodes re-encodes to an equivalent file.
		y, err := DecodeIDX(bytes.NewReader(idxBytes(x.Dims, x.Data)))
		if err != nil || !slices.Equal(x.Dims, y.Dims) || !bytes.Equal(x.Data, y.Data) {
			t.Fatalf("re-encoding: %v", err)
		}
	})
}
