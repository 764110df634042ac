// `tegula maia ...`: the Maia-style machine from the command line, until the compiler
// targets it: assemble/disassemble programs and run the reference GEMM on the simulator.
#ifndef TEGULA_TOOLS_TEGULA_MAIA_COMMANDS_H
#define TEGULA_TOOLS_TEGULA_MAIA_COMMANDS_H

#include <map>
#include <string>
#include <vector>

namespace tegula::cli {

/// `words` are the arguments after `maia`; `options` the --key value pairs.
int run_maia_command(const std::vector<std::string> &words, const std::map<std::string, std::string> &options);

} // namespace tegula::cli

#endif
