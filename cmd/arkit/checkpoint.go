// What every training command does with its checkpoint file before it
// trains, and the series commands with their outputs: clear away what an
// interrupted save left beside it.

package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/arkit-go/arkit/core"
)

// removeStaleTemps removes the temporary files of out that saves killed
// midway left behind (see core.RemoveStaleTemps) and says so on w. A
// training command calls it when it starts (fresh or with --resume), before
// its first checkpoint; a file it cannot remove is reported, not fatal.
func removeStaleTemps(w io.Writer, out string) {
	removed, err := core.RemoveStaleTemps(out)
	switch len(removed) {
	case 0:
	case 1:
		fmt.Fprintf(w, "removed 1 stale temporary file %s (left by an interrupted save)\n", removed[0])
	default:
		names := strings.Join(removed[:min(len(removed), 3)], ", ")
		if len(removed) > 3 {
			names += ", ..."
		}
		fmt.Fprintf(w, "removed %d stale temporary files %s (left by interrupted saves)\n", len(removed), names)
	}
	if err != nil {
		fmt.Fprintf(w, "warning: stale temporary files of %s: %v\n", out, err)
	}
}

// removeStaleTempsOf runs removeStaleTemps, on stderr, for each output path
// given (empty ones are skipped): the series commands write their outputs
// once, at the end, so a kill then leaves a temporary file for the next run
// to clear.
func removeStaleTempsOf(paths ...string) {
	for _, p := range paths {
		if p != "" {
			removeStaleTemps(os.Stderr, p)
		}
	}
}
