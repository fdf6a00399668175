// Raster-scan context: what an autoregressive model sees at each sub-pixel.
// The token is the previous sub-pixel's level; the real-valued features carry
// the already-generated neighbours in the rows above and to the left, the
// position, the channel and the class. Everything here is allocation-free:
// it runs once per sub-pixel per image of every batch.

package pixels

import "fmt"

// Raster describes images scanned in raster order for an autoregressive
// model: rows top to bottom, pixels left to right, and within an RGB pixel
// the sub-pixels R, G, B. Sub-pixel t of a W x H x C image is at
// row t/(W*C), column (t/C)%W, channel t%C.
//
// The methods panic with a "pixels: ..." message when r is invalid (see
// Validate) or when they are given slices of the wrong length or a position
// or class out of range.
type Raster struct {
	W, H    int // width and height in pixels
	C       int // channels: 1 (gray) or 3 (RGB)
	Levels  int // quantization levels, 2..256
	Classes int // number of classes for a class-conditional model; 0 for none
	// Context is the reach of the causal neighbourhood in Features: the
	// Context rows above, each from Context columns left to Context columns
	// right, and the Context sub-pixels to the left in the same row. Zero
	// means 1 (above-left, above, above-right, left); at most MaxContext.
	Context int
	// Prev puts the previous sub-pixel's level (in raster order, across
	// row ends) before the other features: the input of a two-tier model's
	// row tier, which reads the previous row through it.
	Prev bool
}

// MaxContext bounds Raster.Context.
const MaxContext = 8

// reach returns the neighbourhood reach: Context, or 1 when it is zero.
func (r Raster) reach() int {
	if r.Context == 0 {
		return 1
	}
	return r.Context
}

// Neighbours returns the number of sub-pixels in the causal neighbourhood:
// 2K(K+1) for reach K, 4 for the default reach 1.
func (r Raster) Neighbours() int {
	k := r.reach()
	return 2 * k * (k + 1)
}

// Validate reports whether r describes a supported format (see Dataset).
func (r Raster) Validate() error {
	if err := checkShape(r.W, r.H, r.C, r.Levels); err != nil {
		return fmt.Errorf("pixels: %w", err)
	}
	if r.Classes < 0 {
		return fmt.Errorf("pixels: %d classes", r.Classes)
	}
	if r.Context < 0 || r.Context > MaxContext {
		return fmt.Errorf("pixels: context reach %d outside 0..%d", r.Context, MaxContext)
	}
	return nil
}

// Len returns the number of sub-pixels in an image: W*H*C.
func (r Raster) Len() int { return r.W * r.H * r.C }

// Tokens returns the vocabulary size of InputToken: the Levels plus the start
// token.
func (r Raster) Tokens() int { return r.Levels + 1 }

// StartToken returns the token that precedes the first sub-pixel: Levels.
func (r Raster) StartToken() int { return r.Levels }

// Position returns the row, column and channel of sub-pixel t.
func (r Raster) Position(t int) (row, col, channel int) {
	return t / (r.W * r.C), (t / r.C) % r.W, t % r.C
}

// Index returns the raster position of the sub-pixel at row, col, channel.
func (r Raster) Index(row, col, channel int) int { return (row*r.W+col)*r.C + channel }

// FeatureDim returns the number of values Features writes: 2 per neighbour
// plus 2 (10 with the default reach of 1), plus 2C-1 for RGB, plus Classes,
// plus 1 with Prev.
func (r Raster) FeatureDim() int {
	n := 2*r.Neighbours() + 2 + r.Classes
	if r.C > 1 {
		n += 2*r.C - 1
	}
	if r.Prev {
		n++
	}
	return n
}

// InputToken returns the model's input token at sub-pixel t: the level of
// sub-pixel t-1, or StartToken at t = 0. It reads img[t-1] only.
func (r Raster) InputToken(img []uint8, t int) int {
	r.check("InputToken", len(img), t)
	if t == 0 {
		return r.Levels
	}
	return int(img[t-1])
}

// Features writes into dst, of length FeatureDim, the real-valued inputs for
// predicting sub-pixel t of img (of length Len) in class class (-1 for none
// or unknown: the class part is then all zero; ignored when Classes is 0).
//
// Features is causal: it reads img[:t] only, so img[t:] may hold anything,
// such as levels not generated yet. Levels are scaled to [-1, 1]
// (2*l/(Levels-1) - 1). With Prev, dst[0] is the level of sub-pixel t-1
// (0 at t = 0) and the layout below follows from dst[1]. The layout, for a
// neighbourhood of reach K (Context) and N = 2K(K+1) neighbours, all in the
// current channel:
//
//	0 .. 2N-1  the neighbours, each as its value then a flag (1 if it lies
//	           inside the image, else 0; a missing neighbour has value 0):
//	           for each row above from the nearest (dy = 1..K), the columns
//	           dx = 0, -1, +1, -2, +2, ..., -K, +K; then the sub-pixels to
//	           the left in the same row, dx = -1..-K. With K = 1: above,
//	           above-left, above-right, left.
//	2N, 2N+1   row and column scaled to [-1, 1] (2*row/(H-1) - 1; 0 when H
//	           is 1)
//	2N+2...    RGB only: the channel one-hot (C values), then the levels of
//	           the current pixel's earlier channels, R and G (C-1 values, 0
//	           where the channel is not earlier than the current one)
//	...        the class one-hot (Classes values)
func (r Raster) Features(dst []float32, img []uint8, t, class int) {
	r.check("Features", len(img), t)
	if len(dst) != r.FeatureDim() {
		panic(fmt.Sprintf("pixels: Features: dst has length %d, want %d", len(dst), r.FeatureDim()))
	}
	if r.Classes > 0 && (class < -1 || class >= r.Classes) {
		panic(fmt.Sprintf("pixels: Features: class %d out of range [-1,%d)", class, r.Classes))
	}
	row, col, ch := r.Position(t)
	scale := 2 / float32(r.Levels-1)
	stride := r.W * r.C
	K := r.reach()

	clear(dst)
	if r.Prev {
		if t > 0 {
			dst[0] = float32(img[t-1])*scale - 1
		}
		dst = dst[1:]
	}
	k := 0
	for dy := 1; dy <= K; dy++ {
		for j := 0; j <= 2*K; j++ {
			dx := (j + 1) / 2
			if j%2 == 1 {
				dx = -dx
			}
			if x := col + dx; row >= dy && x >= 0 && x < r.W {
				dst[k], dst[k+1] = float32(img[t-dy*stride+dx*r.C])*scale-1, 1
			}
			k += 2
		}
	}
	for dx := 1; dx <= K; dx++ {
		if col >= dx {
			dst[k], dst[k+1] = float32(img[t-dx*r.C])*scale-1, 1
		}
		k += 2
	}
	if r.H > 1 {
		dst[k] = 2*float32(row)/float32(r.H-1) - 1
	}
	if r.W > 1 {
		dst[k+1] = 2*float32(col)/float32(r.W-1) - 1
	}
	k += 2
	if r.C > 1 {
		dst[k+ch] = 1
		k += r.C
		for c := range ch {
			dst[k+c] = float32(img[t-ch+c])*scale - 1
		}
		k += r.C - 1
	}
	if r.Classes > 0 && class >= 0 {
		dst[k+class] = 1
	}
}

// BatchInputTokens writes InputToken(imgs[b], t) into dst[b] for every image,
// as the int32 tokens of core.Input. It panics if len(dst) != len(imgs).
func (r Raster) BatchInputTokens(dst []int32, imgs [][]uint8, t int) {
	if len(dst) != len(imgs) {
		panic(fmt.Sprintf("pixels: BatchInputTokens: %d tokens for %d images", len(dst), len(imgs)))
	}
	for b, img := range imgs {
		dst[b] = int32(r.InputToken(img, t))
	}
}

// BatchFeatures writes Features(dst[b*FeatureDim():(b+1)*FeatureDim()],
// imgs[b], t, classes[b]) for every image. classes may be nil (no class). It
// panics if len(dst) != len(imgs)*FeatureDim() or classes is non-nil and of
// another length than imgs.
func (r Raster) BatchFeatures(dst []float32, imgs [][]uint8, t int, classes []int) {
	n := r.FeatureDim()
	if len(dst) != len(imgs)*n {
		panic(fmt.Sprintf("pixels: BatchFeatures: dst has length %d, want %d images x %d", len(dst), len(imgs), n))
	}
	if classes != nil && len(classes) != len(imgs) {
		panic(fmt.Sprintf("pixels: BatchFeatures: %d classes for %d images", len(classes), len(imgs)))
	}
	for b, img := range imgs {
		class := -1
		if classes != nil {
			class = classes[b]
		}
		r.Features(dst[b*n:(b+1)*n], img, t, class)
	}
}

// check panics unless r is usable and t a position in an image of length n.
func (r Raster) check(method string, n, t int) {
	if r.W < 1 || r.H < 1 || (r.C != 1 && r.C != 3) || r.Levels < 2 || r.Levels > 256 || r.Classes < 0 ||
		r.Context < 0 || r.Context > MaxContext {
		panic(fmt.Sprintf("pixels: %s: invalid %+v", method, r))
	}
	if n != r.Len() {
		panic(fmt.Sprintf("pixels: %s: image has length %d, want %d", method, n, r.Len()))
	}
	if t < 0 || t >= n {
		panic(fmt.Sprintf("pixels: %s: position %d out of range [0,%d)", method, t, n))
	}
}
