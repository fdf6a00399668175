// End-to-end tests of the built arkit binary: the bad-input catalogue of
// docs/errors.md, one row per bad input, each asserting a non-zero exit, a
// one-line error that names the problem, no Go panic or stack trace, and no
// output file left behind. The rows' exact messages are recorded as they
// run; TestMain writes them to docs/errors.md (ARKIT_WRITE_ERRORS=1) or
// checks that file against them.

package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/arkit-go/arkit/audio"
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
	if code == 0 {
		code = catalogue.finish(errorsDoc)
	}
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

// interrupted reports whether a command's Wait error is exit status 130,
// that of a run stopped by SIGINT after saving.
func interrupted(err error) bool {
	var ee *exec.ExitError
	return errors.As(err, &ee) && ee.ExitCode() == 130
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
	for i, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			dir := t.TempDir()
			if r.setup != nil {
				r.setup(t, dir)
			}
			_, stderr, code := runArkit(t, dir, r.args...)
			catalogue.record(t, i, dir, r, code, stderr)
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
		{name: "unknown precision", args: []string{"bench", "--precision", "fp16"}, want: `invalid value "fp16" for flag -precision: precision "fp16": choose fp32, bf16 or auto`},
		{name: "train unknown precision", args: []string{"text", "train", "--builtin", "--out", "m.safetensors", "--precision", "int8"},
			want: `invalid value "int8" for flag -precision: precision "int8": choose fp32, bf16 or auto`, out: "m.safetensors"},
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

// errorsDoc is the generated catalogue of bad inputs, from this package.
const errorsDoc = "../../docs/errors.md"

// catalogueRow is one bad input as docs/errors.md shows it.
type catalogueRow struct {
	test  string // the test function, e.g. TestTextBadInputs
	index int    // the row's place in its table
	input string // the row's name
	args  []string
	code  int
	line  string // the last line of stderr
}

// errorCatalogue collects the rows that checkBadInputs runs. Its mutex
// lets rows record from parallel tests.
type errorCatalogue struct {
	mu   sync.Mutex
	rows map[string]catalogueRow // by the row's full subtest name
}

var catalogue = &errorCatalogue{rows: map[string]catalogueRow{}}

// tempSuffix is the random part of a temporary file's name
// (os.CreateTemp's "*"), such as the 123 of .model.safetensors.tmp123.
var tempSuffix = regexp.MustCompile(`(\.tmp)[0-9]+`)

// record keeps what a row's command printed, with the row's temporary
// folder written as DIR and random temporary names as .tmp*, so that the
// text is the same on every run.
func (c *errorCatalogue) record(t *testing.T, index int, dir string, r badInput, code int, stderr string) {
	lines := strings.Split(strings.TrimRight(stderr, "\n"), "\n")
	norm := func(s string) string {
		if real, err := filepath.EvalSymlinks(dir); err == nil && real != dir {
			s = strings.ReplaceAll(s, real, "DIR")
		}
		return tempSuffix.ReplaceAllString(strings.ReplaceAll(s, dir, "DIR"), "$1*")
	}
	args := make([]string, len(r.args))
	for i, a := range r.args {
		args[i] = norm(a)
	}
	test := t.Name()[:strings.LastIndex(t.Name(), "/")]
	c.mu.Lock()
	defer c.mu.Unlock()
	c.rows[t.Name()] = catalogueRow{test: test, index: index, input: r.name, args: args, code: code, line: norm(lines[len(lines)-1])}
}

// markdown renders the catalogue: one section per test function, one
// table row per bad input.
func (c *errorCatalogue) markdown() string {
	c.mu.Lock()
	rows := make([]catalogueRow, 0, len(c.rows))
	for _, r := range c.rows {
		rows = append(rows, r)
	}
	c.mu.Unlock()
	sort.Slice(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		if a.test != b.test {
			return a.test < b.test
		}
		if a.index != b.index {
			return a.index < b.index
		}
		return a.input < b.input
	})
	var b strings.Builder
	b.WriteString("# What arkit says about bad input\n\n")
	b.WriteString("<!-- Generated by `ARKIT_WRITE_ERRORS=1 go test ./cmd/arkit`: do not edit by hand. -->\n\n")
	b.WriteString("Every row is a bad input from the end-to-end tests of `cmd/arkit`: the command, run in a folder\n" +
		"the test prepared (`DIR` in a message stands for that folder), its exit status and the exact\n" +
		"line it prints on stderr. Each command exits non-zero (2: a bad command line, 1: bad data or\n" +
		"files), prints that one line and no stack trace, and leaves no output or temporary file behind.\n" +
		"`go test ./cmd/arkit` fails when a message here differs from what arkit prints or a row is\n" +
		"missing; regenerate this file with the command above. See also docs/reliability.md.\n")
	for i, r := range rows {
		if i == 0 || r.test != rows[i-1].test {
			domain := strings.TrimSuffix(strings.TrimPrefix(r.test, "Test"), "BadInputs")
			fmt.Fprintf(&b, "\n## %s (%s)\n\n| input | command | exit | message |\n| --- | --- | --- | --- |\n",
				strings.ToLower(domain), r.test)
		}
		quoted := make([]string, len(r.args))
		for k, a := range r.args {
			quoted[k] = shellQuote(a)
		}
		fmt.Fprintf(&b, "| %s | %s | %d | %s |\n", strings.ReplaceAll(r.input, "|", `\|`),
			codeCell("arkit "+strings.Join(quoted, " ")), r.code, codeCell(r.line))
	}
	return b.String()
}

// finish writes docs/errors.md (with ARKIT_WRITE_ERRORS=1) or compares it
// with the recorded rows, after a run of all the tests, and returns the
// exit status: 1 when the file is out of date or could not be written.
func (c *errorCatalogue) finish(path string) int {
	write := os.Getenv("ARKIT_WRITE_ERRORS") == "1"
	for _, name := range []string{"test.run", "test.skip", "test.list"} {
		if f := flag.Lookup(name); f != nil && f.Value.String() != "" {
			if write {
				fmt.Printf("ARKIT_WRITE_ERRORS: -%s leaves rows out; not writing %s\n", strings.TrimPrefix(name, "test."), path)
				return 1
			}
			return 0 // only some rows ran: nothing to compare
		}
	}
	doc := c.markdown()
	if write {
		if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
			fmt.Println("ARKIT_WRITE_ERRORS:", err)
			return 1
		}
		fmt.Printf("wrote %s: %d bad inputs\n", path, len(c.rows))
		return 0
	}
	old, err := os.ReadFile(path)
	if err != nil || string(old) == doc {
		return 0 // no catalogue to check, or it is up to date
	}
	fmt.Printf("--- FAIL: docs/errors.md disagrees with the bad-input rows of the tests\n")
	oldLines, newLines := lineSet(string(old)), lineSet(doc)
	for _, l := range strings.Split(string(old), "\n") {
		if !newLines[l] {
			fmt.Printf("    in docs/errors.md only: %s\n", l)
		}
	}
	for _, l := range strings.Split(doc, "\n") {
		if !oldLines[l] {
			fmt.Printf("    printed now:            %s\n", l)
		}
	}
	fmt.Printf("    if the change is intended, regenerate it: ARKIT_WRITE_ERRORS=1 go test ./cmd/arkit\n")
	return 1
}

func lineSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, l := range strings.Split(s, "\n") {
		m[l] = true
	}
	return m
}

// shellQuote quotes an argument for a POSIX shell when it needs it.
func shellQuote(s string) string {
	plain := s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || strings.ContainsRune("-_./:=,+@%", r))
	}) < 0
	if plain {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// codeCell writes s as a code span that a Markdown table cell can hold.
func codeCell(s string) string {
	s = strings.ReplaceAll(s, "|", `\|`)
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	if len(fence) > 1 || strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		return fence + " " + s + " " + fence
	}
	return fence + s + fence
}

// TestDomainHelp checks that each domain lists its commands however a new
// user asks: arkit DOMAIN, arkit help DOMAIN, arkit DOMAIN --help.
func TestDomainHelp(t *testing.T) {
	for _, d := range []string{"text", "series", "pixels", "audio"} {
		for _, args := range [][]string{{"help", d}, {d, "--help"}, {d, "-h"}, {d}} {
			stdout, stderr, code := runArkit(t, t.TempDir(), args...)
			want := 0
			if len(args) == 1 {
				want = 2 // a domain alone is an incomplete command
			}
			listing := stdout + stderr
			if code != want || !strings.Contains(listing, "Usage: arkit "+d+" COMMAND") || !strings.Contains(listing, "  "+d+" ") {
				t.Errorf("arkit %s: exit %d (want %d)\n%s", strings.Join(args, " "), code, want, listing)
			}
			for n := range commands {
				if !strings.HasPrefix(n, d+" ") && strings.Contains(listing, "\n  "+n+" ") {
					t.Errorf("arkit %s lists %q of another domain", strings.Join(args, " "), n)
				}
			}
		}
		_, stderr, code := runArkit(t, t.TempDir(), d, "nonsense")
		if code != 2 || !strings.Contains(stderr, "arkit help "+d) {
			t.Errorf("arkit %s nonsense: exit %d\n%s", d, code, stderr)
		}
	}
}

// mustRunArkit runs arkit as runArkit does and fails the test unless it
// exits 0; it returns the standard output.
func mustRunArkit(t *testing.T, dir string, args ...string) string {
	t.Helper()
	out, stderr, code := runArkit(t, dir, args...)
	if code != 0 {
		t.Fatalf("arkit %s: exit %d\n%s", strings.Join(args, " "), code, stderr)
	}
	return out
}

// runArkitStdin is runArkit with stdin as the command's standard input.
func runArkitStdin(t *testing.T, dir string, stdin []byte, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(arkitBin, args...)
	cmd.Dir = dir
	cmd.Stdin = bytes.NewReader(stdin)
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

// TestStdinInputs reads each domain's stream input from "-" and checks the
// result against the same file read by name.
func TestStdinInputs(t *testing.T) {
	dir := t.TempDir()
	run := func(args ...string) string { t.Helper(); return mustRunArkit(t, dir, args...) }
	piped := func(file string, args ...string) string {
		t.Helper()
		in, err := os.ReadFile(filepath.Join(dir, file))
		if err != nil {
			t.Fatal(err)
		}
		out, stderr, code := runArkitStdin(t, dir, in, args...)
		if code != 0 {
			t.Fatalf("arkit %s < %s: exit %d\n%s", strings.Join(args, " "), file, code, stderr)
		}
		return out
	}
	// dropTime removes the timing of a --json evaluation and its data name.
	dropTime := func(js string) string {
		var m map[string]any
		if err := json.Unmarshal([]byte(js), &m); err != nil {
			t.Fatalf("%v: %s", err, js)
		}
		delete(m, "seconds")
		delete(m, "data")
		b, _ := json.Marshal(m)
		return string(b)
	}

	t.Run("series --csv -", func(t *testing.T) {
		var csv strings.Builder
		csv.WriteString("date,sales\n")
		for i := range 36 {
			fmt.Fprintf(&csv, "%d-%02d-01,%d\n", 2020+i/12, i%12+1, 100+i+(i%12)*5)
		}
		writeFile(t, filepath.Join(dir, "sales.csv"), []byte(csv.String()))
		args := []string{"series", "forecast", "--horizon", "6", "--method", "ets", "--out", "-", "--csv"}
		if a, b := run(append(args, "sales.csv")...), piped("sales.csv", append(args, "-")...); a != b || a == "" {
			t.Errorf("forecast of the file:\n%s\nof standard input:\n%s", a, b)
		}
	})
	t.Run("text --input -", func(t *testing.T) {
		writeFile(t, filepath.Join(dir, "in.txt"), []byte(strings.Repeat(tinyCorpus, 10)))
		run("text", "train", "--input", "in.txt", "--out", "t.safetensors", "--steps", "2", "--hidden", "8", "--embed", "4",
			"--seq", "8", "--batch", "2", "--quiet")
		args := []string{"text", "eval", "--model", "t.safetensors", "--json", "--input"}
		if a, b := dropTime(run(append(args, "in.txt")...)), dropTime(piped("in.txt", append(args, "-")...)); a != b {
			t.Errorf("score of the file %s, of standard input %s", a, b)
		}
	})
	t.Run("audio --wav -", func(t *testing.T) {
		clip := &audio.Clip{Rate: 8000, Samples: make([]float32, 4000)}
		for i := range clip.Samples {
			clip.Samples[i] = float32(0.3 * math.Sin(2*math.Pi*440*float64(i)/8000))
		}
		if err := audio.WriteWAV(filepath.Join(dir, "tone.wav"), clip); err != nil {
			t.Fatal(err)
		}
		run("audio", "train", "--wav", "tone.wav", "--out", "a.safetensors", "--steps", "2", "--hidden", "8",
			"--frame-hidden", "8", "--quiet")
		args := []string{"audio", "eval", "--model", "a.safetensors", "--json", "--wav"}
		if a, b := dropTime(run(append(args, "tone.wav")...)), dropTime(piped("tone.wav", append(args, "-")...)); a != b {
			t.Errorf("score of the file %s, of standard input %s", a, b)
		}
	})
	t.Run("pixels --image -", func(t *testing.T) {
		run("pixels", "train", "--glyphs", "40", "--out", "p.safetensors", "--steps", "2", "--hidden", "8", "--quiet")
		img := image.NewGray(image.Rect(0, 0, 28, 28))
		for i := range img.Pix {
			if x := i % 28; x > 10 && x < 18 {
				img.Pix[i] = 255
			}
		}
		var png_ bytes.Buffer
		if err := png.Encode(&png_, img); err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(dir, "d.png"), png_.Bytes())
		args := []string{"pixels", "complete", "--model", "p.safetensors", "--keep-rows", "14", "--n", "2", "--seed", "3"}
		run(append(args, "--image", "d.png", "--out", "a.png")...)
		piped("d.png", append(args, "--image", "-", "--out", "b.png")...)
		a, _ := os.ReadFile(filepath.Join(dir, "a.png"))
		b, _ := os.ReadFile(filepath.Join(dir, "b.png"))
		if len(a) == 0 || !bytes.Equal(a, b) {
			t.Error("the completion of the file and of standard input differ")
		}
	})
}

// TestTrainRefusesExistingModel: every train command refuses to replace an
// existing model file without --resume or --force, before any work, and
// leaves the file as it was.
func TestTrainRefusesExistingModel(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "in.txt"), []byte(strings.Repeat(tinyCorpus, 10)))
	var csv strings.Builder
	csv.WriteString("date,sales\n")
	for i := range 36 {
		fmt.Fprintf(&csv, "%d-%02d-01,%d\n", 2020+i/12, i%12+1, 100+i)
	}
	writeFile(t, filepath.Join(dir, "sales.csv"), []byte(csv.String()))
	precious := []byte("a model file someone trained for a week")
	for _, args := range [][]string{
		{"text", "train", "--input", "in.txt", "--steps", "1", "--out", "m.safetensors"},
		{"audio", "train", "--tones", "4", "--steps", "1", "--out", "m.safetensors"},
		{"pixels", "train", "--glyphs", "20", "--steps", "1", "--out", "m.safetensors"},
		{"series", "forecast", "--csv", "sales.csv", "--horizon", "3", "--steps", "1", "--out", "f.csv", "--save", "m.safetensors"},
	} {
		writeFile(t, filepath.Join(dir, "m.safetensors"), precious)
		_, stderr, code := runArkit(t, dir, args...)
		if code != 1 || !strings.Contains(stderr, "m.safetensors already exists") || !strings.Contains(stderr, "--force") {
			t.Errorf("arkit %s: exit %d\n%s", strings.Join(args[:2], " "), code, stderr)
		}
		if b, _ := os.ReadFile(filepath.Join(dir, "m.safetensors")); !bytes.Equal(b, precious) {
			t.Errorf("arkit %s changed the existing model file", strings.Join(args[:2], " "))
		}
		if _, err := os.Stat(filepath.Join(dir, "f.csv")); err == nil {
			t.Errorf("arkit %s wrote its output though it refused", strings.Join(args[:2], " "))
		}
	}
}
