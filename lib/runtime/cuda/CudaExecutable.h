// A kernel in the form the cuda driver runs: the cubin ptxas assembled, its entry's
// name, and what a launch needs that the image does not say (the block's threads, the
// dynamic shared memory it asks for). LLVM-free: the compiler makes it, the runtime
// loads and launches it.
#ifndef TEGULA_LIB_RUNTIME_CUDA_CUDAEXECUTABLE_H
#define TEGULA_LIB_RUNTIME_CUDA_CUDAEXECUTABLE_H

#include "tegula/runtime/driver.h"

#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace tegula::cuda {

class CudaExecutable final : public Executable {
public:
  static constexpr const char *kDriver = "cuda";
  CudaExecutable(std::string image, std::string entry, std::string arch, int64_t threads,
                 int64_t dynamic_shared_bytes)
      : image_(std::move(image)), entry_(std::move(entry)), arch_(std::move(arch)), threads_(threads),
        dynamic_shared_bytes_(dynamic_shared_bytes) {}
  ~CudaExecutable() override;
  std::string driver() const override { return kDriver; }

  const std::string &image() const { return image_; }   ///< the cubin's bytes
  const std::string &entry() const { return entry_; }   ///< the kernel's symbol in it
  const std::string &arch() const { return arch_; }     ///< "sm_90": what it was assembled for
  int64_t threads() const { return threads_; }          ///< of a block (x only)
  int64_t dynamic_shared_bytes() const { return dynamic_shared_bytes_; }

  /// The loaded function on device `ordinal`: the module loaded on first use (under a
  /// lock), with the dynamic shared memory it needs opted into (CudaDriver.cpp).
  void *function(int ordinal) const;

private:
  std::string image_, entry_, arch_;
  int64_t threads_ = 0, dynamic_shared_bytes_ = 0;
  struct Loaded {
    const void *api = nullptr; ///< the driver library's entry points that loaded it (a CudaApi)
    void *module = nullptr, *function = nullptr;
  };
  mutable std::mutex mutex_;
  mutable std::map<int, Loaded> loaded_; ///< by device ordinal
};

} // namespace tegula::cuda

#endif
