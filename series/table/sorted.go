// Sorted reading: a long file whose rows come grouped by series id is read
// one series at a time, so that memory holds one series, not the file.
// Each series is read by Read from its own rows, so cells, timestamps,
// duplicates and gaps are checked by the same code, and errors name the
// line of the file.

package table

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/arkit-go/arkit/internal/fileio"
)

// ErrNotSorted: the rows of a series are not all together in a file read
// as sorted by id.
var ErrNotSorted = errors.New("rows not grouped by id")

// ReadSorted reads a long file with a header whose rows are grouped by
// series id (each series' rows on consecutive lines, in any time order
// among them; the ids themselves in any order), calling fn with each
// series in turn, as a Dataset of that series alone. name is used in
// error messages; gzipped input is detected and decompressed. The id is
// opt.ID, or the first column.
//
// Each series is read by Read from its own rows (ReadOptions.MaxBytes
// bounds one series, not the file), so what Read finds for a whole file
// is found per series here: the time column's format, the decimal mark
// and the frequency. For a file where every series reads alike the
// datasets hold what Read's would; give opt.TimeFormat and opt.Freq when
// series are too short to tell. A row of a series whose rows ended
// earlier in the file is an error (ErrNotSorted) naming its line. An
// error from fn stops the reading and is returned as it is.
func ReadSorted(r io.Reader, name string, opt ReadOptions, fn func(*Dataset) error) error {
	if opt.Layout != LayoutAuto && opt.Layout != LayoutLong {
		return &ParseError{File: name, Err: fmt.Errorf("%w: only a long file is read sorted by id", ErrFormat)}
	}
	src, err := fileio.Gunzip(r)
	if err != nil {
		return &ParseError{File: name, Err: err}
	}
	br := bufio.NewReaderSize(src, 1<<16)
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.Comma = opt.Delimiter
	if cr.Comma == 0 {
		head, _ := br.Peek(br.Size())
		cr.Comma = sniffDelimiter(head)
	}
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err == io.EOF {
		return &ParseError{File: name, Err: fmt.Errorf("%w: empty file", ErrEmpty)}
	}
	if err != nil {
		return &ParseError{File: name, Err: err}
	}
	idCol := 0
	if opt.ID != "" {
		if idCol = slices.Index(header, opt.ID); idCol < 0 {
			return &ParseError{File: name, Column: opt.ID, Err: fmt.Errorf("%w: no id column %q (columns: %q)", ErrFormat, opt.ID, header)}
		}
	}
	group := sortedGroup{name: name, header: header, opt: opt}
	group.opt.Layout, group.opt.Header, group.opt.Delimiter, group.opt.ID = LayoutLong, HeaderPresent, ',', header[idCol]
	ended := map[string]int{} // ids whose rows ended, to the line of their last row
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return &ParseError{File: name, Err: err}
		}
		line, _ := cr.FieldPos(0)
		if idCol >= len(rec) {
			return &ParseError{File: name, Line: line, Err: fmt.Errorf("%w: %d cells, no id", ErrFormat, len(rec))}
		}
		id := rec[idCol]
		if len(group.rows) > 0 && id != group.id {
			ended[group.id] = group.lines[len(group.lines)-1]
			if err := group.flush(fn); err != nil {
				return err
			}
		}
		if len(group.rows) == 0 {
			if last, ok := ended[id]; ok {
				return &ParseError{File: name, Line: line, Err: fmt.Errorf("%w: series %q has rows up to line %d, then others, then this one: the file is not sorted by id", ErrNotSorted, id, last)}
			}
			group.id = id
		}
		group.rows = append(group.rows, rec)
		group.lines = append(group.lines, line)
	}
	if len(group.rows) > 0 {
		return group.flush(fn)
	}
	if len(ended) == 0 {
		return &ParseError{File: name, Err: fmt.Errorf("%w: no rows below the header", ErrEmpty)}
	}
	return nil
}

// sortedGroup holds the rows of the series being read.
type sortedGroup struct {
	name   string
	header []string
	opt    ReadOptions
	id     string
	rows   [][]string
	lines  []int // the file's line of each row
	buf    bytes.Buffer
}

// flush reads the series of the rows held and hands it to fn.
func (g *sortedGroup) flush(fn func(*Dataset) error) error {
	g.buf.Reset()
	w := csv.NewWriter(&g.buf)
	w.Write(g.header)
	w.WriteAll(g.rows)
	ds, err := Read(&g.buf, g.name, g.opt)
	if err != nil {
		return g.remap(err)
	}
	g.rows, g.lines = g.rows[:0], g.lines[:0]
	return fn(ds)
}

// remap rewrites the line numbers of err, of the series' own CSV (line 1
// its header, line k+2 its row k), as lines of the file.
func (g *sortedGroup) remap(err error) error {
	return Relocate(err, func(n int) (string, int, bool) {
		if k := n - 2; k >= 0 && k < len(g.lines) {
			return g.name, g.lines[k], true
		}
		return "", 0, false
	})
}
