// The AWD-LSTM regularisers reach every domain through the shared training
// flags, one-tier and two-tier networks alike, and are saved with the run's
// settings.

package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/arkit-go/arkit/core"
)

func TestRegularizerFlagsInEveryDomain(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "in.txt"), []byte(strings.Repeat(tinyCorpus, 10)))
	var csv strings.Builder
	csv.WriteString("date,sales\n")
	for i := range 36 {
		fmt.Fprintf(&csv, "%d-%02d-01,%d\n", 2020+i/12, i%12+1, 100+i)
	}
	writeFile(t, filepath.Join(dir, "sales.csv"), []byte(csv.String()))
	reg := []string{"--weight-drop", "0.2", "--locked-dropout", "0.1", "--embed-dropout", "0.1", "--ar", "2", "--tar", "1"}
	for _, c := range []struct {
		domain string
		args   []string
	}{
		{"text", []string{"text", "train", "--input", "in.txt", "--steps", "2", "--batch", "2", "--seq", "20", "--out", "text.safetensors"}},
		{"audio", []string{"audio", "train", "--tones", "4", "--tiers", "1", "--steps", "2", "--out", "audio.safetensors"}},
		{"audio", []string{"audio", "train", "--tones", "4", "--tiers", "2", "--steps", "2", "--force", "--out", "audio.safetensors"}},
		{"pixels", []string{"pixels", "train", "--glyphs", "20", "--steps", "2", "--out", "pixels.safetensors"}},
		{"pixels", []string{"pixels", "train", "--glyphs", "20", "--tiers", "2", "--steps", "2", "--force", "--out", "pixels.safetensors"}},
		{"series", []string{"series", "forecast", "--csv", "sales.csv", "--horizon", "3", "--steps", "2", "--out", "f.csv", "--save", "series.safetensors"}},
	} {
		args := append(append(c.args, reg...), "--quiet")
		_, stderr, code := runArkit(t, dir, args...)
		if code != 0 {
			t.Errorf("arkit %s: exit %d\n%s", strings.Join(args, " "), code, stderr)
			continue
		}
		ck, err := core.LoadModel(filepath.Join(dir, c.domain+".safetensors"))
		if err != nil {
			t.Fatal(err)
		}
		saved := ck.Meta[core.MetaSettings(c.domain)]
		for _, want := range []string{`"weight_drop":0.2`, `"locked_dropout":0.1`, `"embed_dropout":0.1`, `"ar":2`, `"tar":1`} {
			if !strings.Contains(saved, want) {
				t.Errorf("%s: saved settings %s lack %s", c.domain, saved, want)
			}
		}
	}
}
