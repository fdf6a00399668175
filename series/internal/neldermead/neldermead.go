// Nelder-Mead: a small derivative-free minimiser for the ETS fits.
// gonum/optimize has one, but importing that package pulls in
// gonum/stat/distmv and with it golang.org/x/tools, which is not a
// dependency of this module.

package neldermead

import (
	"math"
	"sort"
)

// nelderMead minimises f from x0. The initial simplex steps each
// coordinate by step. It stops after maxEval evaluations, or when the
// function values over the simplex agree to within tol relative to the
// best one. It uses the standard coefficients: reflection 1, expansion 2,
// contraction 1/2, shrink 1/2. It returns the best point and its value.
func Minimize(f func([]float64) float64, x0 []float64, step float64, maxEval int, tol float64) ([]float64, float64) {
	dim := len(x0)
	pts := make([][]float64, dim+1)
	vals := make([]float64, dim+1)
	evals := 0
	eval := func(x []float64) float64 {
		evals++
		v := f(x)
		if math.IsNaN(v) {
			return math.Inf(1)
		}
		return v
	}
	for i := range pts {
		pts[i] = append([]float64(nil), x0...)
		if i > 0 {
			pts[i][i-1] += step
		}
		vals[i] = eval(pts[i])
	}
	order := make([]int, dim+1)
	centroid := make([]float64, dim)
	xr := make([]float64, dim)
	xe := make([]float64, dim)
	xc := make([]float64, dim)
	// along sets dst = centroid + t*(worst - centroid).
	along := func(dst []float64, worst []float64, t float64) {
		for j := range dst {
			dst[j] = centroid[j] + t*(worst[j]-centroid[j])
		}
	}
	for evals < maxEval {
		for i := range order {
			order[i] = i
		}
		sort.SliceStable(order, func(a, b int) bool { return vals[order[a]] < vals[order[b]] })
		best, worst, second := order[0], order[dim], order[max(dim-1, 0)]
		if math.Abs(vals[worst]-vals[best]) <= tol*(math.Abs(vals[best])+1e-300) {
			break
		}
		for j := range centroid {
			centroid[j] = 0
			for _, i := range order[:dim] {
				centroid[j] += pts[i][j]
			}
			centroid[j] /= float64(dim)
		}
		along(xr, pts[worst], -1)
		fr := eval(xr)
		switch {
		case fr < vals[best]:
			along(xe, pts[worst], -2)
			if fe := eval(xe); fe < fr {
				copy(pts[worst], xe)
				vals[worst] = fe
			} else {
				copy(pts[worst], xr)
				vals[worst] = fr
			}
		case fr < vals[second]:
			copy(pts[worst], xr)
			vals[worst] = fr
		default:
			// Contract towards the better of the worst and reflected points.
			t := 0.5
			ref := vals[worst]
			if fr < vals[worst] {
				t, ref = -0.5, fr
			}
			along(xc, pts[worst], t)
			if fc := eval(xc); fc < ref {
				copy(pts[worst], xc)
				vals[worst] = fc
				continue
			}
			for _, i := range order[1:] {
				for j := range pts[i] {
					pts[i][j] = pts[best][j] + 0.5*(pts[i][j]-pts[best][j])
				}
				vals[i] = eval(pts[i])
			}
		}
	}
	bi := 0
	for i := range vals {
		if vals[i] < vals[bi] {
			bi = i
		}
	}
	return pts[bi], vals[bi]
}
