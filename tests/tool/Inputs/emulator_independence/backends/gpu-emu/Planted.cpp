// A planted violation: the emulator including the compiler's layouts.
#include "backends/gpu/Layout/LinearLayout.h"
#include "backends/gpu-emu/sim/Program.h"
