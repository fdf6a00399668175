// The quickstart runs end to end on built-in data with a small budget and
// writes every file it promises.

package main

import (
	"os"
	"path/filepath"
	"testing"
)

func TestQuickstart(t *testing.T) {
	if testing.Short() {
		t.Skip("trains four small models")
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "qs")
	stdout, stderr, code := runArkit(t, dir, "quickstart", "--out", out, "--budget", "8s", "--small", "--quiet")
	if code != 0 {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	for _, f := range []string{"forecast.csv", "forecast.png", "report.html", "text.safetensors", "text.txt",
		"pixels.safetensors", "pixels-samples.png", "pixels-completions.png", "audio.safetensors", "audio.wav", "audio.png"} {
		st, err := os.Stat(filepath.Join(out, f))
		if err != nil || st.Size() == 0 {
			t.Errorf("%s missing or empty: %v", f, err)
		}
	}
	// Run again, as a user re-running the README's command does: the
	// quickstart replaces its own models.
	if _, stderr, code := runArkit(t, dir, "quickstart", "--out", out, "--budget", "4s", "--small", "--quiet"); code != 0 {
		t.Fatalf("second run: exit %d\n%s", code, stderr)
	}
}
