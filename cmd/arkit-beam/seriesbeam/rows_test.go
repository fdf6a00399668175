// The row reader alone: line numbers, field counts and quoting.

package seriesbeam

import (
	"errors"
	"strings"
	"testing"

	"github.com/arkit-go/arkit/series/table"
)

func TestReadRows(t *testing.T) {
	in := "id,time,value\na,2020-01-01,1\n\"b\nc\",2020-01-01,2\na,2020-02-01\nb,2020-03-01,3,,\n"
	var rows []Row
	var bad []BadRow
	f := &readFileFn{KeepBad: true}
	if err := f.read(strings.NewReader(in), "f.csv", func(id string, r Row) { rows = append(rows, r) }, func(b BadRow) { bad = append(bad, b) }); err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || rows[0].Line != 2 || rows[1].ID != "b\nc" || rows[1].Line != 3 || rows[2].Line != 6 || rows[2].Value != "3" {
		t.Errorf("rows %+v", rows)
	}
	if len(bad) != 1 || bad[0].Line != 5 || !strings.Contains(bad[0].Err, "f.csv line 5: malformed input: 2 fields, want 3") {
		t.Errorf("bad rows %+v", bad)
	}
	f.KeepBad = false
	err := f.read(strings.NewReader(in), "f.csv", func(string, Row) {}, nil)
	var pe *table.ParseError
	if !errors.As(err, &pe) || pe.Line != 5 || !errors.Is(err, table.ErrFormat) {
		t.Errorf("error %v, want a ParseError on line 5", err)
	}
}

func FuzzReadRows(f *testing.F) {
	f.Add("id,time,value\na,2020-01-01,1\n")
	f.Add("id,time,value\n\"a,2020\n")
	f.Add("x\n1\n")
	f.Fuzz(func(t *testing.T, in string) {
		fn := &readFileFn{KeepBad: true}
		fn.read(strings.NewReader(in), "f.csv", func(id string, r Row) {
			if r.Line < 2 || r.ID != id {
				t.Fatalf("row %+v under key %q", r, id)
			}
		}, func(BadRow) {})
	})
}
