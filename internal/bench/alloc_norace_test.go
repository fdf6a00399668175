//go:build !race

// Allocation tests, built without -race: under it the kernel's sync.Pool
// drops items at random, and .ci/run runs these (-run Alloc) without it.

package bench

import (
	"runtime"
	"testing"

	"github.com/arkit-go/arkit/core"
)

// TestTrainSeriesNoAlloc: a training step (forward, backward, Adam)
// allocates nothing once its workspaces exist, in fp32 and at --precision
// auto (bf16 mixed precision, the AMX products and their packing, where
// the CPU has AMX, as CI's does; fp32 again elsewhere).
func TestTrainSeriesNoAlloc(t *testing.T) {
	auto, err := core.PrecisionAuto.Resolve()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []core.Precision{core.PrecisionFP32, auto} {
		step, _, _ := seriesTrainStep(p)
		// Collect the set-up's garbage first: a collection during the
		// measured steps would empty the kernel's sync.Pools of
		// packing buffers (by design, see kernel's doc) and the next
		// step would make one again. CI saw that once (1 allocation).
		runtime.GC()
		step()
		if n := testing.AllocsPerRun(5, step); n != 0 {
			t.Errorf("%s: %v allocations per training step", p, n)
		}
	}
}
