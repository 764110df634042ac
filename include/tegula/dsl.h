// The Tegula kernel language: include this to write kernels.
#ifndef TEGULA_DSL_H
#define TEGULA_DSL_H

#include "tegula/dsl/control.h"
#include "tegula/dsl/dtypes.h"
#include "tegula/dsl/ops.h"
#include "tegula/dsl/random.h"
#include "tegula/dsl/tile.h"
#include "tegula/dsl/trace.h"

#endif
