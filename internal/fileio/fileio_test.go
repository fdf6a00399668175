package fileio

import (
	"bytes"
	"compress/gzip"
	"io"
	"strings"
	"testing"
)

func TestGunzip(t *testing.T) {
	var z bytes.Buffer
	w := gzip.NewWriter(&z)
	w.Write([]byte("hello, gzip"))
	w.Close()
	for _, c := range []struct {
		name string
		in   []byte
		want string
		err  string
	}{
		{"gzipped", z.Bytes(), "hello, gzip", ""},
		{"plain", []byte("plain text"), "plain text", ""},
		{"one byte", []byte{0x1f}, "\x1f", ""},
		{"empty", nil, "", ""},
		{"bad header", []byte("\x1f\x8bnot really gzip"), "", "gzip header"},
	} {
		r, err := Gunzip(bytes.NewReader(c.in))
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%s: error %v, want %q", c.name, err, c.err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		got, err := io.ReadAll(r)
		if err != nil || string(got) != c.want {
			t.Errorf("%s: read %q, %v; want %q", c.name, got, err, c.want)
		}
	}
}

func TestPlotFormat(t *testing.T) {
	for path, want := range map[string]string{"a.png": "png", "b.SVG": "svg", "dir/c.pdf": "pdf", "d.jpeg": "jpeg"} {
		if got, err := PlotFormat(path); err != nil || got != want {
			t.Errorf("PlotFormat(%q) = %q, %v; want %q", path, got, err, want)
		}
	}
	for _, path := range []string{"a.gif", "noext", "a.png.txt"} {
		if _, err := PlotFormat(path); err == nil || !strings.Contains(err.Error(), path) {
			t.Errorf("PlotFormat(%q): error %v, want one naming the file", path, err)
		}
	}
}
