// Planted: the DSL reaching the compile driver's public header.
#include "tegula/compiler/compile.h"
