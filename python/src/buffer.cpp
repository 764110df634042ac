#include "buffer.h"

#include "tegula/runtime/cuda.h"
#include "tegula/runtime/device.h"
#include "tegula/runtime/error.h"

#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include <string>

namespace tegula::python {

namespace {

nb::dlpack::dtype to_dlpack(DType dtype) {
  switch (dtype) {
  case DType::F32: return nb::dtype<float>();
  case DType::F64: return nb::dtype<double>();
  case DType::F16: return {static_cast<uint8_t>(nb::dlpack::dtype_code::Float), 16, 1};
  case DType::BF16: return {static_cast<uint8_t>(nb::dlpack::dtype_code::Bfloat), 16, 1};
  case DType::I1: return nb::dtype<bool>();
  case DType::I8: return nb::dtype<int8_t>();
  case DType::I32: return nb::dtype<int32_t>();
  case DType::I64: return nb::dtype<int64_t>();
  }
  throw Error(ErrorCode::InvalidArgument, "no DLPack type for this dtype");
}

DType from_dlpack_dtype(nb::dlpack::dtype t) {
  using code = nb::dlpack::dtype_code;
  if (t.lanes == 1) {
    if (t.code == static_cast<uint8_t>(code::Float) && t.bits == 32) return DType::F32;
    if (t.code == static_cast<uint8_t>(code::Float) && t.bits == 64) return DType::F64;
    if (t.code == static_cast<uint8_t>(code::Float) && t.bits == 16) return DType::F16;
    if (t.code == static_cast<uint8_t>(code::Bfloat) && t.bits == 16) return DType::BF16;
    if (t.code == static_cast<uint8_t>(code::Int) && t.bits == 8) return DType::I8;
    if (t.code == static_cast<uint8_t>(code::Int) && t.bits == 32) return DType::I32;
    if (t.code == static_cast<uint8_t>(code::Int) && t.bits == 64) return DType::I64;
    if (t.code == static_cast<uint8_t>(code::Bool) && t.bits == 8) return DType::I1;
  }
  throw Error(ErrorCode::DTypeMismatch, "from_dlpack: element type (code " + std::to_string(t.code) + ", " +
                                            std::to_string(t.bits) + " bits, " + std::to_string(t.lanes) +
                                            " lanes) is not one of Tegula's dtypes");
}

int64_t element_count(const std::vector<int64_t> &shape, const char *what) {
  int64_t n = 1;
  for (int64_t d : shape) {
    if (d < 0)
      throw Error(ErrorCode::InvalidArgument, std::string(what) + ": negative extent " + std::to_string(d));
    n *= d;
  }
  return n;
}

nb::object export_dlpack(nb::handle self, nb::kwargs kwargs) {
  PyBuffer &b = nb::cast<PyBuffer &>(self);
  std::vector<size_t> shape(b.shape.begin(), b.shape.end());
  void *data = b.device_type == 1 ? b.buffer->data() : reinterpret_cast<void *>(b.buffer->device_address());
  // The view keeps `self` (and through it the memory) alive for as long as the consumer
  // holds the capsule.
  nb::ndarray<nb::array_api> view(data, shape.size(), shape.data(), self, nullptr, to_dlpack(b.dtype()), b.device_type,
                     b.device_id);
  // nanobind's ndarray object answers the protocol's requests: a versioned capsule
  // (writable) when the consumer asks for one, as NumPy 2 does, the legacy one otherwise.
  return nb::cast(view, nb::rv_policy::reference).attr("__dlpack__")(**kwargs);
}

} // namespace

DType dtype_arg(const std::string &name, const char *where) {
  if (auto d = dtype_from_name(name))
    return *d;
  throw Error(ErrorCode::InvalidArgument, std::string(where) + ": unknown dtype '" + name + "'");
}

int64_t PyBuffer::count() const { return static_cast<int64_t>(buffer->count()); }

PyBuffer wrap_host(uintptr_t pointer, std::vector<int64_t> shape, const std::string &dtype_name_, nb::object owner) {
  const DType dtype = dtype_arg(dtype_name_, "wrap");
  const int64_t n = element_count(shape, "wrap");
  if (pointer == 0 && n != 0)
    throw Error(ErrorCode::NullBuffer, "wrap: null pointer for " + std::to_string(n) + " elements");
  PyBuffer b;
  b.buffer = std::make_shared<Buffer>(Buffer::wrap_host(dtype, static_cast<size_t>(n), reinterpret_cast<void *>(pointer)));
  b.shape = std::move(shape);
  b.owner = std::move(owner);
  return b;
}

PyBuffer from_dlpack(nb::object producer) {
  nb::ndarray<> array;
  if (!nb::try_cast(producer, array))
    throw Error(ErrorCode::InvalidArgument, "from_dlpack: " + nb::cast<std::string>(nb::str(producer.type().attr("__name__"))) +
                                                " does not export DLPack (__dlpack__) memory Tegula can read");
  // Row-major, no gaps: the kernels index buffers as flat C arrays.
  int64_t expected = 1;
  for (size_t d = array.ndim(); d-- > 0;) {
    if (array.shape(d) != 1 && array.stride(d) != expected)
      throw Error(ErrorCode::InvalidArgument, "from_dlpack: the array is not C-contiguous (dimension " +
                                                  std::to_string(d) + " has stride " + std::to_string(array.stride(d)) +
                                                  ", expected " + std::to_string(expected) + ")");
    expected *= static_cast<int64_t>(array.shape(d));
  }
  PyBuffer b;
  for (size_t d = 0; d < array.ndim(); ++d)
    b.shape.push_back(static_cast<int64_t>(array.shape(d)));
  const DType dtype = from_dlpack_dtype(array.dtype());
  const size_t n = array.size();
  if (array.device_type() == nb::device::cpu::value) {
    if (array.data() == nullptr && n != 0)
      throw Error(ErrorCode::NullBuffer, "from_dlpack: null data for " + std::to_string(n) + " elements");
    b.buffer = std::make_shared<Buffer>(Buffer::wrap_host(dtype, n, array.data()));
  } else if (array.device_type() == nb::device::cuda::value) {
    Device device = Device::open("cuda:" + std::to_string(array.device_id()));
    b.buffer = std::make_shared<Buffer>(
        cuda::wrap_device_pointer(device, dtype, n, reinterpret_cast<uint64_t>(array.data())));
    b.device_type = nb::device::cuda::value;
    b.device_id = array.device_id();
  } else {
    throw Error(ErrorCode::Unsupported, "from_dlpack: memory on DLPack device type " +
                                            std::to_string(array.device_type()) + " (Tegula takes the host's and CUDA's)");
  }
  b.owner = nb::cast(array);
  return b;
}

PyBuffer allocate(std::vector<int64_t> shape, const std::string &dtype_name_) {
  const DType dtype = dtype_arg(dtype_name_, "empty");
  const int64_t n = element_count(shape, "empty");
  PyBuffer b;
  b.buffer = std::make_shared<Buffer>(dtype, static_cast<size_t>(n));
  b.shape = std::move(shape);
  return b;
}

void bind_buffer(nb::module_ &m) {
  nb::class_<PyBuffer>(m, "Buffer",
                       "Memory a kernel reads or writes: a view of a NumPy array or of a DLPack producer's "
                       "memory, or Tegula's own. Exports itself through DLPack.")
      .def_prop_ro("shape", [](const PyBuffer &b) { return nb::tuple(nb::cast(b.shape)); })
      .def_prop_ro("dtype", [](const PyBuffer &b) { return std::string(dtype_name(b.dtype())); })
      .def_prop_ro("nbytes", [](const PyBuffer &b) { return b.buffer->bytes(); })
      .def_prop_ro("data_ptr",
                   [](const PyBuffer &b) {
                     return b.device_type == 1 ? reinterpret_cast<uintptr_t>(b.buffer->data())
                                               : static_cast<uintptr_t>(b.buffer->device_address());
                   })
      .def("__dlpack__", &export_dlpack)
      .def("__dlpack_device__", [](const PyBuffer &b) { return nb::make_tuple(b.device_type, b.device_id); })
      .def("__repr__", [](const PyBuffer &b) {
        std::string s = "tegula.Buffer(shape=(";
        for (size_t i = 0; i < b.shape.size(); ++i)
          s += (i ? ", " : "") + std::to_string(b.shape[i]);
        if (b.shape.size() == 1)
          s += ",";
        return s + "), dtype=" + std::string(dtype_name(b.dtype())) + ")";
      });
  m.def("_wrap_host", &wrap_host, nb::arg("pointer"), nb::arg("shape"), nb::arg("dtype"), nb::arg("owner"));
  m.def("_from_dlpack", &from_dlpack, nb::arg("producer"));
  m.def("_empty", &allocate, nb::arg("shape"), nb::arg("dtype"));
}

} // namespace tegula::python
