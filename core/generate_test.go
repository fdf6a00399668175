package core

import (
	"math/rand/v2"
	"slices"
	"testing"
)

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
			f := &recordFeeder{toks: toks}
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
	g    *Generator

	outs [][]float32
}

func (f *recordFeeder) Input(t int, in *Input) { in.Tokens[0] = f.toks[t] }
func (f *recordFeeder) Emit(t int, y []float32) bool {
	f.outs = append(f.outs, slices.Clone(f.g.Outputs()))
	return true
}
