// Reliability through the built binary: training killed at random moments
// leaves a model that loads or no model at all; an interrupted run saves,
// says how to resume, and resumes to the very bytes an uninterrupted run
// writes; one seed gives one output in every domain; files that claim huge
// sizes are refused with one line before anything big is allocated. See
// docs/reliability.md.

package main

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/arkit-go/arkit/core"
	"github.com/arkit-go/arkit/text"
)

// reliabilityCorpus writes dir/in.txt: about 4 KB of seeded word salad,
// enough for a few dozen windows of the tiny model.
func reliabilityCorpus(t *testing.T, dir string) {
	t.Helper()
	words := strings.Fields("the quick brown fox jumps over a lazy dog while seven wise owls count stars above quiet hills")
	r := rand.New(rand.NewPCG(7, 7))
	var b strings.Builder
	for b.Len() < 4000 {
		for i := range 9 {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(words[r.IntN(len(words))])
		}
		b.WriteString(".\n")
	}
	writeFile(t, filepath.Join(dir, "in.txt"), []byte(b.String()))
}

// tinyTrain is the command line of a tiny text training run (about 0.1 ms
// a step) writing out.
func tinyTrain(out string, extra ...string) []string {
	return append([]string{"text", "train", "--input", "in.txt", "--out", out, "--embed", "8", "--hidden", "16",
		"--layers", "1", "--seq", "16", "--batch", "4"}, extra...)
}

// savedSteps loads a model file the way a user's next command would and
// returns the training steps recorded in it.
func savedSteps(t *testing.T, path string) int {
	t.Helper()
	if _, err := text.Load(path); err != nil {
		t.Fatalf("loading the model: %v", err)
	}
	ck, err := core.LoadModel(path)
	if err != nil {
		t.Fatal(err)
	}
	if ck.Optimizer == nil {
		t.Fatalf("%s holds no training state", path)
	}
	return ck.Optimizer.Steps
}

// tempFiles lists the temporary files that saving path may leave.
func tempFiles(path string) []string {
	m, _ := filepath.Glob(filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".tmp*"))
	return m
}

// waitForFile polls until path exists (a first checkpoint) or 20 s pass.
func waitForFile(t *testing.T, path string) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(2 * time.Millisecond) {
		if _, err := os.Stat(path); err == nil {
			return
		}
	}
	t.Fatalf("%s did not appear", path)
}

// TestTrainSurvivesKill kills a training run with SIGKILL at random
// moments, checkpointing every 2 ms so that some kills land in the middle
// of a save, and restarts it with --resume each time. After every kill the
// model file, when there is one yet, loads and generates, its step count
// never goes back, and the kill left at most one temporary file. Every
// restart that gets as far as training has first removed the temporary
// files of the kills before it, and said so; a last restart, with decoys
// beside them, removes the stale temporary files and nothing else.
func TestTrainSurvivesKill(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("needs POSIX signals")
	}
	dir := t.TempDir()
	reliabilityCorpus(t, dir)
	model := filepath.Join(dir, "m.safetensors")
	seed := uint64(time.Now().UnixNano())
	r := rand.New(rand.NewPCG(seed, 0))
	t.Logf("kill moments from seed %d", seed)
	last, saved, cleaned := 0, false, 0
	for kill := 1; kill <= 6; kill++ {
		args := tinyTrain("m.safetensors", "--steps", "100000000", "--checkpoint-every", "2ms", "--quiet")
		if _, err := os.Stat(model); err == nil {
			args = append(args, "--resume")
		}
		before := tempFiles(model)
		cmd := exec.Command(arkitBin, args...)
		cmd.Dir = dir
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		wait := time.Duration(30+r.IntN(300)) * time.Millisecond
		time.Sleep(wait)
		cmd.Process.Kill()
		cmd.Wait()
		if cmd.ProcessState.Exited() {
			t.Fatalf("run %d ended by itself (exit %d) before the kill:\n%s", kill, cmd.ProcessState.ExitCode(), stderr.String())
		}
		tmp := tempFiles(model)
		var fresh, left []string // temporary files of this run; of runs before it
		for _, f := range tmp {
			if slices.Contains(before, f) {
				left = append(left, f)
			} else {
				fresh = append(fresh, f)
			}
		}
		if len(fresh) > 1 {
			t.Fatalf("kill %d left %d new temporary files: %v", kill, len(fresh), fresh)
		}
		if len(before) > 0 && strings.Contains(stderr.String(), "stale temporary file") {
			if want := removedLine(before); !strings.Contains(stderr.String(), want) || len(left) > 0 {
				t.Fatalf("run %d started beside %v, left %v and said:\n%s\nwant %q", kill, before, left, stderr.String(), want)
			}
			cleaned++
		}
		if _, err := os.Stat(model); err != nil {
			t.Logf("kill %d after %v: no checkpoint yet", kill, wait)
			continue
		}
		steps := savedSteps(t, model)
		if steps < last {
			t.Fatalf("kill %d: the checkpoint went back from step %d to %d", kill, last, steps)
		}
		if steps > last && len(left) > 0 {
			t.Fatalf("run %d trained (step %d to %d) but left the temporary files of earlier kills: %v", kill, last, steps, left)
		}
		last, saved = steps, true
		out, errOut, code := runArkit(t, dir, "text", "generate", "--model", "m.safetensors", "--length", "20")
		if code != 0 || len(strings.TrimSpace(out)) == 0 {
			t.Fatalf("kill %d: generate: exit %d, %q, %s", kill, code, out, errOut)
		}
		t.Logf("kill %d after %v: checkpoint at step %d; %d temporary files before, %d after", kill, wait, steps, len(before), len(tmp))
	}
	if !saved {
		t.Fatal("no run got as far as a checkpoint")
	}
	t.Logf("%d restarts removed stale temporary files", cleaned)

	// A last restart beside planted stale files and decoys: a folder and a
	// symbolic link with a temporary file's name, another model's
	// temporary file, and a file that only looks like one.
	writeFile(t, filepath.Join(dir, ".m.safetensors.tmp4242"), []byte("half a save"))
	writeFile(t, filepath.Join(dir, "precious.txt"), []byte("keep"))
	decoys := []string{".m.safetensors.tmp9x", ".other.safetensors.tmp1", ".m.safetensors.tmp7", ".m.safetensors.tmp8"}
	writeFile(t, filepath.Join(dir, decoys[0]), nil)
	writeFile(t, filepath.Join(dir, decoys[1]), nil)
	if err := os.Mkdir(filepath.Join(dir, decoys[2]), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("precious.txt", filepath.Join(dir, decoys[3])); err != nil {
		t.Fatal(err)
	}
	var stale []string
	for _, f := range tempFiles(model) {
		if fi, err := os.Lstat(f); err == nil && fi.Mode().IsRegular() && !strings.HasSuffix(f, "9x") {
			stale = append(stale, f)
		}
	}
	_, errOut, code := runArkit(t, dir, tinyTrain("m.safetensors", "--steps", strconv.Itoa(last+5), "--resume", "--quiet")...)
	if code != 0 || !strings.Contains(errOut, removedLine(stale)) {
		t.Fatalf("restart beside %v: exit %d\n%s\nwant %q", stale, code, errOut, removedLine(stale))
	}
	for _, f := range stale {
		if _, err := os.Lstat(f); err == nil {
			t.Errorf("%s is still there", f)
		}
	}
	for _, f := range append(decoys, "precious.txt") {
		if _, err := os.Lstat(filepath.Join(dir, f)); err != nil {
			t.Errorf("the decoy %s is gone: %v", f, err)
		}
	}
	if b, err := os.ReadFile(filepath.Join(dir, "precious.txt")); err != nil || string(b) != "keep" {
		t.Errorf("the symbolic link's target: %q, %v", b, err)
	}
	if got := savedSteps(t, model); got != last+5 {
		t.Errorf("the last restart saved %d steps, want %d", got, last+5)
	}
}

// TestTrainCommandsRemoveStaleTemps: every training command that
// checkpoints removes the temporary files an interrupted save left beside
// its --out when it starts, fresh or resumed, and says so; the temporary
// files of another output stay.
func TestTrainCommandsRemoveStaleTemps(t *testing.T) {
	tones := func(dir string) {
		for i, hz := range []float64{300, 440} {
			writeFile(t, filepath.Join(dir, "wav", fmt.Sprintf("tone%d.wav", i)), sineWAV(8000, hz, 1600))
		}
	}
	audioTrain := []string{"audio", "train", "--wav", "wav", "--out", "m.safetensors", "--embed", "4", "--hidden", "8",
		"--frame-hidden", "8", "--window", "64", "--batch", "2", "--steps", "2", "--quiet"}
	pixelsTrain := []string{"pixels", "train", "--glyphs", "50", "--size", "8x8", "--hidden", "8", "--steps", "2",
		"--batch", "4", "--out", "m.arkit", "--quiet"}
	for _, tc := range []struct {
		name, out string
		setup     func(dir string)
		args      []string
	}{
		{"text", "m.safetensors", func(dir string) { reliabilityCorpus(t, dir) }, tinyTrain("m.safetensors", "--steps", "2", "--quiet")},
		{"audio", "m.safetensors", tones, audioTrain},
		{"pixels", "m.arkit", nil, pixelsTrain},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if commands[tc.name+" train"] == nil {
				t.Fatalf("arkit %s train is not registered", tc.name)
			}
			dir := t.TempDir()
			if tc.setup != nil {
				tc.setup(dir)
			}
			other := filepath.Join(dir, ".other.tmp5")
			for i, args := range [][]string{tc.args, append(tc.args, "--steps", "4", "--resume")} {
				stale := []string{filepath.Join(dir, "."+tc.out+".tmp"+strconv.Itoa(100+i)), filepath.Join(dir, "."+tc.out+".tmp7")}
				for _, f := range append(stale, other) {
					writeFile(t, f, []byte("half a save"))
				}
				_, errOut, code := runArkit(t, dir, args...)
				if code != 0 || !strings.Contains(errOut, removedLine(stale)) {
					t.Fatalf("run %d: exit %d\n%s\nwant %q", i+1, code, errOut, removedLine(stale))
				}
				if tmp := tempFiles(filepath.Join(dir, tc.out)); len(tmp) > 0 {
					t.Fatalf("run %d left %v", i+1, tmp)
				}
				if _, err := os.Stat(other); err != nil {
					t.Fatalf("run %d removed another output's temporary file: %v", i+1, err)
				}
			}
		})
	}
}

// removedLine is what a training command prints when it removes the
// temporary files at paths (at most 3 of them by name).
func removedLine(paths []string) string {
	names := make([]string, len(paths))
	for i, p := range paths {
		names[i] = filepath.Base(p)
	}
	slices.Sort(names)
	if len(names) == 1 {
		return "removed 1 stale temporary file " + names[0] + " (left by an interrupted save)"
	}
	if len(names) > 3 {
		names = append(names[:3], "...")
	}
	return fmt.Sprintf("removed %d stale temporary files %s (left by interrupted saves)", len(paths), strings.Join(names, ", "))
}

// TestTrainInterruptResume interrupts a run with SIGINT once its first
// checkpoint is written: it must save, say where and how to resume, exit 0
// and leave no temporary file; --resume then trains on to the new step
// limit.
func TestTrainInterruptResume(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("needs POSIX signals")
	}
	dir := t.TempDir()
	reliabilityCorpus(t, dir)
	model := filepath.Join(dir, "m.safetensors")
	cmd := exec.Command(arkitBin, tinyTrain("m.safetensors", "--steps", "100000000", "--checkpoint-every", "10ms")...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitForFile(t, model)
	cmd.Process.Signal(os.Interrupt)
	if err := cmd.Wait(); !interrupted(err) {
		t.Fatalf("interrupted run: %v, want exit status 130\n%s", err, stderr.String())
	}
	lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
	savedLine := regexp.MustCompile(`^saved m\.safetensors after (\d+) steps \(interrupted\); training loss \d+\.\d+, best validation \d+\.\d+ nats/symbol$`)
	if len(lines) < 2 || !savedLine.MatchString(lines[len(lines)-2]) ||
		lines[len(lines)-1] != "to continue, run the same command with --resume" {
		t.Fatalf("the run's last words:\n%s", stderr.String())
	}
	n, _ := strconv.Atoi(savedLine.FindStringSubmatch(lines[len(lines)-2])[1])
	if got := savedSteps(t, model); got != n {
		t.Fatalf("the message says %d steps, the file holds %d", n, got)
	}
	if tmp := tempFiles(model); len(tmp) > 0 {
		t.Fatalf("temporary files left after a clean stop: %v", tmp)
	}
	_, errOut, code := runArkit(t, dir, tinyTrain("m.safetensors", "--steps", strconv.Itoa(n+50), "--resume")...)
	want := fmt.Sprintf("saved m.safetensors after %d steps (step limit)", n+50)
	if code != 0 || !strings.Contains(errOut, fmt.Sprintf("resuming at step %d\n", n)) || !strings.Contains(errOut, want) {
		t.Fatalf("resume: exit %d\n%s", code, errOut)
	}
	if got := savedSteps(t, model); got != n+50 {
		t.Fatalf("resumed file holds %d steps, want %d", got, n+50)
	}
	if tmp := tempFiles(model); len(tmp) > 0 {
		t.Fatalf("temporary files left after resuming: %v", tmp)
	}
}

// TestResumeIsExact compares, byte for byte, the model file of an
// uninterrupted run with that of a run stopped and resumed: at a step limit
// on the validation schedule (with dropout, warmup and validation); at a
// step limit between validations, with --patience, so that the stopped run
// validates where the uninterrupted one does not, resumed once with the
// same command and once without repeating --val-every and --patience; and
// by SIGINT at whatever step it lands, with validation and --patience.
// Each uninterrupted run with --patience stops early, and its resumed twin
// must stop at the same step with the same best parameters.
func TestResumeIsExact(t *testing.T) {
	dir := t.TempDir()
	reliabilityCorpus(t, dir)
	train := func(t *testing.T, out string, extra ...string) string {
		t.Helper()
		_, errOut, code := runArkit(t, dir, tinyTrain(out, extra...)...)
		if code != 0 {
			t.Fatalf("train %s %v: exit %d\n%s", out, extra, code, errOut)
		}
		return errOut
	}
	same := func(t *testing.T, a, b string) {
		t.Helper()
		x, err1 := os.ReadFile(filepath.Join(dir, a))
		y, err2 := os.ReadFile(filepath.Join(dir, b))
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		if !bytes.Equal(x, y) {
			t.Fatalf("%s and %s differ (%d and %d bytes)", a, b, len(x), len(y))
		}
	}
	load := func(t *testing.T, name string) *core.Checkpoint {
		t.Helper()
		ck, err := core.LoadModel(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return ck
	}
	// earlyStop runs an uninterrupted run with flags, which must stop
	// early, and returns its step count.
	earlyStop := func(t *testing.T, out string, flags []string) int {
		t.Helper()
		msg := train(t, out, append(flags, "--sample-length", "0")...) // not --quiet: the last line says why it stopped
		n := savedSteps(t, filepath.Join(dir, out))
		if !strings.Contains(msg, fmt.Sprintf("after %d steps (early stopping)", n)) {
			t.Fatalf("the uninterrupted run did not stop early:\n%s", msg)
		}
		if ck := load(t, out); ck.Best == nil || ck.SinceBest != 3 {
			t.Fatalf("%s: %d validations since the best, best parameters saved: %v", out, ck.SinceBest, ck.Best != nil)
		}
		return n
	}

	// These runs stop at a step limit and resume with a larger one, so the
	// learning rate is constant: a decaying schedule spans the run's steps,
	// and a 20-step run is not the first half of a 40-step one.
	t.Run("step limit", func(t *testing.T) {
		flags := []string{"--layers", "2", "--dropout", "0.2", "--warmup", "5", "--val-every", "10", "--decay", "constant", "--quiet"}
		train(t, "straight.safetensors", append(flags, "--steps", "40")...)
		train(t, "split.safetensors", append(flags, "--steps", "20")...)
		train(t, "split.safetensors", append(flags, "--steps", "40", "--resume")...)
		same(t, "straight.safetensors", "split.safetensors")
	})

	t.Run("patience, stopped between validations", func(t *testing.T) {
		flags := []string{"--lr", "0.01", "--val-every", "7", "--patience", "3", "--decay", "constant", "--steps", "4000"}
		n := earlyStop(t, "patient.safetensors", flags)
		if n <= 61 {
			t.Fatalf("the run stopped early at step %d, before 61", n)
		}
		// Step 61 is 5 steps past a validation, mid-run. At step n-1 the
		// extra validation would either become the best or bring forward
		// the early stop, if it were recorded.
		for _, c := range []struct {
			out    string
			stop   int
			resume []string
		}{
			{"same-command.safetensors", 61, append(slices.Clone(flags), "--resume", "--quiet")},
			{"bare-resume.safetensors", n - 1, []string{"--steps", "4000", "--resume", "--quiet"}},
		} {
			train(t, c.out, append(slices.Clone(flags[:len(flags)-2]), "--steps", strconv.Itoa(c.stop), "--quiet")...)
			ck := load(t, c.out)
			if ck.Optimizer.Steps != c.stop || math.IsNaN(ck.EndVal) || ck.SinceBest >= 3 {
				t.Fatalf("%s after the first leg: step %d, validation at the end %g, %d validations since the best",
					c.out, ck.Optimizer.Steps, ck.EndVal, ck.SinceBest)
			}
			train(t, c.out, c.resume...)
			same(t, "patient.safetensors", c.out)
		}
		t.Logf("early stop at step %d; stopped at 61 and at %d and resumed", n, n-1)
	})

	t.Run("SIGINT", func(t *testing.T) {
		if runtime.GOOS == "windows" {
			t.Skip("needs POSIX signals")
		}
		flags := []string{"--val-every", "7", "--patience", "3", "--steps", "6000"}
		n := earlyStop(t, "interrupted-twin.safetensors", flags)
		cmd := exec.Command(arkitBin, tinyTrain("stopped.safetensors", append(flags, "--checkpoint-every", "5ms", "--quiet")...)...)
		cmd.Dir = dir
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		waitForFile(t, filepath.Join(dir, "stopped.safetensors"))
		cmd.Process.Signal(os.Interrupt)
		if err := cmd.Wait(); !interrupted(err) {
			t.Fatalf("interrupted run: %v, want exit status 130", err)
		}
		at := savedSteps(t, filepath.Join(dir, "stopped.safetensors"))
		if at >= n {
			t.Fatalf("the run stopped early (%d steps) before the interrupt", at)
		}
		offSchedule := !math.IsNaN(load(t, "stopped.safetensors").EndVal)
		if offSchedule == (at%7 == 0) {
			t.Fatalf("interrupted at step %d: validation at the end recorded apart: %v", at, offSchedule)
		}
		t.Logf("interrupted at step %d of %d (between validations: %v)", at, n, offSchedule)
		train(t, "stopped.safetensors", append(flags, "--resume", "--quiet")...)
		same(t, "interrupted-twin.safetensors", "stopped.safetensors")
	})
}

// TestSameSeedSameOutput runs each domain's train and generate commands
// twice with one seed: the model files and the generated outputs must be
// byte-identical, and another seed must change them.
func TestSameSeedSameOutput(t *testing.T) {
	// twice runs args in two fresh folders prepared by setup and returns
	// the bytes of each named output of both runs.
	twice := func(t *testing.T, setup func(dir string), runs [][]string, outputs ...string) (a, b map[string][]byte) {
		t.Helper()
		var got [2]map[string][]byte
		for i := range got {
			dir := t.TempDir()
			if setup != nil {
				setup(dir)
			}
			for _, args := range runs {
				if _, errOut, code := runArkit(t, dir, args...); code != 0 {
					t.Fatalf("arkit %s: exit %d\n%s", strings.Join(args, " "), code, errOut)
				}
			}
			got[i] = map[string][]byte{}
			for _, o := range outputs {
				data, err := os.ReadFile(filepath.Join(dir, o))
				if err != nil || len(data) == 0 {
					t.Fatalf("%s: %v (%d bytes)", o, err, len(data))
				}
				got[i][o] = data
			}
		}
		return got[0], got[1]
	}
	equal := func(t *testing.T, a, b map[string][]byte) {
		t.Helper()
		for name := range a {
			if !bytes.Equal(a[name], b[name]) {
				t.Errorf("two runs with one seed wrote different %s", name)
			}
		}
	}
	registered := func(t *testing.T, names ...string) {
		for _, n := range names {
			if commands[n] == nil {
				t.Fatalf("arkit %s is not registered", n)
			}
		}
	}

	t.Run("text", func(t *testing.T) {
		var gen [2][]string
		prepare := func(dir string) { reliabilityCorpus(t, dir) }
		runs := func(seed string) [][]string {
			return [][]string{tinyTrain("m.safetensors", "--steps", "30", "--val-every", "10", "--seed", seed, "--quiet")}
		}
		a, b := twice(t, prepare, runs("1"), "m.safetensors")
		equal(t, a, b)
		c, _ := twice(t, prepare, runs("2"), "m.safetensors")
		if bytes.Equal(a["m.safetensors"], c["m.safetensors"]) {
			t.Error("another seed wrote the same model")
		}
		// Generation from each of the two identical files.
		for i, m := range []map[string][]byte{a, b} {
			dir := t.TempDir()
			writeFile(t, filepath.Join(dir, "m.safetensors"), m["m.safetensors"])
			out, errOut, code := runArkit(t, dir, "text", "generate", "--model", "m.safetensors", "--length", "80", "--n", "2", "--seed", "3")
			if code != 0 {
				t.Fatalf("generate: %s", errOut)
			}
			gen[i] = append(gen[i], out)
			other, _, _ := runArkit(t, dir, "text", "generate", "--model", "m.safetensors", "--length", "80", "--n", "2", "--seed", "4")
			gen[i] = append(gen[i], other)
		}
		if gen[0][0] != gen[1][0] || gen[0][0] == gen[0][1] {
			t.Errorf("generate: seed 3 gave %q and %q; seed 4 %q", gen[0][0], gen[1][0], gen[0][1])
		}
	})

	t.Run("series", func(t *testing.T) {
		forecast := []string{"series", "forecast", "--builtin", "--method", "lstm", "--steps", "20", "--hidden", "8",
			"--horizon", "12", "--out", "f.csv", "--save", "m.safetensors", "--quiet"}
		a, b := twice(t, nil, [][]string{forecast}, "f.csv", "m.safetensors")
		equal(t, a, b)
	})

	t.Run("pixels", func(t *testing.T) {
		registered(t, "pixels train", "pixels sample")
		runs := [][]string{
			{"pixels", "train", "--glyphs", "200", "--size", "8x8", "--hidden", "16", "--steps", "6", "--batch", "8",
				"--val-images", "20", "--val-every", "3", "--out", "m.arkit", "--quiet"},
			{"pixels", "sample", "--model", "m.arkit", "--n", "4", "--seed", "5", "--out", "s.png"},
		}
		a, b := twice(t, nil, runs, "m.arkit", "s.png")
		equal(t, a, b)
	})

	t.Run("audio", func(t *testing.T) {
		registered(t, "audio train", "audio generate")
		prepare := func(dir string) {
			for i, hz := range []float64{300, 440, 550} {
				writeFile(t, filepath.Join(dir, "wav", fmt.Sprintf("tone%d.wav", i)), sineWAV(8000, hz, 1600))
			}
		}
		runs := [][]string{
			{"audio", "train", "--wav", "wav", "--out", "m.safetensors", "--embed", "4", "--hidden", "8", "--frame-hidden", "8",
				"--window", "64", "--batch", "2", "--steps", "6", "--quiet"},
			{"audio", "generate", "--model", "m.safetensors", "--seconds", "0.05", "--seed", "2", "--out", "g.wav", "--quiet"},
		}
		a, b := twice(t, prepare, runs, "m.safetensors", "g.wav")
		equal(t, a, b)
	})
}

// sineWAV encodes n samples of a sine of hz at rate as a 16-bit mono WAV.
func sineWAV(rate int, hz float64, n int) []byte {
	le := binary.LittleEndian
	b := []byte("RIFF")
	b = le.AppendUint32(b, uint32(36+2*n))
	b = append(b, "WAVEfmt "...)
	b = le.AppendUint32(b, 16)
	b = le.AppendUint16(b, 1) // integer PCM
	b = le.AppendUint16(b, 1) // mono
	b = le.AppendUint32(b, uint32(rate))
	b = le.AppendUint32(b, uint32(2*rate))
	b = le.AppendUint16(b, 2)
	b = le.AppendUint16(b, 16)
	b = append(b, "data"...)
	b = le.AppendUint32(b, uint32(2*n))
	for i := range n {
		b = le.AppendUint16(b, uint16(int16(8000*math.Sin(2*math.Pi*hz*float64(i)/float64(rate)))))
	}
	return b
}

// safetensors builds a safetensors file from a JSON header and data bytes.
func safetensors(header string, data []byte) []byte {
	b := binary.LittleEndian.AppendUint64(nil, uint64(len(header)))
	return append(append(b, header...), data...)
}

// pngHeader is a PNG signature and IHDR chunk claiming a w x h gray image,
// with no pixel data.
func pngHeader(w, h uint32) []byte {
	ihdr := binary.BigEndian.AppendUint32(nil, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 0, 0, 0, 0) // 8-bit gray
	b := []byte("\x89PNG\r\n\x1a\n")
	b = binary.BigEndian.AppendUint32(b, uint32(len(ihdr)))
	chunk := append([]byte("IHDR"), ihdr...)
	b = append(b, chunk...)
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(chunk))
}

// TestLimitsBadInputs feeds each reader a file whose header claims far
// more than the file holds or than the limits allow: each is refused with
// one line, before any allocation of the claimed size (core/limits_test.go
// measures that for model files).
func TestLimitsBadInputs(t *testing.T) {
	file := func(name string, data []byte) func(*testing.T, string) {
		return func(t *testing.T, dir string) { writeFile(t, filepath.Join(dir, name), data) }
	}
	hugeHeader := file("m.safetensors", append(binary.LittleEndian.AppendUint64(nil, 1<<40), "{}"...))
	hugeTensor := file("m.safetensors", safetensors(`{"head.weight":{"dtype":"F32","shape":[1000000,1000000],"data_offsets":[0,4000000000000]}}`, make([]byte, 16)))
	pastEnd := file("m.safetensors", safetensors(`{"head.weight":{"dtype":"F32","shape":[1000,1000],"data_offsets":[0,4000000]}}`, make([]byte, 16)))
	cutShort := func(t *testing.T, dir string) {
		path := filepath.Join(dir, "m.safetensors")
		writeTinyTextModel(t, path)
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, path, data[:len(data)/2])
	}
	generate := []string{"text", "generate", "--model", "m.safetensors"}
	forecast := []string{"series", "forecast", "--builtin", "--horizon", "12", "--model", "m.safetensors", "--out", "f.csv"}
	mnist := func(dims ...uint32) func(*testing.T, string) {
		return func(t *testing.T, dir string) {
			var b []byte
			b = binary.BigEndian.AppendUint32(b, 0x800|uint32(len(dims)))
			for _, d := range dims {
				b = binary.BigEndian.AppendUint32(b, d)
			}
			writeFile(t, filepath.Join(dir, "mnist", "train-images-idx3-ubyte"), append(b, make([]byte, 64)...))
			writeFile(t, filepath.Join(dir, "mnist", "train-labels-idx1-ubyte"), binary.BigEndian.AppendUint32([]byte{0, 0, 8, 1}, 2))
		}
	}
	// A WAV whose data chunk claims 4 GB, and a real 0.2 s one.
	bigWAV := sineWAV(8000, 440, 800)
	binary.LittleEndian.PutUint32(bigWAV[40:], 0xfffffff0)
	checkBadInputs(t, []badInput{
		{name: "model header claims 1 TB", setup: hugeHeader, args: generate, want: "header length 1099511627776 exceeds the 67108864 limit"},
		{name: "tensor of 10^12 values", setup: hugeTensor, args: generate, want: "shape [1000000 1000000] is invalid"},
		{name: "tensor past the end of the file", setup: pastEnd, args: generate, want: "outside the 16 data bytes"},
		{name: "model file cut in half", setup: cutShort, args: generate, want: "malformed safetensors file"},
		{name: "empty model file", setup: file("m.safetensors", nil), args: generate, want: "0 bytes, too short for a header"},
		{name: "series model header claims 1 TB", setup: hugeHeader, args: forecast, want: "exceeds the 67108864 limit", out: "f.csv"},
		{name: "IDX claims 2^44 bytes", setup: mnist(1<<16, 1<<14, 1<<14),
			args: []string{"pixels", "train", "--mnist", "mnist", "--out", "m.arkit"}, want: "too large", out: "m.arkit"},
		{name: "PNG claims 10^10 pixels", setup: file("imgs/a.png", pngHeader(100000, 100000)),
			args: []string{"pixels", "train", "--images", "imgs", "--size", "8x8", "--out", "m.arkit"}, want: "100000x100000", out: "m.arkit"},
		{name: "WAV data claims 4 GB", setup: file("wav/a.wav", bigWAV),
			args: []string{"audio", "train", "--wav", "wav", "--out", "m.safetensors"}, want: "a.wav", out: "m.safetensors"},
		{name: "WAV longer than --max-duration", setup: file("wav/a.wav", sineWAV(8000, 440, 1600)),
			args: []string{"audio", "train", "--wav", "wav", "--max-duration", "100ms", "--out", "m.safetensors"}, want: "audio too long", out: "m.safetensors"},
	})
}

// TestSeriesRemovesStaleTemps: forecast and backtest clear the temporary
// files a killed run left beside their outputs, and say so.
func TestSeriesRemovesStaleTemps(t *testing.T) {
	dir := t.TempDir()
	stale := []string{filepath.Join(dir, ".f.csv.tmp123"), filepath.Join(dir, ".f.svg.tmp9")}
	for _, f := range stale {
		writeFile(t, f, []byte("half a save"))
	}
	_, errOut, code := runArkit(t, dir, "series", "forecast", "--builtin", "--horizon", "6", "--method", "snaive",
		"--out", "f.csv", "--plot", "f.svg")
	if code != 0 || !strings.Contains(errOut, removedLine(stale[:1])) || !strings.Contains(errOut, removedLine(stale[1:])) {
		t.Fatalf("forecast: exit %d\n%s", code, errOut)
	}
	for _, out := range []string{"f.csv", "f.svg"} {
		if tmp := tempFiles(filepath.Join(dir, out)); len(tmp) > 0 {
			t.Fatalf("forecast left %v", tmp)
		}
	}
	stale = stale[1:]
	writeFile(t, stale[0], []byte("half a save"))
	_, errOut, code = runArkit(t, dir, "series", "backtest", "--builtin", "--horizon", "6", "--method", "snaive", "--plot", "f.svg")
	if code != 0 || !strings.Contains(errOut, removedLine(stale)) {
		t.Fatalf("backtest: exit %d\n%s", code, errOut)
	}
}
