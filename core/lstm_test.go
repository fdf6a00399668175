package core

import (
	"math"
	"runtime"
	"testing"
)

// layerPaths runs f once per way a layer computes its window: fused (small
// layers, the default for the test models) and unfused (large layers).
func layerPaths(t *testing.T, f func(t *testing.T)) {
	for _, p := range []struct {
		name string
		max  int
	}{{"fused", fuseMaxFloats}, {"unfused", 0}} {
		t.Run(p.name, func(t *testing.T) {
			defer func(old int) { fuseMaxFloats = old }(fuseMaxFloats)
			fuseMaxFloats = p.max
			f(t)
		})
	}
}

// TestTimeLoopSplit checks that splitting the LSTM time loops by batch rows
// over goroutines (GOMAXPROCS 2) gives the loss, gradients and final state
// of the unsplit loop (GOMAXPROCS 1) bit for bit, in fp32 and bf16, for a
// batch whose halves are not whole row tiles.
func TestTimeLoopSplit(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for name, cfg := range map[string]Config{
		"features": {Features: 1, Hidden: 16, Layers: 2, Likelihood: Gaussian{}},
		"tokens":   {Vocab: 7, Embed: 12, Hidden: 16, Layers: 2},
	} {
		for _, prec := range []Precision{PrecisionFP32, PrecisionBF16} {
			t.Run(name+"/"+string(prec), func(t *testing.T) {
				run := func(procs int) (float64, []float32, []float32) {
					runtime.GOMAXPROCS(procs)
					r := rng(3)
					m := NewModel(cfg, r)
					m.SetPrecision(prec)
					b := randomBatch(m, 6, 40, r)
					st := m.NewState(40)
					m.params.ZeroGrad()
					nll, _ := m.Forward(b, st, nil)
					m.Backward()
					return nll, append([]float32(nil), m.params.G...), append([]float32(nil), st.H[1]...)
				}
				nll1, g1, h1 := run(1)
				nll2, g2, h2 := run(2)
				if nll1 != nll2 {
					t.Fatalf("loss %v split, %v unsplit", nll2, nll1)
				}
				for i := range g1 {
					if math.Float32bits(g1[i]) != math.Float32bits(g2[i]) {
						t.Fatalf("gradient %d: %v split, %v unsplit", i, g2[i], g1[i])
					}
				}
				for i := range h1 {
					if math.Float32bits(h1[i]) != math.Float32bits(h2[i]) {
						t.Fatalf("final h %d: %v split, %v unsplit", i, h2[i], h1[i])
					}
				}
			})
		}
	}
}
