// Checks that decide whether bytes are usable as text: binary detection and
// invalid UTF-8 with its byte offset. The char tokenizer and the corpus
// loader share them.

package text

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// ErrBinary is wrapped by the error returned when input looks like a binary
// file rather than text.
var ErrBinary = errors.New("text: looks like a binary file; use --tokenizer byte")

// ErrInvalidUTF8 is wrapped by the error returned when text that must be
// UTF-8 is not; the message carries the byte offset of the first bad byte.
var ErrInvalidUTF8 = errors.New("invalid UTF-8")

// binaryError says why input was judged binary. It unwraps to ErrBinary.
type binaryError struct{ reason string }

func (e *binaryError) Error() string {
	return "text: looks like a binary file (" + e.reason + "); use --tokenizer byte"
}

func (e *binaryError) Unwrap() error { return ErrBinary }

// binaryShare is the share of suspicious runes (invalid UTF-8 bytes and
// control characters other than common whitespace) above which input is
// called binary, once there are at least binaryMinBad of them. Text in a
// legacy 8-bit encoding stays well below it and gets the more useful
// invalid-UTF-8 error with an offset instead, as do short strings.
const (
	binaryShare  = 0.10
	binaryMinBad = 8
)

// sniffBytes is how much of a file the directory walker reads to decide
// whether the file is text.
const sniffBytes = 8192

// binaryReason returns why s looks binary, or "" if it looks like text.
// A NUL byte anywhere is decisive. An incomplete UTF-8 sequence at the very
// end is not counted, so a prefix of a text file is judged fairly.
func binaryReason(s string) string {
	if i := strings.IndexByte(s, 0); i >= 0 {
		return fmt.Sprintf("NUL byte at offset %d", i)
	}
	var runes, bad int
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 && !utf8.FullRuneInString(s[i:]) {
			break // truncated sequence at the end of a prefix
		}
		runes++
		if (r == utf8.RuneError && n == 1) || isControl(r) {
			bad++
		}
		i += n
	}
	if bad >= binaryMinBad && float64(bad) > binaryShare*float64(runes) {
		return fmt.Sprintf("%d of %d characters are control codes or invalid UTF-8", bad, runes)
	}
	return ""
}

// isControl reports C0 control characters other than tab, newline, vertical
// tab, form feed, carriage return and escape, and DEL.
func isControl(r rune) bool {
	switch {
	case r == '\t', r == '\n', r == '\v', r == '\f', r == '\r', r == 0x1b:
		return false
	case r < 0x20, r == 0x7f:
		return true
	}
	return false
}

// invalidUTF8Offset returns the byte offset of the first invalid UTF-8
// sequence in s, or -1 if s is valid.
func invalidUTF8Offset(s string) int {
	if utf8.ValidString(s) {
		return -1
	}
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return -1
}

// checkText returns a *binaryError if s looks binary, an error wrapping
// ErrInvalidUTF8 if s is not valid UTF-8, and nil otherwise.
func checkText(s string) error {
	if reason := binaryReason(s); reason != "" {
		return &binaryError{reason}
	}
	if off := invalidUTF8Offset(s); off >= 0 {
		return fmt.Errorf("text: %w at byte offset %d", ErrInvalidUTF8, off)
	}
	return nil
}
