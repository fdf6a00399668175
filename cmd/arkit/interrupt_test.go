//go:build unix

package main

import (
	"bufio"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestSecondInterruptQuits interrupts a training run whose way out is slow
// (a validation over 4 Mi symbols, which it runs before saving): the first
// Ctrl-C must say so on stderr at once, and a second one must end the
// process there and then, by the signal, with no model file written.
func TestSecondInterruptQuits(t *testing.T) {
	dir := t.TempDir()
	reliabilityCorpus(t, dir)
	in, err := os.ReadFile(filepath.Join(dir, "in.txt"))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "val.txt"), []byte(strings.Repeat(string(in), 1100))) // ~4.4 MB
	cmd := exec.Command(arkitBin, "text", "train", "--input", "in.txt", "--val", "val.txt", "--out", "m.safetensors",
		"--hidden", "128", "--embed", "8", "--seq", "16", "--batch", "4", "--steps", "100000000",
		"--val-every", "100000000", "--val-symbols", "4194304", "--quiet")
	cmd.Dir = dir
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	time.Sleep(500 * time.Millisecond) // a few steps
	start := time.Now()
	cmd.Process.Signal(os.Interrupt)
	sc := bufio.NewScanner(stderr)
	var said string
	for sc.Scan() {
		if strings.Contains(sc.Text(), "Ctrl-C") {
			said = sc.Text()
			break
		}
	}
	const want = "arkit: Ctrl-C: stopping; a training run validates and saves first (Ctrl-C again quits at once)"
	if said != want {
		t.Fatalf("after the first Ctrl-C, stderr said %q, want %q", said, want)
	}
	cmd.Process.Signal(os.Interrupt)
	go io.Copy(io.Discard, stderr)
	err = cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		t.Fatalf("after the second Ctrl-C: %v, want death by SIGINT", err)
	}
	ws, _ := ee.Sys().(syscall.WaitStatus)
	if !ws.Signaled() || ws.Signal() != syscall.SIGINT {
		t.Fatalf("after the second Ctrl-C the run exited with %v (after %v), want death by SIGINT: "+
			"the second signal did not cut the validation short", err, time.Since(start).Round(time.Millisecond))
	}
	if _, err := os.Stat(filepath.Join(dir, "m.safetensors")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a model file exists after quitting mid-way: %v", err)
	}
}
