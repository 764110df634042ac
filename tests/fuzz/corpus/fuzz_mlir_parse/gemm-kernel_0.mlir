func.func @gemm() attributes {maia.kernel} {
  %a = maia.arg 0
  %b = maia.arg 1
  %c = maia.arg 2
  %K2 = maia.arg 3
  %N2 = maia.arg 4
  %N4 = maia.arg 5
  %px = maia.program_id 0
  %py = maia.program_id 1
  %zero = arith.constant 0 : i64
  %two = arith.constant 2 : i64
  %four = arith.constant 4 : i64
  %bm = arith.constant 64 : i64
  %bn = arith.constant 64 : i64
  %bk = arith.constant 32 : i64
  %abuf = arith.constant 0 : i64
  %bbuf = arith.constant 4096 : i64
  %cbuf = arith.constant 8192 : i64
  %cwords = arith.constant 4096 : i64
  %row0 = arith.muli %py, %bm : i64
  %col0 = arith.muli %px, %bn : i64
  %aoff = arith.muli %row0, %K2 : i64
  %abase = arith.addi %a, %aoff : i64
  %bcol = arith.muli %col0, %two : i64
  %bbase = arith.addi %b, %bcol : i64
  maia.vfill %cbuf, %zero, %cwords sem 1
  maia.wait sem 1 count 1
  %arow = arith.constant 64 : i64
  %brow = arith.constant 128 : i64
  %bstep = arith.muli %bk, %N2 : i64
  %end = scf.for %k = %zero to %K2 step %arow iter_args(%boff = %zero) -> (i64) : i64 {
    %asrc = arith.addi %abase, %k : i64
    maia.dma_in %abuf, %asrc, %bm, %arow, %K2 sem 2
    %bsrc = arith.addi %bbase, %boff : i64
    maia.dma_in %bbuf, %bsrc, %bk, %brow, %N2 sem 2
    maia.wait sem 2 count 2
    maia.mma %cbuf, %abuf, %bbuf, %bm, %bn k 32 sem 3
    maia.wait sem 3 count 1
    %next = arith.addi %boff, %bstep : i64
    scf.yield %next : i64
  }
  %coff = arith.muli %row0, %N4 : i64
  %crow = arith.addi %c, %coff : i64
  %ccol = arith.muli %col0, %four : i64
  %cdst = arith.addi %crow, %ccol : i64
  %crowbytes = arith.constant 256 : i64
  maia.dma_out %cdst, %cbuf, %bm, %crowbytes, %N4 sem 4
  maia.wait sem 4 count 1
  return
}
