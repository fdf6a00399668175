// Package pixels adapts images to arkit's autoregressive models, in the
// manner of PixelRNN: an image is a sequence of quantized sub-pixels read in
// raster order, and the model predicts each from those before it.
//
// Data flows one way:
//
//	files  ->  Dataset  ->  Raster (tokens + context features)  ->  core
//	core   ->  levels   ->  Grid  ->  PNG
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
// FeatureDim real features from Features: the neighbours above, above-left,
// above-right and left with presence flags, the position, the channel and
// the class. Both read only sub-pixels before t, and allocate nothing.
//
// # Looking at images
//
// Grid.Image draws a grid of images; Grid.Completions draws, per original,
// the original, its masked top rows and the model's completions. WritePNG
// saves either atomically.
package pixels
