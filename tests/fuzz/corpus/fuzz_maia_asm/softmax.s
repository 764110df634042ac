arg x1, 0
arg x2, 2
arg x3, 3
pid x4, 0
li x5, 4
mul x6, x4, x5
sub x5, x2, x6
mul x2, x6, x3
li x6, 0
shli x6, x6, 25
ori x6, x6, 0x7f
shli x6, x6, 25
ori x6, x6, 0x1800000
li x4, 4
li x7, 0
vfill x7, x6, x4, s1
li x7, 256
li x4, 4
li x6, 0
vfill x7, x6, x4, s2
wait s1, 1
wait s2, 1
li x6, 4
min x4, x5, x6
li x6, 1024
min x5, x3, x6
li x6, 4
mul x7, x2, x6
add x6, x1, x7
li x7, 4
mul x1, x3, x7
min x7, x4, x1
li x4, 1024
sub x2, x5, x4
li x4, 4
sub x8, x7, x4
min x4, x8, x2
li x8, 0
bge x4, x8, 10
li x8, 512
li x4, 4096
li x2, 0
shli x2, x2, 25
ori x2, x2, 0x7f
shli x2, x2, 25
ori x2, x2, 0x1800000
vfill x8, x2, x4, s3
jmp 2
signal s3, 1
li x2, 4
mul x4, x5, x2
wait s3, 1
li x2, 0
bge x2, x7, 8
li x2, 0
bge x2, x5, 4
li x2, 512
dma.in x2, x6, x7, x4, x1, 4096, s2
jmp 2
signal s2, 1
jmp 2
signal s2, 1
li x2, 1024
sub x4, x3, x2
li x2, 2048
li x3, 0
li x7, 0
add x5, x3, x0
add x6, x7, x0
bge x6, x4, 250
li x3, 1024
add x8, x6, x3
arg x3, 3
sub x9, x3, x8
pid x3, 0
li x10, 4
mul x11, x3, x10
arg x10, 3
mul x3, x11, x10
add x10, x3, x8
li x3, 1024
min x8, x9, x3
li x3, 4
mul x11, x10, x3
arg x3, 0
add x10, x3, x11
li x3, 4
mul x11, x9, x3
arg x3, 2
pid x9, 0
li x12, 4
mul x13, x9, x12
sub x12, x3, x13
li x13, 4
min x3, x12, x13
min x13, x3, x11
li x3, 1024
sub x11, x8, x3
li x3, 4
sub x12, x13, x3
min x3, x12, x11
li x12, 0
bge x3, x12, 10
li x12, 16896
li x3, 4096
li x11, 0
shli x11, x11, 25
ori x11, x11, 0x7f
shli x11, x11, 25
ori x11, x11, 0x1800000
vfill x12, x11, x3, s3
jmp 2
signal s3, 1
li x11, 4
mul x3, x8, x11
wait s3, 1
li x11, 0
bge x11, x13, 11
li x11, 0
bge x11, x8, 7
arg x11, 3
li x8, 4
mul x12, x11, x8
li x8, 16896
dma.in x8, x10, x13, x3, x12, 4096, s1
jmp 2
signal s1, 1
jmp 2
signal s1, 1
wait s2, 1
li x8, 33280
li x12, 512
li x3, 4
li x13, 1024
vrowmax x8, x12, x13, x3, s3
wait s3, 1
li x13, 33536
li x3, 33280
li x12, 4
li x8, 0
vmax x13, x8, x3, x12, s3
wait s3, 1
li x8, 33792
li x12, 33536
li x3, 512
li x13, 4
li x10, 1024
vrowsub x8, x3, x12, x10, x13, s3
wait s3, 1
li x10, 50176
li x13, 33792
li x3, 4096
vexp x10, x13, x3, s3
wait s3, 1
li x3, 66560
li x13, 50176
li x10, 4
li x12, 1024
vrowsum x3, x13, x12, x10, s3
li x12, 66816
li x10, 33536
li x13, 4
li x3, 0
vsub x12, x3, x10, x13, s4
wait s4, 1
li x3, 67072
li x13, 66816
li x10, 4
vexp x3, x13, x10, s4
wait s4, 1
li x10, 67328
li x13, 67072
li x3, 256
li x12, 4
vmul x10, x3, x13, x12, s4
wait s3, 1
wait s4, 1
li x12, 67584
li x3, 67328
li x13, 66560
li x10, 4
vadd x12, x3, x13, x10, s4
li x10, 33536
li x13, 4
li x3, 0
vcopy x3, x10, x13, s3
wait s4, 1
li x3, 67584
li x13, 256
li x10, 4
vcopy x13, x3, x10, s4
wait s3, 1
wait s4, 1
li x10, 2048
add x13, x6, x10
arg x10, 3
sub x3, x10, x13
pid x10, 0
li x12, 4
mul x8, x10, x12
arg x12, 3
mul x10, x8, x12
add x12, x10, x13
li x10, 1024
min x8, x3, x10
li x10, 4
mul x11, x12, x10
arg x10, 0
add x12, x10, x11
li x10, 4
mul x11, x3, x10
arg x10, 2
pid x3, 0
li x9, 4
mul x14, x3, x9
sub x9, x10, x14
li x14, 4
min x10, x9, x14
min x14, x10, x11
li x10, 1024
sub x11, x8, x10
li x10, 4
sub x9, x14, x10
min x10, x9, x11
li x9, 0
bge x10, x9, 10
li x9, 512
li x10, 4096
li x11, 0
shli x11, x11, 25
ori x11, x11, 0x7f
shli x11, x11, 25
ori x11, x11, 0x1800000
vfill x9, x11, x10, s4
jmp 2
signal s4, 1
li x11, 4
mul x10, x8, x11
wait s4, 1
li x11, 0
bge x11, x14, 11
li x11, 0
bge x11, x8, 7
arg x11, 3
li x8, 4
mul x9, x11, x8
li x8, 512
dma.in x8, x12, x14, x10, x9, 4096, s2
jmp 2
signal s2, 1
jmp 2
signal s2, 1
wait s1, 1
li x8, 33280
li x9, 16896
li x10, 4
li x14, 1024
vrowmax x8, x9, x14, x10, s4
wait s4, 1
li x14, 33536
li x10, 33280
li x9, 4
li x8, 0
vmax x14, x8, x10, x9, s4
wait s4, 1
li x8, 33792
li x9, 33536
li x10, 16896
li x14, 4
li x12, 1024
vrowsub x8, x10, x9, x12, x14, s4
wait s4, 1
li x12, 50176
li x14, 33792
li x10, 4096
vexp x12, x14, x10, s4
wait s4, 1
li x10, 66560
li x14, 50176
li x12, 4
li x9, 1024
vrowsum x10, x14, x9, x12, s4
li x9, 66816
li x12, 33536
li x14, 4
li x10, 0
vsub x9, x10, x12, x14, s3
wait s3, 1
li x10, 67072
li x14, 66816
li x12, 4
vexp x10, x14, x12, s3
wait s3, 1
li x12, 67328
li x14, 67072
li x10, 256
li x9, 4
vmul x12, x10, x14, x9, s3
wait s4, 1
wait s3, 1
li x9, 67584
li x10, 67328
li x14, 66560
li x12, 4
vadd x9, x10, x14, x12, s3
li x12, 33536
li x14, 4
li x10, 0
vcopy x10, x12, x14, s4
wait s3, 1
li x10, 67584
li x14, 256
li x12, 4
vcopy x14, x10, x12, s3
wait s4, 1
wait s3, 1
add x5, x13, x0
add x6, x6, x2
jmp -249
add x1, x5, x0
wait s2, 1
arg x5, 3
li x6, 1024
add x2, x1, x0
bge x2, x5, 66
li x7, 33280
li x4, 512
li x13, 4
li x12, 1024
vrowmax x7, x4, x12, x13, s3
wait s3, 1
li x12, 33536
li x13, 33280
li x4, 4
li x7, 0
vmax x12, x7, x13, x4, s3
wait s3, 1
li x7, 33792
li x4, 33536
li x13, 512
li x12, 4
li x14, 1024
vrowsub x7, x13, x4, x14, x12, s3
wait s3, 1
li x14, 50176
li x12, 33792
li x13, 4096
vexp x14, x12, x13, s3
wait s3, 1
li x13, 66560
li x12, 50176
li x14, 4
li x4, 1024
vrowsum x13, x12, x4, x14, s3
li x4, 66816
li x14, 33536
li x12, 4
li x13, 0
vsub x4, x13, x14, x12, s4
wait s4, 1
li x13, 67072
li x12, 66816
li x14, 4
vexp x13, x12, x14, s4
wait s4, 1
li x14, 67328
li x12, 67072
li x13, 256
li x4, 4
vmul x14, x13, x12, x4, s4
wait s3, 1
wait s4, 1
li x4, 67584
li x13, 67328
li x12, 66560
li x14, 4
vadd x4, x13, x12, x14, s4
li x14, 33536
li x12, 4
li x13, 0
vcopy x13, x14, x12, s3
wait s4, 1
li x13, 67584
li x12, 256
li x14, 4
vcopy x12, x13, x14, s4
wait s3, 1
wait s4, 1
add x2, x2, x6
jmp -65
arg x2, 3
li x6, 1024
li x5, 0
add x14, x5, x0
bge x14, x2, 113
arg x1, 3
sub x12, x1, x14
pid x1, 0
li x13, 4
mul x4, x1, x13
arg x13, 3
mul x1, x4, x13
add x13, x1, x14
li x1, 1024
min x4, x12, x1
li x1, 4
mul x12, x13, x1
arg x1, 0
add x13, x1, x12
li x1, 1024
sub x7, x4, x1
arg x1, 2
pid x10, 0
li x9, 4
mul x8, x10, x9
sub x9, x1, x8
li x8, 4
min x1, x9, x8
li x8, 4
sub x9, x1, x8
min x8, x9, x7
li x9, 0
bge x8, x9, 10
li x9, 512
li x8, 4096
li x7, 0
shli x7, x7, 25
ori x7, x7, 0x7f
shli x7, x7, 25
ori x7, x7, 0x1800000
vfill x9, x7, x8, s1
jmp 2
signal s1, 1
li x7, 4
mul x8, x4, x7
wait s1, 1
arg x7, 2
pid x9, 0
li x1, 4
mul x10, x9, x1
sub x1, x7, x10
li x10, 4
min x7, x1, x10
li x10, 0
bge x10, x7, 18
li x1, 0
bge x1, x4, 14
arg x1, 2
pid x9, 0
li x11, 4
mul x3, x9, x11
sub x11, x1, x3
li x3, 4
min x1, x11, x3
arg x3, 3
li x11, 4
mul x9, x3, x11
li x11, 512
dma.in x11, x13, x1, x8, x9, 4096, s1
jmp 2
signal s1, 1
jmp 2
signal s1, 1
wait s1, 1
li x11, 16896
li x9, 512
li x1, 4
li x13, 1024
li x3, 0
vrowsub x11, x9, x3, x13, x1, s1
wait s1, 1
li x3, 33280
li x13, 16896
li x1, 4096
vexp x3, x13, x1, s1
wait s1, 1
li x1, 49664
li x13, 33280
li x3, 256
li x9, 4
li x11, 1024
vrowdiv x1, x13, x3, x11, x9, s1
arg x11, 1
add x9, x11, x12
wait s1, 1
bge x10, x7, 18
li x10, 0
bge x10, x4, 14
arg x10, 2
pid x4, 0
li x7, 4
mul x11, x4, x7
sub x7, x10, x11
li x11, 4
min x10, x7, x11
arg x11, 3
li x7, 4
mul x4, x11, x7
li x7, 49664
dma.out x9, x7, x10, x8, x4, 4096, s1
jmp 2
signal s1, 1
jmp 2
signal s1, 1
wait s1, 1
add x14, x14, x6
jmp -112
halt
