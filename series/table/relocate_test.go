package table

import (
	"errors"
	"strings"
	"testing"
)

// TestRelocate reads a duplicate timestamp from a small CSV whose rows came
// from two files, and checks that both line numbers of the message are
// mapped back, the other file's with its name, and the sentinel survives.
func TestRelocate(t *testing.T) {
	src := "id,time,value\na,2020-01-01,1\na,2020-01-01,2\n"
	_, err := Read(strings.NewReader(src), "rows", ReadOptions{})
	if err == nil {
		t.Fatal("no error for a duplicate timestamp")
	}
	from := map[int][2]any{2: {"x.csv", 40}, 3: {"y.csv", 7}}
	got := Relocate(err, func(n int) (string, int, bool) {
		f, ok := from[n]
		if !ok {
			return "", 0, false
		}
		return f[0].(string), f[1].(int), true
	})
	var pe *ParseError
	if !errors.As(got, &pe) {
		t.Fatalf("%v: not a ParseError", got)
	}
	msg := got.Error()
	if pe.File != "y.csv" || pe.Line != 7 || !strings.Contains(msg, "x.csv line 40") || strings.Contains(msg, "line 2") {
		t.Errorf("relocated error: %q (file %s line %d)", msg, pe.File, pe.Line)
	}
	if !errors.Is(got, ErrDuplicate) {
		t.Errorf("%v does not match the sentinel", got)
	}
	if plain := errors.New("not a parse error"); Relocate(plain, nil) != plain {
		t.Error("an error without a ParseError changed")
	}
}
