//go:build amd64 && !purego

// Vector loops of vec.go (AVX2+FMA), 8 lanes at a time; n is a multiple of 8.

#include "textflag.h"

// func axpyVec(a float32, x, y *float32, n int)   y += a*x
TEXT ·axpyVec(SB), NOSPLIT, $0-32
	VBROADCASTSS a+0(FP), Y15
	MOVQ x+8(FP), SI
	MOVQ y+16(FP), DI
	MOVQ n+24(FP), CX
	XORQ AX, AX

axpy32:
	MOVQ CX, DX
	SUBQ AX, DX
	CMPQ DX, $32
	JLT  axpy8
	VMOVUPS (DI)(AX*4), Y0
	VMOVUPS 32(DI)(AX*4), Y1
	VMOVUPS 64(DI)(AX*4), Y2
	VMOVUPS 96(DI)(AX*4), Y3
	VFMADD231PS (SI)(AX*4), Y15, Y0
	VFMADD231PS 32(SI)(AX*4), Y15, Y1
	VFMADD231PS 64(SI)(AX*4), Y15, Y2
	VFMADD231PS 96(SI)(AX*4), Y15, Y3
	VMOVUPS Y0, (DI)(AX*4)
	VMOVUPS Y1, 32(DI)(AX*4)
	VMOVUPS Y2, 64(DI)(AX*4)
	VMOVUPS Y3, 96(DI)(AX*4)
	ADDQ $32, AX
	JMP  axpy32

axpy8:
	CMPQ AX, CX
	JGE  axpydone
	VMOVUPS (DI)(AX*4), Y0
	VFMADD231PS (SI)(AX*4), Y15, Y0
	VMOVUPS Y0, (DI)(AX*4)
	ADDQ $8, AX
	JMP  axpy8

axpydone:
	VZEROUPPER
	RET

// func scaleVec(a float32, x *float32, n int)   x *= a
TEXT ·scaleVec(SB), NOSPLIT, $0-24
	VBROADCASTSS a+0(FP), Y15
	MOVQ x+8(FP), DI
	MOVQ n+16(FP), CX
	XORQ AX, AX

scale8:
	CMPQ AX, CX
	JGE  scaledone
	VMULPS (DI)(AX*4), Y15, Y0
	VMOVUPS Y0, (DI)(AX*4)
	ADDQ $8, AX
	JMP  scale8

scaledone:
	VZEROUPPER
	RET

// func sumSquaresVec(x *float32, n int) float64   Σ x² in float64
TEXT ·sumSquaresVec(SB), NOSPLIT, $0-24
	MOVQ x+0(FP), SI
	MOVQ n+8(FP), CX
	XORQ AX, AX
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3

ss16:
	MOVQ CX, DX
	SUBQ AX, DX
	CMPQ DX, $16
	JLT  ss8
	VCVTPS2PD (SI)(AX*4), Y4
	VCVTPS2PD 16(SI)(AX*4), Y5
	VCVTPS2PD 32(SI)(AX*4), Y6
	VCVTPS2PD 48(SI)(AX*4), Y7
	VFMADD231PD Y4, Y4, Y0
	VFMADD231PD Y5, Y5, Y1
	VFMADD231PD Y6, Y6, Y2
	VFMADD231PD Y7, Y7, Y3
	ADDQ $16, AX
	JMP  ss16

ss8:
	CMPQ AX, CX
	JGE  ssdone
	VCVTPS2PD (SI)(AX*4), Y4
	VCVTPS2PD 16(SI)(AX*4), Y5
	VFMADD231PD Y4, Y4, Y0
	VFMADD231PD Y5, Y5, Y1
	ADDQ $8, AX

ssdone:
	VADDPD Y1, Y0, Y0
	VADDPD Y3, Y2, Y2
	VADDPD Y2, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPD X1, X0, X0
	VHADDPD X0, X0, X0
	VMOVSD X0, ret+16(FP)
	VZEROUPPER
	RET

// func adamVec(w, grad, m, v *float32, n int, c *adamConsts)
// The AdamW step of vec.go on n elements.
TEXT ·adamVec(SB), NOSPLIT, $0-48
	MOVQ w+0(FP), DI
	MOVQ grad+8(FP), SI
	MOVQ m+16(FP), R8
	MOVQ v+24(FP), R9
	MOVQ n+32(FP), CX
	MOVQ c+40(FP), AX
	VBROADCASTSS 0(AX), Y8   // beta1
	VBROADCASTSS 4(AX), Y9   // 1-beta1
	VBROADCASTSS 8(AX), Y10  // beta2
	VBROADCASTSS 12(AX), Y11 // 1-beta2
	VBROADCASTSS 16(AX), Y12 // 1-lr*wd
	VBROADCASTSS 20(AX), Y13 // sqrt(bc2)
	VBROADCASTSS 24(AX), Y14 // eps
	VBROADCASTSS 28(AX), Y15 // lr/bc1
	XORQ DX, DX

adamloop:
	CMPQ DX, CX
	JGE  adamdone
	VMOVUPS (SI)(DX*4), Y0         // g
	VMULPS (R8)(DX*4), Y8, Y1      // beta1*m
	VFMADD231PS Y0, Y9, Y1         // + (1-beta1)*g
	VMOVUPS Y1, (R8)(DX*4)
	VMULPS Y0, Y11, Y2             // (1-beta2)*g
	VMULPS Y0, Y2, Y2              // (1-beta2)*g*g
	VFMADD231PS (R9)(DX*4), Y10, Y2 // + beta2*v
	VMOVUPS Y2, (R9)(DX*4)
	VSQRTPS Y2, Y2
	VDIVPS Y13, Y2, Y2             // sqrt(v)/sqrt(bc2)
	VADDPS Y14, Y2, Y2             // + eps
	VDIVPS Y2, Y1, Y1              // m/denom
	VMULPS (DI)(DX*4), Y12, Y3     // w*(1-lr*wd)
	VFNMADD231PS Y1, Y15, Y3       // - step*m/denom
	VMOVUPS Y3, (DI)(DX*4)
	ADDQ $8, DX
	JMP  adamloop

adamdone:
	VZEROUPPER
	RET
