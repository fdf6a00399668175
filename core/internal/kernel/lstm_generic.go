//go:build !amd64 || purego

// Without assembly every element goes through the scalar Go code.

package kernel

func simdLen(int) int { return 0 }

func sigmoidVec(dst, x *float32, n int)                               { panic("unreachable") }
func tanhVec(dst, x *float32, n int)                                  { panic("unreachable") }
func lstmRowSIMD(zr, cp, cn, tn, hn []float32, hid int) int           { return 0 }
func lstmRowBackward(dz, act, cPrev, tc, dh, dc *float32, hid, n int) { panic("unreachable") }

func lstmBackwardSIMD(dz, act, cPrev, tc, dh, dc []float32, b, hid int) bool { return false }

func lstmCellSIMD(z, cPrev, c, tc, h []float32, b, hid int) bool { return false }
