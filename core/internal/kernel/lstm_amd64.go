//go:build amd64 && !purego

// Declarations of the AVX2 element-wise kernels in lstm_amd64.s.

package kernel

// simdLen is how many leading elements of n the 8-lane assembly handles.
func simdLen(n int) int {
	if !hasAVX2 {
		return 0
	}
	return n &^ 7
}

//go:noescape
func sigmoidVec(dst, x *float32, n int)

//go:noescape
func tanhVec(dst, x *float32, n int)

//go:noescape
func lstmRow(z, cPrev, c, tc, h *float32, hid, n int)

//go:noescape
func lstmRow512(z, cPrev, c, tc, h *float32, hid, n int)

// lstmRowSIMD runs LSTMCell's row loop on the leading columns that fit the
// vector width and returns how many it did.
func lstmRowSIMD(zr, cp, cn, tn, hn []float32, hid int) int {
	if !hasAVX2 {
		return 0
	}
	n := 0
	if useKernel == kernAVX512 && hid >= 16 {
		n = hid &^ 15
		lstmRow512(&zr[0], &cp[0], &cn[0], &tn[0], &hn[0], hid, n)
	}
	if n8 := hid &^ 7; n8 > n {
		lstmRow(&zr[n], &cp[n], &cn[n], &tn[n], &hn[n], hid, n8-n)
		n = n8
	}
	return n
}

//go:noescape
func lstmRowBackward(dz, act, cPrev, tc, dh, dc *float32, hid, n int)

//go:noescape
func lstmBackward512(dz, act, cPrev, tc, dh, dc *float32, rows, hid int)

// lstmBackwardSIMD runs LSTMCellBackward over all b rows in one call when
// the AVX-512 kernel is in use and hid is a multiple of 16, and reports
// whether it did.
func lstmBackwardSIMD(dz, act, cPrev, tc, dh, dc []float32, b, hid int) bool {
	if useKernel != kernAVX512 || hid%16 != 0 || b == 0 {
		return false
	}
	lstmBackward512(&dz[0], &act[0], &cPrev[0], &tc[0], &dh[0], &dc[0], b, hid)
	return true
}

//go:noescape
func lstmCell512(z, cPrev, c, tc, h *float32, rows, hid int)

// lstmCellSIMD runs LSTMCell over all b rows in one call when the AVX-512
// kernel is in use and hid is a multiple of 16, and reports whether it did.
func lstmCellSIMD(z, cPrev, c, tc, h []float32, b, hid int) bool {
	if useKernel != kernAVX512 || hid%16 != 0 || b == 0 {
		return false
	}
	lstmCell512(&z[0], &cPrev[0], &c[0], &tc[0], &h[0], b, hid)
	return true
}
