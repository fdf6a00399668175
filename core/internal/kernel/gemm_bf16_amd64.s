//go:build amd64 && !purego

// The bf16 GEMM micro-kernel and the conversion of packed panels to bf16
// pairs (AVX-512 BF16). Go's assembler lacks VDPBF16PS and VCVTNE2PS2BF16:
// they are written as bytes (encodings from GNU as, checked against
// objdump); each BYTE line names the instruction it encodes.
//
// A packed panel in pair form holds, for each pair of steps (2q, 2q+1) of
// k and each of its W columns (or rows of A), one 32-bit word: the bf16 of
// step 2q in the low half, of step 2q+1 in the high half. VDPBF16PS
// multiplies such words lane by lane and adds both products to a float32
// accumulator, so the kernel is kern8x32 with one VDPBF16PS for two FMAs.

#include "textflag.h"

// DP_Rr is, for the row r of the tile, VDPBF16PS Z16, Z(18+r), Z(2r) and
// VDPBF16PS Z17, Z(18+r), Z(2r+1) (GNU: vdpbf16ps %zmm16, %zmm18, %zmm0):
// the accumulators of row r += pairs of A's row r · pairs of B's 32 columns.
#define DP_R0 \
	BYTE $0x62; BYTE $0xb2; BYTE $0x6e; BYTE $0x40; BYTE $0x52; BYTE $0xc0 \
	BYTE $0x62; BYTE $0xb2; BYTE $0x6e; BYTE $0x40; BYTE $0x52; BYTE $0xc9
#define DP_R1 \
	BYTE $0x62; BYTE $0xb2; BYTE $0x66; BYTE $0x40; BYTE $0x52; BYTE $0xd0 \
	BYTE $0x62; BYTE $0xb2; BYTE $0x66; BYTE $0x40; BYTE $0x52; BYTE $0xd9
#define DP_R2 \
	BYTE $0x62; BYTE $0xb2; BYTE $0x5e; BYTE $0x40; BYTE $0x52; BYTE $0xe0 \
	BYTE $0x62; BYTE $0xb2; BYTE $0x5e; BYTE $0x40; BYTE $0x52; BYTE $0xe9
#define DP_R3 \
	BYTE $0x62; BYTE $0xb2; BYTE $0x56; BYTE $0x40; BYTE $0x52; BYTE $0xf0 \
	BYTE $0x62; BYTE $0xb2; BYTE $0x56; BYTE $0x40; BYTE $0x52; BYTE $0xf9
#define DP_R4 \
	BYTE $0x62; BYTE $0x32; BYTE $0x4e; BYTE $0x40; BYTE $0x52; BYTE $0xc0 \
	BYTE $0x62; BYTE $0x32; BYTE $0x4e; BYTE $0x40; BYTE $0x52; BYTE $0xc9
#define DP_R5 \
	BYTE $0x62; BYTE $0x32; BYTE $0x46; BYTE $0x40; BYTE $0x52; BYTE $0xd0 \
	BYTE $0x62; BYTE $0x32; BYTE $0x46; BYTE $0x40; BYTE $0x52; BYTE $0xd9
#define DP_R6 \
	BYTE $0x62; BYTE $0x32; BYTE $0x3e; BYTE $0x40; BYTE $0x52; BYTE $0xe0 \
	BYTE $0x62; BYTE $0x32; BYTE $0x3e; BYTE $0x40; BYTE $0x52; BYTE $0xe9
#define DP_R7 \
	BYTE $0x62; BYTE $0x32; BYTE $0x36; BYTE $0x40; BYTE $0x52; BYTE $0xf0 \
	BYTE $0x62; BYTE $0x32; BYTE $0x36; BYTE $0x40; BYTE $0x52; BYTE $0xf9

// One pair of steps: 32 columns of B (two zmm of pairs), 8 broadcast pairs of A.
#define STEPBF(off) \
	VMOVUPS (off*128)(DI), Z16 \
	VMOVUPS (off*128+64)(DI), Z17 \
	VPBROADCASTD (off*32)(SI), Z18 \
	VPBROADCASTD (off*32+4)(SI), Z19 \
	DP_R0 \
	DP_R1 \
	VPBROADCASTD (off*32+8)(SI), Z20 \
	VPBROADCASTD (off*32+12)(SI), Z21 \
	DP_R2 \
	DP_R3 \
	VPBROADCASTD (off*32+16)(SI), Z22 \
	VPBROADCASTD (off*32+20)(SI), Z23 \
	DP_R4 \
	DP_R5 \
	VPBROADCASTD (off*32+24)(SI), Z24 \
	VPBROADCASTD (off*32+28)(SI), Z25 \
	DP_R6 \
	DP_R7

#define STOREBF(r0, r1) \
	VMULPS Z30, r0, r0 \
	VMULPS Z30, r1, r1 \
	VMOVUPS r0, (R9) \
	VMOVUPS r1, 64(R9) \
	ADDQ R8, R9

#define UPDATEBF(r0, r1) \
	VMULPS Z30, r0, r0 \
	VMULPS Z30, r1, r1 \
	VFMADD231PS (R9), Z31, r0 \
	VFMADD231PS 64(R9), Z31, r1 \
	VMOVUPS r0, (R9) \
	VMOVUPS r1, 64(R9) \
	ADDQ R8, R9

// func kernBF16x32(kc int, a, b, c *float32, ldc int, alpha, beta float32)
// An 8×32 tile of C from panels in pair form of kc steps ((kc+1)/2 pairs).
TEXT ·kernBF16x32(SB), NOSPLIT, $0-48
	MOVQ kc+0(FP), CX
	INCQ CX
	SHRQ $1, CX
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
	JLT  tailbf

loop4bf:
	STEPBF(0)
	STEPBF(1)
	STEPBF(2)
	STEPBF(3)
	ADDQ $128, SI
	ADDQ $512, DI
	SUBQ $4, CX
	CMPQ CX, $4
	JGE  loop4bf

tailbf:
	TESTQ CX, CX
	JEQ   donebf

loop1bf:
	STEPBF(0)
	ADDQ $32, SI
	ADDQ $128, DI
	DECQ CX
	JNZ  loop1bf

donebf:
	VBROADCASTSS alpha+40(FP), Z30
	MOVL beta+44(FP), AX
	ANDL $0x7fffffff, AX
	JEQ  nobetabf
	VBROADCASTSS beta+44(FP), Z31
	UPDATEBF(Z0, Z1)
	UPDATEBF(Z2, Z3)
	UPDATEBF(Z4, Z5)
	UPDATEBF(Z6, Z7)
	UPDATEBF(Z8, Z9)
	UPDATEBF(Z10, Z11)
	UPDATEBF(Z12, Z13)
	UPDATEBF(Z14, Z15)
	VZEROUPPER
	RET

nobetabf:
	STOREBF(Z0, Z1)
	STOREBF(Z2, Z3)
	STOREBF(Z4, Z5)
	STOREBF(Z6, Z7)
	STOREBF(Z8, Z9)
	STOREBF(Z10, Z11)
	STOREBF(Z12, Z13)
	STOREBF(Z14, Z15)
	VZEROUPPER
	RET

// Word indices that interleave two rows of 8 bf16: 0, 8, 1, 9, ..., 7, 15.
DATA pairIdx<>+0(SB)/8, $0x0009000100080000
DATA pairIdx<>+8(SB)/8, $0x000b0003000a0002
DATA pairIdx<>+16(SB)/8, $0x000d0005000c0004
DATA pairIdx<>+24(SB)/8, $0x000f0007000e0006
GLOBL pairIdx<>(SB), RODATA|NOPTR, $32

// func pairBF16(p *float32, w, kb int)
// Converts in place a packed float32 panel of kb steps of w values (w a
// multiple of 8) to pair form: word q*w+j gets bf16(p[2q*w+j]) low and
// bf16(p[(2q+1)*w+j]) high (0 past step kb), rounded to nearest even.
// Each pair is written at or below the rows it was read from, all of which
// are read first, so the conversion needs no second buffer.
TEXT ·pairBF16(SB), NOSPLIT, $0-24
	MOVQ p+0(FP), SI
	MOVQ w+8(FP), BX
	MOVQ kb+16(FP), CX
	SHLQ $2, BX                 // bytes per step
	MOVQ SI, DI                 // pairs are written from the start
	LEAQ (SI)(BX*1), R8         // step 2q+1
	VMOVDQU pairIdx<>(SB), Y5
	VPXOR Y3, Y3, Y3
	MOVQ CX, R11
	SHRQ $1, CX                 // full pairs
	JEQ  oddpair

pairloop:
	XORQ DX, DX

paircol:
	VMOVUPS (SI)(DX*1), Y0
	VMOVUPS (R8)(DX*1), Y1
	BYTE $0x62; BYTE $0xf2; BYTE $0x77; BYTE $0x28; BYTE $0x72; BYTE $0xd0 // VCVTNE2PS2BF16 Y0, Y1, Y2: words 0-7 from Y0, 8-15 from Y1
	VPERMW Y2, Y5, Y4
	VMOVDQU Y4, (DI)(DX*1)
	ADDQ $32, DX
	CMPQ DX, BX
	JLT  paircol
	ADDQ BX, DI
	LEAQ (SI)(BX*2), SI
	LEAQ (R8)(BX*2), R8
	DECQ CX
	JNZ  pairloop

oddpair:
	TESTQ $1, R11
	JEQ   pairdone
	XORQ  DX, DX

oddcol:
	VMOVUPS (SI)(DX*1), Y0
	BYTE $0x62; BYTE $0xf2; BYTE $0x67; BYTE $0x28; BYTE $0x72; BYTE $0xd0 // VCVTNE2PS2BF16 Y0, Y3, Y2: words 8-15 from Y3 = 0
	VPERMW Y2, Y5, Y4
	VMOVDQU Y4, (DI)(DX*1)
	ADDQ $32, DX
	CMPQ DX, BX
	JLT  oddcol

pairdone:
	VZEROUPPER
	RET
