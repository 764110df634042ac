// The Maia-style machine from the command line: assembler round trip, assembler errors,
// and the reference GEMM on the simulator (checked against fp64, with a trace).

// RUN: %tegula maia asm %S/Inputs/vadd.s -o %t.bin
// RUN: %tegula maia disasm %t.bin -o %t.s
// RUN: FileCheck %s --check-prefix=DISASM < %t.s
// DISASM: arg x1, 0
// DISASM: dma.in x5, x1, x8, x9, x9, 0, s1
// DISASM: wait s1, 2
// DISASM: vadd x6, x5, x6, x10, s2
// DISASM: dma.out x3, x6, x8, x9, x9, 0, s3
// DISASM: halt
// The disassembly assembles to the same binary.
// RUN: %tegula maia asm %t.s -o %t2.bin
// RUN: cmp %t.bin %t2.bin

// RUN: not %tegula maia asm %S/Inputs/bad.s -o %t3.bin 2>&1 | FileCheck %s --check-prefix=BAD
// BAD: line 2
// BAD-SAME: addd

// RUN: %tegula maia gemm --shape 256,128,256 --blocks 64,64,64 --trace %t.json | FileCheck %s --check-prefix=GEMM
// GEMM: maia-sim gemm bf16 256x128x256, blocks 64x64x64, functional
// GEMM: roofline bound
// GEMM: tiles 8, programs 8
// GEMM: vs fp64 reference (seed 1): PASS
// RUN: python3 -c "import json,sys; d=json.load(open(sys.argv[1])); names={e['name'] for e in d['traceEvents']}; assert {'mma','dma.in','dma.out','vfill'} <= names, names" %t.json

// RUN: not %tegula maia gemm --shape 100,128,256 2>&1 | FileCheck %s --check-prefix=SHAPE
// SHAPE: multiples of BM, BN, BK
