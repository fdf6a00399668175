// Tests of mu-law companding: known codes, the round-trip error bound,
// monotonicity, symmetry, slice variants and misuse.

package audio

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestMuLawKnownCodes(t *testing.T) {
	tests := []struct {
		levels int
		x      float32
		code   int
	}{
		{0, -1, 0},
		{0, 1, 255},
		{0, 0, 128}, // the tie at y = 0 rounds up
		{0, -2, 0},  // clamped
		{0, 3, 255}, // clamped
		{0, float32(math.NaN()), 128},
		{0, 0.5, 239},
		{0, -0.5, 16},
		{256, 0.01, 157},
		{256, -0.01, 98},
		{16, 1, 15},
		{16, 0, 8},
		{2, -0.3, 0},
		{2, 0.3, 1},
		{65536, 1, 65535},
	}
	for _, tt := range tests {
		if got := (MuLaw{Levels: tt.levels}).Encode(tt.x); got != tt.code {
			t.Errorf("MuLaw{%d}.Encode(%v) = %d, want %d", tt.levels, tt.x, got, tt.code)
		}
	}
	decoded := []struct {
		levels int
		code   int
		x      float32
	}{
		{0, 0, -1},
		{0, 255, 1},
		{16, 0, -1},
		{16, 15, 1},
		{3, 1, 0}, // an odd level count has a code for zero
		{2, 0, -1},
		{2, 1, 1},
	}
	for _, tt := range decoded {
		if got := (MuLaw{Levels: tt.levels}).Decode(tt.code); got != tt.x {
			t.Errorf("MuLaw{%d}.Decode(%d) = %v, want %v", tt.levels, tt.code, got, tt.x)
		}
	}
	if n := (MuLaw{}).NumLevels(); n != 256 {
		t.Errorf("MuLaw{}.NumLevels() = %d, want 256", n)
	}
}

// TestMuLawRoundTrip bounds |Decode(Encode(x)) - x| on a dense grid. Encode
// is off by at most half a step, 1/mu, in the compressed domain, and the
// expansion's slope there is at most ln(1+mu)/mu (1+mu|x|) (1+mu)^(1/mu).
func TestMuLawRoundTrip(t *testing.T) {
	for _, levels := range []int{4, 16, 256, 1024} {
		m := MuLaw{Levels: levels}
		mu := float64(levels - 1)
		const n = 200001
		for i := range n {
			x := float32(-1 + 2*float64(i)/(n-1))
			got := m.Decode(m.Encode(x))
			bound := math.Log1p(mu) / (mu * mu) * (1 + mu*math.Abs(float64(x))) * math.Pow(1+mu, 1/mu)
			if d := math.Abs(float64(got - x)); d > bound*(1+1e-6) {
				t.Fatalf("levels %d: Decode(Encode(%v)) = %v, error %.3g over the bound %.3g", levels, x, got, d, bound)
			}
		}
		// Every code decodes to a value that encodes back to it.
		for c := range levels {
			if got := m.Encode(m.Decode(c)); got != c {
				t.Errorf("levels %d: Encode(Decode(%d)) = %d", levels, c, got)
			}
		}
	}
	// With 256 levels the relative error is about ln(256)/255 = 2.2% away
	// from zero, where the absolute error (below 1e-4) dominates instead.
	m := MuLaw{}
	for _, x := range []float32{0.05, 0.1, 0.3, 0.9, 1} {
		if got := m.Decode(m.Encode(x)); math.Abs(float64(got/x-1)) > 0.025 {
			t.Errorf("Decode(Encode(%v)) = %v, more than 2.5%% off", x, got)
		}
	}
}

func TestMuLawMonotonicAndSymmetric(t *testing.T) {
	for _, levels := range []int{2, 3, 16, 256} {
		m := MuLaw{Levels: levels}
		prev := m.Encode(-1)
		for i := 1; i <= 100000; i++ {
			x := float32(-1 + 2*float64(i)/100000)
			c := m.Encode(x)
			if c < prev {
				t.Fatalf("levels %d: Encode(%v) = %d after %d", levels, x, c, prev)
			}
			prev = c
		}
		for c := 1; c < levels; c++ {
			if m.Decode(c) <= m.Decode(c-1) {
				t.Fatalf("levels %d: Decode(%d) = %v not above Decode(%d) = %v", levels, c, m.Decode(c), c-1, m.Decode(c-1))
			}
		}
		for c := range levels {
			if a, b := m.Decode(c), m.Decode(levels-1-c); a != -b {
				t.Errorf("levels %d: Decode(%d) = %v, Decode(%d) = %v", levels, c, a, levels-1-c, b)
			}
		}
		// Encode is symmetric except at exact ties between two codes.
		rng := rand.New(rand.NewPCG(5, uint64(levels)))
		for range 10000 {
			x := rng.Float32()
			if a, b := m.Encode(x), m.Encode(-x); a+b != levels-1 {
				t.Fatalf("levels %d: Encode(%v) = %d, Encode(%v) = %d", levels, x, a, -x, b)
			}
		}
	}
}

func TestMuLawAll(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	x := make([]float32, 1000)
	for i := range x {
		x[i] = rng.Float32()*2.2 - 1.1
	}
	m := MuLaw{}
	codes := make([]int32, len(x))
	m.EncodeAll(codes, x)
	y := make([]float32, len(x))
	m.DecodeAll(y, codes)
	for i := range x {
		if int(codes[i]) != m.Encode(x[i]) || y[i] != m.Decode(int(codes[i])) {
			t.Fatalf("index %d: EncodeAll/DecodeAll give %d, %v; Encode/Decode give %d, %v", i, codes[i], y[i], m.Encode(x[i]), m.Decode(int(codes[i])))
		}
	}
}

func TestMuLawPanics(t *testing.T) {
	tests := []struct {
		name string
		f    func()
	}{
		{"one level", func() { MuLaw{Levels: 1}.Encode(0) }},
		{"negative levels", func() { MuLaw{Levels: -4}.Decode(0) }},
		{"too many levels", func() { MuLaw{Levels: 1<<16 + 1}.NumLevels() }},
		{"code too large", func() { MuLaw{}.Decode(256) }},
		{"negative code", func() { MuLaw{}.Decode(-1) }},
		{"EncodeAll lengths", func() { MuLaw{}.EncodeAll(make([]int32, 2), make([]float32, 3)) }},
		{"DecodeAll lengths", func() { MuLaw{}.DecodeAll(make([]float32, 2), make([]int32, 3)) }},
		{"DecodeAll code", func() { MuLaw{Levels: 16}.DecodeAll(make([]float32, 1), []int32{16}) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				r := recover()
				if s, ok := r.(string); !ok || len(s) < 7 || s[:7] != "audio: " {
					t.Errorf("recovered %v, want a panic starting with \"audio: \"", r)
				}
			}()
			tt.f()
		})
	}
}

func BenchmarkMuLawEncodeAll(b *testing.B) {
	x := make([]float32, 8000)
	for i := range x {
		x[i] = float32(math.Sin(float64(i) / 10))
	}
	codes := make([]int32, len(x))
	b.SetBytes(int64(4 * len(x)))
	for b.Loop() {
		MuLaw{}.EncodeAll(codes, x)
	}
}
