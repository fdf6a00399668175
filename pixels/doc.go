// Package pixels adapts images to arkit's autoregressive models, in the
// manner of PixelRNN: an image is a sequence of quantized sub-pixels read in
// raster order, and the model predicts each from those before it.
//
// Data flows one way:
//
//	files  ->  Dataset  ->  Raster (tokens + context features)  ->  core
//	core   ->  levels   ->  Grid  ->  PNG
//
// A quick start with the built-in digits:
//
//	digits := pixels.Glyphs(5000, 16, 1) // 16x16 digits drawn from the Go fonts
//	digits.Binarize(0.5)
//	opts := pixels.TrainOptions{ValImages: 500, TrainOptions: core.TrainOptions{MaxTime: 5 * time.Minute}}
//	m, _, _ := pixels.Train(ctx, digits, nil, opts) // class-conditional: the digits are labelled
//	sevens, _ := m.Sample(ctx, 16, pixels.SampleOptions{Class: "7"})
//	pixels.WritePNG("sevens.png", pixels.Grid{}.Image(m.Raster, sevens))
//
// or from the command line:
//
//	arkit pixels train --glyphs 5000 --out digits.safetensors --max-time 5m
//	arkit pixels sample --model digits.safetensors --n 64 --class 7 --out sevens.png
//
// # Reading data
//
// A Dataset holds images of one size as quantized levels (Levels of them,
// 2..256), gray or RGB, with optional class labels. The readers:
//
//   - ReadMNIST and ReadIDX read LeCun's IDX files (gzipped or not); DecodeIDX
//     reads any unsigned-byte IDX file.
//   - ReadAMat reads binarized MNIST in Larochelle's .amat text layout, the
//     fixed binarization used for likelihood results by NADE, MADE and
//     PixelRNN.
//   - ReadImageDir reads a folder tree of PNG, JPEG and GIF files, optionally
//     resized and center-cropped to one size; sub-folder names become
//     classes. ReadImage and DecodeImage read one image.
//   - Glyphs draws labelled digit images from the Go fonts with seeded
//     jitter: built-in data for examples and tests.
//
// A Source names any of these with the quantization to apply, and
// Source.Load (or Model.Load, which takes the model's format) reads it.
//
// Readers bound what they allocate by the data actually present and by
// MaxDatasetBytes, MaxSide and ImageOptions.MaxPixels, so that a truncated
// or hostile file yields an error, never a panic or an exhausted memory.
// Errors name the file and wrap ErrFormat, ErrTruncated, ErrTooLarge,
// ErrNoImages or ErrSizeMismatch; .amat errors are *ParseError values with
// the line.
//
// # Quantization
//
// Quantize maps an 8-bit intensity to uniform bins and Dequantize maps a
// level back to 0..255 for display. Dataset.Quantize and Dataset.Binarize
// requantize a whole Dataset; with 2 levels both binarize at intensity 0.5
// (v >= 128), the usual way to binarize gray MNIST. Binarized MNIST proper
// is the fixed sampled binarization in the .amat files, not a threshold.
//
// # Model inputs
//
// Raster describes the sequence a model sees. At sub-pixel t the input is a
// token, InputToken (the previous sub-pixel's level, or a start token), plus
// FeatureDim real features from Features: the causal neighbourhood (the
// Context rows above, Context columns either side, and the Context
// sub-pixels to the left) with presence flags, the position, the channel and
// the class. Both read only sub-pixels before t, and allocate nothing.
//
// # Model
//
// A Model is an LSTM (a core.Model) over that sequence, in the manner of PixelRNN:
// one image is one sequence of W*H*C steps; at each step the LSTM reads the
// embedded token and the features concatenated, and a categorical head gives
// the distribution of the sub-pixel's level. The LSTM state carries what the
// neighbourhood cannot: the shape drawn so far, the stroke width, the digit.
// When the training images are labelled (and TrainOptions.Unconditional is
// not set) the class one-hot joins the features, so a user can ask for a
// "7"; TrainOptions.ClassDrop trains some images without their class so
// that the same model also samples and completes without one.
//
// With TrainOptions.Tiers = 2 the LSTM is conditioned by a row-level LSTM
// (a core.Tiered whose frames are the image's rows): once a row is
// complete, the row tier reads it (Raster.Prev puts each step's previous
// sub-pixel first in the features for it), advances one step and gives
// every sub-pixel of the next row its own conditioning values. The row
// tier's state summarises all the rows above, which the raster LSTM
// otherwise holds only through its own state over W steps per row; it is
// PixelRNN's Row LSTM idea, built from SampleRNN's frame tier.
//
//   - Train builds the model and trains it through core.Harness over whole
//     images (or windows of rows, carrying the state) in seeded random
//     order, validating on a separate set or a held-out part, keeping the
//     best parameters, with checkpoints that TrainOptions.Resume continues
//     exactly; Load reads a model file.
//   - Model.Sample draws a batch of images at once through core.Generator;
//     the feeder builds each step's token and features from the images
//     drawn so far.
//   - Model.Complete keeps the top rows of images, feeds them through
//     core.Generator.Prime and draws the rest, several completions per image
//     in one batch.
//   - Model.Evaluate scores images with the network's Forward, each from the
//     zero state: Score.NatsPerImage and Score.BitsPerDim.
//
// # Model files
//
// Model.Save and the training checkpoints write core model files
// (safetensors, docs/format.md) with these metadata keys besides core's:
//
//	arkit.domain            "pixels"; Load refuses other domains (ErrDomain)
//	arkit.pixels.layout     FeatureLayout, the version of the Features layout
//	                        (FeatureLayoutPrev for two tiers: Raster.Prev)
//	arkit.pixels.width      image width in pixels
//	arkit.pixels.height     image height in pixels
//	arkit.pixels.channels   1 (gray) or 3 (RGB)
//	arkit.pixels.levels     quantization levels, 2..256
//	arkit.pixels.context    neighbourhood reach (Raster.Context)
//	arkit.pixels.classes    JSON array of class names, [] for an unconditional model
//	arkit.pixels.train      checkpoints only: the training settings as JSON
//	                        (TrainOptions' saved fields), see core.Harness
//
// Load rebuilds the Raster from them and checks it against the
// network's shapes.
//
// # Quality
//
// Binarized MNIST, the fixed binarization NADE, MADE and PixelRNN report
// on: trained on the 50,000 train images, the best parameters kept by all
// 10,000 valid images, scored once on the 10,000 test images.
//
//	B=../shared/data/images/binarized-mnist
//	arkit pixels train --amat $B/binarized_mnist_train.amat.gz --val $B/binarized_mnist_valid.amat.gz \
//	    --out bmnist.safetensors --tiers 2 --hidden 256 --layers 2 --frame-hidden 256 --cond 32 \
//	    --precision bf16 --max-time 60m --val-every 12000 --ema 0.9995 --weight-decay 0.01
//	arkit pixels eval --model bmnist.safetensors --amat $B/binarized_mnist_test.amat.gz --json
//
// On 2026-12-07 this ran 54,729 steps in the hour on an idle 2-core
// machine and scored 79.93 nats per image on the test set (0.1471 bits per
// dimension; valid 80.17). Without the weight decay it scored 80.18, and
// without the moving average of the weights either, 80.30. One tier
// (2x256) scored 80.41 in about the same time, 1x256 80.74. Published:
// NADE 88.86, MADE 88.04, PixelCNN 81.30, PixelRNN 79.20; a count model
// over a 10-pixel causal neighbourhood and the position, 97.03. docs/benchmarks.md has every run, its log and JSON.
//
// # Looking at images
//
// Grid.Image draws a grid of images; Grid.Completions draws, per original,
// the original, its masked top rows and the model's completions. WritePNG
// saves either atomically.
package pixels
