// Examples of the package's main uses, run as tests where their output is
// deterministic.

package pixels_test

import (
	"bytes"
	"context"
	"fmt"
	"log"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/arkit-go/arkit/core"
	"github.com/arkit-go/arkit/pixels"
)

func ExampleQuantize() {
	for _, v := range []uint8{0, 63, 64, 200, 255} {
		l := pixels.Quantize(v, 4)
		fmt.Printf("%3d -> level %d -> %3d\n", v, l, pixels.Dequantize(l, 4))
	}
	// Output:
	//   0 -> level 0 ->   0
	//  63 -> level 0 ->   0
	//  64 -> level 1 ->  85
	// 200 -> level 3 -> 255
	// 255 -> level 3 -> 255
}

func ExampleRaster_Features() {
	// A 3x2 gray image with 5 levels; predicting sub-pixel 4 (row 1,
	// column 1) may use sub-pixels 0..3 only.
	r := pixels.Raster{W: 3, H: 2, C: 1, Levels: 5}
	img := []uint8{
		0, 1, 2,
		3, 4, 4,
	}
	feats := make([]float32, r.FeatureDim())
	r.Features(feats, img, 4, -1)
	fmt.Println("token:", r.InputToken(img, 4), "of", r.Tokens())
	fmt.Println("above, above-left, above-right, left:", feats[0], feats[2], feats[4], feats[6])
	fmt.Println("row, column:", feats[8], feats[9])
	// Output:
	// token: 3 of 6
	// above, above-left, above-right, left: -0.5 -1 0 0.5
	// row, column: 1 0
}

func ExampleDecodeIDX() {
	raw := []byte{
		0, 0, 0x08, 3, // magic: unsigned bytes, 3 dimensions
		0, 0, 0, 2, // 2 images
		0, 0, 0, 1, // of 1 row
		0, 0, 0, 3, // of 3 columns
		0, 128, 255,
		10, 20, 30,
	}
	x, err := pixels.DecodeIDX(bytes.NewReader(raw))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(x.Dims, x.Data)

	_, err = pixels.DecodeIDX(bytes.NewReader(raw[:len(raw)-1]))
	fmt.Println(err)
	// Output:
	// [2 1 3] [0 128 255 10 20 30]
	// pixels: IDX dimensions [2 1 3]: truncated data: header promises 6 data bytes, found 5
}

func ExampleDecodeAMat() {
	line := strings.TrimSpace(strings.Repeat("0 ", 400) + strings.Repeat("1 ", 384))
	d, err := pixels.DecodeAMat(strings.NewReader(line + "\n" + line + "\n"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d images, %dx%d, %d levels, last pixel %d\n", len(d.Images), d.Width, d.Height, d.Levels, d.Images[1][783])

	_, err = pixels.DecodeAMat(strings.NewReader(line + "\n" + "0 1 2\n"))
	fmt.Println(err)
	// Output:
	// 2 images, 28x28, 2 levels, last pixel 1
	// pixels: line 2: invalid format: value 3 is "2", want 0 or 1
}

func ExampleGrid_Completions() {
	r := pixels.Raster{W: 4, H: 4, C: 1, Levels: 2}
	digit := []uint8{
		0, 1, 1, 0,
		1, 0, 0, 1,
		1, 0, 0, 1,
		0, 1, 1, 0,
	}
	guesses := [][]uint8{
		{0, 1, 1, 0, 1, 0, 0, 1, 0, 1, 1, 0, 0, 0, 0, 0},
		{0, 1, 1, 0, 1, 0, 0, 1, 1, 1, 1, 1, 0, 0, 0, 0},
	}
	// One row: the original, its top 2 rows, two completions; 4x4 images
	// are scaled by 12 to 48x48.
	m := pixels.Grid{}.Completions(r, [][]uint8{digit}, 2, [][][]uint8{guesses})
	fmt.Println(m.Bounds().Size())

	dir, err := os.MkdirTemp("", "grid")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	if err := pixels.WritePNG(filepath.Join(dir, "completions.png"), m); err != nil {
		log.Fatal(err)
	}
	// Output:
	// (197,50)
}

func ExampleReadMNIST() {
	train, err := pixels.ReadMNIST("data/mnist", "train")
	if err != nil {
		log.Fatal(err)
	}
	if err := train.Binarize(0.5); err != nil {
		log.Fatal(err)
	}
	r := train.Raster()
	r.Classes = len(train.ClassNames) // class-conditional
	fmt.Println(len(train.Images), r.Tokens(), r.FeatureDim())
}

func ExampleTrain() {
	// Built-in digits, 12x12, binarized at half intensity, labelled by digit.
	digits := pixels.Glyphs(500, 12, 1)
	if err := digits.Binarize(0.5); err != nil {
		log.Fatal(err)
	}
	train, test := digits.Split(100, 1)

	// A small LSTM, class-conditional since the digits are labelled; every
	// field left zero takes its default.
	ctx := context.Background()
	opts := pixels.TrainOptions{Hidden: 32, Batch: 16, ClassDrop: 0.1, ValImages: pixels.NoValidation,
		TrainOptions: core.TrainOptions{Steps: 80, LR: 1e-2}}
	m, _, err := pixels.Train(ctx, train, nil, opts)
	if err != nil {
		log.Fatal(err)
	}
	sc, err := m.Evaluate(ctx, test, pixels.EvalOptions{})
	if err != nil {
		log.Fatal(err)
	}
	guess := float64(m.Raster.Len()) * math.Ln2 // a fair coin per pixel
	fmt.Println("halved the test NLL of guessing:", sc.NatsPerImage < guess/2)

	// Eight sevens, drawn at once, in one row of a grid.
	sevens, err := m.Sample(ctx, 8, pixels.SampleOptions{Class: "7", Seed: 1})
	if err != nil {
		log.Fatal(err)
	}
	grid := pixels.Grid{Cols: 8}.Image(m.Raster, sevens)
	fmt.Println(len(sevens), "sevens in a grid of", grid.Bounds().Size())
	// Output:
	// halved the test NLL of guessing: true
	// 8 sevens in a grid of (393,50)
}
