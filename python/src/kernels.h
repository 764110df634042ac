#ifndef TEGULA_PYTHON_KERNELS_H
#define TEGULA_PYTHON_KERNELS_H

#include "buffer.h"

namespace tegula::python {
void bind_kernels(nb::module_ &m);
/// targets(), emit() and xcheck().
void bind_tools(nb::module_ &m);
} // namespace tegula::python

#endif
