//go:build amd64 && !purego

// Compact matrix-vector products (compact.go): bfloat16 rows widened to
// float32 by a 16-bit shift, Q8_0 rows sign-extended and converted to
// float32, each block's sum scaled by its d; float32 FMAs against x.

#include "textflag.h"

// func bf16Dot512(w *uint16, ldw, rows int, x *float32, n int, y *float32)
// y[r] += Σ_{j<n} bf16(w[r*ldw+j])*x[j] for r < rows; n is a multiple of 16.
TEXT ·bf16Dot512(SB), NOSPLIT, $0-48
	MOVQ w+0(FP), SI
	MOVQ ldw+8(FP), R8
	SHLQ $1, R8
	MOVQ rows+16(FP), R9
	MOVQ x+24(FP), DX
	MOVQ n+32(FP), R10
	MOVQ y+40(FP), DI
	MOVQ R10, R11
	ANDQ $-32, R11

row:
	TESTQ R9, R9
	JEQ   done
	VPXORD Z0, Z0, Z0
	VPXORD Z1, Z1, Z1
	XORQ  CX, CX

cols32:
	CMPQ CX, R11
	JGE  cols16
	VPMOVZXWD (SI)(CX*2), Z2
	VPMOVZXWD 32(SI)(CX*2), Z3
	VPSLLD $16, Z2, Z2
	VPSLLD $16, Z3, Z3
	VFMADD231PS (DX)(CX*4), Z2, Z0
	VFMADD231PS 64(DX)(CX*4), Z3, Z1
	ADDQ $32, CX
	JMP  cols32

cols16:
	CMPQ CX, R10
	JGE  sum
	VPMOVZXWD (SI)(CX*2), Z2
	VPSLLD $16, Z2, Z2
	VFMADD231PS (DX)(CX*4), Z2, Z0

sum:
	VADDPS Z1, Z0, Z0
	VEXTRACTF64X4 $1, Z0, Y1
	VADDPS Y1, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPS X1, X0, X0
	VHADDPS X0, X0, X0
	VHADDPS X0, X0, X0
	VADDSS (DI), X0, X0
	VMOVSS X0, (DI)
	ADDQ $4, DI
	ADDQ R8, SI
	DECQ R9
	JMP  row

done:
	VZEROUPPER
	RET

// func bf16Dot256(w *uint16, ldw, rows int, x *float32, n int, y *float32)
// As bf16Dot512 with AVX2; n is a multiple of 8.
TEXT ·bf16Dot256(SB), NOSPLIT, $0-48
	MOVQ w+0(FP), SI
	MOVQ ldw+8(FP), R8
	SHLQ $1, R8
	MOVQ rows+16(FP), R9
	MOVQ x+24(FP), DX
	MOVQ n+32(FP), R10
	MOVQ y+40(FP), DI
	MOVQ R10, R11
	ANDQ $-16, R11

row:
	TESTQ R9, R9
	JEQ   done
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	XORQ  CX, CX

cols16:
	CMPQ CX, R11
	JGE  cols8
	VPMOVZXWD (SI)(CX*2), Y2
	VPMOVZXWD 16(SI)(CX*2), Y3
	VPSLLD $16, Y2, Y2
	VPSLLD $16, Y3, Y3
	VFMADD231PS (DX)(CX*4), Y2, Y0
	VFMADD231PS 32(DX)(CX*4), Y3, Y1
	ADDQ $16, CX
	JMP  cols16

cols8:
	CMPQ CX, R10
	JGE  sum
	VPMOVZXWD (SI)(CX*2), Y2
	VPSLLD $16, Y2, Y2
	VFMADD231PS (DX)(CX*4), Y2, Y0

sum:
	VADDPS Y1, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPS X1, X0, X0
	VHADDPS X0, X0, X0
	VHADDPS X0, X0, X0
	VADDSS (DI), X0, X0
	VMOVSS X0, (DI)
	ADDQ $4, DI
	ADDQ R8, SI
	DECQ R9
	JMP  row

done:
	VZEROUPPER
	RET

// func q8Dot512(q *int8, d *float32, nb, rows int, x *float32, nfull int, y *float32)
// y[r] += Σ_{b<nfull} d[r*nb+b] · Σ_{i<32} q[(r*nb+b)*32+i]*x[b*32+i] for r < rows.
TEXT ·q8Dot512(SB), NOSPLIT, $0-56
	MOVQ q+0(FP), SI
	MOVQ d+8(FP), BX
	MOVQ nb+16(FP), R8
	MOVQ rows+24(FP), R9
	MOVQ x+32(FP), DX
	MOVQ nfull+40(FP), R10
	MOVQ y+48(FP), DI
	MOVQ R8, R12
	SHLQ $5, R12            // bytes of q per row
	MOVQ R8, R13
	SHLQ $2, R13            // bytes of d per row
	MOVQ R10, R14
	ANDQ $-2, R14           // blocks done two at a time

row:
	TESTQ R9, R9
	JEQ   done
	VPXORD Z0, Z0, Z0
	VPXORD Z1, Z1, Z1
	XORQ  CX, CX
	MOVQ  SI, AX
	MOVQ  DX, R11

blocks2:
	CMPQ CX, R14
	JGE  block1
	VPMOVSXBD (AX), Z2
	VPMOVSXBD 16(AX), Z3
	VPMOVSXBD 32(AX), Z4
	VPMOVSXBD 48(AX), Z5
	VCVTDQ2PS Z2, Z2
	VCVTDQ2PS Z3, Z3
	VCVTDQ2PS Z4, Z4
	VCVTDQ2PS Z5, Z5
	VMULPS (R11), Z2, Z2
	VFMADD231PS 64(R11), Z3, Z2
	VMULPS 128(R11), Z4, Z4
	VFMADD231PS 192(R11), Z5, Z4
	VBROADCASTSS (BX)(CX*4), Z6
	VBROADCASTSS 4(BX)(CX*4), Z7
	VFMADD231PS Z6, Z2, Z0
	VFMADD231PS Z7, Z4, Z1
	ADDQ $64, AX
	ADDQ $256, R11
	ADDQ $2, CX
	JMP  blocks2

block1:
	CMPQ CX, R10
	JGE  sum
	VPMOVSXBD (AX), Z2
	VPMOVSXBD 16(AX), Z3
	VCVTDQ2PS Z2, Z2
	VCVTDQ2PS Z3, Z3
	VMULPS (R11), Z2, Z2
	VFMADD231PS 64(R11), Z3, Z2
	VBROADCASTSS (BX)(CX*4), Z6
	VFMADD231PS Z6, Z2, Z0

sum:
	VADDPS Z1, Z0, Z0
	VEXTRACTF64X4 $1, Z0, Y1
	VADDPS Y1, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPS X1, X0, X0
	VHADDPS X0, X0, X0
	VHADDPS X0, X0, X0
	VADDSS (DI), X0, X0
	VMOVSS X0, (DI)
	ADDQ $4, DI
	ADDQ R12, SI
	ADDQ R13, BX
	DECQ R9
	JMP  row

done:
	VZEROUPPER
	RET

// func q8Dot256(q *int8, d *float32, nb, rows int, x *float32, nfull int, y *float32)
// As q8Dot512 with AVX2.
TEXT ·q8Dot256(SB), NOSPLIT, $0-56
	MOVQ q+0(FP), SI
	MOVQ d+8(FP), BX
	MOVQ nb+16(FP), R8
	MOVQ rows+24(FP), R9
	MOVQ x+32(FP), DX
	MOVQ nfull+40(FP), R10
	MOVQ y+48(FP), DI
	MOVQ R8, R12
	SHLQ $5, R12
	MOVQ R8, R13
	SHLQ $2, R13

row:
	TESTQ R9, R9
	JEQ   done
	VXORPS Y0, Y0, Y0
	XORQ  CX, CX
	MOVQ  SI, AX
	MOVQ  DX, R11

block:
	CMPQ CX, R10
	JGE  sum
	VPMOVSXBD (AX), Y2
	VPMOVSXBD 8(AX), Y3
	VPMOVSXBD 16(AX), Y4
	VPMOVSXBD 24(AX), Y5
	VCVTDQ2PS Y2, Y2
	VCVTDQ2PS Y3, Y3
	VCVTDQ2PS Y4, Y4
	VCVTDQ2PS Y5, Y5
	VMULPS (R11), Y2, Y2
	VFMADD231PS 32(R11), Y3, Y2
	VMULPS 64(R11), Y4, Y4
	VFMADD231PS 96(R11), Y5, Y4
	VADDPS Y4, Y2, Y2
	VBROADCASTSS (BX)(CX*4), Y6
	VFMADD231PS Y6, Y2, Y0
	ADDQ $32, AX
	ADDQ $128, R11
	INCQ CX
	JMP  block

sum:
	VEXTRACTF128 $1, Y0, X1
	VADDPS X1, X0, X0
	VHADDPS X0, X0, X0
	VHADDPS X0, X0, X0
	VADDSS (DI), X0, X0
	VMOVSS X0, (DI)
	ADDQ $4, DI
	ADDQ R12, SI
	ADDQ R13, BX
	DECQ R9
	JMP  row

done:
	VZEROUPPER
	RET
