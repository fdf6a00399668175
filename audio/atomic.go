// Atomic file output shared by the WAV writer, the plots and the checks of
// output paths: write a temporary file beside the target, then rename it
// over the target.

package audio

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// writeFileAtomic creates a temporary file in the folder of path, lets write
// fill it, syncs and closes it, and renames it to path. On any error the
// temporary file is removed and path is left as it was.
func writeFileAtomic(path string, write func(f *os.File) error) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp*")
	if err != nil {
		// The temporary name means nothing to the user; name the folder.
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
	if err = f.Chmod(0o644); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// CheckOutputPath returns an error if a file cannot be written at path
// because its folder is missing or not a folder, or path is a folder. Call it
// before long work whose result goes to path.
func CheckOutputPath(path string) error {
	dir := filepath.Dir(path)
	st, err := os.Stat(dir)
	switch {
	case err != nil:
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return fmt.Errorf("audio: %s: folder %s: %w", path, dir, err)
	case !st.IsDir():
		return fmt.Errorf("audio: %s: %s is not a folder", path, dir)
	}
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return fmt.Errorf("audio: %s is a folder", path)
	}
	return nil
}
