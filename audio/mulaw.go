// Mu-law companding and quantisation between samples in [-1, 1] and the
// integer codes a sample-level model predicts (WaveNet, section 2.2).

package audio

import (
	"fmt"
	"math"
)

// MuLaw maps samples in [-1, 1] to codes 0..Levels-1 and back with the
// continuous mu-law curve, mu = Levels-1:
//
//	y = sign(x) ln(1 + mu|x|) / ln(1 + mu)        compress, y in [-1, 1]
//	code = floor((y + 1)/2 * mu + 1/2)            quantise uniformly
//	y' = 2 code/mu - 1
//	x' = sign(y') ((1 + mu)^|y'| - 1) / mu        expand
//
// The steps are fine near zero and coarse near full scale, so the relative
// error of a decoded sample is about ln(1+mu)/mu (2.2% for 256 levels).
// Code 0 decodes to -1 and code Levels-1 to 1; Decode(Levels-1-c) is
// -Decode(c).
//
// The zero value has 256 levels (mu = 255), as in WaveNet.
type MuLaw struct {
	// Levels is the number of codes, 2 to 65536; zero means 256.
	Levels int
}

// levels returns the number of codes, panicking on an impossible setting.
func (m MuLaw) levels() int {
	switch {
	case m.Levels == 0:
		return 256
	case m.Levels < 2 || m.Levels > 1<<16:
		panic(fmt.Sprintf("audio: MuLaw.Levels is %d, want 2 to 65536", m.Levels))
	}
	return m.Levels
}

// NumLevels returns the number of codes: Levels, or 256 for the zero value.
// It panics if Levels is outside 2..65536 and not zero.
func (m MuLaw) NumLevels() int { return m.levels() }

// Encode returns the code of x. Values outside [-1, 1] are clamped and NaN
// is treated as 0. It panics if Levels is outside 2..65536 and not zero.
func (m MuLaw) Encode(x float32) int {
	mu := float64(m.levels() - 1)
	return encodeMuLaw(float64(x), mu, 1/math.Log1p(mu))
}

// Decode returns the sample of code. It panics if code is outside
// 0..Levels-1, or if Levels is outside 2..65536 and not zero.
func (m MuLaw) Decode(code int) float32 {
	n := m.levels()
	if code < 0 || code >= n {
		panic(fmt.Sprintf("audio: mu-law code %d outside 0..%d", code, n-1))
	}
	return decodeMuLaw(code, float64(n-1))
}

// EncodeAll stores the code of each x[i] in dst[i]. It panics if the lengths
// differ, or if Levels is outside 2..65536 and not zero.
func (m MuLaw) EncodeAll(dst []int32, x []float32) {
	if len(dst) != len(x) {
		panic(fmt.Sprintf("audio: MuLaw.EncodeAll: len(dst) %d != len(x) %d", len(dst), len(x)))
	}
	mu := float64(m.levels() - 1)
	inv := 1 / math.Log1p(mu)
	for i, v := range x {
		dst[i] = int32(encodeMuLaw(float64(v), mu, inv))
	}
}

// DecodeAll stores the sample of each codes[i] in dst[i]. It panics if the
// lengths differ, if a code is outside 0..Levels-1, or if Levels is outside
// 2..65536 and not zero.
func (m MuLaw) DecodeAll(dst []float32, codes []int32) {
	if len(dst) != len(codes) {
		panic(fmt.Sprintf("audio: MuLaw.DecodeAll: len(dst) %d != len(codes) %d", len(dst), len(codes)))
	}
	n := m.levels()
	mu := float64(n - 1)
	for i, c := range codes {
		if c < 0 || int(c) >= n {
			panic(fmt.Sprintf("audio: mu-law code %d at index %d outside 0..%d", c, i, n-1))
		}
		dst[i] = decodeMuLaw(int(c), mu)
	}
}

// encodeMuLaw compresses and quantises x; inv is 1/ln(1+mu).
func encodeMuLaw(x, mu, inv float64) int {
	switch {
	case x != x:
		x = 0
	case x > 1:
		x = 1
	case x < -1:
		x = -1
	}
	y := math.Copysign(math.Log1p(mu*math.Abs(x))*inv, x)
	return int(math.Floor((y+1)/2*mu + 0.5))
}

// decodeMuLaw expands the centre of the code's step. Codes above the middle
// mirror those below, so that Decode(mu-c) is exactly -Decode(c).
func decodeMuLaw(code int, mu float64) float32 {
	c := float64(code)
	switch {
	case 2*c > mu:
		return -decodeMuLaw(int(mu)-code, mu)
	case 2*c == mu:
		return 0
	}
	mag := 1 - 2*c/mu // |y| of a negative y
	return float32(-math.Expm1(mag*math.Log1p(mu)) / mu)
}
