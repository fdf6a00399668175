// Tests for the M4 seasonality test and the classical decomposition,
// against values computed by /work/shared/bench/m4_benchmarks.py.

package classical

import (
	"math"
	"math/rand/v2"
	"testing"
)

// goldenSeasonal is a period-4 series; goldenIndices and goldenACF are what
// m4_benchmarks.py's decompose_mult and acf give for it.
var (
	goldenSeasonal = []float64{11.0, 13.5, 9.5, 9.0, 12.5, 14.5, 10.5, 10.5, 13.5, 16.0, 11.5, 11.5, 15.0, 17.0, 13.0, 12.5, 16.0, 18.5, 14.0, 14.0, 17.0, 19.5, 15.5, 15.0, 18.5, 20.5, 16.5, 16.5, 19.5, 22.0}
	goldenIndices  = []float64{1.0634841863821145, 1.195904228734691, 0.8872886728038714, 0.8533229120793234}
	goldenACF      = []float64{0.5327749010051781, 0.19043557721596105, 0.4318611026500152, 0.6994821809320743}
)

func TestDecomposeGolden(t *testing.T) {
	idx := SeasonalIndices(goldenSeasonal, 4, true)
	for i := range idx {
		if math.Abs(idx[i]-goldenIndices[i]) > 1e-12 {
			t.Errorf("index %d = %.15g, want %.15g", i, idx[i], goldenIndices[i])
		}
	}
	r := acf(goldenSeasonal, 4)
	for i := range r {
		if math.Abs(r[i]-goldenACF[i]) > 1e-12 {
			t.Errorf("acf lag %d = %.15g, want %.15g", i+1, r[i], goldenACF[i])
		}
	}
	if !SeasonalityTest(goldenSeasonal, 4) {
		t.Error("seasonality not detected")
	}
}

func TestSeasonalIndicesExact(t *testing.T) {
	// An odd period, additive: level + pattern is recovered exactly.
	pattern := []float64{3, -1, -4, 0, 2}
	x := make([]float64, 40)
	for i := range x {
		x[i] = 50 + pattern[i%5]
	}
	idx := SeasonalIndices(x, 5, false)
	for i := range pattern {
		if math.Abs(idx[i]-pattern[i]) > 1e-12 {
			t.Errorf("additive index %d = %v, want %v", i, idx[i], pattern[i])
		}
	}
	// Multiplicative on a pure pattern with mean 1.
	mult := []float64{1.2, 0.8, 1.1, 0.9}
	for i := range x {
		x[i] = 100 * mult[i%4]
	}
	idx = SeasonalIndices(x, 4, true)
	for i := range mult {
		if math.Abs(idx[i]-mult[i]) > 1e-12 {
			t.Errorf("multiplicative index %d = %v, want %v", i, idx[i], mult[i])
		}
	}
}

func TestSeasonalityTestNegatives(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	noise := make([]float64, 300)
	for i := range noise {
		noise[i] = 100 + rng.NormFloat64()
	}
	constant := make([]float64, 300)
	for _, tc := range []struct {
		name string
		x    []float64
		m    int
	}{
		{"noise", noise, 12},
		{"constant", constant, 12},
		{"too short", goldenSeasonal[:11], 4},
		{"period 1", goldenSeasonal, 1},
		{"period beyond acf lags", noise, 25}, // 10*log10(300) = 24
	} {
		if SeasonalityTest(tc.x, tc.m) {
			t.Errorf("%s: seasonal", tc.name)
		}
	}
}
