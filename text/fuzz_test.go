// Fuzz tests: encode/decode round trips for every tokenizer, BPE training
// on arbitrary input, the pre-tokenizer, the Streamer, and tokenizer
// deserialization, which must never panic.

package text

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"
)

var fuzzSeeds = []string{
	"",
	"a",
	"First Citizen:\nBefore we proceed any further, hear me speak.",
	"café naïve Straße 日本語 😀",
	"\x00\x01\x02\xff\xfe",
	"abc\xe2\x82",
	"   \t\n\r\n  x  ",
	"1234567890 3.14159 -42",
	strings.Repeat("ab", 100),
}

func FuzzCharRoundTrip(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tok, err := NewCharTokenizer(s)
		if err != nil {
			if s != "" && !errors.Is(err, ErrBinary) && !errors.Is(err, ErrInvalidUTF8) {
				t.Fatalf("NewCharTokenizer(%q): unexpected error %v", s, err)
			}
			return
		}
		ids, err := tok.Encode(s)
		if err != nil {
			t.Fatalf("Encode of the training text: %v", err)
		}
		if got := tok.Decode(ids); got != s {
			t.Fatalf("round trip: %q -> %q", s, got)
		}
		back, err := UnmarshalTokenizer(MarshalTokenizer(tok))
		if err != nil {
			t.Fatalf("reload: %v", err)
		}
		ids2, err := back.Encode(s)
		if err != nil || !equalIDs(ids, ids2) {
			t.Fatalf("reloaded tokenizer encodes differently: %v", err)
		}
	})
}

func FuzzByteRoundTrip(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var tok ByteTokenizer
		ids, err := tok.Encode(s)
		if err != nil || len(ids) != len(s) {
			t.Fatalf("Encode(%q) = %d ids, %v", s, len(ids), err)
		}
		if got := tok.Decode(ids); got != s {
			t.Fatalf("round trip: %q -> %q", s, got)
		}
	})
}

var (
	fuzzBPEOnce sync.Once
	fuzzBPE     *BPETokenizer
)

func FuzzBPERoundTrip(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fuzzBPEOnce.Do(func() {
			var err error
			fuzzBPE, err = TrainBPE(genText(11, 3000), 700)
			if err != nil {
				panic(err)
			}
		})
		// A tokenizer trained elsewhere, and one trained on s itself.
		tokens := []*BPETokenizer{fuzzBPE}
		if s != "" {
			own, err := TrainBPE(s, 400)
			if err != nil {
				t.Fatalf("TrainBPE(%q): %v", s, err)
			}
			tokens = append(tokens, own)
		}
		for _, tok := range tokens {
			ids, err := tok.Encode(s)
			if err != nil {
				t.Fatal(err)
			}
			for _, id := range ids {
				if id < 0 || int(id) >= tok.Size() {
					t.Fatalf("id %d out of range", id)
				}
			}
			if got := tok.Decode(ids); got != s {
				t.Fatalf("round trip: %q -> %q", s, got)
			}
		}
	})
}

func FuzzSplitChunks(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var b strings.Builder
		splitChunks(s, func(c string) {
			if c == "" || len(c) > maxChunkBytes {
				t.Fatalf("chunk %q of %q has bad length %d", c, s, len(c))
			}
			b.WriteString(c)
		})
		if b.String() != s {
			t.Fatalf("chunks of %q concatenate to %q", s, b.String())
		}
	})
}

func FuzzStreamer(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got := streamBytes(data)
		if !utf8.ValidString(got) {
			t.Fatalf("stream(%q) = %q is not valid UTF-8", data, got)
		}
		if want := string([]rune(string(data))); got != want {
			t.Fatalf("stream(%q) = %q, want %q", data, got, want)
		}
	})
}

func FuzzUnmarshalTokenizer(f *testing.F) {
	f.Add(KindChar, `["\n"," ","a"]`)
	f.Add(KindChar, `["a","a"]`)
	f.Add(KindChar, `["ab"]`)
	f.Add(KindByte, `{}`)
	f.Add(KindBPE, `{"merges":[[97,98],[256,99]]}`)
	f.Add(KindBPE, `{"merges":[[97,97],[256,256],[257,257],[258,258],[259,259],[260,260]]}`)
	f.Add(KindBPE, `{"merges":[[300,1]]}`)
	f.Add(KindBPE, `{"merges":[[1,2,3]]}`)
	f.Add("x", `[]`)
	f.Fuzz(func(t *testing.T, kind, data string) {
		tok, err := UnmarshalTokenizer(kind, data)
		if err != nil {
			if !errors.Is(err, ErrInvalidTokenizer) {
				t.Fatalf("error %v does not wrap ErrInvalidTokenizer", err)
			}
			return
		}
		k2, data2 := MarshalTokenizer(tok)
		back, err := UnmarshalTokenizer(k2, data2)
		if err != nil {
			t.Fatalf("re-marshalled data does not load: %v", err)
		}
		if _, data3 := MarshalTokenizer(back); data3 != data2 {
			t.Fatalf("marshal is not stable: %s vs %s", data2, data3)
		}
		// Every id decodes, and decoding then encoding gets back text
		// that decodes the same way.
		all := make([]int32, tok.Size())
		for i := range all {
			all[i] = int32(i)
		}
		s := tok.Decode(all)
		ids, err := tok.Encode(s)
		if err != nil {
			t.Fatalf("Encode of decoded vocabulary: %v", err)
		}
		if tok.Decode(ids) != s {
			t.Fatal("round trip of decoded vocabulary failed")
		}
	})
}
