// Tests of the Streamer: characters split across ids, invalid bytes,
// flushing, and writer errors.

package text

import (
	"errors"
	"io"
	"strings"
	"testing"
	"unicode/utf8"
)

// chunkWriter records every Write so tests can see when output appeared.
type chunkWriter struct{ writes []string }

func (w *chunkWriter) Write(p []byte) (int, error) {
	w.writes = append(w.writes, string(p))
	return len(p), nil
}

func TestStreamerByteIDs(t *testing.T) {
	tests := []struct {
		name  string
		input string
		want  []string // output after each id; "" when nothing was written
		final string   // written by Flush
	}{
		{"ascii", "ab", []string{"a", "b"}, ""},
		{"two-byte", "é!", []string{"", "é", "!"}, ""},
		{"four-byte", "😀", []string{"", "", "", "😀"}, ""},
		{"invalid byte", "a\xffb", []string{"a", "\uFFFD", "b"}, ""},
		{"broken sequence", "\xe2\x82a", []string{"", "", "\uFFFD\uFFFDa"}, ""},
		{"truncated at end", "x\xe2\x82", []string{"x", "", ""}, "\uFFFD\uFFFD"},
	}
	for _, tc := range tests {
		var w chunkWriter
		s := NewStreamer(&w, ByteTokenizer{})
		for i := 0; i < len(tc.input); i++ {
			before := len(w.writes)
			if err := s.WriteID(int32(tc.input[i])); err != nil {
				t.Fatal(err)
			}
			got := ""
			if len(w.writes) > before {
				got = w.writes[len(w.writes)-1]
			}
			if got != tc.want[i] {
				t.Errorf("%s: after byte %d wrote %q, want %q", tc.name, i, got, tc.want[i])
			}
		}
		before := len(w.writes)
		if err := s.Flush(); err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(w.writes[before:], ""); got != tc.final {
			t.Errorf("%s: Flush wrote %q, want %q", tc.name, got, tc.final)
		}
	}
}

func TestStreamerMatchesDecode(t *testing.T) {
	corpus := genText(10, 2000)
	for _, kind := range []string{KindChar, KindByte, KindBPE} {
		tok := mustTokenizer(t, kind, corpus, 600)
		ids, err := tok.Encode(corpus)
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		s := NewStreamer(&b, tok)
		if _, err := s.Write([]byte("prompt: ")); err != nil {
			t.Fatal(err)
		}
		for _, id := range ids {
			if err := s.WriteID(id); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.Flush(); err != nil {
			t.Fatal(err)
		}
		if b.String() != "prompt: "+corpus {
			t.Errorf("%s: streamed text differs from the corpus", kind)
		}
	}
}

// plainTokenizer hides the package's fast path, so the Streamer must use Decode.
type plainTokenizer struct{ Tokenizer }

func TestStreamerAnyTokenizer(t *testing.T) {
	var b strings.Builder
	s := NewStreamer(&b, plainTokenizer{ByteTokenizer{}})
	for _, c := range []byte("naïve") {
		s.WriteID(int32(c))
	}
	s.Flush()
	if b.String() != "naïve" {
		t.Errorf("got %q", b.String())
	}
}

type failingWriter struct{}

var errWrite = errors.New("disk full")

func (failingWriter) Write(p []byte) (int, error) { return 0, errWrite }

func TestStreamerWriteError(t *testing.T) {
	s := NewStreamer(failingWriter{}, ByteTokenizer{})
	if err := s.WriteID('a'); !errors.Is(err, errWrite) {
		t.Errorf("WriteID error = %v, want %v", err, errWrite)
	}
	if _, err := s.Write([]byte("b")); !errors.Is(err, errWrite) {
		t.Errorf("Write error = %v, want %v", err, errWrite)
	}
}

// streamBytes streams data through a byte tokenizer and returns the output.
func streamBytes(data []byte) string {
	var b strings.Builder
	s := NewStreamer(&b, ByteTokenizer{})
	for _, c := range data {
		s.WriteID(int32(c))
	}
	s.Flush()
	return b.String()
}

func TestStreamerOutputIsValidUTF8(t *testing.T) {
	for _, in := range []string{"\xff\xfe\xfd", "\xed\xa0\x80", "\xf4\x90\x80\x80", "ok\xc0\xafok", "\xe2"} {
		got := streamBytes([]byte(in))
		if !utf8.ValidString(got) || got != string([]rune(in)) {
			t.Errorf("stream(%q) = %q, want %q", in, got, string([]rune(in)))
		}
	}
}

func BenchmarkStreamer(b *testing.B) {
	corpus := genText(12, 20_000)
	tok, err := TrainBPE(corpus, 512)
	if err != nil {
		b.Fatal(err)
	}
	ids, _ := tok.Encode(corpus)
	s := NewStreamer(io.Discard, tok)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		s.WriteID(ids[i%len(ids)])
	}
}
