func.func @commands() attributes {maia.kernel} {
  %pid = maia.program_id 1
  %np = maia.num_programs 0
  %a = maia.arg 2
  %c0 = arith.constant 0 : i64
  %c1 = arith.constant 1 : i64
  %c64 = arith.constant 64 : i64
  maia.dma_in %c0, %a, %c1, %c64, %c64 sem 1
  maia.dma_in %c0, %a, %c1, %c64, %c64 sem 2 {tsram_stride = 128 : i32}
  maia.wait sem 1 count 1
  maia.signal sem 4 count 2
  maia.mma %c0, %c0, %c64, %c64, %c64 k 32 sem 3
  maia.vbinary add %c0, %c64, %c64, %c64 sem 0
  maia.vunary exp %c0, %c64, %c64 sem 5
  maia.vfill %c0, %c1, %c64 sem 0
  maia.vrow max %c0, %c64, %c64, %c1 sem 0
  maia.vrow div %c0, %c64 vector %c0, %c64, %c1 sem 6
  maia.dma_out %a, %c0, %c1, %c64, %c64 sem 7
  return
}
