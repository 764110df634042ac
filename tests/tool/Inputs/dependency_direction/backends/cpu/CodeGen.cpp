#include "backends/cpu/CodeGen.h"
