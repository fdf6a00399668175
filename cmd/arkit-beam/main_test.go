// The command's exit codes and messages: one line for a bad row, 2 for a
// bad command line.

package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeSeries writes two monthly series of 36 points to two files, the
// value of line 4 of b.csv replaced by bad when not empty.
func writeSeries(t *testing.T, bad string) string {
	t.Helper()
	dir := t.TempDir()
	var a, b strings.Builder
	a.WriteString("id,time,value\n")
	b.WriteString("id,time,value\n")
	for k := range 36 {
		for i, w := range []*strings.Builder{&a, &b} {
			v := fmt.Sprint(100 + k%12 + i)
			if w == &b && k == 2 && bad != "" {
				v = bad // line 4 of b.csv
			}
			fmt.Fprintf(w, "s%d,%d-%02d-01,%s\n", (k+i)%2, 2020+k/12, k%12+1, v)
		}
	}
	for name, s := range map[string]string{"a.csv": a.String(), "b.csv": b.String()} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestRunBadRowOneLine(t *testing.T) {
	dir := writeSeries(t, "oops")
	var stderr bytes.Buffer
	code := run([]string{"series", "forecast", "--csv", filepath.Join(dir, "*.csv"), "--out", filepath.Join(dir, "f"),
		"--horizon", "3", "--method", "snaive", "--agg", "mean"}, &stderr)
	want := fmt.Sprintf("arkit-beam: series: %s line 4 column \"value\": not a number: \"oops\"\n", filepath.Join(dir, "b.csv"))
	if code != 1 || stderr.String() != want {
		t.Errorf("exit %d, stderr:\n%s\nwant exit 1 and\n%s", code, stderr.String(), want)
	}
}

func TestRunUsage(t *testing.T) {
	dir := writeSeries(t, "")
	for _, args := range [][]string{
		{"series", "forecast", "--csv", filepath.Join(dir, "*.csv"), "--out", filepath.Join(dir, "f")},
		{"series", "forecast", "--csv", filepath.Join(dir, "*.csv"), "--horizon", "3"},
		{"series", "forecast", "--csv", filepath.Join(dir, "*.csv"), "--horizon", "3", "--out", "x", "--model", "m.safetensors", "--paths", "0"},
		{"series", "backtest", "--csv", filepath.Join(dir, "*.csv"), "--horizon", "0"},
		{"series", "sideways"},
	} {
		var stderr bytes.Buffer
		if code := run(args, &stderr); code != 2 {
			t.Errorf("%q: exit %d, want 2; stderr: %s", args, code, stderr.String())
		}
	}
}
