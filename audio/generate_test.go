// Tests of the sample level's embedded past codes (generation's cost is
// tested in generate_norace_test.go).

package audio

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/arkit-go/arkit/core"
)

// TestEmbedCodes trains a two-tier model that embeds the last 4 codes,
// saves and loads it (the setting travels in the file), and checks that the
// loaded model scores and generates as the trained one.
func TestEmbedCodes(t *testing.T) {
	train := toneData(t, 20, 1)
	opts := tinyOptions(2)
	opts.Codes, opts.Steps = 4, 30
	m, _, err := Train(context.Background(), train, nil, opts)
	if err != nil {
		t.Fatal(err)
	}
	if c := m.Net.(*core.Tiered).Config().Codes; c != 4 {
		t.Fatalf("network embeds %d codes, want 4", c)
	}
	path := filepath.Join(t.TempDir(), "m.safetensors")
	if err := m.Save(path); err != nil {
		t.Fatal(err)
	}
	back, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(back.String(), "embedding the last 4 codes") {
		t.Errorf("loaded model: %s", back)
	}
	s1, err := m.Evaluate(context.Background(), train)
	if err != nil {
		t.Fatal(err)
	}
	s2, err := back.Evaluate(context.Background(), train)
	if err != nil {
		t.Fatal(err)
	}
	if s1 != s2 {
		t.Errorf("trained model %v, loaded %v", s1, s2)
	}
	g := GenerateOptions{Seconds: 0.05, N: 2, Seed: 3}
	c1, err := m.Generate(context.Background(), g)
	if err != nil {
		t.Fatal(err)
	}
	c2, err := back.Generate(context.Background(), g)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(c1[1].Samples, c2[1].Samples) {
		t.Error("the loaded model generates other audio than the trained one")
	}
	opts.Tiers = 1
	if _, _, err := Train(context.Background(), train, nil, opts); err == nil || !strings.Contains(err.Error(), "need two or three tiers") {
		t.Errorf("one tier with embedded codes: %v", err)
	}
}
