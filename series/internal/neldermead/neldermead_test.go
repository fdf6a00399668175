// Nelder-Mead finds the minimum of Rosenbrock's function.

package neldermead

import (
	"math"
	"testing"
)

func TestNelderMead(t *testing.T) {
	rosen := func(x []float64) float64 {
		a, b := 1-x[0], x[1]-x[0]*x[0]
		return a*a + 100*b*b
	}
	x, fx := Minimize(rosen, []float64{-1.2, 1}, 0.5, 5000, 1e-14)
	if fx > 1e-8 || !close(x[0], 1, 1e-3) || !close(x[1], 1, 1e-3) {
		t.Errorf("Rosenbrock minimum at %v (f=%v)", x, fx)
	}
}

func close(a, b, tol float64) bool { return math.Abs(a-b) <= tol*math.Max(1, math.Abs(b)) }
