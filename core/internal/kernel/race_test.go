//go:build race

// Whether the race detector is on: it makes sync.Pool drop items.

package kernel

const raceEnabled = true // sync.Pool drops items at random under -race
