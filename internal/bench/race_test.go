//go:build race

// Whether the race detector is on: it makes sync.Pool drop items, so the
// kernel's packing buffers are reallocated at random.

package bench

const raceEnabled = true
