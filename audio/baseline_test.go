// Tests of the n-gram baseline: probabilities worked out by hand, that
// every distribution sums to one, the discount estimates, and limiting
// cases. TestFSDDBaseline measures the real data set from the shared data
// folder.

package audio

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/arkit-go/arkit/internal/shareddata"
)

func TestNGramByHand(t *testing.T) {
	tests := []struct {
		name    string
		model   NGram
		train   [][]int32
		history []int32
		code    int
		want    float64
	}{
		// Additive: (count + alpha) / (context total + alpha * levels).
		{"add-one unigram", NGram{Order: 1, Levels: 4, Smoothing: Additive}, [][]int32{{0, 0, 1, 2}}, nil, 0, 3.0 / 8},
		{"add-one unigram unseen", NGram{Order: 1, Levels: 4, Smoothing: Additive}, [][]int32{{0, 0, 1, 2}}, nil, 3, 1.0 / 8},
		{"add-one bigram", NGram{Order: 2, Levels: 4, Smoothing: Additive}, [][]int32{{0, 1, 0, 1, 0, 2}}, []int32{0}, 1, 3.0 / 7},
		{"add-one bigram unseen context", NGram{Order: 2, Levels: 4, Smoothing: Additive}, [][]int32{{0, 1, 0, 1, 0, 2}}, []int32{3}, 1, 1.0 / 4},
		{"add-one bigram, no history", NGram{Order: 2, Levels: 4, Smoothing: Additive}, [][]int32{{0, 1, 0, 1, 0, 2}}, nil, 0, 4.0 / 10},
		{"add-0.5 bigram, long history", NGram{Order: 2, Levels: 4, Smoothing: Additive, Alpha: 0.5}, [][]int32{{0, 1, 0, 1, 0, 2}}, []int32{3, 3, 0}, 2, 1.5 / 5},
		// Kneser-Ney with D = 0.5 on 0 1 0 1 2 2: bigrams 01 x2, 10, 12, 22.
		// Continuation counts 0:1 1:1 2:2 (of 4), so p1 = 1/4, 1/4, 1/2.
		{"KN unigram level", NGram{Order: 2, Levels: 3, Discount: 0.5}, [][]int32{{0, 1, 0, 1, 2, 2}}, nil, 2, 0.5},
		{"KN bigram seen", NGram{Order: 2, Levels: 3, Discount: 0.5}, [][]int32{{0, 1, 0, 1, 2, 2}}, []int32{2}, 2, (1 - 0.5 + 0.5*0.5) / 1},
		{"KN bigram unseen", NGram{Order: 2, Levels: 3, Discount: 0.5}, [][]int32{{0, 1, 0, 1, 2, 2}}, []int32{2}, 0, 0.5 * 0.25},
		{"KN bigram frequent", NGram{Order: 2, Levels: 3, Discount: 0.5}, [][]int32{{0, 1, 0, 1, 2, 2}}, []int32{0}, 1, (2 - 0.5 + 0.5*0.25) / 2},
		// An Order-1 Kneser-Ney model uses raw counts: 0 0 1 gives
		// (2-0.5 + 0.5*2*(1/3))/3 for code 0.
		{"KN order 1", NGram{Order: 1, Levels: 3, Discount: 0.5}, [][]int32{{0, 0, 1}}, nil, 0, (1.5 + 1.0/3) / 3},
	}
	for _, tt := range tests {
		m := tt.model
		m.Train(tt.train)
		if got := m.Prob(tt.history, tt.code); math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("%s: Prob(%v, %d) = %v, want %v", tt.name, tt.history, tt.code, got, tt.want)
		}
	}
}

// TestNGramSumsToOne checks every smoothing and order on random histories,
// seen and unseen, full and short.
func TestNGramSumsToOne(t *testing.T) {
	const levels = 8
	rng := rand.New(rand.NewPCG(13, 14))
	train := make([][]int32, 20)
	for i := range train {
		s := make([]int32, 50+rng.IntN(100))
		for j := range s {
			if j > 0 && rng.IntN(3) > 0 {
				s[j] = (s[j-1] + 1) % levels // some structure, some noise
			} else {
				s[j] = int32(rng.IntN(levels))
			}
		}
		train[i] = s
	}
	models := []NGram{
		{Smoothing: KneserNey},
		{Smoothing: KneserNey, Discount: 0.75},
		{Smoothing: KneserNey, Discount: 1},
		{Smoothing: Additive},
		{Smoothing: Additive, Alpha: 0.01},
	}
	for _, base := range models {
		for order := 1; order <= 4; order++ {
			m := base
			m.Order, m.Levels = order, levels
			m.Train(train)
			for range 200 {
				h := make([]int32, rng.IntN(order+1))
				for i := range h {
					h[i] = int32(rng.IntN(levels))
				}
				var sum float64
				for c := range levels {
					p := m.Prob(h, c)
					if !(p > 0) {
						t.Fatalf("%v order %d: Prob(%v, %d) = %v", m.Smoothing, order, h, c, p)
					}
					sum += p
				}
				if math.Abs(sum-1) > 1e-12 {
					t.Fatalf("%v alpha %v discount %v order %d: probabilities after %v sum to %v", m.Smoothing, m.Alpha, m.Discount, order, h, sum)
				}
			}
		}
	}
}

func TestKneserNeyDiscounts(t *testing.T) {
	y := 100.0 / 180
	tests := []struct {
		nk    [5]float64
		fixed float64
		want  [4]float64
	}{
		{[5]float64{0, 100, 40, 20, 10}, 0, [4]float64{0, 1 - 2*y*40/100, 2 - 3*y*20/40, 3 - 4*y*10/20}},
		{[5]float64{0, 100, 40, 20, 10}, 0.8, [4]float64{0, 0.8, 0.8, 0.8}},
		{[5]float64{0, 100, 40, 0, 0}, 0, [4]float64{0, 100.0 / 180, 100.0 / 180, 100.0 / 180}},
		{[5]float64{0, 0, 40, 20, 10}, 0, [4]float64{0, 0.5, 0.5, 0.5}},
		{[5]float64{0, 10, 1, 100, 1}, 0, [4]float64{0, 10.0 / 12, 10.0 / 12, 10.0 / 12}}, // D2 < 0
	}
	for _, tt := range tests {
		got := knDiscounts(tt.nk, tt.fixed)
		for k := range got {
			if math.Abs(got[k]-tt.want[k]) > 1e-12 {
				t.Errorf("knDiscounts(%v, %v) = %v, want %v", tt.nk, tt.fixed, got, tt.want)
				break
			}
		}
	}
}

func TestNGramLimits(t *testing.T) {
	// A cycle is certain after two codes of history and uniform without.
	cycle := make([]int32, 4000)
	for i := range cycle {
		cycle[i] = int32(i % 4)
	}
	for _, tt := range []struct {
		order int
		max   float64
		min   float64
	}{{1, 2.0001, 1.9999}, {2, 0.01, 0}, {3, 0.01, 0}} {
		m := NGram{Order: tt.order, Levels: 4}
		m.Train([][]int32{cycle})
		if b := m.BitsPerSample([][]int32{cycle}); b > tt.max || b < tt.min {
			t.Errorf("order %d on a cycle of 4: %.4f bits per sample, want %g to %g", tt.order, b, tt.min, tt.max)
		}
	}

	// Without training data every code costs log2(levels) bits.
	m := NGram{Levels: 16}
	m.Train(nil)
	if b := m.BitsPerSample([][]int32{{1, 2, 3, 4}}); math.Abs(b-4) > 1e-12 {
		t.Errorf("untrained model: %v bits per sample, want 4", b)
	}
	if b := m.BitsPerSample([][]int32{{}}); !math.IsNaN(b) {
		t.Errorf("no test codes: %v bits per sample, want NaN", b)
	}

	// On independent uniform codes no order beats log2(levels) on new data.
	rng := rand.New(rand.NewPCG(15, 16))
	noise := func(n int) [][]int32 {
		s := make([]int32, n)
		for i := range s {
			s[i] = int32(rng.IntN(16))
		}
		return [][]int32{s}
	}
	train, test := noise(200000), noise(50000)
	for order := 1; order <= 3; order++ {
		m := NGram{Order: order, Levels: 16}
		m.Train(train)
		if b := m.BitsPerSample(test); b < 3.99 || b > 4.05 {
			t.Errorf("order %d on uniform noise: %.4f bits per sample, want about 4", order, b)
		}
	}
}

func TestNGramPanics(t *testing.T) {
	trained := NGram{Order: 2, Levels: 4}
	trained.Train([][]int32{{0, 1, 2}})
	tests := []struct {
		name string
		f    func()
	}{
		{"negative order", func() { (&NGram{Order: -1}).Train(nil) }},
		{"one level", func() { (&NGram{Levels: 1}).Train(nil) }},
		{"table too large", func() { (&NGram{Order: 3, Levels: 257}).Train(nil) }},
		{"negative alpha", func() { (&NGram{Smoothing: Additive, Alpha: -1}).Train(nil) }},
		{"discount above 1", func() { (&NGram{Discount: 1.5}).Train(nil) }},
		{"unknown smoothing", func() { (&NGram{Smoothing: 7}).Train(nil) }},
		{"code out of range", func() { (&NGram{Levels: 4}).Train([][]int32{{0, 4}}) }},
		{"negative code", func() { (&NGram{Levels: 4}).Train([][]int32{{-1}}) }},
		{"untrained", func() { (&NGram{}).BitsPerSample(nil) }},
		{"untrained Prob", func() { (&NGram{}).Prob(nil, 0) }},
		{"Prob code", func() { trained.Prob(nil, 4) }},
		{"Prob history", func() { trained.Prob([]int32{9}, 0) }},
		{"BitsPerSample code", func() { trained.BitsPerSample([][]int32{{0, 5}}) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if r, ok := recover().(string); !ok || r[:7] != "audio: " {
					t.Errorf("recovered %v, want an \"audio: \" panic", r)
				}
			}()
			tt.f()
		})
	}
}

// TestFSDDBaseline measures count models on the Free Spoken Digit Dataset:
// mu-law codes of the official training split (takes 5-49) against the test
// split (takes 0-4). It reads the shared data folder (../shared/data beside
// the repository, or $ARKIT_DATA; see internal/shareddata) and fails if it
// is missing; -short skips it. With -v it also logs the training figures.
//
// The README of the data quotes 7.18, 5.45 and 5.14 bits per sample for
// unigram, bigram and trigram count models; additive smoothing with
// alpha = 0.1 gives these figures, which the test checks.
func TestFSDDBaseline(t *testing.T) {
	dir := shareddata.Require(t, "audio", "fsdd", "recordings")
	files, err := ListWAV([]string{dir}, nil)
	if err != nil {
		t.Fatal(err)
	}
	trainFiles, testFiles, err := SplitFSDD(files)
	if err != nil {
		t.Fatal(err)
	}
	load := func(files []string) (seqs [][]int32, n int) {
		for _, f := range files {
			clip, err := ReadWAV(f, ReadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if clip.Rate != 8000 {
				t.Fatalf("%s: %d Hz, want 8000", f, clip.Rate)
			}
			codes := make([]int32, len(clip.Samples))
			MuLaw{}.EncodeAll(codes, clip.Samples)
			seqs = append(seqs, codes)
			n += len(codes)
		}
		return seqs, n
	}
	train, nTrain := load(trainFiles)
	test, nTest := load(testFiles)
	t.Logf("FSDD: %d training files (%d samples), %d test files (%d samples)", len(train), nTrain, len(test), nTest)

	readme := map[int]float64{1: 7.18, 2: 5.45, 3: 5.14}
	models := []struct {
		name  string
		model NGram
	}{
		{"add-one", NGram{Smoothing: Additive}},
		{"add-0.1", NGram{Smoothing: Additive, Alpha: 0.1}},
		{"Kneser-Ney D=0.75", NGram{Discount: 0.75}},
		{"modified Kneser-Ney", NGram{}},
	}
	bits := map[string]float64{}
	for order := 1; order <= 3; order++ {
		for _, mm := range models {
			m := mm.model
			m.Order = order
			m.Train(train)
			b := m.BitsPerSample(test)
			bits[fmt.Sprint(mm.name, order)] = b
			if testing.Verbose() {
				t.Logf("order %d  %-20s  test %.4f bits/sample  (train %.4f)", order, mm.name, b, m.BitsPerSample(train))
			}
		}
		if got := bits[fmt.Sprint("add-0.1", order)]; math.Abs(got-readme[order]) > 0.005 {
			t.Errorf("order %d, add-0.1: %.4f bits per sample, the README says %.2f", order, got, readme[order])
		}
		if kn, add := bits[fmt.Sprint("modified Kneser-Ney", order)], bits[fmt.Sprint("add-one", order)]; kn > add+1e-3 {
			t.Errorf("order %d: modified Kneser-Ney %.4f is worse than add-one %.4f", order, kn, add)
		}
	}
}
