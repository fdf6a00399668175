// Tests of the pre-tokenizer and of BPE training and encoding, including a
// comparison of the incremental trainer with a plain recount-every-merge
// reference, and benchmarks.

package text

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/arkit-go/arkit/internal/shareddata"
)

func TestSplitChunks(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"Hello world", []string{"Hello", " world"}},
		{"First Citizen:\nBefore we proceed", []string{"First", " Citizen", ":", "\n", "Before", " we", " proceed"}},
		{"a  b", []string{"a", " ", " b"}},
		{"a\n  b", []string{"a", "\n ", " b"}},
		{"a \n b", []string{"a", " \n", " b"}},
		{"x   ", []string{"x", "   "}},
		{" lead", []string{" lead"}},
		{"in 1999, 42 ships!!", []string{"in", " 1999", ",", " 42", " ships", "!!"}},
		{"don't", []string{"don", "'", "t"}},
		{"café naïve", []string{"café", " naïve"}},
		{"e\u0301t\u00e9", []string{"e\u0301t\u00e9"}},
		{"日本語 テキスト", []string{"日本語", " テキスト"}},
		{"a\tb", []string{"a", "\t", "b"}},
		{"x\xff\xfey", []string{"x", "\xff\xfe", "y"}},
		{"x \xffy", []string{"x", " \xff", "y"}},
		{"(--)", []string{"(--)"}},
	}
	for _, tc := range tests {
		var got []string
		splitChunks(tc.in, func(c string) { got = append(got, c) })
		if !slices.Equal(got, tc.want) {
			t.Errorf("splitChunks(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestSplitChunksCapsLength(t *testing.T) {
	tests := []string{
		strings.Repeat("a", 200),
		strings.Repeat("é", 100),       // 2-byte runes: a cut must not split one
		strings.Repeat("😀", 40),        // 4-byte runes
		strings.Repeat("\x80", 150),    // continuation bytes alone: cut anyway
		" " + strings.Repeat("z", 130), // leading space counts
	}
	for _, in := range tests {
		var got []string
		splitChunks(in, func(c string) { got = append(got, c) })
		if strings.Join(got, "") != in {
			t.Errorf("chunks of %.10q do not concatenate to the input", in)
		}
		for _, c := range got[:len(got)-1] {
			if len(c) > maxChunkBytes || len(c) < maxChunkBytes-3 {
				t.Errorf("chunk of %.10q has %d bytes, want %d-%d", in, len(c), maxChunkBytes-3, maxChunkBytes)
			}
		}
		if utf8.ValidString(in) {
			for _, c := range got {
				if !utf8.ValidString(c) {
					t.Errorf("chunk %q of valid text is not valid UTF-8", c)
				}
			}
		}
	}
}

func TestTrainBPEKnownMerges(t *testing.T) {
	// The textbook example: aa is the most frequent pair (4), then ab and
	// (aa)a tie at 2 and the smaller ids win, then (aa)(ab) appears twice.
	tok, err := TrainBPE("aaabdaaabac", 1000)
	if err != nil {
		t.Fatal(err)
	}
	_, data := MarshalTokenizer(tok)
	if want := `{"merges":[[97,97],[97,98],[256,257]]}`; data != want {
		t.Errorf("merges = %s, want %s", data, want)
	}
	ids, _ := tok.Encode("aaabdaaabac")
	if want := []int32{258, 'd', 258, 'a', 'c'}; !equalIDs(ids, want) {
		t.Errorf("Encode = %v, want %v", ids, want)
	}
	if tok.Size() != 259 {
		t.Errorf("Size = %d, want 259 (training stops when no pair repeats)", tok.Size())
	}
}

func TestTrainBPEVocabSize(t *testing.T) {
	corpus := genText(4, 5000)
	for _, size := range []int{256, 257, 300, 600} {
		tok, err := TrainBPE(corpus, size)
		if err != nil {
			t.Fatal(err)
		}
		if tok.Size() != size {
			t.Errorf("TrainBPE(size %d).Size() = %d", size, tok.Size())
		}
	}
}

// referenceMerges is the plain algorithm: recount all pairs before every
// merge and merge the most frequent, ties to the smaller ids.
func referenceMerges(corpus string, nMerges int) ([][2]int32, map[string][]int32) {
	counts := make(map[string]int64)
	splitChunks(corpus, func(c string) { counts[c]++ })
	words := make(map[string][]int32)
	for c := range counts {
		for i := 0; i < len(c); i++ {
			words[c] = append(words[c], int32(c[i]))
		}
	}
	var merges [][2]int32
	for len(merges) < nMerges {
		pairs := make(map[uint64]int64)
		for c, syms := range words {
			for i := 0; i+1 < len(syms); i++ {
				pairs[pairKey(syms[i], syms[i+1])] += counts[c]
			}
		}
		var best uint64
		var bestCount int64
		for k, n := range pairs {
			if n > bestCount || (n == bestCount && k < best) {
				best, bestCount = k, n
			}
		}
		if bestCount < 2 {
			break
		}
		a, b := int32(best>>32), int32(uint32(best))
		id := int32(256 + len(merges))
		merges = append(merges, [2]int32{a, b})
		for c, syms := range words {
			words[c] = mergePair(syms, a, b, id)
		}
	}
	return merges, words
}

func TestTrainBPEMatchesReference(t *testing.T) {
	corpora := []string{
		genText(5, 2000),
		strings.Repeat("aaaa aaa aa a ", 50) + strings.Repeat("abababab ", 30),
		"the cat sat on the mat; the rat ate the hat. 1234 1234 12 123\n\n\n",
		strings.Repeat("日本語のテキスト、", 20),
		genText(9, 300), // trained until no pair repeats
	}
	for i, corpus := range corpora {
		want, words := referenceMerges(corpus, 3000)
		tok, err := TrainBPE(corpus, 256+3000)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(tok.merges, want) {
			n := 0
			for n < min(len(want), len(tok.merges)) && tok.merges[n] == want[n] {
				n++
			}
			t.Errorf("corpus %d: %d merges, reference %d; first difference at merge %d", i, len(tok.merges), len(want), n)
			continue
		}
		// Encoding a training chunk gives what training turned it into.
		for c, syms := range words {
			if got := tok.encodeChunk(nil, c); !equalIDs(got, syms) {
				t.Errorf("corpus %d: encodeChunk(%q) = %v, training gave %v", i, c, got, syms)
				break
			}
		}
	}
}

func TestTrainBPEDeterministic(t *testing.T) {
	corpus := genText(6, 3000)
	a, _ := TrainBPE(corpus, 500)
	b, _ := TrainBPE(corpus, 500)
	if _, da := MarshalTokenizer(a); da != func() string { _, d := MarshalTokenizer(b); return d }() {
		t.Error("two trainings on the same corpus differ")
	}
}

func TestBPETokensWithinChunkLimit(t *testing.T) {
	tok, err := TrainBPE(strings.Repeat("abcdefgh", 500)+" "+strings.Repeat(" ", 300), 2000)
	if err != nil {
		t.Fatal(err)
	}
	for id, s := range tok.tokens {
		if len(s) > maxChunkBytes {
			t.Fatalf("token %d has %d bytes", id, len(s))
		}
	}
	// The loader accepts every merge list training produces.
	_, data := MarshalTokenizer(tok)
	if _, err := UnmarshalTokenizer(KindBPE, data); err != nil {
		t.Fatal(err)
	}
}

func BenchmarkTrainBPE(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		corpus := genText(7, n)
		b.Run(fmt.Sprintf("%dKB", len(corpus)/1000), func(b *testing.B) {
			b.SetBytes(int64(len(corpus)))
			for b.Loop() {
				if _, err := TrainBPE(corpus, 1024); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkBPEEncode(b *testing.B) {
	corpus := genText(8, 100_000)
	tok, err := TrainBPE(corpus, 1024)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(corpus)))
	for b.Loop() {
		tok.Encode(corpus)
	}
}

// BenchmarkTrainBPETinyShakespeare measures training on the real 1.1 MB
// corpus and reports the compression of the result in bytes per token. It
// reads the shared data folder in place and fails if it is missing.
func BenchmarkTrainBPETinyShakespeare(b *testing.B) {
	data, err := os.ReadFile(shareddata.Require(b, "text", "tinyshakespeare", "input.txt"))
	if err != nil {
		b.Fatal(err)
	}
	corpus := string(data)
	for _, size := range []int{512, 1024} {
		b.Run(fmt.Sprintf("vocab%d", size), func(b *testing.B) {
			var tok *BPETokenizer
			for b.Loop() {
				tok, err = TrainBPE(corpus, size)
				if err != nil {
					b.Fatal(err)
				}
			}
			start := time.Now()
			ids, _ := tok.Encode(corpus)
			b.ReportMetric(float64(len(corpus))/float64(len(ids)), "bytes/token")
			b.ReportMetric(time.Since(start).Seconds()*1000, "encode-ms")
		})
	}
}
