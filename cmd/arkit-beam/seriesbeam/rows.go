// Reading: the files a glob names, and each file's rows keyed by series id.
// A file is read whole by one worker (no splitting inside a file), so the
// line numbers of errors are exact. The rows of a series are sent on in
// blocks (one element per series and file, or a few for a file larger
// than the reader's buffer), not one element per row: a runner's cost per
// element (prism keeps every element of a stage in memory) dwarfs a row.

package seriesbeam

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/binary"
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
	register.DoFn4x1[context.Context, string, func(string, Block), func(BadRow), error](&readFileFn{})
	register.Emitter2[string, Block]()
	register.Iter1[Block]()
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

// Block is rows of one series from one file, packed: for each row its
// line (a uvarint, the difference from the row before; the first from 0),
// then its time and value cells (each a uvarint length and the bytes).
// The series id is the element's key.
type Block struct {
	File string
	Rows []byte
}

// appendRow appends a row to a block's packing; prev is the line of the
// row before (0 for the first).
func appendRow(b []byte, prev, line int, tm, val string) []byte {
	b = binary.AppendUvarint(b, uint64(line-prev))
	b = binary.AppendUvarint(b, uint64(len(tm)))
	b = append(b, tm...)
	b = binary.AppendUvarint(b, uint64(len(val)))
	return append(b, val...)
}

// unpack appends the rows of a block of series id to rows.
func (b Block) unpack(id string, rows []Row) ([]Row, error) {
	p, line := b.Rows, 0
	next := func() (uint64, bool) {
		v, n := binary.Uvarint(p)
		if n <= 0 {
			return 0, false
		}
		p = p[n:]
		return v, true
	}
	cell := func() (string, bool) {
		n, ok := next()
		if !ok || n > uint64(len(p)) {
			return "", false
		}
		c := string(p[:n])
		p = p[n:]
		return c, true
	}
	for len(p) > 0 {
		d, ok := next()
		if !ok {
			return rows, fmt.Errorf("series: %s: a corrupt block of series %q", b.File, id)
		}
		line += int(d)
		tm, ok1 := cell()
		val, ok2 := cell()
		if !ok1 || !ok2 {
			return rows, fmt.Errorf("series: %s: a corrupt block of series %q", b.File, id)
		}
		rows = append(rows, Row{File: b.File, Line: line, ID: id, Time: tm, Value: val})
	}
	return rows, nil
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

// readFileFn reads the rows of one file into blocks, one per series. With
// KeepBad a row that cannot be split into the named cells goes to the bad
// rows; without it, it fails the job. The blocks are sent on when the
// file ends, or all at once whenever they pass Buffer bytes (0:
// defaultBuffer), so a worker's memory is bounded whatever the file.
type readFileFn struct {
	Columns Columns
	KeepBad bool
	Buffer  int
}

// defaultBuffer is the bytes of blocks a reader holds before sending them
// on: a few rows over 3 million at 20 bytes a row.
const defaultBuffer = 64 << 20

// blockCost is the bytes a series' block costs beyond its rows (the map
// entry, the slice header, the key).
const blockCost = 96

// pending is a series' block being filled.
type pending struct {
	rows []byte
	line int
}

func (f *readFileFn) ProcessElement(ctx context.Context, path string, emit func(string, Block), bad func(BadRow)) error {
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

func (f *readFileFn) read(r io.Reader, path string, emit func(string, Block), bad func(BadRow)) error {
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
	limit := f.Buffer
	if limit <= 0 {
		limit = defaultBuffer
	}
	blocks := map[string]*pending{}
	size := 0
	flush := func() {
		for id, p := range blocks {
			emit(id, Block{File: path, Rows: p.rows})
		}
		clear(blocks)
		size = 0
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			flush()
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
		p := blocks[rec[id]]
		if p == nil {
			p = &pending{}
			blocks[rec[id]] = p
			size += blockCost + len(rec[id])
		}
		n := len(p.rows)
		p.rows = appendRow(p.rows, p.line, line, rec[tm], rec[val])
		p.line = line
		size += len(p.rows) - n
		if size >= limit {
			flush()
		}
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

// readRows reads every file's rows into blocks keyed by series id, and
// the rows that could not be split into cells.
func readRows(s beam.Scope, files []string, in Input) (rows, bad beam.PCollection) {
	s = s.Scope("ReadRows")
	names := beam.Reshuffle(s, beam.CreateList(s, files))
	return beam.ParDo2(s, &readFileFn{Columns: in.Columns, KeepBad: in.BadRows != "", Buffer: in.buffer}, names)
}
