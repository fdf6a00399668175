//go:build !race

package core

import "testing"

// TestRegularizedTrainingStepNoAlloc: a training step with every
// regulariser on (Forward, Backward) allocates nothing once its workspaces
// exist. (Under -race the kernel's sync.Pool drops items at random.)
func TestRegularizedTrainingStepNoAlloc(t *testing.T) {
	m := NewModel(Config{Vocab: 30, Embed: 8, Hidden: 16, Layers: 2, Dropout: 0.1}, rng(1))
	if err := m.SetRegularization(allReg); err != nil {
		t.Fatal(err)
	}
	b := randomBatch(m, 10, 4, rng(2))
	st := m.NewState(4)
	r := rng(3)
	step := func() {
		m.params.ZeroGrad()
		m.Forward(b, st, r)
		m.Backward()
	}
	step()
	if n := testing.AllocsPerRun(10, step); n != 0 {
		t.Errorf("%v allocations per regularised training step", n)
	}
}
