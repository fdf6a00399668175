// Tests of the compact (bf16, Q8_0) matrices: rounding, quantisation error
// and every product implementation this machine runs, forced in turn,
// against a float64 product of the stored weights.

package kernel

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

func TestToBF16(t *testing.T) {
	for _, c := range []struct {
		in   uint32
		want uint16
	}{
		{0x3f800000, 0x3f80}, // 1
		{0x3f808000, 0x3f80}, // tie, to even (down)
		{0x3f818000, 0x3f82}, // tie, to even (up)
		{0x3f808001, 0x3f81}, // above the tie
		{0x7f7fffff, 0x7f80}, // max float32 rounds to +Inf, as IEEE does
		{0xff800000, 0xff80}, // -Inf
		{0x80000000, 0x8000}, // -0
	} {
		if got := ToBF16(math.Float32frombits(c.in)); got != c.want {
			t.Errorf("ToBF16(%#x) = %#x, want %#x", c.in, got, c.want)
		}
	}
	if v := FromBF16(ToBF16(float32(math.NaN()))); v == v {
		t.Errorf("NaN became %g", v)
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 10000 {
		v := float32(r.NormFloat64() * math.Pow(10, float64(r.IntN(20)-10)))
		if e := math.Abs(float64(FromBF16(ToBF16(v))-v)) / math.Abs(float64(v)); e > 1.0/256 {
			t.Fatalf("%g rounds to %g: relative error %g > 2^-8", v, FromBF16(ToBF16(v)), e)
		}
	}
}

func TestQ8Quantisation(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	rows, cols := 5, 77
	a := randSlice(r, rows*cols)
	a[3] = 0
	for i := 32; i < 64; i++ { // an all-zero block
		a[cols+i] = 0
	}
	m := NewQ8(a, rows, cols)
	if m.Blocks != 3 || m.packed == nil && (len(m.Q) != rows*3*Q8Block || len(m.D) != rows*3) {
		t.Fatalf("blocks %d, %d q, %d d", m.Blocks, len(m.Q), len(m.D))
	}
	scale := func(r, b int) float32 { // the block's d: its largest |weight|/127
		var d float32
		for j := b * Q8Block; j < (b+1)*Q8Block; j++ {
			d = max(d, float32(math.Abs(float64(m.At(r, j))))/127)
		}
		return d
	}
	for rr := 0; rr < rows; rr++ {
		for j := 0; j < m.Blocks*Q8Block; j++ {
			d := scale(rr, j/Q8Block)
			got := m.At(rr, j)
			if j >= cols {
				if got != 0 {
					t.Fatalf("row %d padding %d holds %g", rr, j, got)
				}
				continue
			}
			if w := a[rr*cols+j]; math.Abs(float64(got-w)) > float64(d)/2*(1+1e-6) {
				t.Fatalf("row %d col %d: %g quantised to %g (scale %g)", rr, j, w, got, d)
			}
		}
	}
}

// compactRef returns y + A·x in float64, A as stored.
func compactRef(at func(r, c int) float32, rows, cols int, x, y []float32) []float64 {
	out := make([]float64, rows)
	for r := range rows {
		s := float64(y[r])
		for c := range cols {
			s += float64(at(r, c)) * float64(x[c])
		}
		out[r] = s
	}
	return out
}

func TestCompactVariants(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	shapes := [][2]int{{1, 1}, {3, 7}, {5, 16}, {4, 31}, {9, 32}, {7, 33}, {13, 100}, {70, 512}, {3000, 512}, {1001, 96}}
	for _, v := range compactVariants() {
		restore := forceCompact(v)
		for _, sh := range shapes {
			rows, cols := sh[0], sh[1]
			a, x := randSlice(r, rows*cols), randSlice(r, cols+3)
			bf, q8 := NewBF16(a, rows, cols), NewQ8(a, rows, cols)
			for _, c := range []struct {
				name string
				mul  func(y, x []float32)
				at   func(r, c int) float32
			}{
				{"bf16", bf.MulVecAdd, bf.At},
				{"q8", q8.MulVecAdd, q8.At},
			} {
				y := randSlice(r, rows+2)
				guard := y[rows:]
				g0, g1 := guard[0], guard[1]
				xs := x
				if c.name == "q8" && q8.packed != nil {
					// Q8_0 × Q8_0: the product of the stored weights and
					// the stored vector.
					xs = dequantX(x[:cols], q8.Blocks)
				}
				if c.name == "bf16" && bf.packed != nil {
					xs = make([]float32, cols)
					for i := range xs {
						xs[i] = FromBF16(ToBF16(x[i]))
					}
				}
				want := compactRef(c.at, rows, cols, xs, y)
				c.mul(y[:rows], x[:cols])
				for i := range rows {
					var mag float64
					for j := range cols {
						mag += math.Abs(float64(c.at(i, j)) * float64(xs[j]))
					}
					if e := math.Abs(float64(y[i]) - want[i]); e > 1e-5*(mag+math.Abs(want[i]))+1e-30 {
						t.Fatalf("%s %s %d×%d row %d: %g, want %g", v, c.name, rows, cols, i, y[i], want[i])
					}
				}
				if guard[0] != g0 || guard[1] != g1 {
					t.Fatalf("%s %s %d×%d wrote past y", v, c.name, rows, cols)
				}
			}
		}
		restore()
	}
}

// dequantX returns x as a packed product reads it (quantBlockGo).
func dequantX(x []float32, nb int) []float32 {
	var v q8X
	v.ensure(nb)
	quantXGo(x, &v)
	out := make([]float32, len(x))
	for i := range x {
		out[i] = v.d[i/Q8Block] * float32(v.q[i])
	}
	return out
}

// TestQ8QuantX checks the vector quantisation: the assembly equals the Go
// reference bit for bit, and each value is within half a step of x.
func TestQ8QuantX(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for _, n := range []int{1, 5, 31, 32, 33, 64, 96, 250, 256, 512} {
		x := randSlice(r, n)
		if n >= 64 {
			for i := 32; i < 64; i++ { // an all-zero block
				x[i] = 0
			}
			x[70%n] = 0.5 // ties for the rounding
		}
		nb := (n + Q8Block - 1) / Q8Block
		var got, want q8X
		got.ensure(nb)
		want.ensure(nb)
		quantX(x, &got)
		quantXGo(x, &want)
		for i := range want.q {
			if got.q[i] != want.q[i] {
				t.Fatalf("n %d: q[%d] = %d, want %d", n, i, got.q[i], want.q[i])
			}
		}
		for b := range want.d {
			if got.d[b] != want.d[b] || got.c[b] != want.c[b] {
				t.Fatalf("n %d: block %d: d %g, c %d, want %g, %d", n, b, got.d[b], got.c[b], want.d[b], want.c[b])
			}
		}
		for i, v := range x {
			d := want.d[i/Q8Block]
			if e := math.Abs(float64(d*float32(want.q[i]) - v)); e > float64(d)/2*(1+1e-5) {
				t.Fatalf("n %d: x[%d] = %g quantised with error %g, scale %g", n, i, v, e, d)
			}
		}
		for i := n; i < nb*Q8Block; i++ {
			if want.q[i] != 0 {
				t.Fatalf("n %d: padding q[%d] = %d", n, i, want.q[i])
			}
		}
	}
}

// TestQ8PackedAgainstFloat bounds what quantising x costs a packed
// product: each row within Σ_j |w_j|·d_x/2 of the product with float32 x.
//
// Where the CPU has no integer int8 products (no AVX512-VNNI), x stays
// float32 and the same bound holds with room to spare: the test then
// checks the float int8 path against it.
func TestQ8PackedAgainstFloat(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	rows, cols := 77, 300
	a, x := randSlice(r, rows*cols), randSlice(r, cols)
	m := NewQ8(a, rows, cols)
	y := make([]float32, rows)
	m.MulVecAdd(y, x)
	var v q8X
	v.ensure(m.Blocks)
	quantXGo(x, &v)
	want := compactRef(m.At, rows, cols, x, make([]float32, rows))
	for i := range rows {
		var bound float64
		for j := range cols {
			bound += math.Abs(float64(m.At(i, j))) * float64(v.d[j/Q8Block]) / 2
		}
		if e := math.Abs(float64(y[i]) - want[i]); e > bound*1.001+1e-6 {
			t.Fatalf("row %d: %g, float32 x gives %g: error %g above %g", i, y[i], want[i], e, bound)
		}
	}
}

func BenchmarkCompactGemv(b *testing.B) {
	r := rand.New(rand.NewPCG(9, 9))
	const rows, cols = 10000, 512
	a, x, y := randSlice(r, rows*cols), randSlice(r, cols), make([]float32, rows)
	bf, q8 := NewBF16(a, rows, cols), NewQ8(a, rows, cols)
	for _, c := range []struct {
		name string
		f    func()
	}{
		{"fp32", func() { Gemv(false, rows, cols, 1, a, cols, x, 1, y) }},
		{"bf16", func() { bf.MulVecAdd(y, x) }},
		{"int8", func() { q8.MulVecAdd(y, x) }},
	} {
		b.Run(fmt.Sprintf("%s-%dx%d", c.name, rows, cols), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				c.f()
			}
		})
	}
}

// BenchmarkCompactVariants times the int8 and bf16 products at generation's
// shapes (the audio sample level's W_hh and head, the frame tier's W_hh and
// W_ih, a word model's head) with each implementation.
func BenchmarkCompactVariants(b *testing.B) {
	r := rand.New(rand.NewPCG(9, 10))
	for _, v := range compactVariants() {
		for _, sh := range [][2]int{{1024, 256}, {256, 256}, {2048, 512}, {2048, 16}, {10000, 512}} {
			rows, cols := sh[0], sh[1]
			restore := forceCompact(v)
			a, x, y := randSlice(r, rows*cols), randSlice(r, cols), make([]float32, rows)
			q8, bf := NewQ8(a, rows, cols), NewBF16(a, rows, cols)
			for _, c := range []struct {
				name string
				mul  func(y, x []float32)
			}{{"int8", q8.MulVecAdd}, {"bf16", bf.MulVecAdd}} {
				b.Run(fmt.Sprintf("%s-%s-%dx%d", c.name, v, rows, cols), func(b *testing.B) {
					for range b.N {
						c.mul(y, x)
					}
					b.ReportMetric(float64(rows*cols)*float64(b.N)/b.Elapsed().Seconds()/1e9, "Gweights/s")
				})
			}
			restore()
		}
	}
}
