# 256 floats per program: out = x + y
  arg   x1, 0
  arg   x2, 1
  arg   x3, 2
  li    x5, 0
  li    x6, 1024
  li    x8, 1
  li    x9, 1024
  dma.in  x5, x1, x8, x9, x9, 0, s1
  dma.in  x6, x2, x8, x9, x9, 0, s1
  wait  s1, 2
  li    x10, 256
  vadd  x6, x5, x6, x10, s2
loop:
  wait  s2, 1
  dma.out x3, x6, x8, x9, x9, 0, s3
  wait  s3, 1
  halt
