// Atomic file output: every file arkit writes (checkpoints, generated text,
// WAV, PNG, CSV, plots) goes through WriteFileAtomic, so a crash or an error
// never leaves a partial file where a good one was; RemoveStaleTemps clears
// the temporaries a killed process left behind.

package core

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// WriteFileAtomic writes a file through write into a temporary file in the
// same directory and renames it over path only when everything succeeded,
// so a crash or an error never leaves a partial file at path. w is the
// temporary *os.File, so writers that must seek (a WAV encoder patching
// its header) may assert io.WriteSeeker.
func WriteFileAtomic(path string, write func(w io.Writer) error) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp*")
	if err != nil {
		// The temporary name means nothing to the user: name the folder.
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return fmt.Errorf("cannot create a file in folder %s: %w", dir, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if err = write(f); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = os.Chmod(tmp, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// RemoveStaleTemps removes the temporary files that WriteFileAtomic left
// beside path when a process died during a save (each save picks a new
// name, so nothing else ever removes them). It removes only regular files
// named exactly "." + base(path) + ".tmp" + 1 to 10 decimal digits, the
// names WriteFileAtomic uses, in path's folder; symbolic links, folders and
// every other name are left alone. It returns the base names it removed and
// the first error met (a missing folder is not one). The temporary file of
// a save in progress has the same name: call it only when no other process
// may be writing path, as a training run does when it starts.
func RemoveStaleTemps(path string) (removed []string, err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		return nil, err
	}
	prefix := "." + base + ".tmp"
	for _, e := range entries {
		if !e.Type().IsRegular() || !isTempName(e.Name(), prefix) {
			continue // the type comes from lstat: a link is never followed
		}
		if rmErr := os.Remove(filepath.Join(dir, e.Name())); rmErr != nil {
			if err == nil && !errors.Is(rmErr, fs.ErrNotExist) {
				err = rmErr
			}
			continue
		}
		removed = append(removed, e.Name())
	}
	return removed, err
}

// isTempName reports whether name is prefix followed by the 1 to 10
// decimal digits that os.CreateTemp puts in place of its "*".
func isTempName(name, prefix string) bool {
	digits, ok := strings.CutPrefix(name, prefix)
	if !ok || len(digits) == 0 || len(digits) > 10 {
		return false
	}
	for _, c := range digits {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// CheckOutputPath returns an error if WriteFileAtomic could not write path:
// its folder is missing, is not a folder or does not take new files, or
// path is a folder. Commands call it before long work whose result goes to
// path, so that a typo costs nothing.
func CheckOutputPath(path string) error {
	dir := filepath.Dir(path)
	st, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("%s: folder %s does not exist", path, dir)
	case err != nil:
		return fmt.Errorf("%s: folder %s: %w", path, dir, unwrapPath(err))
	case !st.IsDir():
		return fmt.Errorf("%s: %s is not a folder", path, dir)
	}
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return fmt.Errorf("%s is a directory, not a file", path)
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("%s: cannot write in folder %s: %w", path, dir, unwrapPath(err))
	}
	name := f.Name()
	f.Close()
	return os.Remove(name)
}

// unwrapPath drops a PathError's operation and (temporary) file name.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
