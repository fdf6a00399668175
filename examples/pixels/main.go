// Command pixels is a walk through arkit's image models on built-in data: it
// draws small digit images from the Go fonts, trains a class-conditional
// PixelRNN-style LSTM on them, scores held-out digits, then writes two
// pictures: a grid of new digits, one row per class, and a grid of
// completions of digits whose lower half was hidden.
//
//	go run ./examples/pixels                  # about 3 minutes on 2 cores
//	go run ./examples/pixels -time 10m -out /tmp/digits
//
// Everything here is the pixels library API; the arkit command offers the
// same steps as "arkit pixels train|sample|complete|eval".
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"time"

	"github.com/arkit-go/arkit/core"
	"github.com/arkit-go/arkit/pixels"
)

func main() {
	trainFor := flag.Duration("time", 3*time.Minute, "training time")
	outDir := flag.String("out", ".", "folder for the model and the pictures")
	flag.Parse()
	log.SetFlags(0)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt) // Ctrl-C ends training early
	defer stop()

	// 1. Data: 6,000 digits of 16x16 pixels, binarized at half intensity,
	// labelled "0".."9"; 500 are held out as a test set.
	digits := pixels.Glyphs(6000, 16, 1)
	if err := digits.Binarize(0.5); err != nil {
		log.Fatal(err)
	}
	train, test := digits.Split(500, 1)

	// 2. Model and training: the previous pixel and its causal
	// neighbourhood in, an LSTM of 128 units, a distribution over the 2
	// levels out; conditioned on the digit, since the digits are labelled.
	// core.Trainer runs on whole images, validating on 300 images held out
	// of the training set and keeping the best parameters. 10% of the
	// images are shown without their class, so the model can also draw any
	// digit. The learning rate decays over the time budget.
	modelPath := filepath.Join(*outDir, "digits.safetensors")
	start := time.Now()
	opts := pixels.TrainOptions{Hidden: 128, ValImages: 300, ClassDrop: 0.1,
		TrainOptions: core.TrainOptions{MaxTime: *trainFor, ValEvery: 100, Out: modelPath, Force: true}}
	opts.Start = func(p core.Plan) { fmt.Printf("model: %s, %d parameters\n", p.Network, p.Params) }
	opts.Progress = func(p core.Progress) {
		if p.Validated {
			fmt.Printf("  %5.0fs  step %4d  validation %.2f nats per image\n",
				p.Elapsed.Seconds(), p.Step, p.ValLoss*float64(train.ImageLen()))
		}
	}
	m, res, err := pixels.Train(ctx, train, nil, opts)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("trained %d steps in %s (%s); saved %s\n", res.Steps, time.Since(start).Round(time.Second), res.Reason, modelPath)

	// 4. Evaluation on the held-out digits, with and without their class.
	ctx = context.WithoutCancel(ctx)
	for _, ignore := range []bool{false, true} {
		sc, err := m.Evaluate(ctx, test, pixels.EvalOptions{IgnoreLabels: ignore})
		if err != nil {
			log.Fatal(err)
		}
		given := "given the digit"
		if ignore {
			given = "without the digit"
		}
		fmt.Printf("test: %.2f nats per image, %.4f bits per pixel (%s)\n", sc.NatsPerImage, sc.BitsPerDim, given)
	}

	// 5. Samples: one row of 10 per digit, each row drawn in one batch.
	var rows [][]uint8
	for _, class := range m.ClassNames {
		imgs, err := m.Sample(ctx, 10, pixels.SampleOptions{Class: class, Seed: 1, Temperature: 0.9})
		if err != nil {
			log.Fatal(err)
		}
		rows = append(rows, imgs...)
	}
	samples := filepath.Join(*outDir, "digits-samples.png")
	if err := pixels.WritePNG(samples, pixels.Grid{Cols: 10}.Image(m.Raster, rows)); err != nil {
		log.Fatal(err)
	}

	// 6. Completions: keep the top 8 rows of 8 test digits, draw the rest
	// 6 times each. Each row of the picture: the original, the part shown
	// to the model, the completions.
	some := test.Spread(8)
	comps, err := m.Complete(ctx, some, 8, 6, pixels.SampleOptions{Seed: 2})
	if err != nil {
		log.Fatal(err)
	}
	completions := filepath.Join(*outDir, "digits-completions.png")
	if err := pixels.WritePNG(completions, pixels.Grid{}.Completions(m.Raster, some.Images, 8, comps)); err != nil {
		log.Fatal(err)
	}
	fmt.Println("wrote", samples, "and", completions)
}
