// arkit pixels: train, sample, complete and evaluate image models (package
// pixels). Each command parses its flags and calls the library.

package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	iofs "io/fs"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/arkit-go/arkit/pixels"
)

// pixelSource declares the flags that name a set of images.
type pixelSource struct {
	mnist, images, size string
	amat                multiFlag
	glyphs              int
	rgb                 bool
	levels              int
	seed                *uint64
}

func (s *pixelSource) declare(fs *flag.FlagSet, sizeFlags bool) {
	fs.StringVar(&s.mnist, "mnist", "", "folder of the MNIST IDX files (gzipped or not)")
	fs.Var(&s.amat, "amat", "binarized-MNIST .amat file (repeat to concatenate, e.g. train and valid)")
	fs.StringVar(&s.images, "images", "", "folder of PNG/JPEG/GIF images; sub-folder names become classes")
	fs.IntVar(&s.glyphs, "glyphs", 0, "use this many built-in digit images drawn from the Go fonts")
	if sizeFlags {
		fs.StringVar(&s.size, "size", "", "resize images to WxH (image folders; glyphs: square side, default 16x16)")
		fs.BoolVar(&s.rgb, "rgb", false, "keep colour (image folders)")
		fs.IntVar(&s.levels, "levels", 0, "quantization levels 2..256 (default 2, binarized at 0.5; 8 for image folders)")
	}
}

// source turns the flags into a pixels.Source.
func (s *pixelSource) source(seed uint64) (pixels.Source, error) {
	src := pixels.Source{MNIST: s.mnist, AMat: s.amat, Images: s.images, Glyphs: s.glyphs,
		RGB: s.rgb, Levels: s.levels, Seed: seed,
		Warn: func(path string, err error) { fmt.Fprintf(os.Stderr, "arkit: warning: %s: %v\n", path, err) }}
	n := 0
	for _, set := range []bool{s.mnist != "", len(s.amat) > 0, s.images != "", s.glyphs != 0} {
		if set {
			n++
		}
	}
	if n != 1 {
		return src, usageError{errors.New("give exactly one of --mnist DIR, --amat FILE, --images DIR or --glyphs N")}
	}
	if s.glyphs < 0 {
		return src, usageError{fmt.Errorf("--glyphs %d must be positive", s.glyphs)}
	}
	if s.levels != 0 && (s.levels < 2 || s.levels > 256) {
		return src, usageError{fmt.Errorf("--levels %d outside 2..256", s.levels)}
	}
	if s.size != "" {
		w, h, err := parseSize(s.size)
		if err != nil {
			return src, usageError{err}
		}
		src.Width, src.Height = w, h
	}
	return src, nil
}

// parseSize parses WxH, or a single N for NxN.
func parseSize(s string) (w, h int, err error) {
	a, b, ok := strings.Cut(strings.ToLower(strings.TrimSpace(s)), "x")
	if !ok {
		b = a
	}
	w, err1 := strconv.Atoi(a)
	h, err2 := strconv.Atoi(b)
	if err1 != nil || err2 != nil || w < 1 || h < 1 || w > pixels.MaxSide || h > pixels.MaxSide {
		return 0, 0, fmt.Errorf("--size %q: want WxH with sides 1..%d, e.g. 28x28", s, pixels.MaxSide)
	}
	return w, h, nil
}

// parseIndices parses a comma-separated list of image indices.
func parseIndices(s string) ([]int, error) {
	var out []int
	for _, p := range strings.Split(s, ",") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		i, err := strconv.Atoi(p)
		if err != nil || i < 0 {
			return nil, fmt.Errorf("--index: %q is not an image index", p)
		}
		out = append(out, i)
	}
	return out, nil
}

// checkOutput reports whether path can be written: its folder exists and,
// with ext, its extension is ext.
func checkOutput(flagName, path, ext string) error {
	if path == "" {
		return usageError{fmt.Errorf("--%s is required", flagName)}
	}
	if ext != "" && !strings.EqualFold(filepath.Ext(path), ext) {
		return usageError{fmt.Errorf("--%s %s: the file name must end in %s", flagName, path, ext)}
	}
	if st, err := os.Stat(filepath.Dir(path)); err != nil || !st.IsDir() {
		return fmt.Errorf("--%s %s: folder %s does not exist", flagName, path, filepath.Dir(path))
	}
	return nil
}

func init() {
	register(&command{
		name:    "pixels train",
		summary: "train an image model pixel by pixel (PixelRNN-style LSTM)",
		usage:   "(--mnist DIR | --amat FILE | --images DIR | --glyphs N) --out MODEL [flags]",
		examples: `arkit pixels train --glyphs 5000 --out digits.arkit --max-time 5m
			arkit pixels train --amat ../shared/data/images/binarized-mnist/binarized_mnist_train.amat.gz --amat ../shared/data/images/binarized-mnist/binarized_mnist_valid.amat.gz --out bmnist.arkit --max-time 60m
			arkit pixels train --mnist ../shared/data/images/mnist --levels 2 --out mnist.arkit --steps 3000
			arkit pixels train --amat train.amat.gz --out bmnist.arkit --resume --max-time 30m`,
		setup: func(fs *flag.FlagSet) func(context.Context, []string) error {
			var src pixelSource
			src.declare(fs, true)
			out := fs.String("out", "", "model file to write (checkpoints go there during training)")
			hidden := fs.Int("hidden", 128, "LSTM width")
			layers := fs.Int("layers", 1, "LSTM layers")
			embed := fs.Int("embed", 16, "embedding width of the previous level")
			context_ := fs.Int("context", pixels.DefaultContext, "reach of the causal neighbourhood fed as features (rows above, columns either side)")
			dropout := fs.Float64("dropout", 0, "dropout between LSTM layers")
			classes := fs.Bool("classes", true, "condition on the class labels when the data has them (MNIST, glyphs, class folders)")
			classDrop := fs.Float64("class-drop", 0.1, "fraction of images trained without their class, so the model also works without one")
			batch := fs.Int("batch", 32, "images per step")
			windowRows := fs.Int("window-rows", 4, "train windows of this many rows, carrying the state between them (0: whole images)")
			steps := fs.Int("steps", 0, "stop after this many steps in all (0: no limit; sets a cosine learning-rate decay)")
			maxTime := fs.Duration("max-time", 0, "stop after this much time, e.g. 30m (0: no limit)")
			lr := fs.Float64("lr", 2e-3, "Adam learning rate")
			clip := fs.Float64("clip", 1, "gradient-norm clipping")
			seed := fs.Uint64("seed", 1, "seed of the initialisation, image order and held-out part")
			val := fs.Int("val", 1000, "images held out for validation (0: none)")
			valEvery := fs.Int("val-every", 200, "validate every this many steps (with --resume: as saved unless given)")
			patience := fs.Int("patience", 0, "stop after this many validations without improvement (0: off, or with --resume the saved run's)")
			ckptEvery := fs.Duration("checkpoint-every", 5*time.Minute, "write a checkpoint this often")
			resume := fs.Bool("resume", false, "continue training the checkpoint at --out (its network, batch, seed and image order; give the same data)")
			force := fs.Bool("force", false, "overwrite an existing --out")
			quiet := fs.Bool("quiet", false, "no progress output")
			return func(ctx context.Context, args []string) error {
				if len(args) > 0 {
					return usageError{fmt.Errorf("unexpected argument %q", args[0])}
				}
				if err := checkOutput("out", *out, ""); err != nil {
					return err
				}
				switch {
				case *steps < 0 || *maxTime < 0:
					return usageError{fmt.Errorf("--steps and --max-time must not be negative")}
				case *hidden < 1 || *layers < 1 || *embed < 1 || *batch < 1:
					return usageError{fmt.Errorf("--hidden, --layers, --embed and --batch must be positive")}
				case *context_ < 1 || *context_ > pixels.MaxContext:
					return usageError{fmt.Errorf("--context %d outside 1..%d", *context_, pixels.MaxContext)}
				case *val < 0 || *valEvery < 1 || *lr <= 0 || *clip < 0:
					return usageError{fmt.Errorf("--val must not be negative, --val-every and --lr must be positive")}
				case *ckptEvery <= 0:
					return usageError{fmt.Errorf("--checkpoint-every must be positive")}
				}
				var m *pixels.Model
				if *resume {
					var err error
					if m, err = pixels.LoadCheckpoint(*out); err != nil {
						return fmt.Errorf("--resume: %w", err)
					}
					if _, ok := m.Trained(); !ok {
						return fmt.Errorf("--resume: %s holds no training state", *out)
					}
				} else if _, err := os.Stat(*out); err == nil && !*force {
					return usageError{fmt.Errorf("%s exists; add --resume to continue it or --force to overwrite it", *out)}
				} else if err != nil && !errors.Is(err, iofs.ErrNotExist) {
					return err
				}
				removeStaleTemps(os.Stderr, *out)
				s, err := src.source(*seed)
				if err != nil {
					return err
				}
				var d *pixels.Dataset
				if m != nil {
					d, err = m.Load(s)
				} else {
					d, err = s.Load()
				}
				if err != nil {
					return err
				}
				if m == nil {
					cfg := pixels.Config{Hidden: *hidden, Layers: *layers, Embed: *embed, Context: *context_,
						Dropout: float32(*dropout), Conditional: *classes && d.Labels != nil}
					if m, err = pixels.NewModel(d, cfg, *seed); err != nil {
						return err
					}
				}
				if !*quiet {
					fmt.Fprintf(os.Stderr, "arkit: %d images from %s; model: %s\n", len(d.Images), s.Name(), m)
				}
				bar := newProgress(*quiet, "pixels")
				opts := pixels.TrainOptions{
					Batch: *batch, WindowRows: *windowRows, Steps: *steps, MaxTime: *maxTime,
					LR: float32(*lr), Clip: float32(*clip), Seed: *seed, ClassDrop: *classDrop,
					ValImages: min(*val, len(d.Images)/5), ValEvery: *valEvery, Patience: *patience,
					Out: *out, CheckpointEvery: *ckptEvery, Resume: *resume, Progress: bar.Report,
				}
				if *resume {
					// The validation schedule and patience default to the saved run's.
					opts.ValEvery, opts.Patience = 0, 0
					copyGiven(fs, map[string]func(){
						"val-every": func() { opts.ValEvery = *valEvery }, "patience": func() { opts.Patience = *patience },
					})
				}
				res, err := m.Train(ctx, d, opts)
				bar.Done()
				if err != nil {
					return err
				}
				if !*quiet {
					msg := fmt.Sprintf("arkit: stopped (%s) after %d steps; wrote %s", res.Reason, res.Steps, *out)
					if !math.IsNaN(res.BestVal) {
						msg += fmt.Sprintf("; best validation %.2f nats per image", res.BestVal*float64(m.Raster.Len()))
					}
					fmt.Fprintln(os.Stderr, msg)
				}
				return nil
			}
		},
	})

	register(&command{
		name:    "pixels sample",
		summary: "draw new images from an image model into a PNG grid",
		usage:   "--model MODEL --n N --out GRID.png [--temperature F] [--class C] [--seed N]",
		examples: `arkit pixels sample --model digits.arkit --n 64 --out samples.png
			arkit pixels sample --model mnist.arkit --n 16 --class 7 --temperature 0.8 --out sevens.png`,
		setup: func(fs *flag.FlagSet) func(context.Context, []string) error {
			model := fs.String("model", "", "model file")
			n := fs.Int("n", 64, "number of images")
			out := fs.String("out", "", "PNG grid to write")
			temp := fs.Float64("temperature", 1, "sampling temperature (below 1: cleaner, above 1: more varied)")
			class := fs.String("class", "", "class to draw (class-conditional models)")
			seed := fs.Uint64("seed", 1, "random seed")
			cols := fs.Int("cols", 0, "grid columns (0: near square)")
			scale := fs.Int("scale", 0, "upscaling factor of each pixel (0: automatic)")
			return func(ctx context.Context, args []string) error {
				if len(args) > 0 {
					return usageError{fmt.Errorf("unexpected argument %q", args[0])}
				}
				if *model == "" {
					return usageError{errors.New("--model is required")}
				}
				if *n < 1 || *n > 100000 {
					return usageError{fmt.Errorf("--n %d must be in 1..100000", *n)}
				}
				if !(*temp > 0 && *temp <= 100) {
					return usageError{fmt.Errorf("--temperature %g must be in (0, 100]", *temp)}
				}
				if *cols < 0 || *scale < 0 || *scale > 64 {
					return usageError{fmt.Errorf("--cols must not be negative and --scale must be in 0..64")}
				}
				if err := checkOutput("out", *out, ".png"); err != nil {
					return err
				}
				m, err := pixels.LoadModel(*model)
				if err != nil {
					return err
				}
				imgs, err := m.Sample(ctx, *n, pixels.SampleOptions{Temperature: float32(*temp), Class: *class, Seed: *seed})
				if err != nil {
					return err
				}
				return pixels.WritePNG(*out, pixels.Grid{Cols: *cols, Scale: *scale}.Image(m.Raster, imgs))
			}
		},
	})

	register(&command{
		name:    "pixels complete",
		summary: "complete images whose lower rows are hidden; grid of original, masked input, completions",
		usage:   "--model MODEL (--image PATH | --mnist DIR | --amat FILE | --images DIR | --glyphs N) --keep-rows K --n N --out GRID.png [--index I,J,...]",
		examples: `arkit pixels complete --model digits.arkit --image my7.png --keep-rows 8 --n 6 --out completed.png
			arkit pixels complete --model bmnist.arkit --amat binarized_mnist_test.amat.gz --index 0,1300,2500 --keep-rows 14 --n 5 --out completions.png`,
		setup: func(fs *flag.FlagSet) func(context.Context, []string) error {
			var src pixelSource
			src.declare(fs, false)
			model := fs.String("model", "", "model file")
			image := fs.String("image", "", "one PNG, JPEG or GIF image, resized to the model's size")
			index := fs.String("index", "", "comma-separated indices of the images to complete (default: 8 spread across the data; MNIST: test split)")
			keep := fs.Int("keep-rows", -1, "rows kept from the top of each image (required)")
			n := fs.Int("n", 5, "completions per image")
			out := fs.String("out", "", "PNG grid to write")
			temp := fs.Float64("temperature", 1, "sampling temperature")
			class := fs.String("class", "", "class to complete as (default: the image's own, when known)")
			invert := fs.Bool("invert", false, "swap dark and light first (a dark drawing on white, for a model of light digits on black)")
			seed := fs.Uint64("seed", 1, "random seed")
			return func(ctx context.Context, args []string) error {
				if len(args) > 0 {
					return usageError{fmt.Errorf("unexpected argument %q", args[0])}
				}
				if *model == "" {
					return usageError{errors.New("--model is required")}
				}
				if *keep < 0 {
					return usageError{errors.New("--keep-rows K is required (K >= 0)")}
				}
				if *n < 1 || *n > 1000 {
					return usageError{fmt.Errorf("--n %d must be in 1..1000", *n)}
				}
				if !(*temp > 0 && *temp <= 100) {
					return usageError{fmt.Errorf("--temperature %g must be in (0, 100]", *temp)}
				}
				idx, err := parseIndices(*index)
				if err != nil {
					return usageError{err}
				}
				if err := checkOutput("out", *out, ".png"); err != nil {
					return err
				}
				var s pixels.Source
				if *image != "" {
					if src.mnist != "" || len(src.amat) > 0 || src.images != "" || src.glyphs != 0 {
						return usageError{errors.New("give --image or one data set (--mnist, --amat, --images, --glyphs), not both")}
					}
					s.Image = *image
				} else if s, err = src.source(*seed); err != nil {
					return err
				}
				s.Split, s.Invert = "test", *invert
				m, err := pixels.LoadModel(*model)
				if err != nil {
					return err
				}
				if *keep >= m.Raster.H {
					return usageError{fmt.Errorf("--keep-rows %d: the model's images are %d rows high; keep 0..%d", *keep, m.Raster.H, m.Raster.H-1)}
				}
				d, err := m.Load(s)
				if err != nil {
					return err
				}
				if len(idx) > 0 {
					if d, err = d.Pick(idx); err != nil {
						return fmt.Errorf("%s: %w", s.Name(), err)
					}
				} else {
					d = d.Spread(8)
				}
				comps, err := m.Complete(ctx, d, *keep, *n, pixels.SampleOptions{Temperature: float32(*temp), Class: *class, Seed: *seed})
				if err != nil {
					return err
				}
				return pixels.WritePNG(*out, pixels.Grid{}.Completions(m.Raster, d.Images, *keep, comps))
			}
		},
	})

	register(&command{
		name:    "pixels eval",
		summary: "score a test set under an image model (nats per image, bits per dimension)",
		usage:   "--model MODEL (--mnist DIR | --amat FILE | --images DIR | --glyphs N) [--json]",
		examples: `arkit pixels eval --model bmnist.arkit --amat ../shared/data/images/binarized-mnist/binarized_mnist_test.amat.gz --json
			arkit pixels eval --model mnist.arkit --mnist ../shared/data/images/mnist --json`,
		setup: func(fs *flag.FlagSet) func(context.Context, []string) error {
			var src pixelSource
			src.declare(fs, false)
			model := fs.String("model", "", "model file")
			js := fs.Bool("json", false, "print a JSON object")
			split := fs.String("split", "test", "MNIST split: test or train")
			batch := fs.Int("batch", 32, "images per forward pass")
			limit := fs.Int("limit", 0, "score only N images spread across the data (0: all)")
			noLabels := fs.Bool("ignore-labels", false, "score a class-conditional model without the classes")
			seed := fs.Uint64("seed", 2, "seed of --glyphs (differs from training's default)")
			return func(ctx context.Context, args []string) error {
				if len(args) > 0 {
					return usageError{fmt.Errorf("unexpected argument %q", args[0])}
				}
				if *model == "" {
					return usageError{errors.New("--model is required")}
				}
				if *batch < 1 || *limit < 0 {
					return usageError{errors.New("--batch must be positive and --limit not negative")}
				}
				if *split != "test" && *split != "train" {
					return usageError{fmt.Errorf("--split %q: want test or train", *split)}
				}
				s, err := src.source(*seed)
				if err != nil {
					return err
				}
				s.Split = *split
				m, err := pixels.LoadModel(*model)
				if err != nil {
					return err
				}
				d, err := m.Load(s)
				if err != nil {
					return err
				}
				if *limit > 0 {
					d = d.Spread(*limit)
				}
				start := time.Now()
				sc, err := m.Evaluate(ctx, d, pixels.EvalOptions{Batch: *batch, IgnoreLabels: *noLabels})
				if err != nil {
					return err
				}
				if *js {
					b, _ := json.Marshal(struct {
						pixels.Score
						Model   string  `json:"model"`
						Data    string  `json:"data"`
						Seconds float64 `json:"seconds"`
					}{sc, *model, s.Name(), time.Since(start).Seconds()})
					fmt.Println(string(b))
					return nil
				}
				fmt.Printf("%d images: %.2f nats per image, %.4f bits per dimension", sc.Images, sc.NatsPerImage, sc.BitsPerDim)
				if sc.Conditional {
					fmt.Print(" (given the classes)")
				}
				fmt.Println()
				return nil
			}
		},
	})
}
