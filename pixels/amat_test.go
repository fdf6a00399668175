// Tests of the binarized-MNIST .amat reader on synthetic text.

package pixels

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestDecodeAMatRoundTrip(t *testing.T) {
	imgs := randomImages(4, 3, 784, 2)
	text := amatText(imgs)
	for _, tc := range []struct {
		name string
		raw  []byte
	}{
		{"plain", text},
		{"gzip", gzipBytes(text)},
		{"CRLF, tabs, blank lines", []byte("\n" + strings.ReplaceAll(strings.ReplaceAll(string(text), "\n", "\r\n\n"), " 1 ", "\t1.0\t"))},
		{"no final newline", text[:len(text)-1]},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := DecodeAMat(bytes.NewReader(tc.raw))
			if err != nil {
				t.Fatal(err)
			}
			if d.Width != 28 || d.Height != 28 || d.Channels != 1 || d.Levels != 2 || d.Labels != nil {
				t.Errorf("format %+v", d)
			}
			if !slices.EqualFunc(d.Images, imgs, slices.Equal) {
				t.Error("images differ from those written")
			}
		})
	}
}

func TestDecodeAMatErrors(t *testing.T) {
	line := strings.TrimSuffix(string(amatText(randomImages(5, 1, 784, 2))), "\n")
	for _, tc := range []struct {
		name string
		raw  string
		line int
		want error
		text string
	}{
		{"short line", line + "\n" + line[:len(line)-2] + "\n", 2, ErrFormat, "783 values, want 784"},
		{"long line", line + " 0\n", 1, ErrFormat, "more than 784"},
		{"gray value", line + "\n" + line + "\n" + "0.5" + line[1:] + "\n", 3, ErrFormat, `value 1 is "0.5"`},
		{"word", strings.Repeat("0 ", 10) + "one" + line[21:], 1, ErrFormat, `value 11 is "one"`},
		{"endless line", strings.Repeat("0 ", 40000), 1, ErrFormat, "longer than"},
		{"gzip cut short", string(gzipBytes([]byte(line + "\n" + line + "\n"))[:30]), 1, ErrTruncated, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := DecodeAMat(strings.NewReader(tc.raw))
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v is not a *ParseError", err)
			}
			if pe.Line != tc.line || !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.text) {
				t.Errorf("error %q at line %d, want line %d wrapping %q and saying %q", err, pe.Line, tc.line, tc.want, tc.text)
			}
		})
	}
	for _, empty := range []string{"", "\n \n\t\n"} {
		if _, err := DecodeAMat(strings.NewReader(empty)); !errors.Is(err, ErrNoImages) {
			t.Errorf("DecodeAMat(%q): %v, want ErrNoImages", empty, err)
		}
	}
}

func TestReadAMat(t *testing.T) {
	dir := t.TempDir()
	imgs := randomImages(6, 2, 784, 2)
	good := writeFile(t, dir, "x.amat.gz", gzipBytes(amatText(imgs)))
	d, err := ReadAMat(good)
	if err != nil || !slices.EqualFunc(d.Images, imgs, slices.Equal) {
		t.Fatalf("ReadAMat: %v", err)
	}
	bad := writeFile(t, dir, "bad.amat", append(amatText(imgs), "1 0\n"...))
	_, err = ReadAMat(bad)
	if want := "pixels: " + bad + " line 3: "; err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("error %v, want it to start %q", err, want)
	}
	if _, err := ReadAMat(dir + "/missing.amat"); err == nil || !strings.Contains(err.Error(), "missing.amat") {
		t.Errorf("missing file: %v", err)
	}
}

func FuzzDecodeAMat(f *testing.F) {
	line := amatText(randomImages(7, 1, 784, 2))
	f.Add(line)
	f.Add(gzipBytes(append(slices.Clone(line), line...)))
	f.Add([]byte("0 1 0\n"))
	f.Add([]byte("\n\n1e0 0x1 NaN\n"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		d, err := DecodeAMat(bytes.NewReader(raw))
		if err != nil {
			return
		}
		if err := d.Validate(); err != nil {
			t.Fatal(err)
		}
		// What decodes re-encodes to the same images.
		e, err := DecodeAMat(bytes.NewReader(amatText(d.Images)))
		if err != nil || !slices.EqualFunc(d.Images, e.Images, slices.Equal) {
			t.Fatalf("re-encoding: %v", err)
		}
	})
}
