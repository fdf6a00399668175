// Tests of loading a saved LSTM for a forecast.

package lstm

import (
	"context"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"

	"github.com/arkit-go/arkit/core"
	"github.com/arkit-go/arkit/series/table"
)

func TestLoadFor(t *testing.T) {
	dir := t.TempDir()
	data := randomWalks(2, 40, 6)
	l := &LSTM{Hidden: 4, Layers: 1, Steps: 2, Batch: 2, Paths: 4, Context: 8, Lags: []int{2}}
	if _, err := l.Fit(context.Background(), data, 5); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "m.safetensors")
	if err := l.Save(path, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadFor(path, data, 5); err != nil {
		t.Errorf("matching data refused: %v", err)
	}
	for _, tc := range []struct {
		data []table.Series
		h    int
		want string
	}{
		{data, 6, "trained for horizon 5, not 6"},
		{data[:1], 5, "trained on 2 series (Aa, Ba), not on these 1 (Aa)"},
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
