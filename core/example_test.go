// A runnable example of the engine: train a tiny model on a repeating
// sequence, then generate from it.

package core_test

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/arkit-go/arkit/core"
)

// cycle serves windows of the repeating sequence 0 1 2 3 0 1 2 3 ... as
// stateful streams.
type cycle struct{ t, b int }

func (c cycle) Batch(step int, bt *core.Batch) (bool, error) {
	for s := 0; s < c.t; s++ {
		for r := 0; r < c.b; r++ {
			pos := step*c.t + s + r
			bt.Tokens[s*c.b+r] = int32(pos % 4)
			bt.Targets[s*c.b+r] = float32((pos + 1) % 4)
		}
	}
	return step == 0, nil
}

// echo feeds each drawn token back and records it.
type echo struct{ out []int32 }

func (e *echo) Input(t int, in *core.Input) {
	in.Tokens[0] = 0
	if len(e.out) > 0 {
		in.Tokens[0] = e.out[len(e.out)-1]
	}
}

func (e *echo) Emit(t int, y []float32) bool {
	e.out = append(e.out, int32(y[0]))
	return true
}

func Example() {
	rng := rand.New(rand.NewPCG(1, 0))
	m := core.NewModel(core.Config{Vocab: 4, Embed: 4, Hidden: 16}, rng)
	tr := &core.Trainer{Model: m, Optimizer: &core.Adam{LR: 0.01}, T: 8, B: 4, Steps: 200}
	if _, err := tr.Run(context.Background(), cycle{8, 4}); err != nil {
		fmt.Println(err)
		return
	}
	g := &core.Generator{Step: m} // the zero Sampler is greedy
	e := &echo{}
	g.Run(context.Background(), m.NewState(1), 10, e)
	fmt.Println(e.out)
	// Output: [1 2 3 0 1 2 3 0 1 2]
}
