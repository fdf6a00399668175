// Benchmarks of the ARIMA order search and of Auto on R's classic series.

package classical

import (
	"testing"
)

// BenchmarkAutoARIMA is one auto.arima search of each R fixture series.
func BenchmarkAutoARIMA(b *testing.B) {
	fx := readRFixtures(b)
	b.ReportAllocs()
	for b.Loop() {
		for _, c := range fx.Auto {
			autoARIMA(c.Values, period(c.Period))
		}
	}
}

// BenchmarkAutoMonthly is Auto's cross-validated choice among the default
// candidates, and its final fit, on the monthly R fixtures of at most 150
// points, each cut to its first 120 (as the 20,000-series benchmark file).
func BenchmarkAutoMonthly(b *testing.B) {
	fx := readRFixtures(b)
	a := Auto{}
	b.ReportAllocs()
	for b.Loop() {
		for i, c := range fx.Auto {
			if period(c.Period) != 12 || len(c.Values) > 150 {
				continue
			}
			y := c.Values[:min(len(c.Values), 120)]
			a.fit(i, c.Name, y, 12, 18, AutoCandidates)
		}
	}
}
