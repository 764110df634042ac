// Device memory. On the CPU a buffer is host memory; in guard-page mode its last byte
// ends at a page that faults, so a kernel reading past it stops at the first byte. A
// buffer a driver allocated on its device (a simulated machine's memory, which the
// simulator keeps in host memory) is read and written by the host directly.
#ifndef TEGULA_RUNTIME_BUFFER_H
#define TEGULA_RUNTIME_BUFFER_H

#include "tegula/runtime/dtype.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

namespace tegula {

enum class BufferMode { Plain, GuardPage };

class Buffer {
public:
  Buffer() = default;
  /// `count` elements of `dtype`, uninitialized.
  Buffer(DType dtype, size_t count, BufferMode mode = BufferMode::Plain);
  ~Buffer();
  Buffer(Buffer &&other) noexcept;
  Buffer &operator=(Buffer &&other) noexcept;
  Buffer(const Buffer &) = delete;
  Buffer &operator=(const Buffer &) = delete;

  DType dtype() const { return dtype_; }
  size_t count() const { return count_; }
  size_t bytes() const { return count_ * dtype_size(dtype_); }
  void *data() { return data_; }
  const void *data() const { return data_; }
  /// No storage at all: neither host memory nor a device address.
  bool empty() const { return data_ == nullptr && device_address_ == 0; }
  /// Whether the host reaches the elements through data() (a wrapped device pointer of
  /// a GPU is not).
  bool host_accessible() const { return data_ != nullptr; }
  BufferMode mode() const { return mode_; }

  template <typename T> std::span<T> as() {
    return {static_cast<T *>(data_), bytes() / sizeof(T)};
  }
  template <typename T> std::span<const T> as() const {
    return {static_cast<const T *>(data_), bytes() / sizeof(T)};
  }
  /// Fills every byte with `byte` (tests poison outputs with 0xFF: NaN for floats).
  void fill_bytes(unsigned char byte);

  /// Memory a driver allocated on a device: `host` is where the host reads and writes
  /// it (null where it cannot), `device` identifies the device (compared for identity
  /// only), `address` is its address there, `release` frees it when the buffer goes, and
  /// `driver` names the driver whose device it is (a static string).
  static Buffer device_memory(DType dtype, size_t count, void *host, const void *device, uint64_t address,
                              std::shared_ptr<void> release, const char *driver = "");

  /// `count` elements at `data`, host memory the caller owns and frees after the
  /// buffer is gone (the buffer never frees it).
  static Buffer wrap_host(DType dtype, size_t count, void *data);

  /// Whether the buffer lives on a device rather than in host memory.
  bool on_device() const { return device_ != nullptr; }
  /// Its address on the device; 0 for host memory.
  uint64_t device_address() const { return device_address_; }
  /// The device it belongs to (compared for identity only), or null.
  const void *device() const { return device_; }
  /// The driver whose device it lives on ("" for host memory).
  const char *device_driver() const { return device_driver_; }

private:
  void release();
  std::shared_ptr<void> device_allocation_; ///< frees the HBM range when reset
  const void *device_ = nullptr;
  const char *device_driver_ = "";
  uint64_t device_address_ = 0;
  DType dtype_ = DType::F32;
  size_t count_ = 0;
  BufferMode mode_ = BufferMode::Plain;
  void *data_ = nullptr;
  void *mapping_ = nullptr;
  size_t mapping_bytes_ = 0;
  bool borrowed_ = false; ///< host memory wrap_host was given: not freed here
};

} // namespace tegula

#endif
