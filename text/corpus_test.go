// Tests of corpus loading (files, directories, stdin, limits) and of the
// train/validation split.

package text

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// writeFiles creates files (path -> content) under a new temporary directory.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestLoadCorpusDirectory(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"b.txt":          "second\n",
		"a.txt":          "first", // no final newline: one is inserted
		"sub/c.md":       "\uFEFFthird\n",
		"sub/empty.txt":  "",
		".git/config":    "hidden dir",
		".hidden.txt":    "hidden file",
		"image.png":      "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
		"sub/z/last.txt": "fourth",
	})
	c, err := LoadCorpus([]string{dir}, CorpusOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if want := "first\nsecond\nthird\nfourth"; c.Text != want {
		t.Errorf("Text = %q, want %q", c.Text, want)
	}
	var files []string
	for _, f := range c.Files {
		files = append(files, filepath.ToSlash(strings.TrimPrefix(f, dir+string(filepath.Separator))))
	}
	if want := []string{"a.txt", "b.txt", "sub/c.md", "sub/empty.txt", "sub/z/last.txt"}; !slices.Equal(files, want) {
		t.Errorf("Files = %q, want %q", files, want)
	}
	var skipped []string
	for _, s := range c.Skipped {
		skipped = append(skipped, filepath.Base(s.Path)+": "+strings.SplitN(s.Reason, ":", 2)[0])
	}
	if want := []string{".git: hidden", ".hidden.txt: hidden", "image.png: binary"}; !slices.Equal(skipped, want) {
		t.Errorf("Skipped = %q, want %q", skipped, want)
	}
}

func TestLoadCorpusFilesAndStdin(t *testing.T) {
	dir := writeFiles(t, map[string]string{"x.bin": "\x00\x01raw", "y.txt": "text\n"})
	c, err := LoadCorpus([]string{filepath.Join(dir, "y.txt"), "-", filepath.Join(dir, "x.bin")},
		CorpusOptions{Stdin: strings.NewReader("from stdin")})
	if err != nil {
		t.Fatal(err)
	}
	// A file named explicitly is read even when it looks binary.
	if want := "text\nfrom stdin\n\x00\x01raw"; c.Text != want {
		t.Errorf("Text = %q, want %q", c.Text, want)
	}
	if len(c.Files) != 3 || c.Files[1] != "-" {
		t.Errorf("Files = %q", c.Files)
	}
}

func TestLoadCorpusErrors(t *testing.T) {
	dir := writeFiles(t, map[string]string{"big.txt": strings.Repeat("x", 100), "small.txt": "abc", "empty.txt": ""})
	missing := filepath.Join(dir, "missing.txt")
	tests := []struct {
		name    string
		paths   []string
		opts    CorpusOptions
		wantErr error
		wantMsg string
	}{
		{"no paths", nil, CorpusOptions{}, nil, "no corpus paths"},
		{"missing file", []string{missing}, CorpusOptions{}, os.ErrNotExist, missing},
		{"too large file", []string{filepath.Join(dir, "big.txt")}, CorpusOptions{MaxBytes: 50}, ErrCorpusTooLarge, "big.txt"},
		{"too large dir", []string{dir}, CorpusOptions{MaxBytes: 50}, ErrCorpusTooLarge, "limit 50 bytes"},
		{"too large stdin", []string{"-"}, CorpusOptions{MaxBytes: 5, Stdin: strings.NewReader("123456")}, ErrCorpusTooLarge, "-"},
		{"stdin twice", []string{"-", "-"}, CorpusOptions{Stdin: strings.NewReader("a")}, nil, "twice"},
		{"empty", []string{filepath.Join(dir, "empty.txt")}, CorpusOptions{}, nil, "corpus is empty"},
	}
	for _, tc := range tests {
		_, err := LoadCorpus(tc.paths, tc.opts)
		if err == nil {
			t.Errorf("%s: no error", tc.name)
			continue
		}
		if tc.wantErr != nil && !errors.Is(err, tc.wantErr) {
			t.Errorf("%s: error %v does not wrap %v", tc.name, err, tc.wantErr)
		}
		if !strings.Contains(err.Error(), tc.wantMsg) || !strings.HasPrefix(err.Error(), "text: ") {
			t.Errorf("%s: error %q lacks %q or the text: prefix", tc.name, err, tc.wantMsg)
		}
	}
	// Exactly at the limit is fine.
	if c, err := LoadCorpus([]string{filepath.Join(dir, "big.txt")}, CorpusOptions{MaxBytes: 100}); err != nil || len(c.Text) != 100 {
		t.Errorf("corpus at the limit: %v", err)
	}
}

func TestReadCorpus(t *testing.T) {
	s, err := ReadCorpus(strings.NewReader("hello"), 5)
	if err != nil || s != "hello" {
		t.Errorf("ReadCorpus = %q, %v", s, err)
	}
	if _, err := ReadCorpus(strings.NewReader("hello!"), 5); !errors.Is(err, ErrCorpusTooLarge) {
		t.Errorf("ReadCorpus over the limit: %v", err)
	}
}

func TestSplit(t *testing.T) {
	ids := make([]int32, 1000)
	for i := range ids {
		ids[i] = int32(i)
	}
	tests := []struct {
		n         int
		frac      float64
		wantTrain int
		wantErr   bool
	}{
		{1000, 0, 900, false},
		{1000, 0.1, 900, false},
		{1000, 0.25, 750, false},
		{1000, 0.999, 1, false},
		{10, 0.05, 9, false},
		{1, 0.1, 0, true},
		{10, 0.01, 9, false}, // the training part is rounded down
		{10, 0.95, 0, true},  // nothing left for training
		{10, 1e-17, 0, true}, // nothing left for validation
		{1000, 1, 0, true},
		{1000, -0.1, 0, true},
		{0, 0.1, 0, true},
	}
	for _, tc := range tests {
		train, val, err := Split(ids[:tc.n], tc.frac)
		if tc.wantErr {
			if err == nil {
				t.Errorf("Split(%d, %v): no error", tc.n, tc.frac)
			}
			continue
		}
		if err != nil {
			t.Errorf("Split(%d, %v): %v", tc.n, tc.frac, err)
			continue
		}
		if len(train) != tc.wantTrain || len(train)+len(val) != tc.n || val[0] != int32(tc.wantTrain) {
			t.Errorf("Split(%d, %v) = %d + %d, want %d train", tc.n, tc.frac, len(train), len(val), tc.wantTrain)
		}
		if cap(train) != len(train) {
			t.Errorf("Split(%d, %v): appending to train would overwrite val", tc.n, tc.frac)
		}
	}
	_, _, err := Split(ids[:5], 0.9)
	if !errors.Is(err, ErrCorpusTooShort) || !strings.Contains(err.Error(), "5 tokens") {
		t.Errorf("Split too short: %v", err)
	}
}
