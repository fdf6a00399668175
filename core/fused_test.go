// The fused softmax cross-entropy (gradient written over the logits) gives
// the very gradients of a separate gradient buffer.

package core

import (
	"math"
	"testing"
)

func TestFusedCrossEntropyGradientsExact(t *testing.T) {
	for _, cfg := range []Config{
		{Vocab: 300, Embed: 8, Hidden: 16, Layers: 2},
		{Vocab: 7, Embed: 4, Features: 2, Hidden: 8},
	} {
		fused, kept := NewModel(cfg, rng(3)), NewModel(cfg, rng(3))
		kept.tr.keepRaw = true
		b := randomBatch(fused, 5, 3, rng(4))
		b.Mask = make([]float32, len(b.Targets))
		for i := range b.Mask {
			b.Mask[i] = float32(i % 3) // zeros, ones and twos
		}
		var nll [2]float64
		for i, m := range []*Model{fused, kept} {
			m.Params().ZeroGrad()
			nll[i], _ = m.Forward(b, m.NewState(3), nil)
			m.Backward()
		}
		if nll[0] != nll[1] {
			t.Errorf("%+v: loss %v fused, %v with a gradient buffer", cfg, nll[0], nll[1])
		}
		for i, p := range fused.Params().List {
			q := kept.Params().List[i]
			for j := range p.G {
				if math.Float32bits(p.G[j]) != math.Float32bits(q.G[j]) {
					t.Fatalf("%+v: %s[%d] = %g fused, %g with a gradient buffer", cfg, p.Name, j, p.G[j], q.G[j])
				}
			}
		}
	}
}
