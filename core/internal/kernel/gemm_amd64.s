//go:build amd64 && !purego

// GEMM micro-kernels and panel packing for amd64. The kernels compute one
// MR×NR tile of C from packed panels: a holds kc steps of MR values of op(A),
// b holds kc steps of NR values of op(B). On return
//
//	c[r*ldc+j] = alpha*acc[r][j] + beta*c[r*ldc+j]   (C is not read when beta == 0)

#include "textflag.h"

// func kern8x32(kc int, a, b, c *float32, ldc int, alpha, beta float32)
// AVX-512: 16 zmm accumulators (8 rows × 2 vectors of 16 columns).
#define STEP512(off) \
	VMOVUPS (off*128)(DI), Z16 \
	VMOVUPS (off*128+64)(DI), Z17 \
	VBROADCASTSS (off*32)(SI), Z18 \
	VBROADCASTSS (off*32+4)(SI), Z19 \
	VFMADD231PS Z16, Z18, Z0 \
	VFMADD231PS Z17, Z18, Z1 \
	VFMADD231PS Z16, Z19, Z2 \
	VFMADD231PS Z17, Z19, Z3 \
	VBROADCASTSS (off*32+8)(SI), Z20 \
	VBROADCASTSS (off*32+12)(SI), Z21 \
	VFMADD231PS Z16, Z20, Z4 \
	VFMADD231PS Z17, Z20, Z5 \
	VFMADD231PS Z16, Z21, Z6 \
	VFMADD231PS Z17, Z21, Z7 \
	VBROADCASTSS (off*32+16)(SI), Z22 \
	VBROADCASTSS (off*32+20)(SI), Z23 \
	VFMADD231PS Z16, Z22, Z8 \
	VFMADD231PS Z17, Z22, Z9 \
	VFMADD231PS Z16, Z23, Z10 \
	VFMADD231PS Z17, Z23, Z11 \
	VBROADCASTSS (off*32+24)(SI), Z24 \
	VBROADCASTSS (off*32+28)(SI), Z25 \
	VFMADD231PS Z16, Z24, Z12 \
	VFMADD231PS Z17, Z24, Z13 \
	VFMADD231PS Z16, Z25, Z14 \
	VFMADD231PS Z17, Z25, Z15

#define STORE512(r0, r1) \
	VMULPS Z30, r0, r0 \
	VMULPS Z30, r1, r1 \
	VMOVUPS r0, (R9) \
	VMOVUPS r1, 64(R9) \
	ADDQ R8, R9

#define UPDATE512(r0, r1) \
	VMULPS Z30, r0, r0 \
	VMULPS Z30, r1, r1 \
	VFMADD231PS (R9), Z31, r0 \
	VFMADD231PS 64(R9), Z31, r1 \
	VMOVUPS r0, (R9) \
	VMOVUPS r1, 64(R9) \
	ADDQ R8, R9

TEXT ·kern8x32(SB), NOSPLIT, $0-48
	MOVQ kc+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DI
	MOVQ c+24(FP), R9
	MOVQ ldc+32(FP), R8
	SHLQ $2, R8
	VPXORD Z0, Z0, Z0
	VPXORD Z1, Z1, Z1
	VPXORD Z2, Z2, Z2
	VPXORD Z3, Z3, Z3
	VPXORD Z4, Z4, Z4
	VPXORD Z5, Z5, Z5
	VPXORD Z6, Z6, Z6
	VPXORD Z7, Z7, Z7
	VPXORD Z8, Z8, Z8
	VPXORD Z9, Z9, Z9
	VPXORD Z10, Z10, Z10
	VPXORD Z11, Z11, Z11
	VPXORD Z12, Z12, Z12
	VPXORD Z13, Z13, Z13
	VPXORD Z14, Z14, Z14
	VPXORD Z15, Z15, Z15
	CMPQ CX, $4
	JLT  tail512

loop4_512:
	STEP512(0)
	STEP512(1)
	STEP512(2)
	STEP512(3)
	ADDQ $128, SI
	ADDQ $512, DI
	SUBQ $4, CX
	CMPQ CX, $4
	JGE  loop4_512

tail512:
	TESTQ CX, CX
	JEQ   done512

loop1_512:
	STEP512(0)
	ADDQ $32, SI
	ADDQ $128, DI
	DECQ CX
	JNZ  loop1_512

done512:
	VBROADCASTSS alpha+40(FP), Z30
	MOVL beta+44(FP), AX
	ANDL $0x7fffffff, AX
	JEQ  nobeta512
	VBROADCASTSS beta+44(FP), Z31
	UPDATE512(Z0, Z1)
	UPDATE512(Z2, Z3)
	UPDATE512(Z4, Z5)
	UPDATE512(Z6, Z7)
	UPDATE512(Z8, Z9)
	UPDATE512(Z10, Z11)
	UPDATE512(Z12, Z13)
	UPDATE512(Z14, Z15)
	VZEROUPPER
	RET

nobeta512:
	STORE512(Z0, Z1)
	STORE512(Z2, Z3)
	STORE512(Z4, Z5)
	STORE512(Z6, Z7)
	STORE512(Z8, Z9)
	STORE512(Z10, Z11)
	STORE512(Z12, Z13)
	STORE512(Z14, Z15)
	VZEROUPPER
	RET

// func kern6x16(kc int, a, b, c *float32, ldc int, alpha, beta float32)
// AVX2+FMA: 12 ymm accumulators (6 rows × 2 vectors of 8 columns).
#define STEP256(off) \
	VMOVUPS (off*64)(DI), Y12 \
	VMOVUPS (off*64+32)(DI), Y13 \
	VBROADCASTSS (off*24)(SI), Y14 \
	VBROADCASTSS (off*24+4)(SI), Y15 \
	VFMADD231PS Y12, Y14, Y0 \
	VFMADD231PS Y13, Y14, Y1 \
	VFMADD231PS Y12, Y15, Y2 \
	VFMADD231PS Y13, Y15, Y3 \
	VBROADCASTSS (off*24+8)(SI), Y14 \
	VBROADCASTSS (off*24+12)(SI), Y15 \
	VFMADD231PS Y12, Y14, Y4 \
	VFMADD231PS Y13, Y14, Y5 \
	VFMADD231PS Y12, Y15, Y6 \
	VFMADD231PS Y13, Y15, Y7 \
	VBROADCASTSS (off*24+16)(SI), Y14 \
	VBROADCASTSS (off*24+20)(SI), Y15 \
	VFMADD231PS Y12, Y14, Y8 \
	VFMADD231PS Y13, Y14, Y9 \
	VFMADD231PS Y12, Y15, Y10 \
	VFMADD231PS Y13, Y15, Y11

#define STORE256(r0, r1) \
	VMULPS Y14, r0, r0 \
	VMULPS Y14, r1, r1 \
	VMOVUPS r0, (R9) \
	VMOVUPS r1, 32(R9) \
	ADDQ R8, R9

#define UPDATE256(r0, r1) \
	VMULPS Y14, r0, r0 \
	VMULPS Y14, r1, r1 \
	VFMADD231PS (R9), Y15, r0 \
	VFMADD231PS 32(R9), Y15, r1 \
	VMOVUPS r0, (R9) \
	VMOVUPS r1, 32(R9) \
	ADDQ R8, R9

TEXT ·kern6x16(SB), NOSPLIT, $0-48
	MOVQ kc+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DI
	MOVQ c+24(FP), R9
	MOVQ ldc+32(FP), R8
	SHLQ $2, R8
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	VXORPS Y8, Y8, Y8
	VXORPS Y9, Y9, Y9
	VXORPS Y10, Y10, Y10
	VXORPS Y11, Y11, Y11
	CMPQ CX, $4
	JLT  tail256

loop4_256:
	STEP256(0)
	STEP256(1)
	STEP256(2)
	STEP256(3)
	ADDQ $96, SI
	ADDQ $256, DI
	SUBQ $4, CX
	CMPQ CX, $4
	JGE  loop4_256

tail256:
	TESTQ CX, CX
	JEQ   done256

loop1_256:
	STEP256(0)
	ADDQ $24, SI
	ADDQ $64, DI
	DECQ CX
	JNZ  loop1_256

done256:
	VBROADCASTSS alpha+40(FP), Y14
	MOVL beta+44(FP), AX
	ANDL $0x7fffffff, AX
	JEQ  nobeta256
	VBROADCASTSS beta+44(FP), Y15
	UPDATE256(Y0, Y1)
	UPDATE256(Y2, Y3)
	UPDATE256(Y4, Y5)
	UPDATE256(Y6, Y7)
	UPDATE256(Y8, Y9)
	UPDATE256(Y10, Y11)
	VZEROUPPER
	RET

nobeta256:
	STORE256(Y0, Y1)
	STORE256(Y2, Y3)
	STORE256(Y4, Y5)
	STORE256(Y6, Y7)
	STORE256(Y8, Y9)
	STORE256(Y10, Y11)
	VZEROUPPER
	RET

// func copyRows(dst, src *float32, ld, kc, nv int)
// dst[p*8*nv+j] = src[p*ld+j] for p < kc, j < 8*nv; nv is 2 or 4. (AVX)
TEXT ·copyRows(SB), NOSPLIT, $0-40
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ ld+16(FP), DX
	SHLQ $2, DX
	MOVQ kc+24(FP), CX
	MOVQ nv+32(FP), AX
	TESTQ CX, CX
	JEQ  copydone
	CMPQ AX, $4
	JEQ  copy4

copy2:
	VMOVUPS (SI), Y0
	VMOVUPS 32(SI), Y1
	VMOVUPS Y0, (DI)
	VMOVUPS Y1, 32(DI)
	ADDQ DX, SI
	ADDQ $64, DI
	DECQ CX
	JNZ  copy2
	VZEROUPPER
	RET

copy4:
	VMOVUPS (SI), Y0
	VMOVUPS 32(SI), Y1
	VMOVUPS 64(SI), Y2
	VMOVUPS 96(SI), Y3
	VMOVUPS Y0, (DI)
	VMOVUPS Y1, 32(DI)
	VMOVUPS Y2, 64(DI)
	VMOVUPS Y3, 96(DI)
	ADDQ DX, SI
	ADDQ $128, DI
	DECQ CX
	JNZ  copy4
	VZEROUPPER

copydone:
	RET

DATA lanes<>+0(SB)/4, $0
DATA lanes<>+4(SB)/4, $1
DATA lanes<>+8(SB)/4, $2
DATA lanes<>+12(SB)/4, $3
DATA lanes<>+16(SB)/4, $4
DATA lanes<>+20(SB)/4, $5
DATA lanes<>+24(SB)/4, $6
DATA lanes<>+28(SB)/4, $7
GLOBL lanes<>(SB), RODATA|NOPTR, $32

// func transpose8(dst, src *float32, ld, kc, rows, stride int)
// dst[p*stride+i] = src[min(i, rows-1)*ld+p] for i < 8 and p < kc, kc a
// multiple of 8 and 1 ≤ rows ≤ 8: 8×8 blocks transposed in registers. Lanes
// i ≥ rows repeat the last row (padding whose results are discarded). (AVX)
TEXT ·transpose8(SB), NOSPLIT, $0-48
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ ld+16(FP), DX
	SHLQ $2, DX
	MOVQ kc+24(FP), CX
	SHRQ $3, CX
	MOVQ rows+32(FP), AX
	DECQ AX
	IMULQ DX, AX         // offset of the last row
	MOVQ stride+40(FP), BX
	SHLQ $2, BX
	LEAQ (BX)(BX*2), R8  // 3*stride
	// R9..R15: offsets of rows 1..7, clamped to the last row
	MOVQ DX, R9
	CMPQ R9, AX
	CMOVQGT AX, R9
	LEAQ (DX)(DX*1), R10
	CMPQ R10, AX
	CMOVQGT AX, R10
	LEAQ (DX)(DX*2), R11
	CMPQ R11, AX
	CMOVQGT AX, R11
	LEAQ (DX*4), R12
	CMPQ R12, AX
	CMOVQGT AX, R12
	LEAQ (R12)(DX*1), R13
	CMPQ R13, AX
	CMOVQGT AX, R13
	LEAQ (R12)(DX*2), R14
	CMPQ R14, AX
	CMOVQGT AX, R14
	LEAQ (R11)(R12*1), R15
	CMPQ R15, AX
	CMOVQGT AX, R15
	TESTQ CX, CX
	JEQ  tdone

tloop:
	VMOVUPS (SI), Y0
	VMOVUPS (SI)(R9*1), Y1
	VMOVUPS (SI)(R10*1), Y2
	VMOVUPS (SI)(R11*1), Y3
	VMOVUPS (SI)(R12*1), Y4
	VMOVUPS (SI)(R13*1), Y5
	VMOVUPS (SI)(R14*1), Y6
	VMOVUPS (SI)(R15*1), Y7
	VUNPCKLPS Y1, Y0, Y8
	VUNPCKHPS Y1, Y0, Y9
	VUNPCKLPS Y3, Y2, Y10
	VUNPCKHPS Y3, Y2, Y11
	VUNPCKLPS Y5, Y4, Y12
	VUNPCKHPS Y5, Y4, Y13
	VUNPCKLPS Y7, Y6, Y14
	VUNPCKHPS Y7, Y6, Y15
	VSHUFPS $0x44, Y10, Y8, Y0
	VSHUFPS $0xEE, Y10, Y8, Y1
	VSHUFPS $0x44, Y11, Y9, Y2
	VSHUFPS $0xEE, Y11, Y9, Y3
	VSHUFPS $0x44, Y14, Y12, Y4
	VSHUFPS $0xEE, Y14, Y12, Y5
	VSHUFPS $0x44, Y15, Y13, Y6
	VSHUFPS $0xEE, Y15, Y13, Y7
	VPERM2F128 $0x20, Y4, Y0, Y8
	VPERM2F128 $0x20, Y5, Y1, Y9
	VPERM2F128 $0x20, Y6, Y2, Y10
	VPERM2F128 $0x20, Y7, Y3, Y11
	VPERM2F128 $0x31, Y4, Y0, Y12
	VPERM2F128 $0x31, Y5, Y1, Y13
	VPERM2F128 $0x31, Y6, Y2, Y14
	VPERM2F128 $0x31, Y7, Y3, Y15
	MOVQ DI, AX
	VMOVUPS Y8, (AX)
	VMOVUPS Y9, (AX)(BX*1)
	VMOVUPS Y10, (AX)(BX*2)
	VMOVUPS Y11, (AX)(R8*1)
	LEAQ (AX)(BX*4), AX
	VMOVUPS Y12, (AX)
	VMOVUPS Y13, (AX)(BX*1)
	VMOVUPS Y14, (AX)(BX*2)
	VMOVUPS Y15, (AX)(R8*1)
	ADDQ $32, SI
	LEAQ (AX)(BX*4), DI
	DECQ CX
	JNZ  tloop

tdone:
	VZEROUPPER
	RET

// func copy8(dst, src *float32, ld, kc, rows, stride int)
// dst[p*stride+i] = src[p*ld+i] for p < kc and i < rows (rows ≤ 8), and 0
// for rows ≤ i < 8. Each step writes 8 floats. Partial rows use masked loads,
// which never touch the lanes past rows; full and empty rows avoid them (an
// all-masked load is very slow). (AVX2)
TEXT ·copy8(SB), NOSPLIT, $0-48
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ ld+16(FP), DX
	SHLQ $2, DX
	MOVQ kc+24(FP), CX
	MOVQ stride+40(FP), R8
	SHLQ $2, R8
	MOVQ rows+32(FP), AX
	TESTQ CX, CX
	JEQ  c8done
	CMPQ AX, $8
	JGE  c8full
	TESTQ AX, AX
	JEQ  c8zero
	VMOVDQU lanes<>(SB), Y4
	MOVQ AX, X5
	VPBROADCASTD X5, Y5
	VPCMPGTD Y4, Y5, Y6            // lane mask: i < rows

c8loop:
	VMASKMOVPS (SI), Y6, Y0
	VMOVUPS Y0, (DI)
	ADDQ DX, SI
	ADDQ R8, DI
	DECQ CX
	JNZ  c8loop
	JMP  c8done

c8full:
	VMOVUPS (SI), Y0
	VMOVUPS Y0, (DI)
	ADDQ DX, SI
	ADDQ R8, DI
	DECQ CX
	JNZ  c8full
	JMP  c8done

c8zero:
	VXORPS Y0, Y0, Y0

c8zloop:
	VMOVUPS Y0, (DI)
	ADDQ R8, DI
	DECQ CX
	JNZ  c8zloop

c8done:
	VZEROUPPER
	RET
