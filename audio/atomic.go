// Atomic file output for the WAV writer and the plots (through
// core.WriteFileAtomic), and the check of output paths before long work.

package audio

import (
	"io"
	"os"

	"github.com/arkit-go/arkit/core"
)

// writeFileAtomic writes path through core.WriteFileAtomic, handing write
// the temporary file itself (the WAV encoder seeks to patch its header).
func writeFileAtomic(path string, write func(f *os.File) error) error {
	return core.WriteFileAtomic(path, func(w io.Writer) error { return write(w.(*os.File)) })
}
