// What the cuda driver offers beyond every driver's Device: NVIDIA's driver library is
// loaded with dlopen on first use (libcuda.so.1, or $TEGULA_LIBCUDA), so a program
// linked with the runtime runs without CUDA and learns here whether it can launch.
//
// A device is "cuda" (device 0) or "cuda:N". Its buffers are managed memory, which
// the host reads and writes directly once the launches that use them are done. Launches
// without a stream run on the device's own stream and return when the kernel has
// finished (a failure is reported by that launch); with LaunchOptions::stream (a
// CUstream) they are queued there and return at once, as CUDA's own launches do.
#ifndef TEGULA_RUNTIME_CUDA_H
#define TEGULA_RUNTIME_CUDA_H

#include "tegula/runtime/buffer.h"
#include "tegula/runtime/device.h"

#include <cstdint>
#include <string>

namespace tegula::cuda {

/// Whether CUDA kernels can run in this process: the driver library loads and
/// initializes and sees a device. Where not, `why` says what is missing.
bool available(std::string *why = nullptr);

/// `pointer`, memory on `device` that the caller allocated and frees, as a buffer of
/// `count` elements: launches read and write it; the buffer never frees it, and the
/// host does not reach it through data() (null).
Buffer wrap_device_pointer(const Device &device, DType dtype, size_t count, uint64_t pointer);

/// The stream launches on `device` use when given none (a CUstream).
void *default_stream(const Device &device);

/// Waits until every launch queued on `stream` (null: the device's own) has finished;
/// Error naming what failed if one did.
void synchronize(const Device &device, void *stream = nullptr);

/// Times work on a stream with a pair of CUDA events: start() records the first,
/// stop() the second and waits for it, returning the milliseconds between them.
class EventTimer {
public:
  explicit EventTimer(const Device &device, void *stream = nullptr);
  ~EventTimer();
  EventTimer(const EventTimer &) = delete;
  EventTimer &operator=(const EventTimer &) = delete;
  void start();
  double stop();

private:
  Device device_;
  void *stream_;
  void *start_ = nullptr, *stop_ = nullptr;
};

} // namespace tegula::cuda

#endif
