// The LSTM cell's element-wise arithmetic, forward and backward, fused so that
// each gate value is touched once per step. Whole groups of 16 (AVX-512) or 8
// (AVX2) columns run in assembly (lstm_amd64.s), the rest in the Go loops
// below; both use the σ and tanh of approx.go.
//
// Gates are laid out as PyTorch lays them: for each batch row, 4H values
// i | f | g | o.
//
//	i = σ(ẑ_i)   f = σ(ẑ_f)   g = tanh(ẑ_g)   o = σ(ẑ_o)
//	c' = f⊙c + i⊙g
//	h' = o⊙tanh(c')

package kernel

// LSTMCell turns the gate pre-activations z (B×4H, overwritten with the gate
// activations i,f,g,o) and the previous cell cPrev (B×H) into the new cell c,
// tanh(c) in tc and the new hidden state h (each B×H). σ and tanh are
// within the error bounds given in the package documentation.
func LSTMCell(z, cPrev, c, tc, h []float32, b, hid int) {
	_ = z[b*4*hid-1]
	_, _, _, _ = cPrev[b*hid-1], c[b*hid-1], tc[b*hid-1], h[b*hid-1]
	if lstmCellSIMD(z, cPrev, c, tc, h, b, hid) {
		return
	}
	for r := 0; r < b; r++ {
		zr := z[r*4*hid : (r+1)*4*hid]
		zi, zf, zg, zo := zr[:hid], zr[hid:2*hid], zr[2*hid:3*hid], zr[3*hid:]
		cp, cn, tn, hn := cPrev[r*hid:(r+1)*hid], c[r*hid:(r+1)*hid], tc[r*hid:(r+1)*hid], h[r*hid:(r+1)*hid]
		n := lstmRowSIMD(zr, cp, cn, tn, hn, hid)
		for j := n; j < hid; j++ {
			i := Sigmoid(zi[j])
			f := Sigmoid(zf[j])
			g := Tanh(zg[j])
			o := Sigmoid(zo[j])
			zi[j], zf[j], zg[j], zo[j] = i, f, g, o
			cc := f*cp[j] + i*g
			t := Tanh(cc)
			cn[j], tn[j], hn[j] = cc, t, o*t
		}
	}
}

// LSTMCellBackward is the backward of LSTMCell. act holds the gate
// activations LSTMCell left in z; cPrev and tc are its inputs and outputs.
// dh is the gradient reaching h; dc holds the gradient reaching c from the
// next step on entry and the gradient reaching cPrev on return. dz (B×4H)
// receives the gradient of the gate pre-activations; it may be act itself
// (each element's gates are read before its gradients are written).
func LSTMCellBackward(dz, act, cPrev, tc, dh, dc []float32, b, hid int) {
	_ = dz[b*4*hid-1]
	_ = act[b*4*hid-1]
	_, _, _, _ = cPrev[b*hid-1], tc[b*hid-1], dh[b*hid-1], dc[b*hid-1]
	if lstmBackwardSIMD(dz, act, cPrev, tc, dh, dc, b, hid) {
		return
	}
	for r := 0; r < b; r++ {
		ar := act[r*4*hid : (r+1)*4*hid]
		dr := dz[r*4*hid : (r+1)*4*hid]
		ai, af, ag, ao := ar[:hid], ar[hid:2*hid], ar[2*hid:3*hid], ar[3*hid:]
		di, df, dg, do := dr[:hid], dr[hid:2*hid], dr[2*hid:3*hid], dr[3*hid:]
		cp, tn, dhr, dcr := cPrev[r*hid:(r+1)*hid], tc[r*hid:(r+1)*hid], dh[r*hid:(r+1)*hid], dc[r*hid:(r+1)*hid]
		n := simdLen(hid)
		if n > 0 {
			lstmRowBackward(&dr[0], &ar[0], &cp[0], &tn[0], &dhr[0], &dcr[0], hid, n)
		}
		for j := n; j < hid; j++ {
			i, f, g, o, t := ai[j], af[j], ag[j], ao[j], tn[j]
			dcc := dcr[j] + dhr[j]*o*(1-t*t)
			do[j] = dhr[j] * t * o * (1 - o)
			di[j] = dcc * g * i * (1 - i)
			df[j] = dcc * cp[j] * f * (1 - f)
			dg[j] = dcc * i * (1 - g*g)
			dcr[j] = dcc * f
		}
	}
}
