// Tests shared by all tokenizer kinds: round trips, serialization round
// trips, validation of serialized data, and misuse panics.

package text

import (
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
)

// genText composes deterministic English-like text with punctuation,
// digits, blank lines and a few non-ASCII words.
func genText(seed uint64, words int) string {
	rng := rand.New(rand.NewPCG(seed, 1))
	syl := []string{"the", "an", "ro", "mi", "o", "ju", "li", "et", "king", "lord", "th", "ee", "ss", "a", "aa"}
	rare := []string{"café", "naïve", "Straße", "日本", "😀"}
	punct := []string{",", ".", "!", "?", ";", ":", "--", "'"}
	var b strings.Builder
	for i := range words {
		if i > 0 {
			switch rng.IntN(12) {
			case 0:
				b.WriteString("\n")
			case 1:
				b.WriteString("\n\n")
			case 2:
				b.WriteString("  ")
			default:
				b.WriteString(" ")
			}
		}
		switch rng.IntN(40) {
		case 0:
			b.WriteString(rare[rng.IntN(len(rare))])
			continue
		case 1:
			b.WriteString(strings.Repeat("7", 1+rng.IntN(4)))
			continue
		}
		n := 1 + rng.IntN(3)
		for range n {
			b.WriteString(syl[rng.IntN(len(syl))])
		}
		if rng.IntN(5) == 0 {
			b.WriteString(punct[rng.IntN(len(punct))])
		}
	}
	return b.String()
}

func mustTokenizer(t testing.TB, kind, corpus string, size int) Tokenizer {
	t.Helper()
	tok, err := NewTokenizer(kind, corpus, size)
	if err != nil {
		t.Fatalf("NewTokenizer(%q): %v", kind, err)
	}
	return tok
}

func TestRoundTrip(t *testing.T) {
	corpus := genText(1, 3000)
	tests := []struct {
		kind  string
		input string
	}{
		{KindChar, corpus},
		{KindChar, "the king\n\nro mi"},
		{KindChar, ""},
		{KindByte, corpus},
		{KindByte, "\x00\xff\xfe binary \xe2\x82"},
		{KindByte, ""},
		{KindBPE, corpus},
		{KindBPE, "unseen words: zebra, 12345, 😀😀, \t\t\r\n"},
		{KindBPE, "\x00\xff invalid \xe2\x82 utf8"},
		{KindBPE, strings.Repeat("a", 1000)},
		{KindBPE, ""},
	}
	for _, tc := range tests {
		tok := mustTokenizer(t, tc.kind, corpus, 400)
		ids, err := tok.Encode(tc.input)
		if err != nil {
			t.Errorf("%s: Encode(%.20q): %v", tc.kind, tc.input, err)
			continue
		}
		for _, id := range ids {
			if id < 0 || int(id) >= tok.Size() {
				t.Fatalf("%s: id %d out of range [0, %d)", tc.kind, id, tok.Size())
			}
		}
		if got := tok.Decode(ids); got != tc.input {
			t.Errorf("%s: Decode(Encode(%.20q)) = %.20q", tc.kind, tc.input, got)
		}
	}
}

func TestMarshalRoundTrip(t *testing.T) {
	corpus := genText(2, 2000)
	probe := genText(3, 300)
	for _, kind := range []string{KindChar, KindByte, KindBPE} {
		tok := mustTokenizer(t, kind, corpus, 500)
		k, data := MarshalTokenizer(tok)
		if k != kind {
			t.Errorf("MarshalTokenizer kind = %q, want %q", k, kind)
		}
		back, err := UnmarshalTokenizer(k, data)
		if err != nil {
			t.Fatalf("%s: UnmarshalTokenizer: %v", kind, err)
		}
		if back.Kind() != kind || back.Size() != tok.Size() {
			t.Errorf("%s: reloaded kind %q size %d, want %q %d", kind, back.Kind(), back.Size(), kind, tok.Size())
		}
		if _, data2 := MarshalTokenizer(back); data2 != data {
			t.Errorf("%s: marshal after reload differs", kind)
		}
		want, _ := tok.Encode(probe)
		got, err := back.Encode(probe)
		if err != nil || !equalIDs(got, want) {
			t.Errorf("%s: reloaded tokenizer encodes differently (err %v)", kind, err)
		}
	}
}

func equalIDs(a, b []int32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestUnmarshalTokenizerErrors(t *testing.T) {
	long := `{"merges":[[97,97],[256,256],[257,257],[258,258],[259,259],[260,260],[261,261]]}` // a token of 128 bytes
	tests := []struct {
		name, kind, data string
		wantInMsg        string
	}{
		{"unknown kind", "word", `[]`, "unknown kind"},
		{"char not JSON", KindChar, `["a"`, "JSON array"},
		{"char not strings", KindChar, `[1,2]`, "JSON array"},
		{"char object", KindChar, `{"a":1}`, "JSON array"},
		{"char empty", KindChar, `[]`, "empty vocabulary"},
		{"char null", KindChar, `null`, "empty vocabulary"},
		{"char duplicate", KindChar, `["a","b","a"]`, "repeats"},
		{"char two runes", KindChar, `["a","bc"]`, "not a single character"},
		{"char empty symbol", KindChar, `["a",""]`, "not a single character"},
		{"char trailing", KindChar, `["a"] x`, "JSON array"},
		{"byte fields", KindByte, `{"size":256}`, "unexpected fields"},
		{"byte array", KindByte, `[]`, "want {}"},
		{"bpe not JSON", KindBPE, `{"merges":`, "bpe"},
		{"bpe unknown field", KindBPE, `{"merges":[],"vocab":[]}`, "unknown field"},
		{"bpe trailing", KindBPE, `{"merges":[]} {}`, "trailing data"},
		{"bpe triple", KindBPE, `{"merges":[[97,98,99]]}`, "has 3 ids"},
		{"bpe single", KindBPE, `{"merges":[[97]]}`, "has 1 ids"},
		{"bpe negative id", KindBPE, `{"merges":[[-1,98]]}`, "uses id -1"},
		{"bpe future id", KindBPE, `{"merges":[[97,98],[257,97]]}`, "uses id 257"},
		{"bpe huge id", KindBPE, `{"merges":[[97,4294967393]]}`, "uses id"},
		{"bpe fraction", KindBPE, `{"merges":[[97.5,98]]}`, "bpe"},
		{"bpe duplicate", KindBPE, `{"merges":[[97,98],[99,100],[97,98]]}`, "repeats the pair"},
		{"bpe token too long", KindBPE, long, "longer than"},
	}
	for _, tc := range tests {
		tok, err := UnmarshalTokenizer(tc.kind, tc.data)
		if err == nil {
			t.Errorf("%s: no error", tc.name)
			continue
		}
		if tok != nil {
			t.Errorf("%s: non-nil tokenizer with error", tc.name)
		}
		if !errors.Is(err, ErrInvalidTokenizer) {
			t.Errorf("%s: error %v does not wrap ErrInvalidTokenizer", tc.name, err)
		}
		if !strings.Contains(err.Error(), tc.wantInMsg) {
			t.Errorf("%s: error %q lacks %q", tc.name, err, tc.wantInMsg)
		}
	}
}

func TestUnmarshalTokenizerAccepts(t *testing.T) {
	tests := []struct {
		kind, data string
		size       int
	}{
		{KindByte, "{}", 256},
		{KindByte, "", 256},
		{KindByte, " { } ", 256},
		{KindBPE, `{}`, 256},
		{KindBPE, `{"merges":[]}`, 256},
		{KindBPE, `{"merges":[[104,105],[256,256]]}`, 258},
		{KindChar, `["\n"," ","!","\u00e9","😀"]`, 5},
	}
	for _, tc := range tests {
		tok, err := UnmarshalTokenizer(tc.kind, tc.data)
		if err != nil {
			t.Errorf("UnmarshalTokenizer(%q, %q): %v", tc.kind, tc.data, err)
			continue
		}
		if tok.Size() != tc.size {
			t.Errorf("UnmarshalTokenizer(%q, %q).Size() = %d, want %d", tc.kind, tc.data, tok.Size(), tc.size)
		}
	}
}

func TestNewTokenizerErrors(t *testing.T) {
	tests := []struct {
		kind, corpus string
		size         int
	}{
		{"words", "abc", 0},
		{KindChar, "", 0},
		{KindChar, "bad \xff utf8", 0},
		{KindBPE, "", 0},
		{KindBPE, "abc", 255},
		{KindBPE, "abc", MaxBPEVocabSize + 1},
	}
	for _, tc := range tests {
		tok, err := NewTokenizer(tc.kind, tc.corpus, tc.size)
		if err == nil || tok != nil {
			t.Errorf("NewTokenizer(%q, %q, %d) = %v, %v; want nil and an error", tc.kind, tc.corpus, tc.size, tok, err)
		}
	}
}

func TestDecodePanicsOnBadID(t *testing.T) {
	for _, kind := range []string{KindChar, KindByte, KindBPE} {
		tok := mustTokenizer(t, kind, "abcabc", 0)
		for _, id := range []int32{-1, int32(tok.Size())} {
			func() {
				defer func() {
					r := recover()
					if s, ok := r.(string); !ok || !strings.HasPrefix(s, "text: ") {
						t.Errorf("%s: Decode(%d) panic = %v, want a text: message", kind, id, r)
					}
				}()
				tok.Decode([]int32{id})
			}()
		}
	}
}

type foreignTokenizer struct{ ByteTokenizer }

func TestMarshalTokenizerPanicsOnForeignType(t *testing.T) {
	defer func() {
		if r := recover(); r == nil {
			t.Error("no panic")
		}
	}()
	MarshalTokenizer(foreignTokenizer{})
}
