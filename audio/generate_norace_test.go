//go:build !race

// Generation's cost: the loop over samples allocates nothing, so a longer
// clip costs no more allocations than a short one. Built without -race
// (under -race the kernel's sync.Pool drops items at random; .ci/run runs
// the allocation tests without it).

package audio

import (
	"context"
	"math/rand/v2"
	"testing"
)

func TestGenerateAllocatesPerClipNotPerSample(t *testing.T) {
	for _, tiers := range []int{1, 2} {
		opts := tinyOptions(tiers).withDefaults()
		m := &Model{Net: newNetwork(opts, 0, rand.New(rand.NewPCG(1, 1))), Rate: 4000, History: opts.History}
		allocs := func(seconds float64) float64 {
			return testing.AllocsPerRun(3, func() {
				if _, err := m.Generate(context.Background(), GenerateOptions{Seconds: seconds, N: 3}); err != nil {
					t.Fatal(err)
				}
			})
		}
		short, long := allocs(0.05), allocs(0.5)
		if long != short {
			t.Errorf("%d tiers: %v allocations for 0.05 s, %v for 0.5 s: the loop over samples allocates", tiers, short, long)
		}
	}
}
