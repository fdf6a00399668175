// arkit pixels: train, sample, complete and evaluate image models (package
// pixels). Each command parses its flags and calls the library.

package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/arkit-go/arkit/core"
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

func pixelsTrainSetup(fs *flag.FlagSet) func(context.Context, []string) error {
	var opts pixels.TrainOptions
	var src pixelSource
	src.declare(fs, true)
	var vals multiFlag
	fs.Var(&vals, "val", "validation images: a .amat file with --amat (repeatable) or a folder with --images (default: --val-images held out of the training images)")
	tf := declareTrainFlags(fs, &opts.TrainOptions, pixels.Defaults())
	tf.Int(&opts.Tiers, "tiers", pixels.DefaultTiers, "1: one LSTM stack over the raster; 2: conditioned by a row-level LSTM that reads each row once it is complete (--frame-hidden, --frame-layers, --cond)")
	tf.Int(&opts.Hidden, "hidden", pixels.DefaultHidden, "")
	tf.Int(&opts.Layers, "layers", pixels.DefaultLayers, "")
	tf.Int(&opts.FrameHidden, "frame-hidden", pixels.DefaultFrameHidden, "row-level LSTM width (--tiers 2)")
	tf.Int(&opts.FrameLayers, "frame-layers", pixels.DefaultFrameLayers, "row-level LSTM layers (--tiers 2)")
	tf.Int(&opts.Cond, "cond", pixels.DefaultCond, "conditioning values per sub-pixel from the row tier (--tiers 2)")
	tf.Int(&opts.Embed, "embed", pixels.DefaultEmbed, "embedding width of the previous level")
	tf.Int(&opts.Context, "context", pixels.DefaultContext, "reach of the causal neighbourhood fed as features (rows above, columns either side)")
	tf.Float32(&opts.Dropout, "dropout", 0, "")
	tf.notBool(&opts.Unconditional, "classes", true, "condition on the class labels when the data has them (MNIST, glyphs, class folders)")
	tf.Float64(&opts.ClassDrop, "class-drop", 0.1, "fraction of images trained without their class, so the model also works without one")
	tf.Int(&opts.Batch, "batch", pixels.DefaultBatch, "images per step")
	tf.IntMin(&opts.WindowRows, "window-rows", 4, 0, "train windows of this many rows, carrying the state between them (0: whole images)")
	tf.IntMin(&opts.ValImages, "val-images", pixels.DefaultValImages, 0, "images held out for validation without --val, at most a fifth of them (0: none)")
	return func(ctx context.Context, args []string) error {
		if len(args) > 0 {
			return usageError{fmt.Errorf("unexpected argument %q", args[0])}
		}
		if opts.Context < 1 || opts.Context > pixels.MaxContext {
			return usageError{fmt.Errorf("--context %d outside 1..%d", opts.Context, pixels.MaxContext)}
		}
		if opts.ClassDrop > 1 {
			return usageError{fmt.Errorf("--class-drop %g outside [0, 1]", opts.ClassDrop)}
		}
		glyphSeed := opts.Seed // the flag's value, also with --resume
		if err := tf.finish(); err != nil {
			return err
		}
		for _, name := range []string{"frame-hidden", "frame-layers", "cond"} {
			if tf.given(name) && opts.Tiers != 2 && !opts.Resume {
				return usageError{fmt.Errorf("--%s sets the row tier: it needs --tiers 2 (given --tiers %d)", name, opts.Tiers)}
			}
		}
		if err := checkOutput("out", opts.Out, ""); err != nil {
			return err
		}
		if opts.ValImages == 0 && (!opts.Resume || tf.given("val-images")) {
			opts.ValImages = pixels.NoValidation
		}
		s, err := src.source(glyphSeed)
		if err != nil {
			return err
		}
		var vs pixels.Source
		if len(vals) > 0 {
			if vs, err = src.valSource(s, vals); err != nil {
				return err
			}
		}
		removeStaleTemps(os.Stderr, opts.Out)
		load := s.Load
		if opts.Resume {
			// The images in the format of the model resumed (size, colour,
			// levels), whatever the flags say.
			m, err := pixels.Load(opts.Out)
			if err != nil {
				return err
			}
			load = func() (*pixels.Dataset, error) { return m.Load(s) }
		}
		d, err := load()
		if err != nil {
			return err
		}
		var val *pixels.Dataset
		if len(vals) > 0 {
			if val, err = vs.LoadLike(d); err != nil {
				return err
			}
		}
		report := newTrainReport(tf.quiet, "pixels")
		report.hook(&opts.TrainOptions)
		m, res, err := pixels.Train(ctx, d, val, opts)
		report.done(opts.Out, res, err)
		if report != nil && err == nil && !math.IsNaN(res.BestVal) {
			fmt.Fprintf(os.Stderr, "best validation %.2f nats per image\n", res.BestVal*float64(m.Raster.Len()))
		}
		return err
	}
}

// valSource is the source of the --val images: the training source with
// other .amat files or another folder.
func (s *pixelSource) valSource(train pixels.Source, vals []string) (pixels.Source, error) {
	v := train
	switch {
	case len(s.amat) > 0:
		v.AMat = vals
	case s.images != "" && len(vals) == 1:
		v.Images = vals[0]
	default:
		return v, usageError{errors.New("--val takes .amat files with --amat or one folder with --images; with --mnist and --glyphs, --val-images are held out")}
	}
	return v, nil
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
		examples: `arkit pixels train --glyphs 5000 --out digits.safetensors --max-time 5m
			arkit pixels train --mnist mnist/ --levels 2 --out mnist.safetensors --steps 3000
			arkit pixels train --amat binarized_mnist_train.amat.gz --val binarized_mnist_valid.amat.gz --out bmnist.safetensors --max-time 60m
			arkit pixels train --amat binarized_mnist_train.amat.gz --val binarized_mnist_valid.amat.gz --out bmnist.safetensors --max-time 60m --resume
			arkit pixels train --amat binarized_mnist_train.amat.gz --val binarized_mnist_valid.amat.gz --out bmnist2.safetensors --tiers 2 --hidden 256 --layers 2 --frame-hidden 256 --cond 32 --max-time 60m`,
		setup: pixelsTrainSetup,
	})

	register(&command{
		name:    "pixels sample",
		summary: "draw new images from an image model into a PNG grid",
		usage:   "--model MODEL --n N --out GRID.png [--temperature F] [--class C] [--seed N]",
		examples: `arkit pixels sample --model digits.safetensors --n 64 --out samples.png
			arkit pixels sample --model mnist.safetensors --n 16 --class 7 --temperature 0.8 --out sevens.png`,
		setup: func(fs *flag.FlagSet) func(context.Context, []string) error {
			model := fs.String("model", "", "model file")
			n := fs.Int("n", 64, "number of images")
			out := fs.String("out", "", "PNG grid to write")
			temp := fs.Float64("temperature", 1, "sampling temperature (below 1: cleaner, above 1: more varied)")
			class := fs.String("class", "", "class to draw (class-conditional models)")
			seed := fs.Uint64("seed", 1, "random seed")
			cols := fs.Int("cols", 0, "grid columns (0: near square)")
			scale := fs.Int("scale", 0, "upscaling factor of each pixel (0: automatic)")
			weights := weightsFlag(fs, core.GenerationWeights)
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
				m, err := pixels.Load(*model)
				if err != nil {
					return err
				}
				m.Net.SetWeights(*weights)
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
		examples: `arkit pixels complete --model digits.safetensors --image my7.png --keep-rows 8 --n 6 --out completed.png
			arkit pixels complete --model bmnist.safetensors --amat binarized_mnist_test.amat.gz --index 0,1300,2500 --keep-rows 14 --n 5 --out completions.png`,
		setup: func(fs *flag.FlagSet) func(context.Context, []string) error {
			var src pixelSource
			src.declare(fs, false)
			model := fs.String("model", "", "model file")
			image := fs.String("image", "", "one PNG, JPEG or GIF image (- for stdin), resized to the model's size")
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
				m, err := pixels.Load(*model)
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
		examples: `arkit pixels eval --model bmnist.safetensors --amat binarized_mnist_test.amat.gz --json
			arkit pixels eval --model mnist.safetensors --mnist mnist/ --json`,
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
			weights := weightsFlag(fs, core.WeightsFP32)
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
				m, err := pixels.Load(*model)
				if err != nil {
					return err
				}
				m.Net.SetWeights(*weights)
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
