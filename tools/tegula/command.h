// Commands that a backend adds to the `tegula` command line (`tegula maia asm ...`):
// the CLI dispatches to them by name and prints their usage, without naming them.
#ifndef TEGULA_TOOLS_TEGULA_COMMAND_H
#define TEGULA_TOOLS_TEGULA_COMMAND_H

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace tegula::cli {

struct Command {
  std::string name;  ///< the first word after `tegula`
  std::string usage; ///< lines for `tegula help`, each starting with two spaces
  /// `words` are the arguments after the name; `options` the `--key value` pairs and
  /// flags. Returns the exit status.
  std::function<int(const std::vector<std::string> &words, const std::map<std::string, std::string> &options)> run;
};

void register_command(Command command);
/// Every backend's commands, registered once; generated from the build's list.
void registerAllCommands();
/// Null when no backend added `name`.
const Command *find_command(const std::string &name);
std::vector<const Command *> commands();

} // namespace tegula::cli

#endif
