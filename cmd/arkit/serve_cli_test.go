// End-to-end test of arkit serve: it serves a model on a free loopback
// port, answers, and exits 0 on SIGTERM after a graceful stop.

package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/arkit-go/arkit/core"
	"github.com/arkit-go/arkit/text"
)

func TestServeStopsWithExit0(t *testing.T) {
	dir := t.TempDir()
	m, _, err := text.Train(context.Background(), strings.Repeat(tinyCorpus, 4), "", text.TrainOptions{
		TrainOptions: core.TrainOptions{Steps: 5, Seed: 1}, Embed: 4, Hidden: 8, Layers: 1, Seq: 8, Batch: 2,
		ValFraction: text.NoValidation, SampleLength: text.NoPreview})
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Save(filepath.Join(dir, "tiny.safetensors")); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(arkitBin, "serve", "--models", dir, "--addr", "127.0.0.1:0")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	var log bytes.Buffer
	sc := bufio.NewScanner(io.TeeReader(stderr, &log))
	url := ""
	for url == "" && sc.Scan() {
		if m := regexp.MustCompile(`http://\S+/`).FindString(sc.Text()); m != "" {
			url = m
		}
	}
	if url == "" || !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Fatalf("no address on stderr:\n%s", log.String())
	}
	go io.Copy(io.Discard, stderr)
	resp, err := http.Get(url + "api/models")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(b), `"name":"tiny"`) {
		t.Errorf("models: %s", b)
	}
	cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("after SIGTERM: %v, want exit status 0", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("still running 20s after SIGTERM")
	}
}

func TestServeBadFlags(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"serve"}, 2, "give --models DIR or --model FILE"},
		{[]string{"serve", "--models", dir}, 1, "no model files"},
		{[]string{"serve", "--model", "missing.safetensors"}, 1, "missing.safetensors"},
		{[]string{"serve", "--models", dir, "--workers", "-1"}, 2, "--workers"},
	} {
		_, stderr, code := runArkit(t, dir, tc.args...)
		if code != tc.code || !strings.Contains(stderr, tc.msg) || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%v: exit %d, %q; want %d and %q", tc.args, code, stderr, tc.code, tc.msg)
		}
	}
}
