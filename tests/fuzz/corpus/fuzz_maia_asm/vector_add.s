arg x1, 0
arg x2, 1
arg x3, 2
arg x4, 3
pid x5, 0
li x6, 1024
mul x7, x5, x6
sub x6, x4, x7
li x7, 1024
min x4, x6, x7
li x7, 4096
mul x6, x5, x7
add x7, x2, x6
li x2, 1024
sub x5, x4, x2
li x2, 0
min x8, x5, x2
li x2, 0
bge x8, x2, 6
li x5, 0
li x9, 0
li x10, 1024
vfill x5, x9, x10, s1
jmp 2
signal s1, 1
li x10, 4
mul x9, x4, x10
wait s1, 1
li x10, 0
bge x10, x4, 5
li x5, 0
li x11, 1
dma.in x5, x7, x11, x9, x9, 4096, s1
jmp 2
signal s1, 1
add x11, x1, x6
bge x8, x2, 6
li x2, 4096
li x8, 0
li x1, 1024
vfill x2, x8, x1, s2
jmp 2
signal s2, 1
wait s2, 1
bge x10, x4, 5
li x1, 4096
li x8, 1
dma.in x1, x11, x8, x9, x9, 4096, s2
jmp 2
signal s2, 1
wait s1, 1
wait s2, 1
li x8, 8192
li x1, 4096
li x11, 0
li x2, 1024
vadd x8, x1, x11, x2, s2
add x2, x3, x6
wait s2, 1
bge x10, x4, 5
li x10, 8192
li x4, 1
dma.out x2, x10, x4, x9, x9, 4096, s2
jmp 2
signal s2, 1
wait s2, 1
halt
