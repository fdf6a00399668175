// Tests of atomicfile.go: atomic replacement and the removal of the
// temporary files that a killed save leaves behind.

package core

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// TestWriteFileAtomic: a failed write leaves the old file and no temporary
// file; a successful one replaces the file whole.
func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "m.safetensors")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	err := WriteFileAtomic(path, func(w io.Writer) error {
		w.Write([]byte("half"))
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("error %v, want boom", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "old" {
		t.Fatalf("after a failed write the file holds %q", b)
	}
	if err := WriteFileAtomic(path, func(w io.Writer) error { _, err := w.Write([]byte("new")); return err }); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != "new" {
		t.Fatalf("after a write the file holds %q", b)
	}
	if names := dirNames(t, dir); !slices.Equal(names, []string{"m.safetensors"}) {
		t.Fatalf("folder holds %v", names)
	}
}

// TestRemoveStaleTemps removes exactly the regular files that
// WriteFileAtomic names for the target, and nothing they might point to.
func TestRemoveStaleTemps(t *testing.T) {
	dir := t.TempDir()
	outside := t.TempDir()
	file := func(name string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(name), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	stale := []string{".m.safetensors.tmp123", ".m.safetensors.tmp4294967295", ".m.safetensors.tmp0"}
	kept := []string{
		"m.safetensors",
		".m.safetensors.tmp",            // no digits
		".m.safetensors.tmp12a",         // not only digits
		".m.safetensors.tmp12345678901", // more than a uint32
		".m.safetensors.tmp-1",          // a sign
		".m.safetensorsx.tmp1",          // another target
		".xm.safetensors.tmp1",          // another target
		".other.safetensors.tmp1",       // another target
		"m.safetensors.tmp1",            // no leading dot
		".m.safetensors.tmp1.bak",       // a suffix
	}
	for _, n := range append(slices.Clone(stale), kept...) {
		file(n)
	}
	// A folder and symbolic links with a temporary file's name stay, and
	// so do the files the links point to.
	if err := os.Mkdir(filepath.Join(dir, ".m.safetensors.tmp55"), 0o755); err != nil {
		t.Fatal(err)
	}
	kept = append(kept, ".m.safetensors.tmp55")
	target := filepath.Join(outside, "precious")
	if err := os.WriteFile(target, []byte("keep me"), 0o644); err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" {
		for name, to := range map[string]string{".m.safetensors.tmp77": target, ".m.safetensors.tmp78": outside} {
			if err := os.Symlink(to, filepath.Join(dir, name)); err != nil {
				t.Fatal(err)
			}
			kept = append(kept, name)
		}
	}

	removed, err := RemoveStaleTemps(filepath.Join(dir, "m.safetensors"))
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(removed)
	slices.Sort(stale)
	if !slices.Equal(removed, stale) {
		t.Errorf("removed %v, want %v", removed, stale)
	}
	slices.Sort(kept)
	if names := dirNames(t, dir); !slices.Equal(names, kept) {
		t.Errorf("left %v, want %v", names, kept)
	}
	if b, err := os.ReadFile(target); err != nil || string(b) != "keep me" {
		t.Errorf("the link's target: %q, %v", b, err)
	}

	// Nothing to do, and a missing folder, are not errors.
	if removed, err := RemoveStaleTemps(filepath.Join(dir, "m.safetensors")); err != nil || len(removed) > 0 {
		t.Errorf("second pass: %v, %v", removed, err)
	}
	if removed, err := RemoveStaleTemps(filepath.Join(dir, "no", "such", "m.safetensors")); err != nil || len(removed) > 0 {
		t.Errorf("missing folder: %v, %v", removed, err)
	}
	// A bare file name means the working folder.
	t.Chdir(dir)
	file(".n.tmp9")
	if removed, err := RemoveStaleTemps("n"); err != nil || !slices.Equal(removed, []string{".n.tmp9"}) {
		t.Errorf("bare name: %v, %v", removed, err)
	}
}

func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func TestCheckOutputPath(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "f.txt")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		path, want string
	}{
		{filepath.Join(dir, "new.safetensors"), ""},
		{file, ""}, // an existing file may be replaced
		{filepath.Join(dir, "no", "m.safetensors"), "does not exist"},
		{filepath.Join(file, "m.safetensors"), "is not a folder"},
		{dir, "is a directory"},
	} {
		err := CheckOutputPath(c.path)
		if (c.want == "") != (err == nil) || (err != nil && (!strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), c.path))) {
			t.Errorf("CheckOutputPath(%s): %v, want %q", c.path, err, c.want)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("the checks left %d files in the folder, want 1", len(entries))
	}
}
