//go:build amd64 && !purego

// The AMX bf16 micro-kernel and a row-to-bf16 conversion. Go's assembler
// has no AMX or VCVTNEPS2BF16: the instructions are bytes (encodings from
// GNU as, checked against objdump), each named in the comment beside it.
//
// Tiles (configured by the caller's 64-byte palette-1 config: 8 tiles of
// 16 rows × 64 bytes): TMM0-3 a 32×32 block of C in float32 (TMM0 rows
// 0-15 columns 0-15, TMM1 rows 0-15 columns 16-31, TMM2 and TMM3 rows
// 16-31), TMM4-5 32 rows × 32 steps of A in bf16, TMM6-7 16 pairs of steps
// × 32 columns of B in pair form (as pairBF16 leaves a 32-column panel).
// TDPBF16PS adds 16×16×32 products into a float32 tile.

#include "textflag.h"

#define LDTILECFG_AX BYTE $0xc4; BYTE $0xe2; BYTE $0x78; BYTE $0x49; BYTE $0x00
#define TILERELEASE BYTE $0xc4; BYTE $0xe2; BYTE $0x78; BYTE $0x49; BYTE $0xc0

// func amxPanel(a *uint16, lda int, b *float32, kblocks int, c *float32, ldc int, mblocks, load int, cfg *byte)
// For each of mblocks blocks of 32 rows: C[32×32] (+)= A[32 × 32·kblocks]·B,
// A in bf16 rows lda bytes apart (the next block 32·lda further), B a
// 32-column panel in pair form (128 bytes per pair of steps), C float32
// rows ldc bytes apart (the next block 32·ldc further). With load != 0 the
// block's C is loaded and added to, else overwritten.
TEXT ·amxPanel(SB), NOSPLIT, $0-72
	MOVQ cfg+64(FP), AX
	LDTILECFG_AX
	MOVQ a+0(FP), BX
	MOVQ lda+8(FP), DX
	MOVQ c+32(FP), R13
	MOVQ ldc+40(FP), R8
	MOVQ mblocks+48(FP), CX
	MOVQ $128, R11

rowblock:
	MOVQ R13, R9
	MOVQ R8, R12
	SHLQ $4, R12
	ADDQ R9, R12
	MOVQ load+56(FP), AX
	TESTQ AX, AX
	JEQ  zeroc
	BYTE $0xc4; BYTE $0x82; BYTE $0x7b; BYTE $0x4b; BYTE $0x04; BYTE $0x01               // TILELOADD (R9)(R8*1), TMM0
	BYTE $0xc4; BYTE $0x82; BYTE $0x7b; BYTE $0x4b; BYTE $0x4c; BYTE $0x01; BYTE $0x40  // TILELOADD 64(R9)(R8*1), TMM1
	BYTE $0xc4; BYTE $0x82; BYTE $0x7b; BYTE $0x4b; BYTE $0x14; BYTE $0x04               // TILELOADD (R12)(R8*1), TMM2
	BYTE $0xc4; BYTE $0x82; BYTE $0x7b; BYTE $0x4b; BYTE $0x5c; BYTE $0x04; BYTE $0x40  // TILELOADD 64(R12)(R8*1), TMM3
	JMP  kstart

zeroc:
	BYTE $0xc4; BYTE $0xe2; BYTE $0x7b; BYTE $0x49; BYTE $0xc0 // TILEZERO TMM0
	BYTE $0xc4; BYTE $0xe2; BYTE $0x7b; BYTE $0x49; BYTE $0xc8 // TILEZERO TMM1
	BYTE $0xc4; BYTE $0xe2; BYTE $0x7b; BYTE $0x49; BYTE $0xd0 // TILEZERO TMM2
	BYTE $0xc4; BYTE $0xe2; BYTE $0x7b; BYTE $0x49; BYTE $0xd8 // TILEZERO TMM3

kstart:
	MOVQ BX, SI
	MOVQ DX, R10
	SHLQ $4, R10
	ADDQ SI, R10
	MOVQ b+16(FP), DI
	MOVQ kblocks+24(FP), AX

kloop:
	BYTE $0xc4; BYTE $0xe2; BYTE $0x7b; BYTE $0x4b; BYTE $0x24; BYTE $0x16               // TILELOADD (SI)(DX*1), TMM4
	BYTE $0xc4; BYTE $0xc2; BYTE $0x7b; BYTE $0x4b; BYTE $0x2c; BYTE $0x12               // TILELOADD (R10)(DX*1), TMM5
	BYTE $0xc4; BYTE $0xa2; BYTE $0x7b; BYTE $0x4b; BYTE $0x34; BYTE $0x1f               // TILELOADD (DI)(R11*1), TMM6
	BYTE $0xc4; BYTE $0xa2; BYTE $0x7b; BYTE $0x4b; BYTE $0x7c; BYTE $0x1f; BYTE $0x40  // TILELOADD 64(DI)(R11*1), TMM7
	BYTE $0xc4; BYTE $0xe2; BYTE $0x4a; BYTE $0x5c; BYTE $0xc4                           // TDPBF16PS TMM0 += TMM4·TMM6
	BYTE $0xc4; BYTE $0xe2; BYTE $0x42; BYTE $0x5c; BYTE $0xcc                           // TDPBF16PS TMM1 += TMM4·TMM7
	BYTE $0xc4; BYTE $0xe2; BYTE $0x4a; BYTE $0x5c; BYTE $0xd5                           // TDPBF16PS TMM2 += TMM5·TMM6
	BYTE $0xc4; BYTE $0xe2; BYTE $0x42; BYTE $0x5c; BYTE $0xdd                           // TDPBF16PS TMM3 += TMM5·TMM7
	ADDQ $64, SI
	ADDQ $64, R10
	ADDQ $2048, DI
	DECQ AX
	JNZ  kloop

	BYTE $0xc4; BYTE $0x82; BYTE $0x7a; BYTE $0x4b; BYTE $0x04; BYTE $0x01               // TILESTORED TMM0, (R9)(R8*1)
	BYTE $0xc4; BYTE $0x82; BYTE $0x7a; BYTE $0x4b; BYTE $0x4c; BYTE $0x01; BYTE $0x40  // TILESTORED TMM1, 64(R9)(R8*1)
	BYTE $0xc4; BYTE $0x82; BYTE $0x7a; BYTE $0x4b; BYTE $0x14; BYTE $0x04               // TILESTORED TMM2, (R12)(R8*1)
	BYTE $0xc4; BYTE $0x82; BYTE $0x7a; BYTE $0x4b; BYTE $0x5c; BYTE $0x04; BYTE $0x40  // TILESTORED TMM3, 64(R12)(R8*1)
	MOVQ DX, AX
	SHLQ $5, AX
	ADDQ AX, BX
	MOVQ R8, AX
	SHLQ $5, AX
	ADDQ AX, R13
	DECQ CX
	JNZ  rowblock
	TILERELEASE
	RET

// func cvtBF16(dst *uint16, src *float32, n int)
// dst[i] = bf16(src[i]) for i < n, rounded to nearest even (VCVTNEPS2BF16:
// subnormals to zero, NaN stays NaN).
TEXT ·cvtBF16(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), CX

cvt16:
	CMPQ CX, $16
	JLT  cvttail
	VMOVUPS (SI), Z0
	BYTE $0x62; BYTE $0xf2; BYTE $0x7e; BYTE $0x48; BYTE $0x72; BYTE $0xc8 // VCVTNEPS2BF16 Z0, Y1
	VMOVDQU Y1, (DI)
	ADDQ $64, SI
	ADDQ $32, DI
	SUBQ $16, CX
	JMP  cvt16

cvttail:
	TESTQ CX, CX
	JEQ   cvtdone
	MOVL  $1, AX
	SHLL  CX, AX
	DECL  AX
	KMOVW AX, K1
	VMOVUPS.Z (SI), K1, Z0
	BYTE $0x62; BYTE $0xf2; BYTE $0x7e; BYTE $0x48; BYTE $0x72; BYTE $0xc8 // VCVTNEPS2BF16 Z0, Y1
	VMOVDQU16 Y1, K1, (DI)

cvtdone:
	VZEROUPPER
	RET
