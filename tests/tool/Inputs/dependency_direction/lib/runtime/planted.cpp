// Planted: the runtime reaching MLIR and a backend's header.
#include "backends/cpu/CodeGen.h"
#include "mlir/IR/Builders.h"
