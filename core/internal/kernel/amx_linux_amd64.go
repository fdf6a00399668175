//go:build !purego

// AMX on Linux: the kernel lends a process the 8 KiB of tile state only on
// request.

package kernel

import "syscall"

// amxPermitted asks Linux for the tile state (arch_prctl
// ARCH_REQ_XCOMP_PERM, XFEATURE_XTILEDATA) for the whole process and
// reports whether it was granted.
func amxPermitted() bool {
	const archReqXcompPerm, xfeatureXtiledata = 0x1023, 18
	_, _, errno := syscall.RawSyscall(syscall.SYS_ARCH_PRCTL, archReqXcompPerm, xfeatureXtiledata, 0)
	return errno == 0
}
