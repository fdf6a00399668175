// The pre-tokenizer of the BPE tokenizer: it cuts text into chunks (a word
// with its leading space, a run of digits, a run of punctuation, a run of
// whitespace) so that merges never cross a word boundary. It is in the spirit
// of GPT-2's pattern, written as a plain scanner.

package text

import (
	"unicode"
	"unicode/utf8"
)

// maxChunkBytes caps the length of a chunk: longer runs are cut at a rune
// boundary. It bounds the cost of encoding one chunk and the length of every
// BPE token.
const maxChunkBytes = 64

// Rune classes of the pre-tokenizer.
const (
	classOther  = iota // punctuation, symbols, invalid UTF-8 bytes
	classLetter        // letters and combining marks
	classDigit         // numbers
	classSpace         // whitespace
)

// asciiClass holds the class of every ASCII byte.
var asciiClass = func() (c [utf8.RuneSelf]uint8) {
	for r := range c {
		c[r] = uint8(unicodeClass(rune(r)))
	}
	return c
}()

func unicodeClass(r rune) int {
	switch {
	case unicode.IsLetter(r), unicode.IsMark(r):
		return classLetter
	case unicode.IsNumber(r):
		return classDigit
	case unicode.IsSpace(r):
		return classSpace
	}
	return classOther
}

// classAt returns the class and byte length of the rune starting s.
// An invalid byte is a one-byte rune of classOther.
func classAt(s string) (class, size int) {
	if s[0] < utf8.RuneSelf {
		return int(asciiClass[s[0]]), 1
	}
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError && n == 1 {
		return classOther, 1
	}
	return unicodeClass(r), n
}

// splitChunks calls fn with each chunk of s in order; the chunks concatenate
// to s. The rules:
//   - a single space joins the run that follows it (" the", " 42", " --");
//   - letters, digits and other symbols each form runs of their own class;
//   - whitespace forms a run, except that a final space before a
//     non-space is left to lead the next chunk ("\n  x" gives "\n ", " x").
//
// Chunks longer than maxChunkBytes are cut.
func splitChunks(s string, fn func(chunk string)) {
	for i := 0; i < len(s); {
		start := i
		c, n := classAt(s[i:])
		if s[i] == ' ' && i+1 < len(s) {
			if c2, n2 := classAt(s[i+1:]); c2 != classSpace {
				i++
				c, n = c2, n2
			}
		}
		j := i + n
		for j < len(s) {
			cj, nj := classAt(s[j:])
			if cj != c {
				break
			}
			j += nj
		}
		if c == classSpace && j < len(s) && j-i > 1 && s[j-1] == ' ' {
			j--
		}
		emitCapped(s[start:j], fn)
		i = j
	}
}

// emitCapped calls fn on chunk in pieces of at most maxChunkBytes, cut at
// rune boundaries where possible.
func emitCapped(chunk string, fn func(string)) {
	for len(chunk) > maxChunkBytes {
		cut := maxChunkBytes
		for k := 0; k < utf8.UTFMax-1 && !utf8.RuneStart(chunk[cut]); k++ {
			cut--
		}
		fn(chunk[:cut])
		chunk = chunk[cut:]
	}
	fn(chunk)
}
