//go:build !amd64 || purego

// Without the team (team_amd64.go), Split runs every part in the caller.

package kernel

func splitLimit() int { return 1 }

func splitTeam(parts int, job Job) bool { return false }
