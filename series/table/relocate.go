// Relocating the reader's errors: a series read from a small CSV of rows
// taken from elsewhere (one group of a sorted file, the rows a pipeline
// grouped by id) reports lines of that small CSV; Relocate maps them back
// to the files and lines the rows came from.

package table

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
)

// lineRef matches the line numbers that Read writes into its messages
// ("already on line 7").
var lineRef = regexp.MustCompile(`\bline (\d+)\b`)

// Relocate returns err with the line numbers of the *ParseError in it —
// its Line and each "line N" in its message — replaced by where that line
// came from: at(n) gives the file and line of line n of the CSV that was
// read, or ok false to keep n. A reference into another file than the
// error's own is written "FILE line N". An error that holds no ParseError
// is returned as it is; a rewritten message unwraps to the original
// error, so sentinel errors still match.
func Relocate(err error, at func(line int) (file string, fileLine int, ok bool)) error {
	var pe *ParseError
	if !errors.As(err, &pe) {
		return err
	}
	out := *pe
	if f, l, ok := at(pe.Line); ok {
		out.File, out.Line = f, l
	}
	orig := pe.Err.Error()
	msg := lineRef.ReplaceAllStringFunc(orig, func(m string) string {
		n, _ := strconv.Atoi(m[len("line "):])
		f, l, ok := at(n)
		switch {
		case !ok:
			return m
		case f == out.File:
			return "line " + strconv.Itoa(l)
		}
		return fmt.Sprintf("%s line %d", f, l)
	})
	if msg != orig {
		out.Err = &rewritten{msg: msg, err: pe.Err}
	}
	return &out
}

// rewritten is an error whose message was rewritten; it unwraps to the
// original, so sentinel errors still match.
type rewritten struct {
	msg string
	err error
}

func (e *rewritten) Error() string { return e.msg }

func (e *rewritten) Unwrap() error { return e.err }
