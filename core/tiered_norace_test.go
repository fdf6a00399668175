//go:build !race

// Allocation tests of the tiered model's generation step, built without
// -race (under -race the kernel's sync.Pool drops items at random, and
// .ci/run runs these without it).

package core

import "testing"

// TestTieredNextAllocates: a step of a Generator's run allocates nothing
// once its workspaces exist.
func TestTieredNextAllocates(t *testing.T) {
	for _, tt := range []*Tiered{tinyTieredCodes(12, 3), tinyTiered3(12, 3)} {
		tieredNextAllocates(t, tt)
	}
}

func tieredNextAllocates(t *testing.T, tt *Tiered) {
	for _, w := range []Weights{WeightsFP32, WeightsBF16, WeightsInt8} {
		tt.SetWeights(w)
		for _, B := range []int{1, 4} {
			st := tt.NewState(B)
			in := Input{Tokens: make([]int32, B), Features: make([]float32, 2*B)}
			out := make([]float32, B*tt.OutSize())
			tt.beginGeneration()
			tt.Next(st, in, out)
			if n := testing.AllocsPerRun(100, func() { tt.Next(st, in, out) }); n != 0 {
				t.Errorf("top %d %s B=%d: %v allocations per step", tt.Config().Top, w, B, n)
			}
			tt.endGeneration()
		}
	}
}
