// Tests of the char tokenizer: vocabulary order, the PyTorch-compatible
// serialization, and the errors for unknown symbols, bad UTF-8 and binary
// input.

package text

import (
	"errors"
	"strings"
	"testing"
)

func TestCharVocabulary(t *testing.T) {
	tests := []struct {
		corpus string
		want   string // JSON of the symbols in id order
	}{
		{"hello", `["e","h","l","o"]`},
		{"First Citizen:\nBefore we proceed", `["\n"," ",":","B","C","F","c","d","e","f","i","n","o","p","r","s","t","w","z"]`},
		{"<a & b>", `[" ","&","<",">","a","b"]`},
		{"é\u00e9e\u0301", `["e","é","́"]`},
		{"日本語😀a", `["a","日","本","語","😀"]`},
		{"tab\tquote\"back\\slash", `["\t","\"","\\","a","b","c","e","h","k","l","o","q","s","t","u"]`},
	}
	for _, tc := range tests {
		tok, err := NewCharTokenizer(tc.corpus)
		if err != nil {
			t.Fatalf("NewCharTokenizer(%q): %v", tc.corpus, err)
		}
		kind, data := MarshalTokenizer(tok)
		if kind != KindChar || data != tc.want {
			t.Errorf("NewCharTokenizer(%q) marshals to %s %s, want char %s", tc.corpus, kind, data, tc.want)
		}
	}
}

func TestCharPyTorchVocab(t *testing.T) {
	// The form a PyTorch script writes with json.dumps(sorted(set(text))):
	// ASCII-escaped and spaced. Ids follow the array order.
	tok, err := UnmarshalTokenizer(KindChar, `["\n", " ", "!", "a", "\u00e9"]`)
	if err != nil {
		t.Fatal(err)
	}
	ids, err := tok.Encode("a é!\n")
	if err != nil {
		t.Fatal(err)
	}
	if want := []int32{3, 1, 4, 2, 0}; !equalIDs(ids, want) {
		t.Errorf("Encode = %v, want %v", ids, want)
	}
}

func TestCharUnknownSymbols(t *testing.T) {
	tok, err := NewCharTokenizer("abc ")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		input      string
		wantCount  int
		wantSyms   []string
		wantOffset int
		wantMsg    string
	}{
		{"abd", 1, []string{"d"}, 2, `text: 1 symbol not in the vocabulary (first at byte offset 2): "d"`},
		{"a\tb\tcé", 2, []string{"\t", "é"}, 1, `text: 2 symbols not in the vocabulary (first at byte offset 1): "\t", "é"`},
		{"a 0123456789xyz", 13, []string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}, 2, `and 3 more`},
	}
	for _, tc := range tests {
		_, err := tok.Encode(tc.input)
		var u *UnknownSymbolsError
		if !errors.As(err, &u) {
			t.Fatalf("Encode(%q) error = %v, want *UnknownSymbolsError", tc.input, err)
		}
		if !errors.Is(err, ErrUnknownSymbol) {
			t.Errorf("Encode(%q): error does not wrap ErrUnknownSymbol", tc.input)
		}
		if u.Count != tc.wantCount || u.Offset != tc.wantOffset || strings.Join(u.Symbols, "|") != strings.Join(tc.wantSyms, "|") {
			t.Errorf("Encode(%q) = %+v, want count %d offset %d symbols %q", tc.input, u, tc.wantCount, tc.wantOffset, tc.wantSyms)
		}
		if !strings.Contains(err.Error(), tc.wantMsg) {
			t.Errorf("Encode(%q) message %q lacks %q", tc.input, err, tc.wantMsg)
		}
	}
}

func TestCharBadInput(t *testing.T) {
	binaryish := strings.Repeat("\x01\x02\x80abc", 100)
	tests := []struct {
		name    string
		input   string
		wantErr error
		wantMsg string
	}{
		{"invalid byte", "héllo \xff world", ErrInvalidUTF8, "invalid UTF-8 at byte offset 7"},
		{"truncated at end", "abc\xe2\x82", ErrInvalidUTF8, "byte offset 3"},
		{"surrogate", "ab\xed\xa0\x80", ErrInvalidUTF8, "byte offset 2"},
		{"latin-1 text", "caf\xe9 au lait, cr\xe8me br\xfbl\xe9e, and more ordinary words here", ErrInvalidUTF8, "byte offset 3"},
		{"NUL byte", "PK\x03\x04\x00\x00text", ErrBinary, "NUL byte at offset 4"},
		{"control codes", binaryish, ErrBinary, "use --tokenizer byte"},
	}
	for _, tc := range tests {
		_, err := NewCharTokenizer(tc.input)
		if !errors.Is(err, tc.wantErr) || !strings.Contains(err.Error(), tc.wantMsg) {
			t.Errorf("%s: NewCharTokenizer error = %v, want %v containing %q", tc.name, err, tc.wantErr, tc.wantMsg)
		}
	}
	tok, err := NewCharTokenizer("abc")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tok.Encode("ab\xffc"); !errors.Is(err, ErrInvalidUTF8) || !strings.Contains(err.Error(), "offset 2") {
		t.Errorf("Encode invalid UTF-8: %v", err)
	}
	if _, err := tok.Encode(binaryish); !errors.Is(err, ErrBinary) {
		t.Errorf("Encode binary: %v", err)
	}
}
