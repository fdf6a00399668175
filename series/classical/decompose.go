// Seasonality: the M4 competition's 90% autocorrelation test for a seasonal
// period and R's classical decomposition (stats::decompose), which Naive2,
// Theta and the ETS initial states use.

package classical

import (
	"fmt"
	"math"
)

// acf returns the sample autocorrelations r_1..r_maxLag of x as R's acf
// computes them (sums over the overlap divided by the full sum of squares).
// It returns nil for a constant series.
func acf(x []float64, maxLag int) []float64 {
	n := len(x)
	mean := 0.0
	for _, v := range x {
		mean += v
	}
	mean /= float64(n)
	d := 0.0
	for _, v := range x {
		d += (v - mean) * (v - mean)
	}
	if d == 0 || math.IsNaN(d) || math.IsInf(d, 0) {
		return nil
	}
	r := make([]float64, maxLag)
	for k := 1; k <= maxLag; k++ {
		s := 0.0
		for t := 0; t+k < n; t++ {
			s += (x[t] - mean) * (x[t+k] - mean)
		}
		r[k-1] = s / d
	}
	return r
}

// SeasonalityTest is the M4 benchmarks' test for seasonality at period m:
// the autocorrelation at lag m must exceed its 90% limit
// 1.645/sqrt(n) * sqrt(1 + 2*sum_{k<m} r_k^2). It is false when m < 2, when
// x has fewer than 3m points, when x is constant, and (as in R, whose acf
// stops at lag 10*log10(n)) when m > 10*log10(n). x must have no NaN.
func SeasonalityTest(x []float64, m int) bool {
	n := len(x)
	if m < 2 || n < 3*m {
		return false
	}
	if lagMax := min(int(math.Floor(10*math.Log10(float64(n)))), n-1); m > lagMax {
		return false
	}
	r := acf(x, m)
	if r == nil {
		return false
	}
	s := 1.0
	for _, v := range r[:m-1] {
		s += 2 * v * v
	}
	return math.Abs(r[m-1]) > 1.645/math.Sqrt(float64(n))*math.Sqrt(s)
}

// SeasonalIndices returns the seasonal figure of R's classical
// decomposition of x at period m: element i is the index for points t
// with t%m == i. The trend is a centred moving average (2xm for even m);
// the detrended values (x/trend, or x-trend when additive) are averaged
// per position and normalised to mean 1 (multiplicative) or 0 (additive).
// Positions with no finite ratio get the neutral index. It panics with a
// "series: ..." message if m < 2 or len(x) < 2m; x must have no NaN.
func SeasonalIndices(x []float64, m int, multiplicative bool) []float64 {
	n := len(x)
	if m < 2 || n < 2*m {
		panic(fmt.Sprintf("series: SeasonalIndices needs period >= 2 and two periods of data (period %d, %d points)", m, n))
	}
	half := m / 2
	sum := make([]float64, m)
	cnt := make([]int, m)
	for t := half; t < n-half; t++ {
		var trend float64
		if m%2 == 0 {
			trend = 0.5 * (x[t-half] + x[t+half])
			for j := t - half + 1; j < t+half; j++ {
				trend += x[j]
			}
		} else {
			for j := t - half; j <= t+half; j++ {
				trend += x[j]
			}
		}
		trend /= float64(m)
		d := x[t] - trend
		if multiplicative {
			d = x[t] / trend
		}
		if math.IsNaN(d) || math.IsInf(d, 0) {
			continue
		}
		sum[t%m] += d
		cnt[t%m]++
	}
	neutral := 0.0
	if multiplicative {
		neutral = 1
	}
	idx := make([]float64, m)
	mean := 0.0
	for i := range idx {
		idx[i] = neutral
		if cnt[i] > 0 {
			idx[i] = sum[i] / float64(cnt[i])
		}
		mean += idx[i]
	}
	mean /= float64(m)
	for i := range idx {
		if multiplicative {
			if mean != 0 {
				idx[i] /= mean
			}
		} else {
			idx[i] -= mean
		}
	}
	return idx
}

// deseasonalize applies the M4 benchmarks' seasonal adjustment: when
// SeasonalityTest passes at period m and every value is positive, it
// divides x by the multiplicative indices and returns them (indexed by
// t%m); otherwise it returns x itself and nil.
func deseasonalize(x []float64, m int) (adjusted, indices []float64) {
	if !SeasonalityTest(x, m) {
		return x, nil
	}
	for _, v := range x {
		if v <= 0 {
			return x, nil
		}
	}
	idx := SeasonalIndices(x, m, true)
	adj := make([]float64, len(x))
	for t, v := range x {
		adj[t] = v / idx[t%m]
	}
	return adj, idx
}
