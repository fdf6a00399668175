//go:build amd64 && !purego

// dotRows with AVX-512: 64-byte loads, which stream a matrix from L2 at
// nearly twice the rate of dotRows' 32-byte ones.

#include "textflag.h"

// HSUM sums the 8 lanes of y into the low lane of x.
#define HSUM(y, x, t) \
	VEXTRACTF128 $1, y, t \
	VADDPS t, x, x \
	VHADDPS x, x, x \
	VHADDPS x, x, x

// OUT stores alpha*X0 (+ beta*old) to (DI): X14 = alpha, X15 = beta, BX != 0 if beta != 0.
#define OUT(off) \
	VMULSS X14, X0, X0 \
	TESTQ BX, BX \
	JEQ  2(PC) \
	VFMADD231SS off(DI), X15, X0 \
	VMOVSS X0, off(DI)

// func dotRows512(a *float32, lda, rows int, x *float32, n int, y *float32, alpha, beta float32)
// y[r] = alpha*Σ_j a[r*lda+j]*x[j] + beta*y[r] for r < rows (y not read when beta == 0).
TEXT ·dotRows512(SB), NOSPLIT, $0-56
	MOVQ a+0(FP), SI
	MOVQ lda+8(FP), R8
	SHLQ $2, R8
	MOVQ rows+16(FP), R9
	MOVQ x+24(FP), DX
	MOVQ n+32(FP), R10
	MOVQ y+40(FP), DI
	VMOVSS alpha+48(FP), X14
	VMOVSS beta+52(FP), X15
	MOVL beta+52(FP), BX
	ANDL $0x7fffffff, BX

	// K1: lanes < n%16, for the last columns
	MOVQ R10, CX
	ANDQ $15, CX
	MOVL $1, AX
	SHLL CX, AX
	DECL AX
	KMOVW AX, K1
	MOVQ R10, R11
	ANDQ $-32, R11          // columns done 32 at a time
	MOVQ R10, R13
	ANDQ $-16, R13          // then 16
	LEAQ (R8)(R8*2), R12    // 3*lda bytes

rows4:
	CMPQ R9, $4
	JLT  rows1
	VPXORD Z0, Z0, Z0
	VPXORD Z1, Z1, Z1
	VPXORD Z2, Z2, Z2
	VPXORD Z3, Z3, Z3
	VPXORD Z4, Z4, Z4
	VPXORD Z5, Z5, Z5
	VPXORD Z6, Z6, Z6
	VPXORD Z7, Z7, Z7
	XORQ CX, CX

cols32x4:
	CMPQ CX, R11
	JGE  cols16x4
	VMOVUPS (DX)(CX*4), Z8
	VMOVUPS 64(DX)(CX*4), Z9
	LEAQ (SI)(CX*4), AX
	VFMADD231PS (AX), Z8, Z0
	VFMADD231PS 64(AX), Z9, Z4
	VFMADD231PS (AX)(R8*1), Z8, Z1
	VFMADD231PS 64(AX)(R8*1), Z9, Z5
	VFMADD231PS (AX)(R8*2), Z8, Z2
	VFMADD231PS 64(AX)(R8*2), Z9, Z6
	VFMADD231PS (AX)(R12*1), Z8, Z3
	VFMADD231PS 64(AX)(R12*1), Z9, Z7
	ADDQ $32, CX
	JMP  cols32x4

cols16x4:
	CMPQ CX, R13
	JGE  colstail4
	VMOVUPS (DX)(CX*4), Z8
	LEAQ (SI)(CX*4), AX
	VFMADD231PS (AX), Z8, Z0
	VFMADD231PS (AX)(R8*1), Z8, Z1
	VFMADD231PS (AX)(R8*2), Z8, Z2
	VFMADD231PS (AX)(R12*1), Z8, Z3
	ADDQ $16, CX

colstail4:
	CMPQ CX, R10
	JGE  sum4
	VMOVUPS.Z (DX)(CX*4), K1, Z8
	LEAQ (SI)(CX*4), AX
	VMOVUPS.Z (AX), K1, Z9
	VFMADD231PS Z9, Z8, Z0
	VMOVUPS.Z (AX)(R8*1), K1, Z9
	VFMADD231PS Z9, Z8, Z1
	VMOVUPS.Z (AX)(R8*2), K1, Z9
	VFMADD231PS Z9, Z8, Z2
	VMOVUPS.Z (AX)(R12*1), K1, Z9
	VFMADD231PS Z9, Z8, Z3

sum4:
	VADDPS Z4, Z0, Z0
	VADDPS Z5, Z1, Z1
	VADDPS Z6, Z2, Z2
	VADDPS Z7, Z3, Z3
	VEXTRACTF64X4 $1, Z0, Y8
	VADDPS Y8, Y0, Y0
	VEXTRACTF64X4 $1, Z1, Y8
	VADDPS Y8, Y1, Y1
	VEXTRACTF64X4 $1, Z2, Y8
	VADDPS Y8, Y2, Y2
	VEXTRACTF64X4 $1, Z3, Y8
	VADDPS Y8, Y3, Y3
	HSUM(Y3, X3, X8)
	HSUM(Y2, X2, X8)
	HSUM(Y1, X1, X8)
	HSUM(Y0, X0, X8)
	OUT(0)
	VMOVAPS X1, X0
	OUT(4)
	VMOVAPS X2, X0
	OUT(8)
	VMOVAPS X3, X0
	OUT(12)
	ADDQ $16, DI
	LEAQ (SI)(R8*4), SI
	SUBQ $4, R9
	JMP  rows4

rows1:
	TESTQ R9, R9
	JEQ  done
	VPXORD Z0, Z0, Z0
	VPXORD Z4, Z4, Z4
	XORQ CX, CX

cols32x1:
	CMPQ CX, R11
	JGE  cols16x1
	VMOVUPS (DX)(CX*4), Z8
	VMOVUPS 64(DX)(CX*4), Z9
	VFMADD231PS (SI)(CX*4), Z8, Z0
	VFMADD231PS 64(SI)(CX*4), Z9, Z4
	ADDQ $32, CX
	JMP  cols32x1

cols16x1:
	CMPQ CX, R13
	JGE  colstail1
	VMOVUPS (DX)(CX*4), Z8
	VFMADD231PS (SI)(CX*4), Z8, Z0
	ADDQ $16, CX

colstail1:
	CMPQ CX, R10
	JGE  sum1
	VMOVUPS.Z (DX)(CX*4), K1, Z8
	VMOVUPS.Z (SI)(CX*4), K1, Z9
	VFMADD231PS Z9, Z8, Z0

sum1:
	VADDPS Z4, Z0, Z0
	VEXTRACTF64X4 $1, Z0, Y8
	VADDPS Y8, Y0, Y0
	HSUM(Y0, X0, X8)
	OUT(0)
	ADDQ $4, DI
	ADDQ R8, SI
	DECQ R9
	JMP  rows1

done:
	VZEROUPPER
	RET
