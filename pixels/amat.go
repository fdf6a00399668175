// Binarized MNIST in Larochelle's .amat text layout: one 28x28 image per
// line, 784 values 0 or 1 separated by blanks, gzipped or not.

package pixels

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/arkit-go/arkit/internal/fileio"
)

// AMat images are MNIST digits: 28x28, one channel, two levels.
const (
	amatSide    = 28
	amatValues  = amatSide * amatSide
	amatMaxLine = 1 << 16 // bytes; a valid line has 1,568
)

// ParseError reports a bad line of a text file. It unwraps to the cause,
// which wraps ErrFormat, ErrTruncated or ErrTooLarge.
type ParseError struct {
	Path string // empty when decoding a reader
	Line int    // 1-based
	Err  error
}

func (e *ParseError) Error() string {
	if e.Path == "" {
		return fmt.Sprintf("pixels: line %d: %v", e.Line, e.Err)
	}
	return fmt.Sprintf("pixels: %s line %d: %v", e.Path, e.Line, e.Err)
}

func (e *ParseError) Unwrap() error { return e.Err }

// DecodeAMat reads binarized MNIST in the .amat text layout, gzipped or not:
// per line 784 values in raster order, separated by spaces or tabs, each 0 or
// 1 (a number equal to 0 or 1, such as 1.0, is accepted too). Blank lines are
// skipped. The Dataset is 28x28, 1 channel, 2 levels, unlabelled. Errors in
// the content are *ParseError values carrying the line number; an input with
// no lines of values gives an error wrapping ErrNoImages.
func DecodeAMat(r io.Reader) (*Dataset, error) { return decodeAMat(r, "") }

// ReadAMat reads the .amat file at path (see DecodeAMat). Errors name the
// file and, for content errors, the line.
func ReadAMat(path string) (*Dataset, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("pixels: %w", err)
	}
	defer f.Close()
	return decodeAMat(f, path)
}

// decodeAMat is DecodeAMat, naming path in errors.
func decodeAMat(r io.Reader, path string) (*Dataset, error) {
	fail := func(err error) error {
		if path == "" {
			return fmt.Errorf("pixels: %w", err)
		}
		return fmt.Errorf("pixels: %s: %w", path, err)
	}
	z, err := fileio.Gunzip(r)
	if err != nil {
		return nil, fail(err)
	}
	sc := bufio.NewScanner(z)
	sc.Buffer(make([]byte, 0, 4096), amatMaxLine)
	var data []uint8
	line := 0
	for sc.Scan() {
		line++
		start := len(data)
		if start+amatValues > MaxDatasetBytes {
			return nil, &ParseError{Path: path, Line: line, Err: fmt.Errorf("%w: images exceed %d bytes", ErrTooLarge, MaxDatasetBytes)}
		}
		data, err = appendAMatLine(data, sc.Bytes())
		if err != nil {
			return nil, &ParseError{Path: path, Line: line, Err: err}
		}
		if n := len(data) - start; n != 0 && n != amatValues {
			return nil, &ParseError{Path: path, Line: line, Err: fmt.Errorf("%w: %d values, want %d", ErrFormat, n, amatValues)}
		}
	}
	if err := sc.Err(); err != nil {
		switch {
		case errors.Is(err, bufio.ErrTooLong):
			err = fmt.Errorf("%w: line longer than %d bytes", ErrFormat, amatMaxLine)
		case errors.Is(err, io.ErrUnexpectedEOF):
			err = fmt.Errorf("%w: %w", ErrTruncated, err)
		}
		return nil, &ParseError{Path: path, Line: line + 1, Err: err}
	}
	if len(data) == 0 {
		return nil, fail(ErrNoImages)
	}
	d := &Dataset{Width: amatSide, Height: amatSide, Channels: 1, Levels: 2,
		Images: make([][]uint8, len(data)/amatValues)}
	for i := range d.Images {
		d.Images[i] = data[i*amatValues : (i+1)*amatValues : (i+1)*amatValues]
	}
	return d, nil
}

// appendAMatLine appends the values of one line to data. It stops with an
// error at the first bad value or at value 785.
func appendAMatLine(data []uint8, line []byte) ([]uint8, error) {
	start := len(data)
	for i := 0; i < len(line); {
		if isBlank(line[i]) {
			i++
			continue
		}
		j := i
		for j < len(line) && !isBlank(line[j]) {
			j++
		}
		n := len(data) - start
		if n == amatValues {
			return data, fmt.Errorf("%w: more than %d values", ErrFormat, amatValues)
		}
		tok := line[i:j]
		switch {
		case len(tok) == 1 && tok[0] == '0':
			data = append(data, 0)
		case len(tok) == 1 && tok[0] == '1':
			data = append(data, 1)
		default:
			v, err := strconv.ParseFloat(string(tok), 64)
			if err != nil || (v != 0 && v != 1) {
				return data, fmt.Errorf("%w: value %d is %q, want 0 or 1", ErrFormat, n+1, truncate(tok, 20))
			}
			data = append(data, uint8(v))
		}
		i = j
	}
	return data, nil
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f' }

// truncate shortens a token quoted in an error message.
func truncate(b []byte, n int) string {
	if len(b) <= n {
		return string(b)
	}
	return string(b[:n]) + "..."
}
