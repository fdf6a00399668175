// Byte-level byte-pair encoding, GPT-2 style: ids 0-255 are bytes and id
// 256+i is the concatenation of the two ids joined by merge i. Training
// counts adjacent pairs over the unique pre-tokenized chunks, weighted by how
// often each chunk occurs, and repeatedly merges the most frequent pair,
// updating only the counts of the chunks that contain it.

package text

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
)

// MaxBPEVocabSize bounds the vocabulary of a trained or loaded BPE tokenizer.
const MaxBPEVocabSize = 1 << 20

// encodeCacheSize bounds the number of distinct chunks Encode remembers.
const encodeCacheSize = 1 << 16

// BPETokenizer is a byte-level BPE tokenizer. Its zero value is not usable;
// build one with TrainBPE or UnmarshalTokenizer. It is safe for concurrent use.
type BPETokenizer struct {
	merges [][2]int32       // merge i makes id 256+i
	ranks  map[uint64]int32 // pair key -> merge index
	tokens []string         // bytes of every id
}

var _ Tokenizer = (*BPETokenizer)(nil)

func pairKey(a, b int32) uint64 { return uint64(uint32(a))<<32 | uint64(uint32(b)) }

// newBPE builds the tables for merges, which must already be validated.
func newBPE(merges [][2]int32) *BPETokenizer {
	t := &BPETokenizer{
		merges: merges,
		ranks:  make(map[uint64]int32, len(merges)),
		tokens: make([]string, 256+len(merges)),
	}
	for i := range 256 {
		t.tokens[i] = string([]byte{byte(i)})
	}
	for i, m := range merges {
		t.ranks[pairKey(m[0], m[1])] = int32(i)
		t.tokens[256+i] = t.tokens[m[0]] + t.tokens[m[1]]
	}
	return t
}

// TrainBPE learns up to vocabSize-256 merges from corpus. Training stops
// early when no pair occurs twice, so Size may be less than vocabSize.
// Ties between equally frequent pairs go to the pair with the smaller ids,
// which makes training deterministic. It returns an error if corpus is empty
// or vocabSize is outside [256, MaxBPEVocabSize].
func TrainBPE(corpus string, vocabSize int) (*BPETokenizer, error) {
	if vocabSize < 256 || vocabSize > MaxBPEVocabSize {
		return nil, fmt.Errorf("text: BPE vocabulary size %d out of range [256, %d]", vocabSize, MaxBPEVocabSize)
	}
	if corpus == "" {
		return nil, errors.New("text: cannot train BPE on an empty corpus")
	}
	chunkCount := make(map[string]int64)
	splitChunks(corpus, func(c string) { chunkCount[c]++ })
	words := make([]bpeWord, 0, len(chunkCount))
	for c, n := range chunkCount {
		syms := make([]int32, len(c))
		for i := 0; i < len(c); i++ {
			syms[i] = int32(c[i])
		}
		words = append(words, bpeWord{syms, n})
	}
	return newBPE(trainMerges(words, vocabSize-256)), nil
}

// bpeWord is a unique chunk, as its current ids, and its number of occurrences.
type bpeWord struct {
	syms  []int32
	count int64
}

// trainMerges runs up to nMerges merges over words, changing their ids in
// place, and returns the merges in order.
//
// counts holds the weighted count of every adjacent pair; where lists the
// words that may contain each pair; a max-heap with lazy deletion finds the
// most frequent pair. A merge touches only the words in where[pair]: each
// loses the counts of its old pairs and gains those of its new ones, and
// every pair whose count changed is pushed again with its new count.
func trainMerges(words []bpeWord, nMerges int) [][2]int32 {
	counts := make(map[uint64]int64)
	where := make(map[uint64][]int32)
	addPairs := func(w int32, sign int64, newID int32) {
		word := &words[w]
		for i := 0; i+1 < len(word.syms); i++ {
			a, b := word.syms[i], word.syms[i+1]
			k := pairKey(a, b)
			counts[k] += sign * word.count
			if sign > 0 && (newID < 0 || a == newID || b == newID) {
				if l := where[k]; len(l) == 0 || l[len(l)-1] != w {
					where[k] = append(l, w)
				}
			}
		}
	}
	for w := range words {
		addPairs(int32(w), +1, -1)
	}
	h := make(pairHeap, 0, len(counts))
	for k, c := range counts {
		h = append(h, pairCount{c, k})
	}
	h.init()

	var merges [][2]int32
	changed := make(map[uint64]bool)
	for len(merges) < nMerges && len(h) > 0 {
		top := h.pop()
		if counts[top.key] != top.count {
			continue // stale: the pair was pushed again with its current count
		}
		if top.count < 2 {
			break
		}
		a, b := int32(top.key>>32), int32(uint32(top.key))
		newID := int32(256 + len(merges))
		merges = append(merges, [2]int32{a, b})
		clear(changed)
		for _, w := range where[top.key] {
			word := &words[w]
			if !containsPair(word.syms, a, b) {
				continue
			}
			for i := 0; i+1 < len(word.syms); i++ {
				changed[pairKey(word.syms[i], word.syms[i+1])] = true
			}
			addPairs(w, -1, -1)
			word.syms = mergePair(word.syms, a, b, newID)
			addPairs(w, +1, newID)
			for i := 0; i+1 < len(word.syms); i++ {
				changed[pairKey(word.syms[i], word.syms[i+1])] = true
			}
		}
		delete(where, top.key)
		for k := range changed {
			if c := counts[k]; c > 0 {
				h.push(pairCount{c, k})
			} else {
				// Pairs of older ids only lose occurrences, so a pair
				// that reaches zero never comes back.
				delete(counts, k)
				delete(where, k)
			}
		}
	}
	return merges
}

func containsPair(syms []int32, a, b int32) bool {
	for i := 0; i+1 < len(syms); i++ {
		if syms[i] == a && syms[i+1] == b {
			return true
		}
	}
	return false
}

// mergePair replaces, left to right, every non-overlapping occurrence of
// (a, b) in syms by id, in place, and returns the shortened slice.
func mergePair(syms []int32, a, b, id int32) []int32 {
	w := 0
	for i := 0; i < len(syms); {
		if i+1 < len(syms) && syms[i] == a && syms[i+1] == b {
			syms[w] = id
			i += 2
		} else {
			syms[w] = syms[i]
			i++
		}
		w++
	}
	return syms[:w]
}

// pairCount is a heap entry: a pair and its count when it was pushed.
type pairCount struct {
	count int64
	key   uint64
}

// pairHeap is a binary max-heap on count, ties to the smaller key.
type pairHeap []pairCount

func (h pairHeap) before(i, j int) bool {
	if h[i].count != h[j].count {
		return h[i].count > h[j].count
	}
	return h[i].key < h[j].key
}

func (h pairHeap) init() {
	for i := len(h)/2 - 1; i >= 0; i-- {
		h.down(i)
	}
}

func (h *pairHeap) push(e pairCount) {
	*h = append(*h, e)
	s := *h
	for i := len(s) - 1; i > 0; {
		p := (i - 1) / 2
		if !s.before(i, p) {
			break
		}
		s[i], s[p] = s[p], s[i]
		i = p
	}
}

func (h *pairHeap) pop() pairCount {
	s := *h
	top := s[0]
	last := len(s) - 1
	s[0] = s[last]
	*h = s[:last]
	h.down(0)
	return top
}

func (h pairHeap) down(i int) {
	for {
		l := 2*i + 1
		if l >= len(h) {
			return
		}
		m := l
		if r := l + 1; r < len(h) && h.before(r, l) {
			m = r
		}
		if !h.before(m, i) {
			return
		}
		h[i], h[m] = h[m], h[i]
		i = m
	}
}

// Encode splits s into chunks and applies the merges to each chunk in rank
// order. It never fails.
func (t *BPETokenizer) Encode(s string) ([]int32, error) {
	ids := make([]int32, 0, len(s)/2+1)
	cache := make(map[string][]int32)
	var buf []int32
	splitChunks(s, func(c string) {
		if enc, ok := cache[c]; ok {
			ids = append(ids, enc...)
			return
		}
		buf = t.encodeChunk(buf, c)
		ids = append(ids, buf...)
		if len(cache) < encodeCacheSize {
			cache[c] = slices.Clone(buf)
		}
	})
	return ids, nil
}

// encodeChunk returns the ids of chunk, reusing buf's storage: starting
// from its bytes, it repeatedly merges every occurrence of the lowest-ranked
// pair present, which reproduces what training did to the same chunk.
func (t *BPETokenizer) encodeChunk(buf []int32, chunk string) []int32 {
	dst := buf[:0]
	for i := 0; i < len(chunk); i++ {
		dst = append(dst, int32(chunk[i]))
	}
	for len(dst) >= 2 {
		best, at := int32(math.MaxInt32), -1
		for i := 0; i+1 < len(dst); i++ {
			if r, ok := t.ranks[pairKey(dst[i], dst[i+1])]; ok && r < best {
				best, at = r, i
			}
		}
		if at < 0 {
			break
		}
		m := t.merges[best]
		n := len(mergePair(dst[at:], m[0], m[1], 256+best))
		dst = dst[:at+n]
	}
	return dst
}

// Decode returns the bytes of ids; the result may be invalid UTF-8 if the
// ids cut a character. It panics if an id is outside [0, Size()).
func (t *BPETokenizer) Decode(ids []int32) string {
	return string(t.appendDecode(make([]byte, 0, 3*len(ids)), ids))
}

func (t *BPETokenizer) appendDecode(dst []byte, ids []int32) []byte {
	for _, id := range ids {
		checkID(KindBPE, id, len(t.tokens))
		dst = append(dst, t.tokens[id]...)
	}
	return dst
}

// Size returns 256 plus the number of merges.
func (t *BPETokenizer) Size() int { return len(t.tokens) }

// Kind returns KindBPE.
func (t *BPETokenizer) Kind() string { return KindBPE }

// marshal writes {"merges":[[a,b],...]}.
func (t *BPETokenizer) marshal() string {
	var b bytes.Buffer
	b.WriteString(`{"merges":[`)
	for i, m := range t.merges {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('[')
		b.WriteString(strconv.Itoa(int(m[0])))
		b.WriteByte(',')
		b.WriteString(strconv.Itoa(int(m[1])))
		b.WriteByte(']')
	}
	b.WriteString(`]}`)
	return b.String()
}

// unmarshalBPE parses and validates the output of marshal: every merge is a
// pair of ids defined before it, no pair repeats, and no token grows longer
// than a chunk can be (which also stops a chain of self-merges from doubling
// a token's length without bound).
func unmarshalBPE(data string) (*BPETokenizer, error) {
	var v struct {
		Merges [][]int64 `json:"merges"`
	}
	dec := json.NewDecoder(bytes.NewReader([]byte(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("%w: bpe: %v", ErrInvalidTokenizer, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("%w: bpe: trailing data after the JSON object", ErrInvalidTokenizer)
	}
	if 256+len(v.Merges) > MaxBPEVocabSize {
		return nil, fmt.Errorf("%w: bpe: %d merges exceed the vocabulary limit %d", ErrInvalidTokenizer, len(v.Merges), MaxBPEVocabSize)
	}
	merges := make([][2]int32, len(v.Merges))
	lengths := make([]int, 256+len(v.Merges))
	for i := range 256 {
		lengths[i] = 1
	}
	seen := make(map[uint64]bool, len(v.Merges))
	for i, m := range v.Merges {
		if len(m) != 2 {
			return nil, fmt.Errorf("%w: bpe: merge %d has %d ids, want 2", ErrInvalidTokenizer, i, len(m))
		}
		for _, id := range m {
			if id < 0 || id >= int64(256+i) {
				return nil, fmt.Errorf("%w: bpe: merge %d uses id %d, want an id in [0, %d)", ErrInvalidTokenizer, i, id, 256+i)
			}
		}
		a, b := int32(m[0]), int32(m[1])
		k := pairKey(a, b)
		if seen[k] {
			return nil, fmt.Errorf("%w: bpe: merge %d repeats the pair [%d,%d]", ErrInvalidTokenizer, i, a, b)
		}
		seen[k] = true
		lengths[256+i] = lengths[a] + lengths[b]
		if lengths[256+i] > maxChunkBytes {
			return nil, fmt.Errorf("%w: bpe: merge %d makes a token of %d bytes, longer than the %d-byte limit", ErrInvalidTokenizer, i, lengths[256+i], maxChunkBytes)
		}
		merges[i] = [2]int32{a, b}
	}
	return newBPE(merges), nil
}
