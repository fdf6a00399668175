// Package fileio holds the small file conventions that several adapters
// share and that are not the engine's: transparent gunzip of inputs, and the
// image format an output's file name asks for. (Atomic writing is
// core.WriteFileAtomic.)
package fileio

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Stdin is the file name that means standard input, where a command reads
// a stream.
const Stdin = "-"

// Open opens path for reading, or returns standard input for Stdin ("-").
func Open(path string) (io.ReadCloser, error) {
	if path == Stdin {
		return io.NopCloser(os.Stdin), nil
	}
	return os.Open(path)
}

// Gunzip returns r's content, decompressed when it starts with the gzip
// magic bytes 1f 8b (none of the formats read by arkit starts so). A short
// or failing input is returned as it is: it reports itself on the first
// read. The error is a bad gzip header.
func Gunzip(r io.Reader) (io.Reader, error) {
	br := bufio.NewReader(r)
	magic, err := br.Peek(2)
	if err != nil || magic[0] != 0x1f || magic[1] != 0x8b {
		return br, nil
	}
	zr, err := gzip.NewReader(br)
	if err != nil {
		return nil, fmt.Errorf("gzip header: %w", err)
	}
	return zr, nil
}

// PlotFormat returns the image format that path's extension names, as
// gonum/plot's draw.NewFormattedCanvas takes it: "png", "svg" or "pdf" (also
// "jpg", "jpeg", "tif", "tiff", "eps"), or an error naming the file.
func PlotFormat(path string) (string, error) {
	ext := strings.ToLower(strings.TrimPrefix(filepath.Ext(path), "."))
	switch ext {
	case "png", "svg", "pdf", "jpg", "jpeg", "tif", "tiff", "eps":
		return ext, nil
	}
	return "", fmt.Errorf("%s: unknown image format %q (want .png, .svg or .pdf)", path, filepath.Ext(path))
}
