// End-to-end tests of the built arkit binary: the bad-input catalogue of
// docs/errors.md, one row per bad input, each asserting a non-zero exit, a
// one-line error that names the problem, no Go panic or stack trace, and no
// output file left behind.

package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

var arkitBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "arkit-cli")
	if err != nil {
		panic(err)
	}
	arkitBin = filepath.Join(dir, "arkit")
	build := exec.Command("go", "build", "-o", arkitBin, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		os.RemoveAll(dir)
		panic("building arkit: " + err.Error())
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// runArkit runs the binary in dir and returns stdout, stderr and the exit code.
func runArkit(t *testing.T, dir string, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(arkitBin, args...)
	cmd.Dir = dir
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), errb.String(), code
}

// badInput is one row of the catalogue.
type badInput struct {
	name  string
	setup func(t *testing.T, dir string) // writes the bad files
	args  []string
	want  string // a fragment the error line must contain
	out   string // an output path that must not exist afterwards
}

func checkBadInputs(t *testing.T, rows []badInput) {
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			dir := t.TempDir()
			if r.setup != nil {
				r.setup(t, dir)
			}
			_, stderr, code := runArkit(t, dir, r.args...)
			if code == 0 {
				t.Fatalf("exit 0 for %v; stderr %q", r.args, stderr)
			}
			lines := strings.Split(strings.TrimRight(stderr, "\n"), "\n")
			last := lines[len(lines)-1]
			if strings.Contains(stderr, "panic") || strings.Contains(stderr, "goroutine ") {
				t.Fatalf("stack trace in stderr:\n%s", stderr)
			}
			if !strings.HasPrefix(last, "arkit") || !strings.Contains(last, r.want) {
				t.Fatalf("error line %q lacks %q", last, r.want)
			}
			if r.out != "" {
				if _, err := os.Stat(filepath.Join(dir, r.out)); err == nil {
					t.Fatalf("%s was left behind", r.out)
				}
				matches, _ := filepath.Glob(filepath.Join(dir, "."+filepath.Base(r.out)+".tmp*"))
				if len(matches) > 0 {
					t.Fatalf("temporary files left behind: %v", matches)
				}
			}
		})
	}
}

func writeFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestGeneralBadInputs(t *testing.T) {
	checkBadInputs(t, []badInput{
		{name: "unknown command", args: []string{"frobnicate"}, want: `unknown command "frobnicate"`},
		{name: "unknown flag", args: []string{"bench", "--nope"}, want: "flag provided but not defined: -nope"},
		{name: "bad seconds", args: []string{"bench", "--seconds", "-1"}, want: "--seconds -1 must be in (0, 3600]"},
		{name: "bad workload", args: []string{"bench", "--only", "train_x"}, want: `unknown name "train_x"`},
	})
}

func TestHelpAndVersion(t *testing.T) {
	out, _, code := runArkit(t, t.TempDir(), "help")
	if code != 0 || !strings.Contains(out, "bench") {
		t.Fatalf("help: code %d, %q", code, out)
	}
	out, _, code = runArkit(t, t.TempDir(), "help", "bench")
	if code != 0 || !strings.Contains(out, "Examples:") || !strings.Contains(out, "-seconds") {
		t.Fatalf("help bench: code %d, %q", code, out)
	}
	out, _, code = runArkit(t, t.TempDir(), "bench", "-h")
	if code != 0 || !strings.Contains(out, "Usage: arkit bench") {
		t.Fatalf("bench -h: code %d, %q", code, out)
	}
	out, _, code = runArkit(t, t.TempDir(), "version")
	if code != 0 || !strings.HasPrefix(out, "arkit ") {
		t.Fatalf("version: code %d, %q", code, out)
	}
}
