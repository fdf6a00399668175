// Reading: the files a glob names, and each file's rows keyed by series id.
// A file is read whole by one worker (no splitting inside a file), so the
// line numbers of errors are exact.

package seriesbeam

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"

	"github.com/arkit-go/arkit/series/table"
)

func init() {
	register.DoFn4x1[context.Context, string, func(string, Row), func(BadRow), error](&readFileFn{})
	register.Emitter2[string, Row]()
	register.Emitter1[BadRow]()
}

// Row is one observation of a long file: where it is, and its id, time
// and value cells as written.
type Row struct {
	File        string
	Line        int
	ID          string
	Time, Value string
}

// BadRow is a row left out of the job, with the error that left it out.
// Row's cells are empty when the line could not be split into cells.
type BadRow struct {
	Row
	Err string
}

// Columns names the id, time and value columns of the files; an empty
// name means the first, second and third column.
type Columns struct {
	ID, Time, Value string
}

// List returns the files that pattern matches, through Beam's file
// systems (local paths, gs://, ...), sorted.
func List(ctx context.Context, pattern string) ([]string, error) {
	fs, err := filesystem.New(ctx, pattern)
	if err != nil {
		return nil, fmt.Errorf("series: %s: %w", pattern, err)
	}
	defer fs.Close()
	files, err := fs.List(ctx, pattern)
	if err != nil {
		return nil, fmt.Errorf("series: %s: %w", pattern, err)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("series: %s matches no file", pattern)
	}
	slices.Sort(files)
	return files, nil
}

// readFileFn reads the rows of one file. With KeepBad a row that cannot
// be split into the named cells goes to the bad rows; without it, it
// fails the job.
type readFileFn struct {
	Columns Columns
	KeepBad bool
}

func (f *readFileFn) ProcessElement(ctx context.Context, path string, emit func(string, Row), bad func(BadRow)) error {
	fs, err := filesystem.New(ctx, path)
	if err != nil {
		return fmt.Errorf("series: %s: %w", path, err)
	}
	defer fs.Close()
	rc, err := fs.OpenRead(ctx, path)
	if err != nil {
		return fmt.Errorf("series: %s: %w", path, err)
	}
	defer rc.Close()
	return f.read(rc, path, emit, bad)
}

func (f *readFileFn) read(r io.Reader, path string, emit func(string, Row), bad func(BadRow)) error {
	br := bufio.NewReader(r)
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return &table.ParseError{File: path, Err: err}
		}
		defer zr.Close()
		br = bufio.NewReader(zr)
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	head, err := cr.Read()
	if err == io.EOF {
		return &table.ParseError{File: path, Err: fmt.Errorf("%w: empty file", table.ErrEmpty)}
	}
	if err != nil {
		return csvError(path, err)
	}
	cols := slices.Clone(head)
	id, tm, val, err := f.resolve(path, cols)
	if err != nil {
		return err
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			perr := csvError(path, err)
			if !f.KeepBad {
				return perr
			}
			var pe *csv.ParseError
			line := 0
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			bad(BadRow{Row: Row{File: path, Line: line}, Err: perr.Error()})
			continue
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != len(cols) && (len(rec) < len(cols) || slices.ContainsFunc(rec[len(cols):], func(c string) bool { return c != "" })) {
			perr := &table.ParseError{File: path, Line: line, Err: fmt.Errorf("%w: %d fields, want %d", table.ErrFormat, len(rec), len(cols))}
			if !f.KeepBad {
				return perr
			}
			row := Row{File: path, Line: line}
			if len(rec) > max(id, tm, val) {
				row.ID, row.Time, row.Value = rec[id], rec[tm], rec[val]
			}
			bad(BadRow{Row: row, Err: perr.Error()})
			continue
		}
		emit(rec[id], Row{File: path, Line: line, ID: rec[id], Time: rec[tm], Value: rec[val]})
	}
}

// resolve finds the named columns in a file's header.
func (f *readFileFn) resolve(path string, cols []string) (id, tm, val int, err error) {
	find := func(name string, pos int, role string) (int, error) {
		if name == "" {
			if pos < len(cols) {
				return pos, nil
			}
			return -1, &table.ParseError{File: path, Line: 1, Err: fmt.Errorf("%w: %d columns; a long file has id, time and value", table.ErrFormat, len(cols))}
		}
		if i := slices.Index(cols, name); i >= 0 {
			return i, nil
		}
		return -1, &table.ParseError{File: path, Column: name, Err: fmt.Errorf("%w for %s; the columns are %s", table.ErrUnknownColumn, role, strings.Join(cols, ", "))}
	}
	if id, err = find(f.Columns.ID, 0, "the id"); err != nil {
		return
	}
	if tm, err = find(f.Columns.Time, 1, "the time"); err != nil {
		return
	}
	val, err = find(f.Columns.Value, 2, "a value")
	return
}

// csvError turns an error of encoding/csv into the series package's kind.
func csvError(path string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &table.ParseError{File: path, Line: pe.Line, Err: fmt.Errorf("%w: %v", table.ErrFormat, pe.Err)}
	}
	return &table.ParseError{File: path, Err: err}
}

// readRows reads every file's rows, keyed by series id, and the rows that
// could not be split into cells.
func readRows(s beam.Scope, files []string, cols Columns, keepBad bool) (rows, bad beam.PCollection) {
	s = s.Scope("ReadRows")
	names := beam.Reshuffle(s, beam.CreateList(s, files))
	return beam.ParDo2(s, &readFileFn{Columns: cols, KeepBad: keepBad}, names)
}
