// tegula.Buffer: a runtime Buffer with a shape, made from a NumPy array's memory or from
// any DLPack producer (zero-copy), or allocated by Tegula; it exports itself through
// DLPack (__dlpack__, __dlpack_device__), so NumPy and torch read it without a copy.
#ifndef TEGULA_PYTHON_BUFFER_H
#define TEGULA_PYTHON_BUFFER_H

#include "tegula/runtime/buffer.h"
#include "tegula/runtime/dtype.h"

#include <nanobind/nanobind.h>
#include <nanobind/ndarray.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace tegula::python {

namespace nb = nanobind;

struct PyBuffer {
  std::shared_ptr<Buffer> buffer;
  std::vector<int64_t> shape;
  /// What keeps the memory alive when the buffer wraps someone else's: the NumPy array,
  /// or the DLPack capsule's ndarray.
  nb::object owner;
  /// DLPack's device of the memory: kDLCPU (1) or kDLCUDA (2), and the device index.
  int32_t device_type = 1, device_id = 0;

  DType dtype() const { return buffer->dtype(); }
  int64_t count() const;
};

/// The dtype named `name` ("f32", "bf16", ...); Error(InvalidArgument) naming `where`.
DType dtype_arg(const std::string &name, const char *where);

/// Wraps `pointer` (host memory of `shape` and `dtype`, C-contiguous) without copying.
PyBuffer wrap_host(uintptr_t pointer, std::vector<int64_t> shape, const std::string &dtype, nb::object owner);
/// A buffer of the memory a DLPack producer (an object with __dlpack__) exports.
PyBuffer from_dlpack(nb::object producer);
/// Host memory owned by the buffer, of `shape` and `dtype`.
PyBuffer allocate(std::vector<int64_t> shape, const std::string &dtype);

void bind_buffer(nb::module_ &m);

} // namespace tegula::python

#endif
