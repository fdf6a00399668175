//go:build amd64 && !purego

// bfloat16 products on AVX512-BF16 (compact_bf16pack.go): x rounded to
// bfloat16 (bf16RoundX512), then VDPBF16PS over weights packed in groups
// of 16 rows, one row per 32-bit lane, two columns per lane. Go's assembler
// lacks VDPBF16PS: it is written as bytes (encodings from GNU as, checked
// with objdump), each line naming the instruction in GNU syntax (weights
// from memory, x broadcast in a register, the accumulator last).

#include "textflag.h"

// func bf16RoundX512(x *float32, n16 int, h *uint16)
// h[i] = bf16(x[i]) for i < 16·n16, rounded to nearest even.
TEXT ·bf16RoundX512(SB), NOSPLIT, $0-24
	MOVQ x+0(FP), SI
	MOVQ n16+8(FP), CX
	MOVQ h+16(FP), DI

rloop:
	TESTQ CX, CX
	JEQ   rdone
	VMOVUPS (SI), Z0
	BYTE $0x62; BYTE $0xf2; BYTE $0x7e; BYTE $0x48; BYTE $0x72; BYTE $0xc8 // vcvtneps2bf16 %zmm0,%ymm1
	VMOVDQU Y1, (DI)
	ADDQ $64, SI
	ADDQ $32, DI
	DECQ CX
	JMP  rloop

rdone:
	VZEROUPPER
	RET

// func bf16DotPacked(p *uint16, nc, rows int, h *uint16, y *float32)
// y[r] += Σ_k p[r, 2k..2k+1]·h[2k..2k+1] for r < rows, from the groups of
// 16 rows at p (nc chunks of 64 bytes each; nc a multiple of 16).
TEXT ·bf16DotPacked(SB), NOSPLIT, $0-40
	MOVQ p+0(FP), SI
	MOVQ nc+8(FP), R8
	MOVQ rows+16(FP), R9
	MOVQ h+24(FP), DX
	MOVQ y+32(FP), DI
	MOVQ R8, R10
	SHLQ $6, R10 // bytes per group

quad:
	CMPQ R9, $64
	JLT  single
	LEAQ (SI)(R10*1), R11
	LEAQ (R11)(R10*1), R12
	LEAQ (R12)(R10*1), R13
	VPXORD Z0, Z0, Z0
	VPXORD Z1, Z1, Z1
	VPXORD Z2, Z2, Z2
	VPXORD Z3, Z3, Z3
	VPXORD Z4, Z4, Z4
	VPXORD Z5, Z5, Z5
	VPXORD Z6, Z6, Z6
	VPXORD Z7, Z7, Z7
	XORQ CX, CX
	MOVQ DX, AX
	XORQ R14, R14

qchunks:
	CMPQ CX, R8
	JGE  qstore
	VPBROADCASTD 0(AX), Z12
	BYTE $0x62; BYTE $0xb2; BYTE $0x1e; BYTE $0x48; BYTE $0x52; BYTE $0x04; BYTE $0x36 // vdpbf16ps (%rsi,%r14,1),%zmm12,%zmm0
	BYTE $0x62; BYTE $0x92; BYTE $0x1e; BYTE $0x48; BYTE $0x52; BYTE $0x0c; BYTE $0x33 // vdpbf16ps (%r11,%r14,1),%zmm12,%zmm1
	BYTE $0x62; BYTE $0x92; BYTE $0x1e; BYTE $0x48; BYTE $0x52; BYTE $0x14; BYTE $0x34 // vdpbf16ps (%r12,%r14,1),%zmm12,%zmm2
	BYTE $0x62; BYTE $0x92; BYTE $0x1e; BYTE $0x48; BYTE $0x52; BYTE $0x5c; BYTE $0x35; BYTE $0x00 // vdpbf16ps 0x0(%r13,%r14,1),%zmm12,%zmm3
	VPBROADCASTD 4(AX), Z13
	BYTE $0x62; BYTE $0xb2; BYTE $0x16; BYTE $0x48; BYTE $0x52; BYTE $0x64; BYTE $0x36; BYTE $0x01 // vdpbf16ps 0x40(%rsi,%r14,1),%zmm13,%zmm4
	BYTE $0x62; BYTE $0x92; BYTE $0x16; BYTE $0x48; BYTE $0x52; BYTE $0x6c; BYTE $0x33; BYTE $0x01 // vdpbf16ps 0x40(%r11,%r14,1),%zmm13,%zmm5
	BYTE $0x62; BYTE $0x92; BYTE $0x16; BYTE $0x48; BYTE $0x52; BYTE $0x74; BYTE $0x34; BYTE $0x01 // vdpbf16ps 0x40(%r12,%r14,1),%zmm13,%zmm6
	BYTE $0x62; BYTE $0x92; BYTE $0x16; BYTE $0x48; BYTE $0x52; BYTE $0x7c; BYTE $0x35; BYTE $0x01 // vdpbf16ps 0x40(%r13,%r14,1),%zmm13,%zmm7
	VPBROADCASTD 8(AX), Z12
	BYTE $0x62; BYTE $0xb2; BYTE $0x1e; BYTE $0x48; BYTE $0x52; BYTE $0x44; BYTE $0x36; BYTE $0x02 // vdpbf16ps 0x80(%rsi,%r14,1),%zmm12,%zmm0
	BYTE $0x62; BYTE $0x92; BYTE $0x1e; BYTE $0x48; BYTE $0x52; BYTE $0x4c; BYTE $0x33; BYTE $0x02 // vdpbf16ps 0x80(%r11,%r14,1),%zmm12,%zmm1
	BYTE $0x62; BYTE $0x92; BYTE $0x1e; BYTE $0x48; BYTE $0x52; BYTE $0x54; BYTE $0x34; BYTE $0x02 // vdpbf16ps 0x80(%r12,%r14,1),%zmm12,%zmm2
	BYTE $0x62; BYTE $0x92; BYTE $0x1e; BYTE $0x48; BYTE $0x52; BYTE $0x5c; BYTE $0x35; BYTE $0x02 // vdpbf16ps 0x80(%r13,%r14,1),%zmm12,%zmm3
	VPBROADCASTD 12(AX), Z13
	BYTE $0x62; BYTE $0xb2; BYTE $0x16; BYTE $0x48; BYTE $0x52; BYTE $0x64; BYTE $0x36; BYTE $0x03 // vdpbf16ps 0xc0(%rsi,%r14,1),%zmm13,%zmm4
	BYTE $0x62; BYTE $0x92; BYTE $0x16; BYTE $0x48; BYTE $0x52; BYTE $0x6c; BYTE $0x33; BYTE $0x03 // vdpbf16ps 0xc0(%r11,%r14,1),%zmm13,%zmm5
	BYTE $0x62; BYTE $0x92; BYTE $0x16; BYTE $0x48; BYTE $0x52; BYTE $0x74; BYTE $0x34; BYTE $0x03 // vdpbf16ps 0xc0(%r12,%r14,1),%zmm13,%zmm6
	BYTE $0x62; BYTE $0x92; BYTE $0x16; BYTE $0x48; BYTE $0x52; BYTE $0x7c; BYTE $0x35; BYTE $0x03 // vdpbf16ps 0xc0(%r13,%r14,1),%zmm13,%zmm7
	VPBROADCASTD 16(AX), Z12
	BYTE $0x62; BYTE $0xb2; BYTE $0x1e; BYTE $0x48; BYTE $0x52; BYTE $0x44; BYTE $0x36; BYTE $0x04 // vdpbf16ps 0x100(%rsi,%r14,1),%zmm12,%zmm0
	BYTE $0x62; BYTE $0x92; BYTE $0x1e; BYTE $0x48; BYTE $0x52; BYTE $0x4c; BYTE $0x33; BYTE $0x04 // vdpbf16ps 0x100(%r11,%r14,1),%zmm12,%zmm1
	BYTE $0x62; BYTE $0x92; BYTE $0x1e; BYTE $0x48; BYTE $0x52; BYTE $0x54; BYTE $0x34; BYTE $0x04 // vdpbf16ps 0x100(%r12,%r14,1),%zmm12,%zmm2
	BYTE $0x62; BYTE $0x92; BYTE $0x1e; BYTE $0x48; BYTE $0x52; BYTE $0x5c; BYTE $0x35; BYTE $0x04 // vdpbf16ps 0x100(%r13,%r14,1),%zmm12,%zmm3
	VPBROADCASTD 20(AX), Z13
	BYTE $0x62; BYTE $0xb2; BYTE $0x16; BYTE $0x48; BYTE $0x52; BYTE $0x64; BYTE $0x36; BYTE $0x05 // vdpbf16ps 0x140(%rsi,%r14,1),%zmm13,%zmm4
	BYTE $0x62; BYTE $0x92; BYTE $0x16; BYTE $0x48; BYTE $0x52; BYTE $0x6c; BYTE $0x33; BYTE $0x05 // vdpbf16ps 0x140(%r11,%r14,1),%zmm13,%zmm5
	BYTE $0x62; BYTE $0x92; BYTE $0x16; BYTE $0x48; BYTE $0x52; BYTE $0x74; BYTE $0x34; BYTE $0x05 // vdpbf16ps 0x140(%r12,%r14,1),%zmm13,%zmm6
	BYTE $0x62; BYTE $0x92; BYTE $0x16; BYTE $0x48; BYTE $0x52; BYTE $0x7c; BYTE $0x35; BYTE $0x05 // vdpbf16ps 0x140(%r13,%r14,1),%zmm13,%zmm7
	VPBROADCASTD 24(AX), Z12
	BYTE $0x62; BYTE $0xb2; BYTE $0x1e; BYTE $0x48; BYTE $0x52; BYTE $0x44; BYTE $0x36; BYTE $0x06 // vdpbf16ps 0x180(%rsi,%r14,1),%zmm12,%zmm0
	BYTE $0x62; BYTE $0x92; BYTE $0x1e; BYTE $0x48; BYTE $0x52; BYTE $0x4c; BYTE $0x33; BYTE $0x06 // vdpbf16ps 0x180(%r11,%r14,1),%zmm12,%zmm1
	BYTE $0x62; BYTE $0x92; BYTE $0x1e; BYTE $0x48; BYTE $0x52; BYTE $0x54; BYTE $0x34; BYTE $0x06 // vdpbf16ps 0x180(%r12,%r14,1),%zmm12,%zmm2
	BYTE $0x62; BYTE $0x92; BYTE $0x1e; BYTE $0x48; BYTE $0x52; BYTE $0x5c; BYTE $0x35; BYTE $0x06 // vdpbf16ps 0x180(%r13,%r14,1),%zmm12,%zmm3
	VPBROADCASTD 28(AX), Z13
	BYTE $0x62; BYTE $0xb2; BYTE $0x16; BYTE $0x48; BYTE $0x52; BYTE $0x64; BYTE $0x36; BYTE $0x07 // vdpbf16ps 0x1c0(%rsi,%r14,1),%zmm13,%zmm4
	BYTE $0x62; BYTE $0x92; BYTE $0x16; BYTE $0x48; BYTE $0x52; BYTE $0x6c; BYTE $0x33; BYTE $0x07 // vdpbf16ps 0x1c0(%r11,%r14,1),%zmm13,%zmm5
	BYTE $0x62; BYTE $0x92; BYTE $0x16; BYTE $0x48; BYTE $0x52; BYTE $0x74; BYTE $0x34; BYTE $0x07 // vdpbf16ps 0x1c0(%r12,%r14,1),%zmm13,%zmm6
	BYTE $0x62; BYTE $0x92; BYTE $0x16; BYTE $0x48; BYTE $0x52; BYTE $0x7c; BYTE $0x35; BYTE $0x07 // vdpbf16ps 0x1c0(%r13,%r14,1),%zmm13,%zmm7
	ADDQ $32, AX
	ADDQ $512, R14
	ADDQ $8, CX
	JMP  qchunks

qstore:
	VADDPS Z4, Z0, Z0
	VADDPS 0(DI), Z0, Z0
	VMOVUPS Z0, 0(DI)
	VADDPS Z5, Z1, Z1
	VADDPS 64(DI), Z1, Z1
	VMOVUPS Z1, 64(DI)
	VADDPS Z6, Z2, Z2
	VADDPS 128(DI), Z2, Z2
	VMOVUPS Z2, 128(DI)
	VADDPS Z7, Z3, Z3
	VADDPS 192(DI), Z3, Z3
	VMOVUPS Z3, 192(DI)
	ADDQ $256, DI
	LEAQ (SI)(R10*4), SI
	SUBQ $64, R9
	JMP  quad

single:
	TESTQ R9, R9
	JLE   done
	VPXORD Z0, Z0, Z0
	VPXORD Z1, Z1, Z1
	VPXORD Z2, Z2, Z2
	VPXORD Z3, Z3, Z3
	XORQ CX, CX
	MOVQ DX, AX
	XORQ R14, R14

schunks:
	CMPQ CX, R8
	JGE  sstore
	VPBROADCASTD 0(AX), Z12
	BYTE $0x62; BYTE $0xb2; BYTE $0x1e; BYTE $0x48; BYTE $0x52; BYTE $0x04; BYTE $0x36 // vdpbf16ps (%rsi,%r14,1),%zmm12,%zmm0
	VPBROADCASTD 4(AX), Z13
	BYTE $0x62; BYTE $0xb2; BYTE $0x16; BYTE $0x48; BYTE $0x52; BYTE $0x4c; BYTE $0x36; BYTE $0x01 // vdpbf16ps 0x40(%rsi,%r14,1),%zmm13,%zmm1
	VPBROADCASTD 8(AX), Z14
	BYTE $0x62; BYTE $0xb2; BYTE $0x0e; BYTE $0x48; BYTE $0x52; BYTE $0x54; BYTE $0x36; BYTE $0x02 // vdpbf16ps 0x80(%rsi,%r14,1),%zmm14,%zmm2
	VPBROADCASTD 12(AX), Z15
	BYTE $0x62; BYTE $0xb2; BYTE $0x06; BYTE $0x48; BYTE $0x52; BYTE $0x5c; BYTE $0x36; BYTE $0x03 // vdpbf16ps 0xc0(%rsi,%r14,1),%zmm15,%zmm3
	VPBROADCASTD 16(AX), Z12
	BYTE $0x62; BYTE $0xb2; BYTE $0x1e; BYTE $0x48; BYTE $0x52; BYTE $0x44; BYTE $0x36; BYTE $0x04 // vdpbf16ps 0x100(%rsi,%r14,1),%zmm12,%zmm0
	VPBROADCASTD 20(AX), Z13
	BYTE $0x62; BYTE $0xb2; BYTE $0x16; BYTE $0x48; BYTE $0x52; BYTE $0x4c; BYTE $0x36; BYTE $0x05 // vdpbf16ps 0x140(%rsi,%r14,1),%zmm13,%zmm1
	VPBROADCASTD 24(AX), Z14
	BYTE $0x62; BYTE $0xb2; BYTE $0x0e; BYTE $0x48; BYTE $0x52; BYTE $0x54; BYTE $0x36; BYTE $0x06 // vdpbf16ps 0x180(%rsi,%r14,1),%zmm14,%zmm2
	VPBROADCASTD 28(AX), Z15
	BYTE $0x62; BYTE $0xb2; BYTE $0x06; BYTE $0x48; BYTE $0x52; BYTE $0x5c; BYTE $0x36; BYTE $0x07 // vdpbf16ps 0x1c0(%rsi,%r14,1),%zmm15,%zmm3
	ADDQ $32, AX
	ADDQ $512, R14
	ADDQ $8, CX
	JMP  schunks

sstore:
	VADDPS Z1, Z0, Z0
	VADDPS Z3, Z2, Z2
	VADDPS Z2, Z0, Z0
	MOVQ R9, CX
	CMPQ CX, $16
	JLE  mask
	MOVQ $16, CX

mask:
	MOVL $1, AX
	SHLL CX, AX
	DECL AX
	KMOVW AX, K1
	VMOVUPS.Z (DI), K1, Z1
	VADDPS Z1, Z0, Z0
	VMOVUPS Z0, K1, (DI)
	ADDQ $64, DI
	ADDQ R10, SI
	SUBQ $16, R9
	JMP  single

done:
	VZEROUPPER
	RET
