// The Tokenizer interface, the names of the three kinds, and the (kind, data)
// serialization that a model file stores in its metadata.

package text

import (
	"errors"
	"fmt"
)

// Tokenizer kinds, as returned by Tokenizer.Kind and stored in model files.
const (
	KindChar = "char" // one id per Unicode code point of the training text
	KindByte = "byte" // one id per byte, 256 ids
	KindBPE  = "bpe"  // byte-level byte-pair encoding
)

// A Tokenizer maps text to int32 ids in [0, Size()) and back.
//
// Decode(Encode(s)) == s for every s that Encode accepts. Byte-level
// tokenizers accept any string and may decode a sequence of ids that cuts a
// character in two to invalid UTF-8; a Streamer turns such output into
// valid UTF-8 as it is produced.
type Tokenizer interface {
	// Encode maps s to ids. The byte and BPE tokenizers never fail; the
	// char tokenizer fails on invalid UTF-8 and on symbols outside its
	// vocabulary.
	Encode(s string) ([]int32, error)
	// Decode maps ids back to text. It panics if an id is outside [0, Size()).
	Decode(ids []int32) string
	// Size is the number of distinct ids.
	Size() int
	// Kind is KindChar, KindByte or KindBPE.
	Kind() string
}

// appendDecoder is implemented by the tokenizers of this package so that a
// Streamer can decode one id at a time without allocating.
type appendDecoder interface {
	appendDecode(dst []byte, ids []int32) []byte
}

// ErrInvalidTokenizer is wrapped by every error UnmarshalTokenizer returns
// for malformed data.
var ErrInvalidTokenizer = errors.New("text: invalid tokenizer data")

// DefaultBPEVocabSize is the BPE vocabulary size NewTokenizer uses when asked
// for size 0.
const DefaultBPEVocabSize = 512

// NewTokenizer builds a tokenizer of the given kind for corpus: "char" takes
// the corpus's symbols, "byte" ignores the corpus, and "bpe" trains on it to
// vocabSize ids (0 means DefaultBPEVocabSize). vocabSize is ignored by the
// other kinds.
func NewTokenizer(kind, corpus string, vocabSize int) (Tokenizer, error) {
	var (
		t   Tokenizer
		err error
	)
	switch kind {
	case KindChar:
		t, err = NewCharTokenizer(corpus)
	case KindByte:
		t = ByteTokenizer{}
	case KindBPE:
		if vocabSize == 0 {
			vocabSize = DefaultBPEVocabSize
		}
		t, err = TrainBPE(corpus, vocabSize)
	default:
		return nil, fmt.Errorf("text: unknown tokenizer kind %q (want %s, %s or %s)", kind, KindChar, KindByte, KindBPE)
	}
	if err != nil {
		return nil, err // not t: a typed nil pointer would make a non-nil interface
	}
	return t, nil
}

// MarshalTokenizer returns t's kind and a compact JSON description of it,
// for a model file's metadata. For the char tokenizer data is a JSON array of
// the symbols in id order, e.g. ["\n"," ","!"]; for the byte tokenizer it is
// {}; for BPE it is {"merges":[[a,b],...]}, where merge i creates id 256+i
// from ids a and b.
//
// MarshalTokenizer panics if t is not one of this package's tokenizers.
func MarshalTokenizer(t Tokenizer) (kind, data string) {
	switch t := t.(type) {
	case *CharTokenizer:
		return KindChar, t.marshal()
	case ByteTokenizer, *ByteTokenizer:
		return KindByte, "{}"
	case *BPETokenizer:
		return KindBPE, t.marshal()
	}
	panic(fmt.Sprintf("text: MarshalTokenizer: unsupported tokenizer type %T", t))
}

// UnmarshalTokenizer rebuilds a tokenizer from the output of
// MarshalTokenizer. It validates data fully and returns an error wrapping
// ErrInvalidTokenizer, never panicking, when the data is malformed.
func UnmarshalTokenizer(kind, data string) (Tokenizer, error) {
	var (
		t   Tokenizer
		err error
	)
	switch kind {
	case KindChar:
		t, err = unmarshalChar(data)
	case KindByte:
		t, err = unmarshalByte(data)
	case KindBPE:
		t, err = unmarshalBPE(data)
	default:
		return nil, fmt.Errorf("%w: unknown kind %q (want %s, %s or %s)", ErrInvalidTokenizer, kind, KindChar, KindByte, KindBPE)
	}
	if err != nil {
		return nil, err
	}
	return t, nil
}

// checkID panics with a package-prefixed message if id is outside [0, size).
func checkID(kind string, id int32, size int) {
	if id < 0 || int(id) >= size {
		panic(fmt.Sprintf("text: %s tokenizer: id %d out of range [0, %d)", kind, id, size))
	}
}
