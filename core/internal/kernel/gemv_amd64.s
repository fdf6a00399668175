//go:build amd64 && !purego

// Matrix-vector products for batch-1 generation (AVX2+FMA, and AVX-512 for
// the dot-product form). Each streams the matrix once.

#include "textflag.h"

DATA gvlanes<>+0(SB)/4, $0
DATA gvlanes<>+4(SB)/4, $1
DATA gvlanes<>+8(SB)/4, $2
DATA gvlanes<>+12(SB)/4, $3
DATA gvlanes<>+16(SB)/4, $4
DATA gvlanes<>+20(SB)/4, $5
DATA gvlanes<>+24(SB)/4, $6
DATA gvlanes<>+28(SB)/4, $7
GLOBL gvlanes<>(SB), RODATA|NOPTR, $32

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

// func dotRows256(a *float32, lda, rows int, x *float32, n int, y *float32, alpha, beta float32)
// y[r] = alpha*Σ_j a[r*lda+j]*x[j] + beta*y[r] for r < rows (y not read when beta == 0).
TEXT ·dotRows256(SB), NOSPLIT, $0-56
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

	// tail mask for the last n%8 columns: Y13 lanes < n%8
	MOVQ R10, AX
	ANDQ $7, AX
	MOVQ AX, X13
	VPBROADCASTD X13, Y13
	VMOVDQU gvlanes<>(SB), Y12
	VPCMPGTD Y12, Y13, Y13
	MOVQ R10, R11
	ANDQ $-16, R11          // columns done 16 at a time
	LEAQ (R8)(R8*2), R12    // 3*lda bytes

rows4:
	CMPQ R9, $4
	JLT  rows1
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	XORQ CX, CX

cols16x4:
	CMPQ CX, R11
	JGE  cols8x4
	VMOVUPS (DX)(CX*4), Y8
	VMOVUPS 32(DX)(CX*4), Y9
	LEAQ (SI)(CX*4), AX
	VFMADD231PS (AX), Y8, Y0
	VFMADD231PS 32(AX), Y9, Y4
	VFMADD231PS (AX)(R8*1), Y8, Y1
	VFMADD231PS 32(AX)(R8*1), Y9, Y5
	VFMADD231PS (AX)(R8*2), Y8, Y2
	VFMADD231PS 32(AX)(R8*2), Y9, Y6
	VFMADD231PS (AX)(R12*1), Y8, Y3
	VFMADD231PS 32(AX)(R12*1), Y9, Y7
	ADDQ $16, CX
	JMP  cols16x4

cols8x4:
	MOVQ R10, AX
	SUBQ CX, AX
	CMPQ AX, $8
	JLT  colstail4
	VMOVUPS (DX)(CX*4), Y8
	LEAQ (SI)(CX*4), AX
	VFMADD231PS (AX), Y8, Y0
	VFMADD231PS (AX)(R8*1), Y8, Y1
	VFMADD231PS (AX)(R8*2), Y8, Y2
	VFMADD231PS (AX)(R12*1), Y8, Y3
	ADDQ $8, CX

colstail4:
	CMPQ CX, R10
	JGE  sum4
	VMASKMOVPS (DX)(CX*4), Y13, Y8
	LEAQ (SI)(CX*4), AX
	VMASKMOVPS (AX), Y13, Y9
	VFMADD231PS Y9, Y8, Y0
	VMASKMOVPS (AX)(R8*1), Y13, Y9
	VFMADD231PS Y9, Y8, Y1
	VMASKMOVPS (AX)(R8*2), Y13, Y9
	VFMADD231PS Y9, Y8, Y2
	VMASKMOVPS (AX)(R12*1), Y13, Y9
	VFMADD231PS Y9, Y8, Y3

sum4:
	VADDPS Y4, Y0, Y0
	VADDPS Y5, Y1, Y1
	VADDPS Y6, Y2, Y2
	VADDPS Y7, Y3, Y3
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
	JEQ  dotdone
	VXORPS Y0, Y0, Y0
	VXORPS Y4, Y4, Y4
	XORQ CX, CX

cols16x1:
	CMPQ CX, R11
	JGE  cols8x1
	VMOVUPS (DX)(CX*4), Y8
	VMOVUPS 32(DX)(CX*4), Y9
	VFMADD231PS (SI)(CX*4), Y8, Y0
	VFMADD231PS 32(SI)(CX*4), Y9, Y4
	ADDQ $16, CX
	JMP  cols16x1

cols8x1:
	MOVQ R10, AX
	SUBQ CX, AX
	CMPQ AX, $8
	JLT  colstail1
	VMOVUPS (DX)(CX*4), Y8
	VFMADD231PS (SI)(CX*4), Y8, Y0
	ADDQ $8, CX

colstail1:
	CMPQ CX, R10
	JGE  sum1
	VMASKMOVPS (DX)(CX*4), Y13, Y8
	VMASKMOVPS (SI)(CX*4), Y13, Y9
	VFMADD231PS Y9, Y8, Y0

sum1:
	VADDPS Y4, Y0, Y0
	HSUM(Y0, X0, X8)
	OUT(0)
	ADDQ $4, DI
	ADDQ R8, SI
	DECQ R9
	JMP  rows1

dotdone:
	VZEROUPPER
	RET

// dotRows512 is dotRows256 with AVX-512: 64-byte loads, which stream a
// matrix from L2 faster than dotRows256's 32-byte ones.
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

// func axpyRows(a *float32, lda, m int, x *float32, y *float32, n int, alpha, beta float32)
// y[j] = alpha*Σ_i x[i]*a[i*lda+j] + beta*y[j] for j < n (y not read when beta == 0).
TEXT ·axpyRows(SB), NOSPLIT, $0-56
	MOVQ a+0(FP), SI
	MOVQ lda+8(FP), R8
	SHLQ $2, R8
	MOVQ m+16(FP), R9
	MOVQ x+24(FP), DX
	MOVQ y+32(FP), DI
	MOVQ n+40(FP), R10
	VBROADCASTSS alpha+48(FP), Y14
	VBROADCASTSS beta+52(FP), Y15
	MOVL beta+52(FP), BX
	ANDL $0x7fffffff, BX

cols64:
	CMPQ R10, $64
	JLT  cols8
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	MOVQ SI, AX
	XORQ CX, CX

rows64:
	CMPQ CX, R9
	JGE  out64
	VBROADCASTSS (DX)(CX*4), Y8
	VFMADD231PS (AX), Y8, Y0
	VFMADD231PS 32(AX), Y8, Y1
	VFMADD231PS 64(AX), Y8, Y2
	VFMADD231PS 96(AX), Y8, Y3
	VFMADD231PS 128(AX), Y8, Y4
	VFMADD231PS 160(AX), Y8, Y5
	VFMADD231PS 192(AX), Y8, Y6
	VFMADD231PS 224(AX), Y8, Y7
	ADDQ R8, AX
	INCQ CX
	JMP  rows64

out64:
	VMULPS Y14, Y0, Y0
	VMULPS Y14, Y1, Y1
	VMULPS Y14, Y2, Y2
	VMULPS Y14, Y3, Y3
	VMULPS Y14, Y4, Y4
	VMULPS Y14, Y5, Y5
	VMULPS Y14, Y6, Y6
	VMULPS Y14, Y7, Y7
	TESTQ BX, BX
	JEQ  store64
	VFMADD231PS (DI), Y15, Y0
	VFMADD231PS 32(DI), Y15, Y1
	VFMADD231PS 64(DI), Y15, Y2
	VFMADD231PS 96(DI), Y15, Y3
	VFMADD231PS 128(DI), Y15, Y4
	VFMADD231PS 160(DI), Y15, Y5
	VFMADD231PS 192(DI), Y15, Y6
	VFMADD231PS 224(DI), Y15, Y7

store64:
	VMOVUPS Y0, (DI)
	VMOVUPS Y1, 32(DI)
	VMOVUPS Y2, 64(DI)
	VMOVUPS Y3, 96(DI)
	VMOVUPS Y4, 128(DI)
	VMOVUPS Y5, 160(DI)
	VMOVUPS Y6, 192(DI)
	VMOVUPS Y7, 224(DI)
	ADDQ $256, SI
	ADDQ $256, DI
	SUBQ $64, R10
	JMP  cols64

cols8:
	// Remaining columns 8 at a time (the last block masked), two
	// accumulators over alternate rows.
	TESTQ R10, R10
	JEQ  axpydone
	MOVQ R10, AX
	CMPQ AX, $8
	JLE  2(PC)
	MOVQ $8, AX
	MOVQ AX, X13
	VPBROADCASTD X13, Y13
	VMOVDQU gvlanes<>(SB), Y12
	VPCMPGTD Y12, Y13, Y13  // lanes < min(8, n)
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	MOVQ SI, AX
	XORQ CX, CX

rows8:
	LEAQ 1(CX), R11
	CMPQ R11, R9
	JGE  rows8last
	VBROADCASTSS (DX)(CX*4), Y8
	VBROADCASTSS 4(DX)(CX*4), Y9
	VMASKMOVPS (AX), Y13, Y10
	VMASKMOVPS (AX)(R8*1), Y13, Y11
	VFMADD231PS Y10, Y8, Y0
	VFMADD231PS Y11, Y9, Y1
	LEAQ (AX)(R8*2), AX
	ADDQ $2, CX
	JMP  rows8

rows8last:
	CMPQ CX, R9
	JGE  out8
	VBROADCASTSS (DX)(CX*4), Y8
	VMASKMOVPS (AX), Y13, Y10
	VFMADD231PS Y10, Y8, Y0

out8:
	VADDPS Y1, Y0, Y0
	VMULPS Y14, Y0, Y0
	TESTQ BX, BX
	JEQ  store8
	VMASKMOVPS (DI), Y13, Y1
	VFMADD231PS Y1, Y15, Y0

store8:
	VMASKMOVPS Y0, Y13, (DI)
	ADDQ $32, SI
	ADDQ $32, DI
	SUBQ $8, R10
	JGT  cols8

axpydone:
	VZEROUPPER
	RET
