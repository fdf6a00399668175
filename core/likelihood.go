// Likelihoods: how the head's raw outputs become a distribution of the next
// element, its negative log-likelihood and gradient for training, and draws
// for generation. Categorical serves token domains (characters, pixel
// levels, mu-law codes); Gaussian and StudentT serve real values.

package core

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/arkit-go/arkit/core/internal/kernel"
	"gonum.org/v1/gonum/mathext"
)

// Likelihood is the output head's distribution.
type Likelihood interface {
	// Name identifies the likelihood in model files: "categorical",
	// "gaussian" or "studentt".
	Name() string
	// Size is the number of raw head outputs per element.
	Size() int
	// NLL returns the negative log-likelihood of y given the raw outputs and
	// writes scale times its gradient w.r.t. raw into draw.
	NLL(draw, raw []float32, y float32, scale float32) float32
}

// Continuous is a likelihood over real values that can be sampled and
// summarised without the token Sampler.
type Continuous interface {
	Likelihood
	// Draw samples one value. Temperature scales the spread (1 is the
	// model's distribution, 0 returns the mean).
	Draw(raw []float32, temperature float32, rng *rand.Rand) float32
	// Mean returns the distribution's mean.
	Mean(raw []float32) float32
}

// LikelihoodByName returns the likelihood stored under name in a model file.
// size is the head's output count, which fixes the number of categories.
func LikelihoodByName(name string, size int) (Likelihood, error) {
	switch name {
	case "", "categorical":
		return Categorical{N: size}, nil
	case "gaussian":
		if size != 2 {
			return nil, fmt.Errorf("gaussian head needs 2 outputs, has %d", size)
		}
		return Gaussian{}, nil
	case "studentt":
		if size != 3 {
			return nil, fmt.Errorf("studentt head needs 3 outputs, has %d", size)
		}
		return StudentT{}, nil
	case "raw":
		return rawOutputs{size}, nil
	}
	return nil, fmt.Errorf("unknown likelihood %q", name)
}

// Categorical is a distribution over N classes given by N logits; the target
// is the class index.
type Categorical struct{ N int }

func (c Categorical) Name() string { return "categorical" }
func (c Categorical) Size() int    { return c.N }

// NLL is the softmax cross-entropy, fused: one pass for the maximum, one for
// the exponentials and their sum, one for the gradient. draw may be raw
// itself (Model.Forward overwrites the logits with their gradient). It
// panics if y is not a class index.
func (c Categorical) NLL(draw, raw []float32, y, scale float32) float32 {
	k := int(y)
	if k < 0 || k >= c.N || float32(k) != y {
		panic(fmt.Sprintf("core: target %g is not a class of %d", y, c.N))
	}
	return kernel.SoftmaxCrossEntropy(draw, raw, k, scale)
}

// softplus is log(1+e^x), as torch.nn.functional.softplus (threshold 20).
func softplus(x float32) float32 {
	if x > 20 {
		return x
	}
	return float32(math.Log1p(math.Exp(float64(x))))
}

const halfLog2Pi = 0.91893853320467274178

// Gaussian is a normal distribution with mean raw[0] and standard deviation
// softplus(raw[1]) (as DeepAR).
type Gaussian struct{}

func (Gaussian) Name() string { return "gaussian" }
func (Gaussian) Size() int    { return 2 }

func (Gaussian) NLL(draw, raw []float32, y, scale float32) float32 {
	mu, s := float64(raw[0]), float64(softplus(raw[1]))
	s = math.Max(s, 1e-12)
	z := (float64(y) - mu) / s
	draw[0] = scale * float32(-z/s)
	draw[1] = scale * float32((1-z*z)/s*float64(kernel.Sigmoid(raw[1])))
	return float32(math.Log(s) + 0.5*z*z + halfLog2Pi)
}

func (Gaussian) Draw(raw []float32, temperature float32, rng *rand.Rand) float32 {
	return raw[0] + temperature*softplus(raw[1])*float32(rng.NormFloat64())
}

func (Gaussian) Mean(raw []float32) float32 { return raw[0] }

// StudentT is Student's t distribution with location raw[0], scale
// softplus(raw[1]) and 2+softplus(raw[2]) degrees of freedom (so its variance
// is finite). Heavy tails make it robust to outliers.
type StudentT struct{}

func (StudentT) Name() string { return "studentt" }
func (StudentT) Size() int    { return 3 }

func (StudentT) NLL(draw, raw []float32, y, scale float32) float32 {
	mu := float64(raw[0])
	s := math.Max(float64(softplus(raw[1])), 1e-12)
	nu := 2 + float64(softplus(raw[2]))
	z := (float64(y) - mu) / s
	q := z * z / nu
	lg1, _ := math.Lgamma((nu + 1) / 2)
	lg2, _ := math.Lgamma(nu / 2)
	nll := -lg1 + lg2 + 0.5*math.Log(math.Pi*nu) + math.Log(s) + (nu+1)/2*math.Log1p(q)
	k := (nu + 1) * z / (nu * (1 + q))
	dmu := -k / s
	ds := 1/s - k*z/s
	dnu := -0.5*mathext.Digamma((nu+1)/2) + 0.5*mathext.Digamma(nu/2) + 0.5/nu +
		0.5*math.Log1p(q) - (nu+1)/2*z*z/(nu*nu*(1+q))
	draw[0] = scale * float32(dmu)
	draw[1] = scale * float32(ds*float64(kernel.Sigmoid(raw[1])))
	draw[2] = scale * float32(dnu*float64(kernel.Sigmoid(raw[2])))
	return float32(nll)
}

func (StudentT) Draw(raw []float32, temperature float32, rng *rand.Rand) float32 {
	s := softplus(raw[1])
	nu := 2 + float64(softplus(raw[2]))
	// t = N / sqrt(χ²_ν / ν), χ²_ν = 2·Gamma(ν/2).
	chi2 := 2 * gammaDraw(nu/2, rng)
	t := rng.NormFloat64() / math.Sqrt(chi2/nu)
	return raw[0] + temperature*s*float32(t)
}

func (StudentT) Mean(raw []float32) float32 { return raw[0] }

// gammaDraw samples Gamma(shape, 1) by Marsaglia and Tsang's method.
func gammaDraw(shape float64, rng *rand.Rand) float64 {
	if shape < 1 {
		return gammaDraw(shape+1, rng) * math.Pow(rng.Float64(), 1/shape)
	}
	d := shape - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		x := rng.NormFloat64()
		v := 1 + c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		u := rng.Float64()
		if u < 1-0.0331*x*x*x*x || math.Log(u) < 0.5*x*x+d*(1-v+math.Log(v)) {
			return d * v
		}
	}
}

// rawOutputs marks a head whose outputs feed another network (the frame
// tier of a Tiered network) rather than a distribution.
type rawOutputs struct{ n int }

func (r rawOutputs) Name() string { return "raw" }
func (r rawOutputs) Size() int    { return r.n }
func (r rawOutputs) NLL(draw, raw []float32, y, scale float32) float32 {
	panic("core: raw outputs have no likelihood")
}
