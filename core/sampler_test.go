package core

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestTopKMatchesStableSort(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 5))
	nan := float32(math.NaN())
	for trial := 0; trial < 2000; trial++ {
		n := 1 + r.IntN(40)
		p := make([]float32, n)
		for i := range p {
			switch r.IntN(6) {
			case 0:
				p[i] = float32(r.IntN(3)) // ties
			case 1:
				p[i] = nan
			default:
				p[i] = float32(r.NormFloat64())
			}
		}
		k := 1 + r.IntN(n)
		want := make([]int, n)
		for i := range want {
			want[i] = i
		}
		slices.SortStableFunc(want, func(a, b int) int { return cmp.Compare(p[b], p[a]) })
		got := make([]int, k)
		topK(p, got)
		if !slices.Equal(got, want[:k]) {
			t.Fatalf("p=%v k=%d: topK %v, stable sort %v", p, k, got, want[:k])
		}
	}
}

// The input table of a generation run gives the outputs of plain Next calls,
// bit for bit, and is forgotten once the weights change between runs.
func TestGenerationInputTableIsExact(t *testing.T) {
	for _, hid := range []int{16, 256} {
		r := rand.New(rand.NewPCG(9, 9))
		m := NewModel(Config{Vocab: 11, Embed: 8, Hidden: hid, Layers: 2}, r)
		toks := []int32{3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5}
		plain := func() [][]float32 {
			st := m.NewState(1)
			var outs [][]float32
			for _, tok := range toks {
				out := make([]float32, m.OutSize())
				m.Next(st, Input{Tokens: []int32{tok}}, out)
				outs = append(outs, out)
			}
			return outs
		}
		viaGen := func() [][]float32 {
			st := m.NewState(1)
			f := &recordFeeder{toks: toks, m: m}
			g := &Generator{Step: m, Rand: rand.New(rand.NewPCG(1, 1))}
			f.g = g
			if err := g.Run(t.Context(), st, len(toks), f); err != nil {
				t.Fatal(err)
			}
			return f.outs
		}
		check := func(what string) {
			want, got := plain(), viaGen()
			for i := range want {
				if !slices.Equal(want[i], got[i]) {
					t.Fatalf("hidden %d, %s: step %d: generator %v, Next %v", hid, what, i, got[i][:3], want[i][:3])
				}
			}
		}
		check("first run")
		for i := range m.emb.W {
			m.emb.W[i] *= 1.5 // the weights change between runs
		}
		check("after a weight change")
	}
}

type recordFeeder struct {
	toks []int32
	m    *Model
	g    *Generator

	outs [][]float32
}

func (f *recordFeeder) Input(t int, in *Input) { in.Tokens[0] = f.toks[t] }
func (f *recordFeeder) Emit(t int, y []float32) bool {
	f.outs = append(f.outs, slices.Clone(f.g.Outputs()))
	return true
}
