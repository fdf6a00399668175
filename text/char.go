// The char tokenizer of char-rnn and nanoGPT: the vocabulary is the sorted
// set of Unicode code points in the training text, one id per code point.

package text

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// ErrUnknownSymbol is wrapped by *UnknownSymbolsError.
var ErrUnknownSymbol = errors.New("text: symbol not in the vocabulary")

// maxListedSymbols is how many missing symbols an UnknownSymbolsError lists.
const maxListedSymbols = 10

// UnknownSymbolsError reports symbols that the char tokenizer's vocabulary
// lacks. It unwraps to ErrUnknownSymbol.
type UnknownSymbolsError struct {
	Symbols []string // up to 10 distinct missing symbols, in order of first appearance
	Count   int      // number of distinct missing symbols
	Offset  int      // byte offset of the first missing symbol
}

func (e *UnknownSymbolsError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "text: %d symbol", e.Count)
	if e.Count != 1 {
		b.WriteByte('s')
	}
	b.WriteString(" not in the vocabulary (first at byte offset ")
	b.WriteString(strconv.Itoa(e.Offset))
	b.WriteString("): ")
	for i, s := range e.Symbols {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.Quote(s))
	}
	if more := e.Count - len(e.Symbols); more > 0 {
		fmt.Fprintf(&b, " and %d more", more)
	}
	return b.String()
}

func (e *UnknownSymbolsError) Unwrap() error { return ErrUnknownSymbol }

// CharTokenizer maps each Unicode code point of its vocabulary to an id.
// Its zero value is not usable; build one with NewCharTokenizer or
// UnmarshalTokenizer. It is safe for concurrent use.
type CharTokenizer struct {
	symbols []rune
	ascii   [utf8.RuneSelf]int32 // id of each ASCII rune, -1 if absent
	other   map[rune]int32       // ids of the other runes
}

var _ Tokenizer = (*CharTokenizer)(nil)

// NewCharTokenizer returns a tokenizer whose vocabulary is the sorted set of
// code points in corpus. It returns an error wrapping ErrBinary if corpus
// looks like a binary file, one wrapping ErrInvalidUTF8 (with the byte offset)
// if it is not valid UTF-8, and an error if it is empty.
func NewCharTokenizer(corpus string) (*CharTokenizer, error) {
	if corpus == "" {
		return nil, errors.New("text: cannot build a char vocabulary from an empty corpus")
	}
	if err := checkText(corpus); err != nil {
		return nil, err
	}
	var seenASCII [utf8.RuneSelf]bool
	seen := make(map[rune]bool)
	for _, r := range corpus {
		if r < utf8.RuneSelf {
			seenASCII[r] = true
		} else {
			seen[r] = true
		}
	}
	var symbols []rune
	for r, ok := range seenASCII {
		if ok {
			symbols = append(symbols, rune(r))
		}
	}
	for r := range seen {
		symbols = append(symbols, r)
	}
	slices.Sort(symbols)
	return newCharTokenizer(symbols)
}

// newCharTokenizer indexes symbols, which must be valid and distinct.
func newCharTokenizer(symbols []rune) (*CharTokenizer, error) {
	t := &CharTokenizer{symbols: symbols, other: make(map[rune]int32)}
	for i := range t.ascii {
		t.ascii[i] = -1
	}
	for i, r := range symbols {
		if !utf8.ValidRune(r) {
			return nil, fmt.Errorf("%w: char: symbol %d is not a valid code point", ErrInvalidTokenizer, i)
		}
		if _, dup := t.id(r); dup {
			return nil, fmt.Errorf("%w: char: symbol %d %q repeats an earlier symbol", ErrInvalidTokenizer, i, r)
		}
		if r < utf8.RuneSelf {
			t.ascii[r] = int32(i)
		} else {
			t.other[r] = int32(i)
		}
	}
	return t, nil
}

func (t *CharTokenizer) id(r rune) (int32, bool) {
	if r >= 0 && r < utf8.RuneSelf {
		id := t.ascii[r]
		return id, id >= 0
	}
	id, ok := t.other[r]
	return id, ok
}

// Encode returns one id per code point of s. It returns an error wrapping
// ErrInvalidUTF8 (or ErrBinary) if s is not valid UTF-8 and an
// *UnknownSymbolsError if s holds symbols outside the vocabulary.
func (t *CharTokenizer) Encode(s string) ([]int32, error) {
	if off := invalidUTF8Offset(s); off >= 0 {
		if reason := binaryReason(s); reason != "" {
			return nil, &binaryError{reason}
		}
		return nil, fmt.Errorf("text: %w at byte offset %d", ErrInvalidUTF8, off)
	}
	ids := make([]int32, 0, utf8.RuneCountInString(s))
	var unknown *UnknownSymbolsError
	var missing map[rune]bool
	for i, r := range s {
		id, ok := t.id(r)
		if ok {
			ids = append(ids, id)
			continue
		}
		if unknown == nil {
			unknown = &UnknownSymbolsError{Offset: i}
			missing = make(map[rune]bool)
		}
		if !missing[r] {
			missing[r] = true
			unknown.Count++
			if len(unknown.Symbols) < maxListedSymbols {
				unknown.Symbols = append(unknown.Symbols, string(r))
			}
		}
	}
	if unknown != nil {
		return nil, unknown
	}
	return ids, nil
}

// Decode returns the symbols of ids. It panics if an id is outside [0, Size()).
func (t *CharTokenizer) Decode(ids []int32) string {
	return string(t.appendDecode(make([]byte, 0, len(ids)), ids))
}

func (t *CharTokenizer) appendDecode(dst []byte, ids []int32) []byte {
	for _, id := range ids {
		checkID(KindChar, id, len(t.symbols))
		dst = utf8.AppendRune(dst, t.symbols[id])
	}
	return dst
}

// Size returns the number of symbols in the vocabulary.
func (t *CharTokenizer) Size() int { return len(t.symbols) }

// Kind returns KindChar.
func (t *CharTokenizer) Kind() string { return KindChar }

// marshal writes the symbols as a JSON array of one-character strings.
func (t *CharTokenizer) marshal() string {
	strs := make([]string, len(t.symbols))
	for i, r := range t.symbols {
		strs[i] = string(r)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(strs); err != nil {
		panic("text: marshal char vocabulary: " + err.Error()) // cannot happen for []string
	}
	return strings.TrimSuffix(buf.String(), "\n")
}

// unmarshalChar parses a JSON array of one-code-point strings.
func unmarshalChar(data string) (*CharTokenizer, error) {
	var strs []string
	if err := json.Unmarshal([]byte(data), &strs); err != nil {
		return nil, fmt.Errorf("%w: char: want a JSON array of strings: %v", ErrInvalidTokenizer, err)
	}
	if len(strs) == 0 {
		return nil, fmt.Errorf("%w: char: empty vocabulary", ErrInvalidTokenizer)
	}
	symbols := make([]rune, len(strs))
	for i, s := range strs {
		r, n := utf8.DecodeRuneInString(s)
		if n == 0 || n != len(s) {
			return nil, fmt.Errorf("%w: char: symbol %d %q is not a single character", ErrInvalidTokenizer, i, s)
		}
		symbols[i] = r
	}
	return newCharTokenizer(symbols)
}
