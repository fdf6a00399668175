//go:build !linux && !purego

// AMX elsewhere than Linux: not used (how other systems lend the tile
// state is not implemented), so GemmBF16 takes the AVX-512 BF16 kernel.

package kernel

func amxPermitted() bool { return false }
