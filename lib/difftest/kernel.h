// The one kernel behind every difftest program: it interprets the program's tree at
// trace time, so each program traces to its own straight-line tile IR.
#ifndef TEGULA_LIB_DIFFTEST_KERNEL_H
#define TEGULA_LIB_DIFFTEST_KERNEL_H

#include "tegula/compiler/compile.h"
#include "tegula/difftest/difftest.h"

#include <memory>

namespace tegula::difftest::detail {

/// Traces the program (kernel arguments x0, x1, r, c, out, M, N). Throws what the trace
/// throws: for a generated program that is a bug of the generator or the DSL.
dsl::TracedKernel trace_program(const Program &program);

/// `message` with each source location inside the interpreting kernel replaced by the
/// DSL construct traced there (a refusal then reads "`exp`: is not supported ...").
std::string name_sites(const std::string &message);

} // namespace tegula::difftest::detail

#endif
