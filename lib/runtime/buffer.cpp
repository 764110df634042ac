#include "tegula/runtime/buffer.h"
#include "tegula/runtime/error.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <cstring>
#include <utility>

namespace tegula {

Buffer::Buffer(DType dtype, size_t count, BufferMode mode) : dtype_(dtype), count_(count), mode_(mode) {
  size_t bytes = this->bytes();
  if (mode == BufferMode::Plain) {
    // 64-byte alignment keeps vector loads of row starts aligned.
    size_t rounded = (bytes + 63) / 64 * 64;
    data_ = std::aligned_alloc(64, rounded == 0 ? 64 : rounded);
    if (!data_)
      throw Error(ErrorCode::InvalidArgument, "cannot allocate " + std::to_string(bytes) + " bytes");
    return;
  }
  // Data ends exactly where a PROT_NONE page begins, so the first byte past the end faults.
  size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  size_t dataPages = (bytes + page - 1) / page;
  mapping_bytes_ = (dataPages + 1) * page;
  mapping_ = mmap(nullptr, mapping_bytes_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (mapping_ == MAP_FAILED) {
    mapping_ = nullptr;
    throw Error(ErrorCode::InvalidArgument, "cannot map " + std::to_string(mapping_bytes_) + " bytes");
  }
  char *guard = static_cast<char *>(mapping_) + dataPages * page;
  mprotect(guard, page, PROT_NONE);
  data_ = guard - bytes;
}

Buffer::~Buffer() { release(); }

void Buffer::release() {
  if (device_) { // the allocation holds a null pointer and a deleter that frees HBM
    device_allocation_.reset();
    device_ = nullptr;
    device_address_ = 0;
    device_driver_ = "";
  } else if (mapping_)
    munmap(mapping_, mapping_bytes_);
  else if (!borrowed_)
    std::free(data_);
  data_ = mapping_ = nullptr;
  mapping_bytes_ = 0;
  borrowed_ = false;
}

Buffer Buffer::wrap_host(DType dtype, size_t count, void *data) {
  if (!data)
    throw Error(ErrorCode::NullBuffer, "wrap_host: a null pointer");
  if (reinterpret_cast<uintptr_t>(data) % dtype_size(dtype) != 0)
    throw Error(ErrorCode::InvalidArgument, "wrap_host: address " + std::to_string(reinterpret_cast<uintptr_t>(data)) +
                                                " is not aligned to its " + std::string(dtype_name(dtype)) + " elements");
  Buffer b;
  b.dtype_ = dtype;
  b.count_ = count;
  b.data_ = data;
  b.borrowed_ = true;
  return b;
}

Buffer::Buffer(Buffer &&other) noexcept { *this = std::move(other); }

Buffer &Buffer::operator=(Buffer &&other) noexcept {
  if (this != &other) {
    release();
    dtype_ = other.dtype_;
    count_ = other.count_;
    mode_ = other.mode_;
    data_ = std::exchange(other.data_, nullptr);
    mapping_ = std::exchange(other.mapping_, nullptr);
    mapping_bytes_ = std::exchange(other.mapping_bytes_, 0);
    borrowed_ = std::exchange(other.borrowed_, false);
    device_allocation_ = std::move(other.device_allocation_);
    device_ = std::exchange(other.device_, nullptr);
    device_address_ = std::exchange(other.device_address_, 0);
    device_driver_ = std::exchange(other.device_driver_, "");
    other.count_ = 0;
  }
  return *this;
}

Buffer Buffer::device_memory(DType dtype, size_t count, void *host, const void *device, uint64_t address,
                             std::shared_ptr<void> release, const char *driver) {
  Buffer b;
  b.dtype_ = dtype;
  b.count_ = count;
  b.data_ = host;
  b.device_ = device;
  b.device_address_ = address;
  b.device_driver_ = driver ? driver : "";
  b.device_allocation_ = std::move(release);
  return b;
}

void Buffer::fill_bytes(unsigned char byte) {
  if (data_)
    std::memset(data_, byte, bytes());
}

} // namespace tegula
