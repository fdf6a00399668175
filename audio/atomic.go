// Atomic file output for the WAV writer and the plots (through
// core.WriteFileAtomic), and the check of output paths before long work.

package audio

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/arkit-go/arkit/core"
)

// writeFileAtomic writes path through core.WriteFileAtomic, handing write
// the temporary file itself (the WAV encoder seeks to patch its header).
func writeFileAtomic(path string, write func(f *os.File) error) error {
	return core.WriteFileAtomic(path, func(w io.Writer) error { return write(w.(*os.File)) })
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
