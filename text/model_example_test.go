// Examples of training, generating and scoring.

package text_test

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/arkit-go/arkit/core"
	"github.com/arkit-go/arkit/text"
)

func ExampleTrain() {
	ctx := context.Background()
	corpus := strings.Repeat("Hello, world!\n", 80)
	opts := text.TrainOptions{TrainOptions: core.TrainOptions{LR: 1e-2, Steps: 150, Seed: 3}, Embed: 8, Hidden: 32, Layers: 1, Seq: 16, Batch: 4}
	m, res, err := text.Train(ctx, corpus, "", opts)
	if err != nil {
		panic(err)
	}
	fmt.Println(res.Reason, res.Steps, m.Tok.Kind(), m.Tok.Size())

	// Greedy decoding (temperature 0) continues the prompt.
	m.Generate(ctx, text.GenerateOptions{Prompt: "Hello", Length: 22}, os.Stdout)
	fmt.Println()

	s, _ := m.Score(ctx, "Hello, world!\nHello, world!\n")
	fmt.Println(s.Symbols, s.NatsPerSymbol < 0.2)
	// Output:
	// steps 150 char 11
	// Hello, world!
	// Hello, world!
	// 27 true
}

func ExampleBuiltin() {
	corpus := text.Builtin()
	tok, _ := text.NewCharTokenizer(corpus)
	fmt.Println(len(corpus), tok.Size())
	fmt.Println(corpus[138:146])
	// Output:
	// 148822 84
	// OPTICKS:
}
