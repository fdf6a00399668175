// Command text is a small tour of package text: it trains a character-level
// LSTM on the built-in corpus (the start of Newton's Opticks), prints a
// preview at each validation, scores the held-out text, and generates a
// continuation of a prompt.
//
// Run it from the repository root:
//
//	go run ./examples/text
//
// The sizes are small so that it finishes in well under a minute; the
// validation loss falls from ln(84) ≈ 4.4 nats per character to
// about 2 (a model that has learnt common words and spacing). For a real
// corpus, use the defaults of text.TrainOptions (or `arkit text train`) and
// a time budget of half an hour.
package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"os/signal"

	"github.com/arkit-go/arkit/core"
	"github.com/arkit-go/arkit/text"
)

func main() {
	// Ctrl-C stops training cleanly: Train returns the model so far.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	corpus := text.Builtin()
	opts := text.TrainOptions{
		Embed:   32,
		Hidden:  128,
		Layers:  2,
		Dropout: 0.1,
		Seq:     64,
		Batch:   16,
		// ValFraction 0 holds out the last 10% of the corpus.
	}
	opts.Steps = 600
	opts.ValEvery = 200
	// After each validation, Train hands over a short generated preview,
	// then reports the step.
	var preview string
	opts.Preview = func(s string) { preview = s }
	opts.Progress = func(p core.Progress) {
		if p.Validated {
			fmt.Printf("step %4d  training loss %.3f  validation loss %.3f nats/char\n", p.Step, p.AvgLoss, p.ValLoss)
			fmt.Printf("  preview: %q\n", preview)
		}
	}
	m, res, err := text.Train(ctx, corpus, "", opts)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("stopped by %s after %d steps\n", res.Reason, res.Steps)

	// Score the held-out tenth as one stream from the zero state.
	heldOut := []rune(corpus)
	heldOut = heldOut[len(heldOut)*9/10:]
	s, err := m.Score(ctx, string(heldOut))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("held-out text:", s)

	// Generate, streaming to standard output as the characters come.
	fmt.Println("\nsample:")
	gen := text.GenerateOptions{Prompt: "The Rays of Light", Length: 300, Temperature: 0.7, Seed: 1}
	if err := m.Generate(ctx, gen, os.Stdout); err != nil {
		log.Fatal(err)
	}
	fmt.Println()
}
