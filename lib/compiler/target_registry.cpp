// The registry of compile targets, and the parsing of "name[:options]".
#include "tegula/compiler/target_backend.h"

#include "tegula/runtime/error.h"

#include <algorithm>
#include <mutex>
#include <sstream>

namespace tegula {

const EmitKindInfo *TargetDescription::emit_kind(const std::string &kind) const {
  for (const EmitKindInfo &k : emit_kinds)
    if (k.name == kind)
      return &k;
  return nullptr;
}

namespace compiler {

namespace {

std::mutex gRegistryMutex;
std::vector<std::unique_ptr<TargetBackend>> &registry() {
  static auto *backends = new std::vector<std::unique_ptr<TargetBackend>>();
  return *backends;
}

bool answers_to(const TargetBackend &b, const std::string &name) {
  if (b.name() == name)
    return true;
  auto aliases = b.aliases();
  return std::find(aliases.begin(), aliases.end(), name) != aliases.end();
}

} // namespace

TargetOptions parse_target_options(const std::string &text) {
  TargetOptions options;
  std::stringstream items(text);
  for (std::string item; std::getline(items, item, ',');) {
    if (item.empty())
      throw Error(ErrorCode::InvalidArgument, "empty option in target options '" + text + "'");
    const size_t eq = item.find('=');
    if (eq == 0)
      throw Error(ErrorCode::InvalidArgument, "option '" + item + "' has no name");
    if (eq == std::string::npos)
      options.emplace_back(item, "");
    else
      options.emplace_back(item.substr(0, eq), item.substr(eq + 1));
  }
  return options;
}

void register_target_backend(std::unique_ptr<TargetBackend> backend) {
  std::lock_guard<std::mutex> lock(gRegistryMutex);
  for (const auto &b : registry())
    if (answers_to(*b, backend->name()))
      throw Error(ErrorCode::InvalidArgument, "target '" + backend->name() + "' is registered twice");
  registry().push_back(std::move(backend));
}

std::vector<const TargetBackend *> target_backends() {
  registerAllTargets();
  std::lock_guard<std::mutex> lock(gRegistryMutex);
  std::vector<const TargetBackend *> out;
  for (const auto &b : registry())
    out.push_back(b.get());
  return out;
}

std::shared_ptr<const Target> configure_target(const std::string &text) {
  const size_t colon = text.find(':');
  const std::string name = text.substr(0, colon);
  const std::string options = colon == std::string::npos ? "" : text.substr(colon + 1);
  std::string available;
  for (const TargetBackend *b : target_backends()) {
    if (answers_to(*b, name))
      return b->configure(parse_target_options(options));
    available += (available.empty() ? "" : ", ") + b->name();
  }
  throw Error(ErrorCode::Unsupported,
              "target '" + text + "' is not available in this build (available: " + available + ")");
}

} // namespace compiler

TargetDescription describe_target(const std::string &target) {
  return compiler::configure_target(target)->description();
}

std::vector<TargetDescription> available_targets() {
  std::vector<TargetDescription> out;
  for (const compiler::TargetBackend *b : compiler::target_backends())
    out.push_back(b->configure({})->description());
  return out;
}

std::string host_target() {
  for (const TargetDescription &d : available_targets())
    if (d.host)
      return d.name;
  throw Error(ErrorCode::Unsupported, "this build has no target for the host");
}

} // namespace tegula
