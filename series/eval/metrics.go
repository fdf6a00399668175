// Metrics: point-forecast errors (MAE, RMSE, MAPE, sMAPE, MASE, OWA) as the
// M4 competition defines them, and probabilistic scores (pinball loss,
// CRPS, interval coverage, MSIS).
//
// Every metric skips points where the actual value or the forecast is NaN
// and returns NaN when no point is left. They panic with a "series: ..."
// message when slice lengths differ.

package eval

import (
	"fmt"
	"math"
	"slices"
)

func sameLen(name string, a, b []float64) {
	if len(a) != len(b) {
		panic(fmt.Sprintf("series: %s: lengths %d and %d differ", name, len(a), len(b)))
	}
}

func missing(vs ...float64) bool {
	for _, v := range vs {
		if math.IsNaN(v) {
			return true
		}
	}
	return false
}

// meanOf averages term(i) over the indices where ok(i).
func meanOf(n int, term func(i int) (float64, bool)) float64 {
	s, c := 0.0, 0
	for i := range n {
		if v, ok := term(i); ok {
			s += v
			c++
		}
	}
	if c == 0 {
		return math.NaN()
	}
	return s / float64(c)
}

// MAE is the mean absolute error.
func MAE(actual, forecast []float64) float64 {
	sameLen("MAE", actual, forecast)
	return meanOf(len(actual), func(i int) (float64, bool) {
		return math.Abs(actual[i] - forecast[i]), !missing(actual[i], forecast[i])
	})
}

// RMSE is the root mean squared error.
func RMSE(actual, forecast []float64) float64 {
	sameLen("RMSE", actual, forecast)
	return math.Sqrt(meanOf(len(actual), func(i int) (float64, bool) {
		d := actual[i] - forecast[i]
		return d * d, !missing(actual[i], forecast[i])
	}))
}

// MAPE is the mean absolute percentage error, 100*|y-f|/|y|, in percent.
// Points where the actual value is 0 are left out.
func MAPE(actual, forecast []float64) float64 {
	sameLen("MAPE", actual, forecast)
	return meanOf(len(actual), func(i int) (float64, bool) {
		y, f := actual[i], forecast[i]
		return 100 * math.Abs(y-f) / math.Abs(y), !missing(y, f) && y != 0
	})
}

// SMAPE is the M4 symmetric MAPE, mean of 200*|y-f|/(|y|+|f|), in percent
// (0 to 200). A point where both are 0 counts as 0.
func SMAPE(actual, forecast []float64) float64 {
	sameLen("SMAPE", actual, forecast)
	return meanOf(len(actual), func(i int) (float64, bool) {
		y, f := actual[i], forecast[i]
		d := math.Abs(y) + math.Abs(f)
		if d == 0 {
			return 0, !missing(y, f)
		}
		return 200 * math.Abs(y-f) / d, !missing(y, f)
	})
}

// MASEScale is the M4 MASE denominator: the mean absolute seasonal
// difference |x_t - x_{t-m}| of the in-sample data. A series no longer than
// m uses m = 1. Pairs with a NaN are skipped; NaN if none is left.
func MASEScale(insample []float64, m int) float64 {
	if m < 1 || len(insample) <= m {
		m = 1
	}
	return meanOf(max(len(insample)-m, 0), func(i int) (float64, bool) {
		a, b := insample[i+m], insample[i]
		return math.Abs(a - b), !missing(a, b)
	})
}

// MASE is the mean absolute scaled error: MAE divided by MASEScale. It is
// +Inf when the in-sample data is constant.
func MASE(insample, actual, forecast []float64, m int) float64 {
	sameLen("MASE", actual, forecast)
	return MAE(actual, forecast) / MASEScale(insample, m)
}

// OWA is the M4 overall weighted average of a method's sMAPE and MASE
// relative to Naive2's: (sMAPE/sMAPE_Naive2 + MASE/MASE_Naive2)/2. M4
// applies it to the averages over all series.
func OWA(smape, mase, smapeNaive2, maseNaive2 float64) float64 {
	return 0.5 * (smape/smapeNaive2 + mase/maseNaive2)
}

// Pinball is the mean quantile (pinball) loss of quantile forecasts at the
// given level: max(level*(y-q), (level-1)*(y-q)).
func Pinball(actual, quantile []float64, level float64) float64 {
	sameLen("Pinball", actual, quantile)
	return meanOf(len(actual), func(i int) (float64, bool) {
		return pinball(actual[i], quantile[i], level), !missing(actual[i], quantile[i])
	})
}

func pinball(y, q, level float64) float64 {
	d := y - q
	if d >= 0 {
		return level * d
	}
	return (level - 1) * d
}

// CRPS is the mean continuous ranked probability score of the empirical
// distribution of sample paths: at each step, E|X-y| - E|X-X'|/2 over the
// samples X, X'. Every path must have len(actual) points; NaN samples are
// ignored.
func CRPS(paths [][]float64, actual []float64) float64 {
	for _, p := range paths {
		sameLen("CRPS", actual, p)
	}
	col := make([]float64, 0, len(paths))
	return meanOf(len(actual), func(k int) (float64, bool) {
		y := actual[k]
		col = col[:0]
		for _, p := range paths {
			if !math.IsNaN(p[k]) {
				col = append(col, p[k])
			}
		}
		if math.IsNaN(y) || len(col) == 0 {
			return 0, false
		}
		slices.Sort(col)
		n := float64(len(col))
		abs, spread := 0.0, 0.0
		for i, x := range col {
			abs += math.Abs(x - y)
			// sum_{i,j}|x_i-x_j| = 2 sum_i (2i-n+1) x_(i), i from 0.
			spread += (2*float64(i) - n + 1) * x
		}
		return abs/n - spread/(n*n), true
	})
}

// QuantileCRPS approximates the CRPS from quantile forecasts as twice the
// pinball loss averaged over the levels; it tends to the CRPS for a dense,
// evenly spaced grid of levels. quantiles[i] holds the levels[i] path.
func QuantileCRPS(actual, levels []float64, quantiles [][]float64) float64 {
	if len(levels) != len(quantiles) {
		panic(fmt.Sprintf("series: QuantileCRPS: %d levels but %d quantile paths", len(levels), len(quantiles)))
	}
	if len(levels) == 0 {
		return math.NaN()
	}
	s := 0.0
	for i, l := range levels {
		s += Pinball(actual, quantiles[i], l)
	}
	return 2 * s / float64(len(levels))
}

// Coverage is the fraction of actual values inside [lower, upper].
func Coverage(actual, lower, upper []float64) float64 {
	sameLen("Coverage", actual, lower)
	sameLen("Coverage", actual, upper)
	return meanOf(len(actual), func(i int) (float64, bool) {
		y := actual[i]
		in := 0.0
		if y >= lower[i] && y <= upper[i] {
			in = 1
		}
		return in, !missing(y, lower[i], upper[i])
	})
}

// MSIS is the M4 mean scaled interval score of a (1-alpha) interval:
// the mean of (U-L) + 2/alpha*(L-y)[y<L] + 2/alpha*(y-U)[y>U], divided by
// MASEScale(insample, m). M4 used alpha = 0.05.
func MSIS(insample, actual, lower, upper []float64, m int, alpha float64) float64 {
	sameLen("MSIS", actual, lower)
	sameLen("MSIS", actual, upper)
	is := meanOf(len(actual), func(i int) (float64, bool) {
		y, l, u := actual[i], lower[i], upper[i]
		s := u - l
		if y < l {
			s += 2 / alpha * (l - y)
		}
		if y > u {
			s += 2 / alpha * (y - u)
		}
		return s, !missing(y, l, u)
	})
	return is / MASEScale(insample, m)
}
