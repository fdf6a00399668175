// IDX files (LeCun's MNIST format, also used by Fashion-MNIST and EMNIST):
// a generic unsigned-byte IDX decoder, an images+labels reader and the MNIST
// folder convenience.

package pixels

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/arkit-go/arkit/internal/fileio"
)

// Magic numbers of the two IDX files of an MNIST-style data set: 0x0000,
// element type 0x08 (unsigned byte), then the number of dimensions.
const (
	IDXImagesMagic = 0x00000803 // count x rows x cols
	IDXLabelsMagic = 0x00000801 // count
)

// IDX is the content of an IDX file of unsigned bytes.
type IDX struct {
	Dims []int   // sizes, outermost first
	Data []uint8 // product(Dims) bytes, last dimension varying fastest
}

// DecodeIDX reads an IDX file of unsigned bytes (element type 0x08), gzipped
// or not (told by the gzip magic). It checks the magic number, bounds the
// dimensions by MaxDatasetBytes and requires exactly the promised number of
// data bytes: a short file gives an error wrapping ErrTruncated, trailing
// bytes or a bad header one wrapping ErrFormat.
func DecodeIDX(r io.Reader) (*IDX, error) {
	x, err := decodeIDX(r, 0)
	if err != nil {
		return nil, fmt.Errorf("pixels: %w", err)
	}
	return x, nil
}

// decodeIDX is DecodeIDX; a nonzero wantDims requires that many dimensions,
// checked before any data is read.
func decodeIDX(r io.Reader, wantDims int) (*IDX, error) {
	z, err := fileio.Gunzip(r)
	if err != nil {
		return nil, err
	}
	var head [4]byte
	if _, err := io.ReadFull(z, head[:]); err != nil {
		return nil, idxHeaderError(err)
	}
	magic := binary.BigEndian.Uint32(head[:])
	if head[0] != 0 || head[1] != 0 {
		return nil, fmt.Errorf("%w: magic 0x%08x is not IDX", ErrFormat, magic)
	}
	if head[2] != 0x08 {
		return nil, fmt.Errorf("%w: IDX element type 0x%02x not supported, only unsigned bytes (0x08)", ErrFormat, head[2])
	}
	nd := int(head[3])
	if nd == 0 {
		return nil, fmt.Errorf("%w: IDX file with no dimensions", ErrFormat)
	}
	if wantDims != 0 && nd != wantDims {
		return nil, fmt.Errorf("%w: magic 0x%08x, want 0x%08x (%d dimensions)", ErrFormat, magic, 0x0800|wantDims, wantDims)
	}
	raw := make([]byte, 4*nd)
	if _, err := io.ReadFull(z, raw); err != nil {
		return nil, idxHeaderError(err)
	}
	dims := make([]int, nd)
	size, empty := int64(1), false
	for i := range dims {
		d := int64(binary.BigEndian.Uint32(raw[4*i:]))
		dims[i] = int(d)
		if d == 0 {
			empty = true
		} else if !empty {
			if size > MaxDatasetBytes/d {
				return nil, fmt.Errorf("%w: IDX dimensions %v exceed %d bytes", ErrTooLarge, dims[:i+1], MaxDatasetBytes)
			}
			size *= d
		}
	}
	if empty {
		size = 0
	}
	data, err := readExactly(z, size)
	if err != nil {
		return nil, fmt.Errorf("IDX dimensions %v: %w", dims, err)
	}
	return &IDX{Dims: dims, Data: data}, nil
}

func idxHeaderError(err error) error {
	if err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("%w: IDX header cut short", ErrTruncated)
	}
	return err
}

// readIDXFile decodes the IDX file at path, requiring wantDims dimensions.
func readIDXFile(path string, wantDims int) (*IDX, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("pixels: %w", err)
	}
	defer f.Close()
	x, err := decodeIDX(f, wantDims)
	if err != nil {
		return nil, fmt.Errorf("pixels: %s: %w", path, err)
	}
	return x, nil
}

// ReadIDX reads an MNIST-style pair of IDX files: images (magic 0x00000803,
// count x rows x cols unsigned bytes) and labels (magic 0x00000801, one byte
// per image). Either file may be gzipped. With labelsPath empty the Dataset
// is unlabelled. The images keep their 256 gray levels (Channels 1,
// Levels 256); call Dataset.Quantize or Dataset.Binarize to reduce them.
// Class names are the decimal label values "0" up to the largest label.
//
// Errors name the file and wrap ErrFormat (bad magic, trailing data, label
// count differing from the image count), ErrTruncated, ErrTooLarge or
// ErrNoImages.
func ReadIDX(imagesPath, labelsPath string) (*Dataset, error) {
	x, err := readIDXFile(imagesPath, 3)
	if err != nil {
		return nil, err
	}
	n, h, w := x.Dims[0], x.Dims[1], x.Dims[2]
	if err := checkShape(w, h, 1, 256); err != nil {
		return nil, fmt.Errorf("pixels: %s: %w", imagesPath, err)
	}
	if n == 0 {
		return nil, fmt.Errorf("pixels: %s: %w", imagesPath, ErrNoImages)
	}
	d := &Dataset{Width: w, Height: h, Channels: 1, Levels: 256, Images: make([][]uint8, n)}
	size := w * h
	for i := range d.Images {
		d.Images[i] = x.Data[i*size : (i+1)*size : (i+1)*size]
	}
	if labelsPath == "" {
		return d, nil
	}
	y, err := readIDXFile(labelsPath, 1)
	if err != nil {
		return nil, err
	}
	if y.Dims[0] != n {
		return nil, fmt.Errorf("pixels: %s: %d labels for the %d images of %s: %w",
			labelsPath, y.Dims[0], n, imagesPath, ErrFormat)
	}
	d.Labels = make([]int, n)
	classes := 0
	for i, l := range y.Data {
		d.Labels[i] = int(l)
		classes = max(classes, int(l)+1)
	}
	d.ClassNames = decimalNames(classes)
	return d, nil
}

// ReadMNIST reads the train or test split ("train" or "test") of MNIST from
// dir, which holds LeCun's files under their usual names
// (train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte,
// t10k-labels-idx1-ubyte), each gzipped with a ".gz" suffix or plain. See
// ReadIDX for the Dataset returned.
func ReadMNIST(dir, split string) (*Dataset, error) {
	var prefix string
	switch split {
	case "train":
		prefix = "train"
	case "test":
		prefix = "t10k"
	default:
		return nil, fmt.Errorf("pixels: MNIST split %q, want \"train\" or \"test\"", split)
	}
	images, err := findMNISTFile(dir, prefix+"-images-idx3-ubyte")
	if err != nil {
		return nil, err
	}
	labels, err := findMNISTFile(dir, prefix+"-labels-idx1-ubyte")
	if err != nil {
		return nil, err
	}
	return ReadIDX(images, labels)
}

// findMNISTFile returns dir/name.gz or else dir/name, whichever exists.
func findMNISTFile(dir, name string) (string, error) {
	for _, p := range []string{filepath.Join(dir, name+".gz"), filepath.Join(dir, name)} {
		_, err := os.Stat(p)
		if err == nil {
			return p, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return "", fmt.Errorf("pixels: %w", err)
		}
	}
	return "", fmt.Errorf("pixels: %s: no %s or %s.gz: %w", dir, name, name, fs.ErrNotExist)
}
