// The registry of backend commands.
#include "command.h"

#include <memory>

namespace tegula::cli {

namespace {
std::vector<std::unique_ptr<Command>> &registry() {
  static auto *list = new std::vector<std::unique_ptr<Command>>();
  return *list;
}
} // namespace

void register_command(Command command) { registry().push_back(std::make_unique<Command>(std::move(command))); }

const Command *find_command(const std::string &name) {
  registerAllCommands();
  for (const auto &c : registry())
    if (c->name == name)
      return c.get();
  return nullptr;
}

std::vector<const Command *> commands() {
  registerAllCommands();
  std::vector<const Command *> out;
  for (const auto &c : registry())
    out.push_back(c.get());
  return out;
}

} // namespace tegula::cli
