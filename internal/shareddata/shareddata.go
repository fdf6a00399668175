// Package shareddata finds the shared data folder that tests and
// benchmarks measure real data sets from: ../shared/data beside the
// repository (see its README.md), never copied into it.
package shareddata

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// Dir returns the shared data folder: $ARKIT_DATA if it is set, else the
// first folder shared/data found in the parent of the module root (the
// folder holding go.mod, searched for from the working directory upwards)
// or in one of that parent's ancestors, so that a git worktree kept deeper
// than the main checkout finds the same folder.
func Dir() (string, error) {
	if d := os.Getenv("ARKIT_DATA"); d != "" {
		return d, nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	root := wd
	for {
		if _, err := os.Stat(filepath.Join(root, "go.mod")); err == nil {
			break
		}
		up := filepath.Dir(root)
		if up == root {
			return "", fmt.Errorf("no go.mod above %s", wd)
		}
		root = up
	}
	for dir := filepath.Dir(root); ; {
		d := filepath.Join(dir, "shared", "data")
		if st, err := os.Stat(d); err == nil && st.IsDir() {
			return d, nil
		}
		up := filepath.Dir(dir)
		if up == dir {
			return "", fmt.Errorf("no folder shared/data beside %s or above it (set ARKIT_DATA to name it)", root)
		}
		dir = up
	}
}

// Require returns the path elem inside the shared data folder. It skips the
// test under -short, and fails it if the folder or the path is missing: a
// test of real data must not pass by not running where the data should be.
func Require(tb testing.TB, elem ...string) string {
	tb.Helper()
	if testing.Short() {
		tb.Skip("-short: not measuring the shared data")
	}
	d, err := Dir()
	if err != nil {
		tb.Fatal("shared data:", err)
	}
	p := filepath.Join(append([]string{d}, elem...)...)
	if _, err := os.Stat(p); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			tb.Fatalf("shared data: %s is missing (see %s)", p, filepath.Join(d, "README.md"))
		}
		tb.Fatal("shared data:", err)
	}
	return p
}
