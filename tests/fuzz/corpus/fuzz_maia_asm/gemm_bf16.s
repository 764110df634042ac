.grid cluster-squares
arg x1, 0
arg x2, 1
arg x3, 3
arg x4, 4
arg x5, 5
cpid x6, 0
cpid x7, 1
pid x8, 0
nprog x9, 0
li x10, 1
sub x11, x9, x10
min x10, x8, x11
pid x11, 1
nprog x8, 1
li x9, 1
sub x12, x8, x9
min x9, x11, x12
li x12, 128
mul x11, x10, x12
li x12, 128
mul x10, x9, x12
li x12, 16384
li x9, 0
li x8, 0
vfill x9, x8, x12, s1
wait s1, 1
cbar
li x8, 32768
mul x9, x7, x8
li x8, 4096
shli x8, x8, 25
ori x8, x8, 0x0
shli x8, x8, 25
ori x8, x8, 0x0
add x12, x9, x8
sub x8, x6, x7
mul x7, x8, x8
li x8, 0
min x9, x10, x8
li x8, 0
sub x13, x8, x9
li x8, 128
min x9, x5, x8
sub x8, x4, x10
li x14, 128
min x15, x8, x14
sub x14, x15, x13
add x15, x10, x13
li x10, 2
mul x8, x15, x10
add x10, x2, x8
li x8, 2
mul x2, x13, x8
li x8, 128
mul x13, x5, x8
min x8, x9, x13
li x15, 128
mul x16, x7, x15
min x15, x8, x16
add x16, x12, x2
li x2, 2
mul x12, x14, x2
li x2, 2
mul x8, x4, x2
li x2, 0
bge x2, x15, 7
li x2, 0
bge x2, x14, 3
dma.in x16, x10, x15, x12, x8, 256, s1
jmp 2
signal s1, 1
jmp 2
signal s1, 1
li x8, 32768
mul x12, x6, x8
li x8, 4096
shli x8, x8, 25
ori x8, x8, 0x0
shli x8, x8, 25
ori x8, x8, 0x10000
add x6, x12, x8
li x8, 1
sub x12, x8, x7
li x8, 0
min x7, x11, x8
li x8, 0
sub x16, x8, x7
sub x8, x3, x11
li x3, 128
min x7, x8, x3
sub x3, x7, x16
add x7, x11, x16
mul x11, x7, x5
li x7, 2
mul x8, x11, x7
add x7, x1, x8
li x8, 256
mul x1, x16, x8
min x8, x3, x13
li x3, 128
mul x13, x12, x3
min x3, x8, x13
add x13, x6, x1
li x1, 2
mul x6, x9, x1
li x1, 2
mul x8, x5, x1
li x1, 0
bge x1, x3, 7
li x1, 0
bge x1, x9, 3
dma.in x13, x7, x3, x6, x8, 256, s2
jmp 2
signal s2, 1
jmp 2
signal s2, 1
li x8, 128
sub x6, x5, x8
li x8, 256
li x5, 0
li x13, 0
add x1, x5, x0
add x7, x13, x0
bge x7, x6, 702
li x5, 128
add x9, x7, x5
wait s1, 1
wait s2, 1
cbar
li x5, 0
min x12, x7, x5
li x5, 0
sub x16, x5, x12
arg x5, 5
sub x12, x5, x7
li x5, 128
min x11, x12, x5
sub x5, x11, x16
li x11, 128
mul x12, x16, x11
pid x11, 1
nprog x15, 1
li x10, 1
sub x2, x15, x10
min x10, x11, x2
li x2, 128
mul x11, x10, x2
li x2, 0
min x10, x11, x2
li x2, 0
sub x11, x2, x10
add x2, x12, x11
li x11, 2
mul x12, x2, x11
arg x11, 4
pid x2, 1
nprog x10, 1
li x15, 1
sub x14, x10, x15
min x15, x2, x14
li x14, 128
mul x2, x15, x14
sub x14, x11, x2
li x11, 128
min x15, x14, x11
li x11, 0
min x14, x2, x11
li x11, 0
sub x2, x11, x14
sub x11, x15, x2
li x2, 128
sub x15, x11, x2
li x2, 128
sub x11, x5, x2
min x2, x11, x15
li x14, 0
bge x2, x14, 6
li x14, 65536
li x2, 8192
li x10, 0
vfill x14, x10, x2, s3
jmp 2
signal s3, 1
cpid x10, 1
li x2, 32768
mul x14, x10, x2
li x2, 4096
shli x2, x2, 25
ori x2, x2, 0x0
shli x2, x2, 25
ori x2, x2, 0x0
add x10, x14, x2
add x2, x10, x12
li x10, 65536
add x14, x12, x10
wait s3, 1
li x10, 0
bge x10, x5, 42
arg x12, 4
pid x4, 1
nprog x17, 1
li x18, 1
sub x19, x17, x18
min x18, x4, x19
li x19, 128
mul x4, x18, x19
sub x19, x12, x4
li x12, 128
min x18, x19, x12
li x12, 0
min x19, x4, x12
li x12, 0
sub x4, x12, x19
sub x12, x18, x4
li x4, 0
bge x4, x12, 22
arg x4, 4
pid x12, 1
nprog x18, 1
li x19, 1
sub x17, x18, x19
min x19, x12, x17
li x17, 128
mul x12, x19, x17
sub x17, x4, x12
li x4, 128
min x19, x17, x4
li x4, 0
min x17, x12, x4
li x4, 0
sub x12, x4, x17
sub x4, x19, x12
li x12, 2
mul x19, x4, x12
li x12, 256
dma.in x14, x2, x5, x19, x12, 256, s3
jmp 2
signal s3, 1
jmp 2
signal s3, 1
pid x12, 0
nprog x19, 0
li x14, 1
sub x2, x19, x14
min x14, x12, x2
li x2, 128
mul x12, x14, x2
li x2, 0
min x14, x12, x2
li x2, 0
sub x12, x2, x14
li x2, 128
mul x14, x12, x2
add x2, x14, x16
li x16, 2
mul x12, x2, x16
arg x16, 3
pid x2, 0
nprog x19, 0
li x4, 1
sub x17, x19, x4
min x4, x2, x17
li x17, 128
mul x2, x4, x17
sub x17, x16, x2
li x16, 128
min x4, x17, x16
li x16, 0
min x17, x2, x16
li x16, 0
sub x2, x16, x17
sub x16, x4, x2
li x2, 128
sub x4, x16, x2
min x2, x4, x11
li x11, 0
bge x2, x11, 6
li x11, 98304
li x2, 8192
li x16, 0
vfill x11, x16, x2, s4
jmp 2
signal s4, 1
cpid x16, 0
li x2, 32768
mul x11, x16, x2
li x2, 4096
shli x2, x2, 25
ori x2, x2, 0x0
shli x2, x2, 25
ori x2, x2, 0x10000
add x16, x11, x2
add x2, x16, x12
li x16, 98304
add x11, x12, x16
li x16, 2
mul x12, x5, x16
wait s4, 1
arg x16, 3
pid x17, 0
nprog x19, 0
li x18, 1
sub x20, x19, x18
min x18, x17, x20
li x20, 128
mul x17, x18, x20
sub x20, x16, x17
li x16, 128
min x18, x20, x16
li x16, 0
min x20, x17, x16
li x16, 0
sub x17, x16, x20
sub x16, x18, x17
li x17, 0
bge x17, x16, 23
bge x10, x5, 20
arg x10, 3
pid x5, 0
nprog x18, 0
li x20, 1
sub x19, x18, x20
min x20, x5, x19
li x19, 128
mul x5, x20, x19
sub x19, x10, x5
li x10, 128
min x20, x19, x10
li x10, 0
min x19, x5, x10
li x10, 0
sub x5, x10, x19
sub x10, x20, x5
li x5, 256
dma.in x11, x2, x10, x12, x5, 256, s4
jmp 2
signal s4, 1
jmp 2
signal s4, 1
arg x5, 5
sub x10, x5, x9
cpid x5, 1
li x12, 32768
mul x11, x5, x12
li x12, 4096
shli x12, x12, 25
ori x12, x12, 0x0
shli x12, x12, 25
ori x12, x12, 0x20000
add x5, x11, x12
li x12, 0
min x11, x9, x12
li x12, 0
sub x2, x12, x11
li x12, 128
min x11, x10, x12
sub x12, x11, x2
add x11, x9, x2
arg x9, 4
mul x20, x11, x9
pid x9, 1
nprog x19, 1
li x18, 1
sub x21, x19, x18
min x18, x9, x21
li x21, 128
mul x9, x18, x21
li x21, 0
min x18, x9, x21
li x21, 0
sub x19, x21, x18
add x21, x9, x19
add x19, x20, x21
li x21, 2
mul x20, x19, x21
arg x21, 1
add x19, x21, x20
li x21, 128
mul x20, x2, x21
pid x21, 1
nprog x9, 1
li x18, 1
sub x22, x9, x18
min x18, x21, x22
li x22, 128
mul x21, x18, x22
li x22, 0
min x18, x21, x22
li x22, 0
sub x21, x22, x18
add x22, x20, x21
li x21, 2
mul x20, x22, x21
li x21, 128
mul x22, x10, x21
min x21, x12, x22
cpid x10, 0
cpid x18, 1
sub x9, x10, x18
mul x18, x9, x9
li x9, 128
mul x10, x18, x9
min x9, x21, x10
add x10, x5, x20
li x5, 0
bge x5, x9, 44
arg x5, 4
pid x21, 1
nprog x18, 1
li x23, 1
sub x24, x18, x23
min x23, x21, x24
li x24, 128
mul x21, x23, x24
sub x24, x5, x21
li x5, 128
min x23, x24, x5
li x5, 0
min x24, x21, x5
li x5, 0
sub x21, x5, x24
sub x5, x23, x21
li x21, 0
bge x21, x5, 24
arg x21, 4
pid x5, 1
nprog x23, 1
li x24, 1
sub x18, x23, x24
min x24, x5, x18
li x18, 128
mul x5, x24, x18
sub x18, x21, x5
li x21, 128
min x24, x18, x21
li x21, 0
min x18, x5, x21
li x21, 0
sub x5, x21, x18
sub x21, x24, x5
li x5, 2
mul x24, x21, x5
arg x5, 4
li x21, 2
mul x18, x5, x21
dma.in x10, x19, x9, x24, x18, 256, s1
jmp 2
signal s1, 1
jmp 2
signal s1, 1
cpid x18, 0
li x24, 32768
mul x9, x18, x24
li x24, 4096
shli x24, x24, 25
ori x24, x24, 0x0
shli x24, x24, 25
ori x24, x24, 0x30000
add x18, x9, x24
pid x24, 0
nprog x9, 0
li x19, 1
sub x21, x9, x19
min x19, x24, x21
li x21, 128
mul x24, x19, x21
li x21, 0
min x19, x24, x21
li x21, 0
sub x9, x21, x19
add x21, x24, x9
arg x9, 5
mul x24, x21, x9
add x9, x24, x11
li x24, 2
mul x11, x9, x24
arg x24, 0
add x9, x24, x11
add x24, x14, x2
li x2, 2
mul x11, x24, x2
arg x2, 3
pid x24, 0
nprog x21, 0
li x19, 1
sub x5, x21, x19
min x19, x24, x5
li x5, 128
mul x24, x19, x5
sub x5, x2, x24
li x2, 128
min x19, x5, x2
li x2, 0
min x5, x24, x2
li x2, 0
sub x24, x2, x5
sub x2, x19, x24
min x24, x2, x22
cpid x2, 0
cpid x22, 1
sub x19, x2, x22
mul x22, x19, x19
li x19, 1
sub x2, x19, x22
li x19, 128
mul x22, x2, x19
min x19, x24, x22
add x22, x18, x11
li x18, 2
mul x24, x12, x18
li x18, 0
bge x18, x19, 10
li x18, 0
bge x18, x12, 6
arg x18, 5
li x2, 2
mul x5, x18, x2
dma.in x22, x9, x19, x24, x5, 256, s2
jmp 2
signal s2, 1
jmp 2
signal s2, 1
wait s3, 1
wait s4, 1
li x5, 98304
li x19, 65536
li x9, 128
li x2, 128
li x18, 0
mma x18, x5, x19, x2, x9, 128, s4
wait s4, 1
li x18, 256
add x2, x7, x18
wait s1, 1
wait s2, 1
cbar
li x18, 128
sub x9, x12, x18
min x18, x9, x15
li x15, 0
bge x18, x15, 6
li x15, 65536
li x18, 8192
li x19, 0
vfill x15, x19, x18, s4
jmp 2
signal s4, 1
li x19, 65536
add x18, x20, x19
wait s4, 1
li x19, 0
bge x19, x12, 42
arg x20, 4
pid x15, 1
nprog x5, 1
li x21, 1
sub x23, x5, x21
min x21, x15, x23
li x23, 128
mul x15, x21, x23
sub x23, x20, x15
li x20, 128
min x21, x23, x20
li x20, 0
min x23, x15, x20
li x20, 0
sub x15, x20, x23
sub x20, x21, x15
li x15, 0
bge x15, x20, 22
arg x15, 4
pid x20, 1
nprog x21, 1
li x23, 1
sub x5, x21, x23
min x23, x20, x5
li x5, 128
mul x20, x23, x5
sub x5, x15, x20
li x15, 128
min x23, x5, x15
li x15, 0
min x5, x20, x15
li x15, 0
sub x20, x15, x5
sub x15, x23, x20
li x20, 2
mul x23, x15, x20
li x20, 256
dma.in x18, x10, x12, x23, x20, 256, s4
jmp 2
signal s4, 1
jmp 2
signal s4, 1
min x20, x4, x9
li x9, 0
bge x20, x9, 6
li x9, 98304
li x20, 8192
li x4, 0
vfill x9, x4, x20, s3
jmp 2
signal s3, 1
li x4, 98304
add x20, x11, x4
wait s3, 1
bge x17, x16, 23
bge x19, x12, 20
arg x19, 3
pid x12, 0
nprog x17, 0
li x16, 1
sub x4, x17, x16
min x16, x12, x4
li x4, 128
mul x12, x16, x4
sub x4, x19, x12
li x19, 128
min x16, x4, x19
li x19, 0
min x4, x12, x19
li x19, 0
sub x12, x19, x4
sub x19, x16, x12
li x12, 256
dma.in x20, x22, x19, x24, x12, 256, s3
jmp 2
signal s3, 1
jmp 2
signal s3, 1
arg x12, 5
sub x19, x12, x2
li x12, 0
min x20, x2, x12
li x12, 0
sub x24, x12, x20
li x12, 128
min x20, x19, x12
sub x12, x20, x24
add x20, x2, x24
arg x22, 4
mul x16, x20, x22
pid x22, 1
nprog x4, 1
li x17, 1
sub x11, x4, x17
min x17, x22, x11
li x11, 128
mul x22, x17, x11
li x11, 0
min x17, x22, x11
li x11, 0
sub x4, x11, x17
add x11, x22, x4
add x4, x16, x11
li x11, 2
mul x16, x4, x11
arg x11, 1
add x4, x11, x16
li x11, 128
mul x16, x24, x11
pid x11, 1
nprog x22, 1
li x17, 1
sub x9, x22, x17
min x17, x11, x9
li x9, 128
mul x11, x17, x9
li x9, 0
min x17, x11, x9
li x9, 0
sub x11, x9, x17
add x9, x16, x11
li x11, 2
mul x16, x9, x11
li x11, 128
mul x9, x19, x11
min x11, x12, x9
cpid x19, 0
cpid x17, 1
sub x22, x19, x17
mul x17, x22, x22
li x22, 128
mul x19, x17, x22
min x22, x11, x19
cpid x19, 1
li x11, 32768
mul x17, x19, x11
li x11, 4096
shli x11, x11, 25
ori x11, x11, 0x0
shli x11, x11, 25
ori x11, x11, 0x0
add x19, x17, x11
add x11, x19, x16
li x19, 0
bge x19, x22, 44
arg x19, 4
pid x16, 1
nprog x17, 1
li x23, 1
sub x18, x17, x23
min x23, x16, x18
li x18, 128
mul x16, x23, x18
sub x18, x19, x16
li x19, 128
min x23, x18, x19
li x19, 0
min x18, x16, x19
li x19, 0
sub x16, x19, x18
sub x19, x23, x16
li x16, 0
bge x16, x19, 24
arg x16, 4
pid x19, 1
nprog x23, 1
li x18, 1
sub x17, x23, x18
min x18, x19, x17
li x17, 128
mul x19, x18, x17
sub x17, x16, x19
li x16, 128
min x18, x17, x16
li x16, 0
min x17, x19, x16
li x16, 0
sub x19, x16, x17
sub x16, x18, x19
li x19, 2
mul x18, x16, x19
arg x19, 4
li x16, 2
mul x17, x19, x16
dma.in x11, x4, x22, x18, x17, 256, s1
jmp 2
signal s1, 1
jmp 2
signal s1, 1
pid x17, 0
nprog x18, 0
li x11, 1
sub x22, x18, x11
min x11, x17, x22
li x22, 128
mul x17, x11, x22
li x22, 0
min x11, x17, x22
li x22, 0
sub x18, x22, x11
add x22, x17, x18
arg x18, 5
mul x17, x22, x18
add x18, x17, x20
li x17, 2
mul x20, x18, x17
arg x17, 0
add x18, x17, x20
add x17, x14, x24
li x24, 2
mul x14, x17, x24
arg x24, 3
pid x17, 0
nprog x20, 0
li x22, 1
sub x11, x20, x22
min x22, x17, x11
li x11, 128
mul x17, x22, x11
sub x11, x24, x17
li x24, 128
min x22, x11, x24
li x24, 0
min x11, x17, x24
li x24, 0
sub x17, x24, x11
sub x24, x22, x17
min x17, x24, x9
cpid x24, 0
cpid x9, 1
sub x22, x24, x9
mul x9, x22, x22
li x22, 1
sub x24, x22, x9
li x22, 128
mul x9, x24, x22
min x22, x17, x9
cpid x9, 0
li x17, 32768
mul x24, x9, x17
li x17, 4096
shli x17, x17, 25
ori x17, x17, 0x0
shli x17, x17, 25
ori x17, x17, 0x10000
add x9, x24, x17
add x17, x9, x14
li x9, 2
mul x14, x12, x9
li x9, 0
bge x9, x22, 10
li x9, 0
bge x9, x12, 6
arg x9, 5
li x12, 2
mul x24, x9, x12
dma.in x17, x18, x22, x14, x24, 256, s2
jmp 2
signal s2, 1
jmp 2
signal s2, 1
wait s4, 1
wait s3, 1
li x24, 98304
li x14, 65536
li x17, 128
li x22, 128
li x18, 0
mma x18, x24, x14, x22, x17, 128, s3
wait s3, 1
add x1, x2, x0
add x7, x7, x8
jmp -701
add x3, x1, x0
wait s1, 1
wait s2, 1
arg x1, 5
li x7, 128
add x13, x3, x0
bge x13, x1, 223
cbar
li x8, 0
min x6, x13, x8
li x8, 0
sub x2, x8, x6
arg x8, 5
sub x6, x8, x13
li x8, 128
min x18, x6, x8
sub x8, x18, x2
li x18, 128
mul x6, x2, x18
pid x18, 1
nprog x22, 1
li x17, 1
sub x14, x22, x17
min x17, x18, x14
li x14, 128
mul x18, x17, x14
li x14, 0
min x17, x18, x14
li x14, 0
sub x18, x14, x17
add x14, x6, x18
li x18, 2
mul x6, x14, x18
arg x18, 4
pid x14, 1
nprog x17, 1
li x22, 1
sub x24, x17, x22
min x22, x14, x24
li x24, 128
mul x14, x22, x24
sub x24, x18, x14
li x18, 128
min x22, x24, x18
li x18, 0
min x24, x14, x18
li x18, 0
sub x14, x18, x24
sub x18, x22, x14
li x14, 128
sub x22, x18, x14
li x14, 128
sub x18, x8, x14
min x14, x18, x22
li x22, 0
bge x14, x22, 6
li x22, 65536
li x14, 8192
li x24, 0
vfill x22, x24, x14, s3
jmp 2
signal s3, 1
cpid x24, 1
li x14, 32768
mul x22, x24, x14
li x14, 4096
shli x14, x14, 25
ori x14, x14, 0x0
shli x14, x14, 25
ori x14, x14, 0x0
add x24, x22, x14
add x14, x24, x6
li x24, 65536
add x22, x6, x24
wait s3, 1
li x24, 0
bge x24, x8, 42
arg x6, 4
pid x17, 1
nprog x12, 1
li x9, 1
sub x11, x12, x9
min x9, x17, x11
li x11, 128
mul x17, x9, x11
sub x11, x6, x17
li x6, 128
min x9, x11, x6
li x6, 0
min x11, x17, x6
li x6, 0
sub x17, x6, x11
sub x6, x9, x17
li x17, 0
bge x17, x6, 22
arg x17, 4
pid x6, 1
nprog x9, 1
li x11, 1
sub x12, x9, x11
min x11, x6, x12
li x12, 128
mul x6, x11, x12
sub x12, x17, x6
li x17, 128
min x11, x12, x17
li x17, 0
min x12, x6, x17
li x17, 0
sub x6, x17, x12
sub x17, x11, x6
li x6, 2
mul x11, x17, x6
li x6, 256
dma.in x22, x14, x8, x11, x6, 256, s3
jmp 2
signal s3, 1
jmp 2
signal s3, 1
pid x6, 0
nprog x11, 0
li x22, 1
sub x14, x11, x22
min x22, x6, x14
li x14, 128
mul x6, x22, x14
li x14, 0
min x22, x6, x14
li x14, 0
sub x6, x14, x22
li x14, 128
mul x22, x6, x14
add x14, x22, x2
li x22, 2
mul x2, x14, x22
arg x22, 3
pid x14, 0
nprog x6, 0
li x11, 1
sub x17, x6, x11
min x11, x14, x17
li x17, 128
mul x14, x11, x17
sub x17, x22, x14
li x22, 128
min x11, x17, x22
li x22, 0
min x17, x14, x22
li x22, 0
sub x14, x22, x17
sub x22, x11, x14
li x14, 128
sub x11, x22, x14
min x14, x11, x18
li x11, 0
bge x14, x11, 6
li x11, 98304
li x14, 8192
li x18, 0
vfill x11, x18, x14, s4
jmp 2
signal s4, 1
cpid x18, 0
li x14, 32768
mul x11, x18, x14
li x14, 4096
shli x14, x14, 25
ori x14, x14, 0x0
shli x14, x14, 25
ori x14, x14, 0x10000
add x18, x11, x14
add x14, x18, x2
li x18, 98304
add x11, x2, x18
li x18, 2
mul x2, x8, x18
wait s4, 1
arg x18, 3
pid x22, 0
nprog x17, 0
li x6, 1
sub x12, x17, x6
min x6, x22, x12
li x12, 128
mul x22, x6, x12
sub x12, x18, x22
li x18, 128
min x6, x12, x18
li x18, 0
min x12, x22, x18
li x18, 0
sub x22, x18, x12
sub x18, x6, x22
li x22, 0
bge x22, x18, 23
bge x24, x8, 20
arg x24, 3
pid x8, 0
nprog x22, 0
li x18, 1
sub x6, x22, x18
min x18, x8, x6
li x6, 128
mul x8, x18, x6
sub x6, x24, x8
li x24, 128
min x18, x6, x24
li x24, 0
min x6, x8, x24
li x24, 0
sub x8, x24, x6
sub x24, x18, x8
li x8, 256
dma.in x11, x14, x24, x2, x8, 256, s4
jmp 2
signal s4, 1
jmp 2
signal s4, 1
wait s3, 1
wait s4, 1
li x8, 98304
li x24, 65536
li x2, 128
li x11, 128
li x14, 0
mma x14, x8, x24, x11, x2, 128, s4
wait s4, 1
add x13, x13, x7
jmp -222
pid x13, 0
nprog x7, 0
li x1, 1
sub x3, x7, x1
min x1, x13, x3
li x3, 128
mul x13, x1, x3
li x3, 0
min x1, x13, x3
li x3, 0
sub x7, x3, x1
add x3, x13, x7
arg x7, 4
mul x13, x3, x7
pid x7, 1
nprog x3, 1
li x1, 1
sub x14, x3, x1
min x1, x7, x14
li x14, 128
mul x7, x1, x14
li x14, 0
min x1, x7, x14
li x14, 0
sub x3, x14, x1
add x14, x7, x3
add x3, x13, x14
li x14, 4
mul x13, x3, x14
arg x14, 2
add x3, x14, x13
pid x14, 0
nprog x13, 0
li x7, 1
sub x1, x13, x7
min x7, x14, x1
li x1, 128
mul x14, x7, x1
li x1, 0
min x7, x14, x1
li x1, 0
sub x14, x1, x7
li x1, 128
mul x7, x14, x1
pid x1, 1
nprog x14, 1
li x13, 1
sub x11, x14, x13
min x13, x1, x11
li x11, 128
mul x1, x13, x11
li x11, 0
min x13, x1, x11
li x11, 0
sub x1, x11, x13
add x11, x7, x1
li x1, 4
mul x7, x11, x1
nprog x1, 0
pid x11, 0
sub x13, x1, x11
li x11, 1
min x1, x13, x11
nprog x11, 1
pid x13, 1
sub x14, x11, x13
li x13, 1
min x11, x14, x13
min x13, x1, x11
li x11, 128
mul x1, x13, x11
arg x11, 3
pid x13, 0
nprog x14, 0
li x2, 1
sub x24, x14, x2
min x2, x13, x24
li x24, 128
mul x13, x2, x24
sub x24, x11, x13
li x11, 128
min x2, x24, x11
li x11, 0
min x24, x13, x11
li x11, 0
sub x13, x11, x24
sub x11, x2, x13
min x13, x11, x1
arg x11, 4
pid x1, 1
nprog x2, 1
li x24, 1
sub x14, x2, x24
min x24, x1, x14
li x14, 128
mul x1, x24, x14
sub x14, x11, x1
li x11, 128
min x24, x14, x11
li x11, 0
min x14, x1, x11
li x11, 0
sub x1, x11, x14
sub x11, x24, x1
li x1, 4
mul x24, x11, x1
arg x1, 4
li x11, 4
mul x14, x1, x11
li x11, 0
bge x11, x13, 23
arg x11, 4
pid x1, 1
nprog x2, 1
li x8, 1
sub x18, x2, x8
min x8, x1, x18
li x18, 128
mul x1, x8, x18
sub x18, x11, x1
li x11, 128
min x8, x18, x11
li x11, 0
min x18, x1, x11
li x11, 0
sub x1, x11, x18
sub x11, x8, x1
li x1, 0
bge x1, x11, 3
dma.out x3, x7, x13, x24, x14, 512, s2
jmp 2
signal s2, 1
jmp 2
signal s2, 1
wait s2, 1
halt
