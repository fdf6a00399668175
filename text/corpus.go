// Loading a training corpus from files, directories or standard input, and
// splitting the encoded corpus into training and validation parts.

package text

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// DefaultMaxCorpusBytes is the corpus size limit used when
// CorpusOptions.MaxBytes is zero.
const DefaultMaxCorpusBytes = 2 << 30

// DefaultValFraction is the validation share Split uses when given zero.
const DefaultValFraction = 0.1

// ErrCorpusTooLarge is wrapped by the error returned when a corpus exceeds
// its size limit.
var ErrCorpusTooLarge = errors.New("corpus too large")

// ErrCorpusTooShort is wrapped by the errors returned when a corpus has too
// few tokens for a split or a batch shape.
var ErrCorpusTooShort = errors.New("corpus too short")

// CorpusOptions configures LoadCorpus. The zero value is ready to use.
type CorpusOptions struct {
	// MaxBytes bounds the total size of the corpus; 0 means
	// DefaultMaxCorpusBytes.
	MaxBytes int64
	// Stdin is read for the path "-"; nil means os.Stdin.
	Stdin io.Reader
}

// Corpus is the concatenated text of the files LoadCorpus read.
type Corpus struct {
	Text    string        // the files' contents, in order
	Files   []string      // the files read, in order; "-" is standard input
	Skipped []SkippedFile // files and directories passed over inside directories
}

// SkippedFile records why a directory walk passed over a path.
type SkippedFile struct {
	Path   string
	Reason string // "hidden", "binary: ..." or "not a regular file"
}

// LoadCorpus reads and concatenates the given paths in order. A path may be
// a file, read whatever it holds; "-", standard input; or a directory, walked
// recursively in lexical order, reading the text files and recording in
// Corpus.Skipped the hidden entries (names starting with "."), binary files
// and special files it passes over. A UTF-8 byte order mark at the start of
// a file is dropped, and a newline is inserted between files when the
// previous one does not end with one.
//
// Errors name the path. A corpus larger than the size limit gives an error
// wrapping ErrCorpusTooLarge; an empty corpus is an error.
func LoadCorpus(paths []string, opts CorpusOptions) (*Corpus, error) {
	if len(paths) == 0 {
		return nil, errors.New("text: no corpus paths given")
	}
	l := loader{max: opts.MaxBytes, stdin: opts.Stdin, c: &Corpus{}}
	if l.max <= 0 {
		l.max = DefaultMaxCorpusBytes
	}
	if l.stdin == nil {
		l.stdin = os.Stdin
	}
	for _, p := range paths {
		if err := l.load(p); err != nil {
			return nil, err
		}
	}
	l.c.Text = l.b.String()
	if l.c.Text == "" {
		return nil, fmt.Errorf("text: corpus is empty (%d files read from %s)", len(l.c.Files), strings.Join(paths, ", "))
	}
	return l.c, nil
}

// ReadCorpus reads all of r as a corpus of at most maxBytes bytes (0 means
// DefaultMaxCorpusBytes), returning an error wrapping ErrCorpusTooLarge if r
// holds more.
func ReadCorpus(r io.Reader, maxBytes int64) (string, error) {
	if maxBytes <= 0 {
		maxBytes = DefaultMaxCorpusBytes
	}
	var b strings.Builder
	n, err := io.Copy(&b, io.LimitReader(r, maxBytes+1))
	if err != nil {
		return "", fmt.Errorf("text: reading corpus: %w", err)
	}
	if n > maxBytes {
		return "", fmt.Errorf("text: %w (limit %d bytes)", ErrCorpusTooLarge, maxBytes)
	}
	return b.String(), nil
}

// loader accumulates the corpus across the paths given to LoadCorpus.
type loader struct {
	max       int64
	stdin     io.Reader
	usedStdin bool
	b         strings.Builder
	c         *Corpus
}

func (l *loader) load(path string) error {
	if path == "-" {
		if l.usedStdin {
			return errors.New("text: -: standard input given twice")
		}
		l.usedStdin = true
		return l.read("-", l.stdin, false)
	}
	info, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("text: %w", err) // *PathError already names the path
	}
	if !info.IsDir() {
		return l.readFile(path, false)
	}
	return filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("text: %w", err)
		}
		if p != path && strings.HasPrefix(d.Name(), ".") {
			l.c.Skipped = append(l.c.Skipped, SkippedFile{p, "hidden"})
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		if !d.Type().IsRegular() {
			// Follow symbolic links to files, not to directories.
			fi, err := os.Stat(p)
			if err != nil || !fi.Mode().IsRegular() {
				l.c.Skipped = append(l.c.Skipped, SkippedFile{p, "not a regular file"})
				return nil
			}
		}
		return l.readFile(p, true)
	})
}

func (l *loader) readFile(path string, sniff bool) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("text: %w", err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() && int64(l.b.Len())+fi.Size() > l.max {
		if !sniff || !l.isBinary(path, f) {
			return fmt.Errorf("text: %s: %w (limit %d bytes)", path, ErrCorpusTooLarge, l.max)
		}
		return nil
	}
	return l.read(path, f, sniff)
}

// isBinary reports whether the start of f looks binary, recording the skip.
func (l *loader) isBinary(path string, f *os.File) bool {
	head := make([]byte, sniffBytes)
	n, _ := io.ReadFull(f, head)
	if reason := binaryReason(string(head[:n])); reason != "" {
		l.c.Skipped = append(l.c.Skipped, SkippedFile{path, "binary: " + reason})
		return true
	}
	return false
}

// read appends r to the corpus. With sniff, a file whose first bytes look
// binary is skipped instead.
func (l *loader) read(name string, r io.Reader, sniff bool) error {
	head := make([]byte, sniffBytes)
	n, err := io.ReadFull(r, head)
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return fmt.Errorf("text: %s: %w", name, err)
	}
	head = head[:n]
	if sniff {
		if reason := binaryReason(string(head)); reason != "" {
			l.c.Skipped = append(l.c.Skipped, SkippedFile{name, "binary: " + reason})
			return nil
		}
	}
	head = []byte(strings.TrimPrefix(string(head), "\uFEFF"))
	if s := l.b.String(); s != "" && !strings.HasSuffix(s, "\n") && len(head) > 0 {
		l.b.WriteByte('\n')
	}
	remaining := l.max - int64(l.b.Len())
	if int64(len(head)) > remaining {
		return fmt.Errorf("text: %s: %w (limit %d bytes)", name, ErrCorpusTooLarge, l.max)
	}
	l.b.Write(head)
	remaining -= int64(len(head))
	m, err := io.Copy(&l.b, io.LimitReader(r, remaining+1))
	if err != nil {
		return fmt.Errorf("text: %s: %w", name, err)
	}
	if m > remaining {
		return fmt.Errorf("text: %s: %w (limit %d bytes)", name, ErrCorpusTooLarge, l.max)
	}
	l.c.Files = append(l.c.Files, name)
	return nil
}

// Split cuts ids by position: the last valFraction of them (0 means
// DefaultValFraction) for validation and the rest for training, as
// char-rnn and nanoGPT do. The parts share ids' storage. It returns an error
// if valFraction is outside [0, 1) or either part would be empty.
func Split(ids []int32, valFraction float64) (train, val []int32, err error) {
	if valFraction == 0 {
		valFraction = DefaultValFraction
	}
	if !(valFraction > 0 && valFraction < 1) {
		return nil, nil, fmt.Errorf("text: validation fraction %v out of range (0, 1)", valFraction)
	}
	n := int((1 - valFraction) * float64(len(ids)))
	if n == 0 || n == len(ids) {
		return nil, nil, fmt.Errorf("text: corpus has %d tokens, too few to hold out %v for validation: %w", len(ids), valFraction, ErrCorpusTooShort)
	}
	return ids[:n:n], ids[n:], nil
}
