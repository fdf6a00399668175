// Tests of loading a saved LSTM for a forecast.

package lstm

import (
	"context"
	"errors"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/arkit-go/arkit/core"
	"github.com/arkit-go/arkit/series/table"
)

func TestLoadFor(t *testing.T) {
	dir := t.TempDir()
	data := randomWalks(2, 40, 6)
	path := filepath.Join(dir, "m.safetensors")
	opts := TrainOptions{TrainOptions: core.TrainOptions{Steps: 2, Out: path}, Hidden: 4, Layers: 1, Batch: 2, Context: 8, Lags: []int{2}}
	if _, _, err := Train(context.Background(), data, 5, opts); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadFor(path, data, 5); err != nil {
		t.Errorf("matching data refused: %v", err)
	}
	// Any of the trained series, in any order.
	if _, err := LoadFor(path, []table.Series{data[1], data[0]}, 5); err != nil {
		t.Errorf("the trained series in another order refused: %v", err)
	}
	if _, err := LoadFor(path, data[1:], 5); err != nil {
		t.Errorf("one of the trained series refused: %v", err)
	}
	unknown := []table.Series{{ID: "Za", Values: data[0].Values}}
	for _, tc := range []struct {
		data []table.Series
		h    int
		want string
	}{
		{data, 6, "trained for horizon 5, not 6"},
		{unknown, 5, `trained on 2 series (Aa, Ba), not on series "Za": the network embeds series identities`},
	} {
		if _, err := LoadFor(path, tc.data, tc.h); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v, want %q", err, tc.want)
		}
	}
	other := filepath.Join(dir, "text.safetensors")
	m := core.NewModel(core.Config{Vocab: 5, Embed: 2, Hidden: 4}, rand.New(rand.NewPCG(1, 1)))
	if err := m.Save(other, map[string]string{core.MetaDomain: "text"}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadFor(other, data, 5); err == nil || !strings.Contains(err.Error(), `is a "text" model, not a series model`) {
		t.Errorf("text model: %v", err)
	}
}

func randomWalks(n, length int, seed uint64) []table.Series {
	rng := rand.New(rand.NewPCG(seed, 1))
	out := make([]table.Series, n)
	for i := range out {
		s := table.Series{ID: string(rune('A'+i%26)) + string(rune('a'+i/26))}
		v := 100.0
		for range length {
			v += rng.NormFloat64()
			s.Values = append(s.Values, v)
		}
		out[i] = s
	}
	return out
}

// A run canceled and resumed from its file ends with the parameters of an
// uninterrupted one; the file is not replaced without Resume or Force, and
// is resumed only on the same series.
func TestTrainResume(t *testing.T) {
	data := randomWalks(3, 60, 8)
	dir := t.TempDir()
	opts := func(out string) TrainOptions {
		return TrainOptions{TrainOptions: core.TrainOptions{Steps: 12, Seed: 4, Out: out},
			Hidden: 4, Layers: 1, Batch: 3, Context: 8, Dropout: 0.1}
	}
	whole, _, err := Train(context.Background(), data, 5, opts(""))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "m.safetensors")
	ctx, cancel := context.WithCancel(context.Background())
	o := opts(path)
	o.Progress = func(p core.Progress) {
		if p.Step == 5 {
			cancel()
		}
	}
	if _, res, err := Train(ctx, data, 5, o); err != nil || res.Reason != "canceled" {
		t.Fatalf("interrupted run: %v, %+v", err, res)
	}
	if _, _, err := Train(context.Background(), data, 5, opts(path)); !errors.Is(err, core.ErrExists) {
		t.Errorf("existing file replaced without Resume or Force: %v", err)
	}
	o = TrainOptions{TrainOptions: core.TrainOptions{Steps: 12, Out: path, Resume: true}}
	if _, _, err := Train(context.Background(), randomWalks(3, 60, 9), 5, o); err == nil || !strings.Contains(err.Error(), "other data") {
		t.Errorf("resumed on other series: %v", err)
	}
	resumed, res, err := Train(context.Background(), data, 5, o)
	if err != nil || res.Steps != 12 {
		t.Fatalf("resumed run: %v, %+v", err, res)
	}
	if !slices.Equal(whole.Net.Params().W, resumed.Net.Params().W) {
		t.Error("resumed run's parameters differ from the uninterrupted run's")
	}
	if resumed.Hidden != 4 || resumed.Seed != 4 {
		t.Errorf("saved settings not adopted: hidden %d, seed %d", resumed.Hidden, resumed.Seed)
	}
}

// A series' forecast depends on the seed, the network and the series
// alone: forecasting the series together, in another order, or one by one
// from another copy of the network gives the same numbers.
func TestForecastSeriesIndependentOfOrder(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "m.safetensors")
	data := randomWalks(3, 40, 7)
	opts := TrainOptions{TrainOptions: core.TrainOptions{Steps: 2, Out: path}, Hidden: 4, Layers: 1, Batch: 2, Context: 8, Lags: []int{2}}
	if _, _, err := Train(ctx, data, 5, opts); err != nil {
		t.Fatal(err)
	}
	load := func() *LSTM {
		l, err := Load(path)
		if err != nil {
			t.Fatal(err)
		}
		l.Seed, l.Paths = 3, 20
		return l
	}
	levels := []float64{0.1, 0.9}
	all, err := load().Forecast(ctx, data, 5, levels)
	if err != nil {
		t.Fatal(err)
	}
	rev, err := load().Forecast(ctx, []table.Series{data[2], data[1], data[0]}, 5, levels)
	if err != nil {
		t.Fatal(err)
	}
	one := load()
	for i, s := range data {
		fc, err := one.ForecastSeries(ctx, s, 5, levels)
		if err != nil {
			t.Fatal(err)
		}
		for _, got := range [][]float64{rev[len(data)-1-i].Mean, fc.Mean} {
			if !slices.Equal(got, all[i].Mean) {
				t.Errorf("series %s: mean %v, together %v", s.ID, got, all[i].Mean)
			}
		}
		if !slices.Equal(fc.Quantiles[1], all[i].Quantiles[1]) {
			t.Errorf("series %s: q0.9 %v, together %v", s.ID, fc.Quantiles[1], all[i].Quantiles[1])
		}
	}
	other := load()
	other.Seed = 4
	fc, err := other.ForecastSeries(ctx, data[0], 5, levels)
	if err != nil {
		t.Fatal(err)
	}
	if slices.Equal(fc.Mean, all[0].Mean) {
		t.Error("seeds 3 and 4 drew the same paths")
	}
	if _, err := one.ForecastSeries(ctx, data[0], 6, levels); err == nil || !strings.Contains(err.Error(), "trained for horizon 5, not 6") {
		t.Errorf("horizon 6: %v", err)
	}
	if _, err := one.ForecastSeries(ctx, table.Series{ID: "Za", Values: data[0].Values}, 5, levels); err == nil || !strings.Contains(err.Error(), `"Za" was not in the training set`) {
		t.Errorf("unknown series: %v", err)
	}
}
