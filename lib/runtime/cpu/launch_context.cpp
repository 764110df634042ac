#include "launch_context.h"

#include "tegula/runtime/cpu_abi.h"

#include <cinttypes>
#include <cstdio>
#include <sstream>

namespace tegula::detail {

static thread_local LaunchContext *gContext = nullptr;
static thread_local const int32_t *gProgram = nullptr;

void set_thread_launch(LaunchContext *context, const int32_t *program) {
  gContext = context;
  gProgram = program;
}

std::string LaunchContext::site_text(int32_t site) const {
  if (info && site >= 0 && static_cast<size_t>(site) < info->sites.size())
    return info->sites[site];
  return "site " + std::to_string(site);
}

static std::string program_text(const int32_t *program) {
  if (!program)
    return "?";
  return "(" + std::to_string(program[0]) + "," + std::to_string(program[1]) + "," + std::to_string(program[2]) + ")";
}

bool LaunchContext::check_access(uintptr_t address, uint64_t bytes, int32_t site) {
  for (const BufferRange &range : buffers)
    if (address >= range.begin && address + bytes <= range.end)
      return true;
  if (failed.exchange(true))
    return false; // only the first failure is described
  std::ostringstream os;
  os << "kernel '" << (info ? info->name : "?") << "': " << site_text(site) << " touched " << bytes
     << " bytes at 0x" << std::hex << address << std::dec << " in program " << program_text(gProgram);
  // Name the nearest buffer so the report says "N bytes past the end of 'c'".
  const BufferRange *nearest = nullptr;
  uintptr_t best = UINTPTR_MAX;
  for (const BufferRange &range : buffers) {
    uintptr_t distance = address >= range.end ? address - range.end
                         : address < range.begin ? range.begin - address
                                                 : 0;
    if (distance < best) {
      best = distance;
      nearest = &range;
    }
  }
  if (nearest) {
    if (address >= nearest->end)
      os << ", " << address - nearest->end << " bytes past the end of buffer '" << nearest->name << "'";
    else if (address < nearest->begin)
      os << ", " << nearest->begin - address << " bytes before buffer '" << nearest->name << "'";
    else
      os << ", straddling the end of buffer '" << nearest->name << "'";
    os << " (" << nearest->end - nearest->begin << " bytes)";
  }
  std::lock_guard<std::mutex> lock(mutex);
  failure = ErrorCode::OutOfBounds;
  report = os.str();
  return false;
}

void LaunchContext::assertion_failed(int32_t site, int64_t index, const int32_t *program) {
  if (failed.exchange(true))
    return;
  std::ostringstream os;
  os << "kernel '" << (info ? info->name : "?") << "': " << site_text(site) << " failed in program "
     << program_text(program);
  if (index >= 0)
    os << " at element " << index;
  std::lock_guard<std::mutex> lock(mutex);
  failure = ErrorCode::AssertionFailed;
  report = os.str();
}

} // namespace tegula::detail

using tegula::detail::gContext;
using tegula::detail::gProgram;

extern "C" {

__attribute__((visibility("default"))) bool tegula_cpu_check_access(int64_t address, int64_t bytes, int32_t site) {
  if (!gContext)
    return true;
  return gContext->check_access(static_cast<uintptr_t>(address), static_cast<uint64_t>(bytes), site);
}

static std::mutex gPrintMutex;

static void print_prefix(int32_t site, int64_t index) {
  std::string where = gContext ? gContext->site_text(site) : "site " + std::to_string(site);
  if (gProgram)
    std::printf("[program (%d,%d,%d)] ", gProgram[0], gProgram[1], gProgram[2]);
  std::printf("%s", where.c_str());
  if (index >= 0)
    std::printf(" [%" PRId64 "]", index);
}

__attribute__((visibility("default"))) void tegula_cpu_print_f64(int32_t site, int64_t index, double value) {
  std::lock_guard<std::mutex> lock(gPrintMutex);
  print_prefix(site, index);
  std::printf(" = %.9g\n", value);
}

__attribute__((visibility("default"))) void tegula_cpu_print_i64(int32_t site, int64_t index, int64_t value) {
  std::lock_guard<std::mutex> lock(gPrintMutex);
  print_prefix(site, index);
  std::printf(" = %" PRId64 "\n", value);
}

__attribute__((visibility("default"))) void tegula_cpu_assert_fail(int32_t site, int64_t index) {
  if (gContext)
    gContext->assertion_failed(site, index, gProgram);
}

} // extern "C"
