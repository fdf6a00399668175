// Tests of the search for the shared data folder.

package shareddata

import (
	"os"
	"path/filepath"
	"testing"
)

// TestDirBesideModule builds root/shared/data and root/wt/repo/go.mod: from
// a package folder of the repository, Dir finds the folder one level above
// the module's parent, as a worktree kept in a subfolder needs.
func TestDirBesideModule(t *testing.T) {
	t.Setenv("ARKIT_DATA", "")
	root := t.TempDir()
	want := filepath.Join(root, "shared", "data")
	pkg := filepath.Join(root, "wt", "repo", "audio")
	for _, d := range []string{want, pkg} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(root, "wt", "repo", "go.mod"), []byte("module x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(pkg)
	if got, err := Dir(); err != nil || got != want {
		t.Errorf("Dir() = %q, %v; want %q", got, err, want)
	}
	t.Setenv("ARKIT_DATA", "/elsewhere")
	if got, err := Dir(); err != nil || got != "/elsewhere" {
		t.Errorf("with ARKIT_DATA: Dir() = %q, %v", got, err)
	}
}

func TestDirMissing(t *testing.T) {
	t.Setenv("ARKIT_DATA", "")
	repo := filepath.Join(t.TempDir(), "repo")
	if err := os.MkdirAll(repo, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(repo, "go.mod"), []byte("module x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(repo)
	if got, err := Dir(); err == nil {
		t.Errorf("Dir() = %q with no shared data anywhere", got)
	}
}
