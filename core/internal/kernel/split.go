// Split: row-independent work (an LSTM's time loop over a batch) shared
// between the caller and the team's workers, one hand-over per call.

package kernel

import "runtime"

// Job is work in independent parts for Split.
type Job interface {
	// RunPart does part p of parts.
	RunPart(p, parts int)
}

// SplitParts returns how many parts Split would run rows rows in, in parts
// of at least minRows rows: at most GOMAXPROCS and the team's size (4).
func SplitParts(rows, minRows int) int {
	return max(1, min(runtime.GOMAXPROCS(0), splitLimit(), rows/max(1, minRows)))
}

// Split runs parts 0 to parts-1 of job and returns once all have finished.
// The caller runs part 0 and the team's workers (team_amd64.go) the others,
// when the team is free; the caller takes over any part a worker is slow to
// come for, and runs them all itself when the team is busy. The parts must
// be independent: the result may not depend on which goroutine ran which.
// A panic in a part is raised in the caller once every part has finished.
func Split(parts int, job Job) {
	if parts > 1 && splitTeam(parts, job) {
		return
	}
	for p := range parts {
		job.RunPart(p, parts)
	}
}
