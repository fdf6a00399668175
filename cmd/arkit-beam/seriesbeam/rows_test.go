// The row reader alone: line numbers, field counts and quoting.

package seriesbeam

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/arkit-go/arkit/series/table"
)

func TestReadRows(t *testing.T) {
	in := "id,time,value\na,2020-01-01,1\n\"b\nc\",2020-01-01,2\na,2020-02-01\nb,2020-03-01,3,,\n"
	var bad []BadRow
	f := &readFileFn{KeepBad: true}
	rows, err := readAll(t, f, in, func(b BadRow) { bad = append(bad, b) })
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || rows[0].Line != 2 || rows[1].ID != "b\nc" || rows[1].Line != 3 || rows[2].Line != 6 || rows[2].Value != "3" {
		t.Errorf("rows %+v", rows)
	}
	if len(bad) != 1 || bad[0].Line != 5 || !strings.Contains(bad[0].Err, "f.csv line 5: malformed input: 2 fields, want 3") {
		t.Errorf("bad rows %+v", bad)
	}
	f.KeepBad = false
	_, err = readAll(t, f, in, nil)
	var pe *table.ParseError
	if !errors.As(err, &pe) || pe.Line != 5 || !errors.Is(err, table.ErrFormat) {
		t.Errorf("error %v, want a ParseError on line 5", err)
	}
}

// readAll reads in as f.csv and returns its rows from the blocks, in the
// order of the file.
func readAll(t *testing.T, f *readFileFn, in string, bad func(BadRow)) ([]Row, error) {
	t.Helper()
	var rows []Row
	err := f.read(strings.NewReader(in), "f.csv", func(id string, b Block) {
		var err error
		if b.File != "f.csv" {
			t.Fatalf("block of %q names file %q", id, b.File)
		}
		if rows, err = b.unpack(id, rows); err != nil {
			t.Fatal(err)
		}
	}, bad)
	slices.SortFunc(rows, func(x, y Row) int { return cmp.Compare(x.Line, y.Line) })
	return rows, err
}

// A small buffer sends a series on in several blocks; together they hold
// every row, each once, with its line and cells.
func TestReadRowsBlocks(t *testing.T) {
	var in strings.Builder
	in.WriteString("id,time,value\n")
	var want []Row
	for i := range 500 {
		r := Row{File: "f.csv", Line: i + 2, ID: fmt.Sprintf("s%d", i%7), Time: fmt.Sprintf("t%d", i), Value: strings.Repeat("9", i%300)}
		fmt.Fprintf(&in, "%s,%s,%s\n", r.ID, r.Time, r.Value)
		want = append(want, r)
	}
	blocks := map[string]int{}
	f := &readFileFn{Buffer: 2000}
	var rows []Row
	err := f.read(strings.NewReader(in.String()), "f.csv", func(id string, b Block) {
		blocks[id]++
		var err error
		if rows, err = b.unpack(id, rows); err != nil {
			t.Fatal(err)
		}
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(rows, func(x, y Row) int { return cmp.Compare(x.Line, y.Line) })
	if !slices.Equal(rows, want) {
		t.Errorf("%d rows back of %d, or not the same", len(rows), len(want))
	}
	if blocks["s0"] < 5 {
		t.Errorf("series s0 in %d blocks; want several with a buffer of 2000 bytes", blocks["s0"])
	}
	if rows, err := readAll(t, &readFileFn{}, in.String(), nil); err != nil || !slices.Equal(rows, want) {
		t.Errorf("default buffer: %d rows, error %v", len(rows), err)
	}
}

func FuzzReadRows(f *testing.F) {
	f.Add("id,time,value\na,2020-01-01,1\n")
	f.Add("id,time,value\n\"a,2020\n")
	f.Add("x\n1\n")
	f.Fuzz(func(t *testing.T, in string) {
		fn := &readFileFn{KeepBad: true}
		fn.read(strings.NewReader(in), "f.csv", func(id string, b Block) {
			rows, err := b.unpack(id, nil)
			if err != nil || len(rows) == 0 {
				t.Fatalf("block %+v under key %q: %d rows, error %v", b, id, len(rows), err)
			}
			for _, r := range rows {
				if r.Line < 2 || r.ID != id {
					t.Fatalf("row %+v under key %q", r, id)
				}
			}
		}, func(BadRow) {})
	})
}
