// AR(p): an autoregression with intercept fitted by least squares with
// gonum, its order chosen by AIC, with prediction intervals from the
// model's psi weights.

package classical

import (
	"context"
	"fmt"
	"math"

	"github.com/arkit-go/arkit/series/forecast"
	"github.com/arkit-go/arkit/series/table"
	"gonum.org/v1/gonum/mat"
)

// AR fits y_t = c + phi_1 y_{t-1} + ... + phi_p y_{t-p} + e_t by least
// squares for each series. The order p in 0..MaxOrder minimises
// AIC = N log(RSS/N) + 2(p+1), all orders compared on the same N points.
// MaxOrder 0 means min(10*log10(n), (n-1)/3) as in R's ar. The h-step
// variance is sigma^2 * sum_{j<h} psi_j^2. Series shorter than 4 points
// get the naive forecast.
type AR struct {
	MaxOrder int
}

var _ forecast.Forecaster = AR{}

// Name returns "ar".
func (AR) Name() string { return "ar" }

// Forecast implements Forecaster.
func (a AR) Forecast(ctx context.Context, train []table.Series, horizon int, quantiles []float64) ([]forecast.Forecast, error) {
	if a.MaxOrder < 0 {
		return nil, fmt.Errorf("series: ar: negative MaxOrder %d", a.MaxOrder)
	}
	return forecastLocal(ctx, a.Name(), train, horizon, quantiles, 1, func(y []float64, _, h int) localFit {
		return arFit(y, a.MaxOrder, h)
	})
}

func arFit(y []float64, maxOrder, h int) localFit {
	n := len(y)
	if n < 4 {
		return naiveFit(y, h)
	}
	limit := min(int(10*math.Log10(float64(n))), (n-1)/3)
	P := limit
	if maxOrder > 0 {
		P = min(maxOrder, limit)
	}
	mu := 0.0
	for _, v := range y {
		mu += v
	}
	mu /= float64(n)
	z := make([]float64, n)
	for i, v := range y {
		z[i] = v - mu
	}
	p := selectAROrder(z, P)
	coef, sigma, ok := fitAR(z, p)
	if !ok {
		return naiveFit(y, h)
	}
	// Recursive forecast on the centred series.
	hist := make([]float64, p+h)
	copy(hist, z[n-p:])
	lf := localFit{model: fmt.Sprintf("AR(%d)", p), mean: make([]float64, h), sd: make([]float64, h)}
	for k := range h {
		v := coef[0]
		for i := 1; i <= p; i++ {
			v += coef[i] * hist[p+k-i]
		}
		hist[p+k] = v
		lf.mean[k] = v + mu
	}
	// psi weights of the MA(infinity) form.
	psi := make([]float64, h)
	psi[0] = 1
	acc := 0.0
	for k := range h {
		if k > 0 {
			for i := 1; i <= min(k, p); i++ {
				psi[k] += coef[i] * psi[k-i]
			}
		}
		acc += psi[k] * psi[k]
		lf.sd[k] = sigma * math.Sqrt(acc)
	}
	for k := range h {
		if math.IsNaN(lf.mean[k]) || math.IsInf(lf.mean[k], 0) {
			return naiveFit(y, h)
		}
	}
	return lf
}

// selectAROrder picks the AIC-best order in 0..P. All orders are scored
// on the same rows t = P..n-1: with the design [1, z_{t-1}, ..., z_{t-P}]
// and G = X'X = L L' (Cholesky), the residual sum of squares of the model
// with the first q columns is z'z - |w_{1..q}|^2 where w = L^-1 X'z, so
// one factorisation scores every order. If G is singular (collinear lags)
// P is halved until it is not.
func selectAROrder(z []float64, P int) int {
	n := len(z)
	for ; P > 0; P /= 2 {
		N := n - P
		k := P + 1
		gd := make([]float64, k*k)
		c := make([]float64, k)
		yy := 0.0
		row := make([]float64, k)
		for t := P; t < n; t++ {
			row[0] = 1
			for i := 1; i <= P; i++ {
				row[i] = z[t-i]
			}
			for i := range k {
				c[i] += row[i] * z[t]
				for j := i; j < k; j++ {
					gd[i*k+j] += row[i] * row[j]
				}
			}
			yy += z[t] * z[t]
		}
		var chol mat.Cholesky
		if !chol.Factorize(mat.NewSymDense(k, gd)) {
			continue
		}
		var l mat.TriDense
		chol.LTo(&l)
		var w mat.VecDense
		if err := w.SolveVec(&l, mat.NewVecDense(k, c)); err != nil {
			continue
		}
		best, bestAIC := 0, math.Inf(1)
		rss := yy
		for q := 0; q <= P; q++ {
			rss -= w.AtVec(q) * w.AtVec(q)
			r := math.Max(rss, 1e-12*yy+1e-300)
			aic := float64(N)*math.Log(r/float64(N)) + 2*float64(q+1)
			if aic < bestAIC {
				best, bestAIC = q, aic
			}
		}
		return best
	}
	return 0
}

// fitAR fits order p on rows t = p..n-1 by least squares (QR) and returns
// [c, phi_1..phi_p] and the residual standard deviation.
func fitAR(z []float64, p int) (coef []float64, sigma float64, ok bool) {
	n := len(z)
	N := n - p
	x := mat.NewDense(N, p+1, nil)
	yv := mat.NewVecDense(N, nil)
	for r := range N {
		t := p + r
		x.Set(r, 0, 1)
		for i := 1; i <= p; i++ {
			x.Set(r, i, z[t-i])
		}
		yv.SetVec(r, z[t])
	}
	var b mat.VecDense
	if err := b.SolveVec(x, yv); err != nil {
		return nil, 0, false
	}
	rss := 0.0
	for r := range N {
		e := yv.AtVec(r) - mat.Dot(x.RowView(r), &b)
		rss += e * e
	}
	df := max(N-p-1, 1)
	coef = make([]float64, p+1)
	for i := range coef {
		coef[i] = b.AtVec(i)
	}
	return coef, math.Sqrt(rss / float64(df)), true
}
