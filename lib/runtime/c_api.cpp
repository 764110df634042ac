// The C API (include/tegula/c/runtime.h) over the runtime's C++ classes. Every entry
// point catches what the C++ side throws and turns it into a status and the calling
// thread's last message: no exception crosses into C.
#include "tegula/c/runtime.h"

#include "tegula/runtime/bundle.h"
#include "tegula/runtime/device.h"
#include "tegula/runtime/error.h"
#include "tegula/runtime/kernel.h"
#include "tegula/runtime/launch.h"

#include <cstring>
#include <new>
#include <string>
#include <vector>

struct tegula_device_t {
  tegula::Device device;
  std::string driver;
};
struct tegula_buffer_t {
  tegula::Buffer buffer; ///< a driver's buffer keeps its device's memory alive itself
};
struct tegula_kernel_t {
  tegula::Kernel kernel;
};
struct tegula_bundle_t {
  tegula::Bundle bundle;
};

namespace {

using tegula::Error;
using tegula::ErrorCode;

thread_local std::string tLastError;

static_assert(TEGULA_UNSUPPORTED == static_cast<int>(ErrorCode::Unsupported) + 1,
              "tegula_status mirrors ErrorCode, shifted by TEGULA_OK");
static_assert(TEGULA_I64 == static_cast<int>(tegula::DType::I64), "tegula_dtype mirrors DType");

tegula_status fail(tegula_status status, const std::string &message) {
  tLastError = message;
  return status;
}

/// Runs `body`, turning what it throws into a status and the thread's message.
template <typename F> tegula_status guarded(const char *function, F &&body) {
  try {
    body();
    return TEGULA_OK;
  } catch (const Error &e) {
    return fail(static_cast<tegula_status>(static_cast<int>(e.code()) + 1), std::string(function) + ": " + e.what());
  } catch (const std::bad_alloc &) {
    return fail(TEGULA_INTERNAL, std::string(function) + ": out of memory");
  } catch (const std::exception &e) {
    return fail(TEGULA_INTERNAL, std::string(function) + ": " + e.what());
  } catch (...) {
    return fail(TEGULA_INTERNAL, std::string(function) + ": an unknown failure");
  }
}

void require(bool ok, const char *what) {
  if (!ok)
    throw Error(ErrorCode::InvalidArgument, what);
}

tegula::DType dtype_of(tegula_dtype d) {
  require(d >= TEGULA_F32 && d <= TEGULA_I64, "dtype is not one of tegula_dtype's values");
  return static_cast<tegula::DType>(d);
}

std::vector<tegula::Arg> args_of(const tegula_arg *args, size_t count) {
  require(args || count == 0, "args is null with a nonzero count");
  std::vector<tegula::Arg> out;
  out.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    const std::string at = "argument " + std::to_string(i);
    switch (args[i].kind) {
    case TEGULA_ARG_BUFFER:
      if (!args[i].value.buffer)
        throw Error(ErrorCode::NullBuffer, at + " is a null buffer handle");
      out.emplace_back(args[i].value.buffer->buffer);
      break;
    case TEGULA_ARG_INT:
      out.emplace_back(args[i].value.integer);
      break;
    case TEGULA_ARG_FLOAT:
      out.emplace_back(args[i].value.real);
      break;
    default:
      throw Error(ErrorCode::InvalidArgument, at + " has no valid kind (" + std::to_string(args[i].kind) + ")");
    }
  }
  return out;
}

tegula::Grid grid_of(const int64_t grid[3]) {
  require(grid != nullptr, "grid is null");
  return tegula::Grid(grid[0], grid[1], grid[2]);
}

} // namespace

extern "C" {

const char *tegula_last_error(void) { return tLastError.c_str(); }

const char *tegula_status_name(tegula_status status) {
  if (status == TEGULA_OK)
    return "ok";
  if (status == TEGULA_INTERNAL)
    return "internal";
  if (status > TEGULA_OK && status <= TEGULA_UNSUPPORTED)
    return tegula::error_code_name(static_cast<ErrorCode>(static_cast<int>(status) - 1));
  return "unknown status";
}

size_t tegula_dtype_size(tegula_dtype dtype) {
  return dtype >= TEGULA_F32 && dtype <= TEGULA_I64 ? tegula::dtype_size(static_cast<tegula::DType>(dtype)) : 0;
}

tegula_status tegula_device_open(const char *spec, tegula_device *device) {
  return guarded("tegula_device_open", [&] {
    require(spec && device, "spec and device must not be null");
    *device = nullptr;
    tegula::Device opened = tegula::Device::open(spec);
    *device = new tegula_device_t{opened, opened.driver()};
  });
}

void tegula_device_release(tegula_device device) { delete device; }

const char *tegula_device_driver(tegula_device device) { return device ? device->driver.c_str() : ""; }

tegula_status tegula_buffer_allocate(tegula_device device, tegula_dtype dtype, size_t count, tegula_buffer *buffer) {
  return guarded("tegula_buffer_allocate", [&] {
    require(device && buffer, "device and buffer must not be null");
    *buffer = nullptr;
    *buffer = new tegula_buffer_t{device->device.allocate(dtype_of(dtype), count)};
  });
}

tegula_status tegula_buffer_wrap_host(tegula_dtype dtype, size_t count, void *data, tegula_buffer *buffer) {
  return guarded("tegula_buffer_wrap_host", [&] {
    require(buffer != nullptr, "buffer must not be null");
    *buffer = nullptr;
    *buffer = new tegula_buffer_t{tegula::Buffer::wrap_host(dtype_of(dtype), count, data)};
  });
}

tegula_status tegula_buffer_wrap_device(tegula_device device, tegula_dtype dtype, size_t count, uint64_t address,
                                        tegula_buffer *buffer) {
  return guarded("tegula_buffer_wrap_device", [&] {
    require(device && buffer, "device and buffer must not be null");
    *buffer = nullptr;
    *buffer = new tegula_buffer_t{device->device.wrap(dtype_of(dtype), count, address)};
  });
}

void tegula_buffer_release(tegula_buffer buffer) { delete buffer; }

tegula_dtype tegula_buffer_dtype(tegula_buffer buffer) {
  return buffer ? static_cast<tegula_dtype>(buffer->buffer.dtype()) : TEGULA_F32;
}

size_t tegula_buffer_count(tegula_buffer buffer) { return buffer ? buffer->buffer.count() : 0; }

namespace {
void *host_bytes(tegula_buffer buffer, size_t bytes, const char *direction) {
  require(buffer != nullptr, "buffer must not be null");
  tegula::Buffer &b = buffer->buffer;
  if (!b.host_accessible())
    throw Error(ErrorCode::Unsupported, std::string("the host cannot reach this buffer's memory to copy it ") +
                                            direction + " (a wrapped device pointer)");
  if (bytes > b.bytes())
    throw Error(ErrorCode::BufferTooSmall, std::to_string(bytes) + " bytes asked for, the buffer holds " +
                                               std::to_string(b.bytes()));
  return b.data();
}
} // namespace

tegula_status tegula_buffer_copy_in(tegula_buffer buffer, const void *source, size_t bytes) {
  return guarded("tegula_buffer_copy_in", [&] {
    require(source || bytes == 0, "source is null");
    void *to = host_bytes(buffer, bytes, "in");
    if (bytes)
      std::memcpy(to, source, bytes);
  });
}

tegula_status tegula_buffer_copy_out(tegula_buffer buffer, void *destination, size_t bytes) {
  return guarded("tegula_buffer_copy_out", [&] {
    require(destination || bytes == 0, "destination is null");
    const void *from = host_bytes(buffer, bytes, "out");
    if (bytes)
      std::memcpy(destination, from, bytes);
  });
}

tegula_status tegula_kernel_load_shared_object(const char *path, const char *name, tegula_kernel *kernel) {
  return guarded("tegula_kernel_load_shared_object", [&] {
    require(path && name && kernel, "path, name and kernel must not be null");
    *kernel = nullptr;
    *kernel = new tegula_kernel_t{tegula::Kernel::load_shared_object(path, name)};
  });
}

void tegula_kernel_release(tegula_kernel kernel) { delete kernel; }

const char *tegula_kernel_name(tegula_kernel kernel) { return kernel ? kernel->kernel.name().c_str() : ""; }

size_t tegula_kernel_arg_count(tegula_kernel kernel) { return kernel ? kernel->kernel.info().args.size() : 0; }

tegula_status tegula_kernel_arg(tegula_kernel kernel, size_t index, tegula_dtype *dtype, int *is_buffer) {
  return guarded("tegula_kernel_arg", [&] {
    require(kernel && dtype && is_buffer, "kernel, dtype and is_buffer must not be null");
    const auto &args = kernel->kernel.info().args;
    if (index >= args.size())
      throw Error(ErrorCode::InvalidArgument, "kernel '" + kernel->kernel.name() + "' has " +
                                                  std::to_string(args.size()) + " arguments, not " +
                                                  std::to_string(index + 1));
    *dtype = static_cast<tegula_dtype>(args[index].dtype);
    *is_buffer = args[index].kind == tegula::ArgSpec::Kind::Buffer ? 1 : 0;
  });
}

tegula_status tegula_bundle_load(const char *path, tegula_bundle *bundle) {
  return guarded("tegula_bundle_load", [&] {
    require(path && bundle, "path and bundle must not be null");
    *bundle = nullptr;
    *bundle = new tegula_bundle_t{tegula::Bundle::load(path)};
  });
}

void tegula_bundle_release(tegula_bundle bundle) { delete bundle; }

size_t tegula_bundle_entry_count(tegula_bundle bundle) { return bundle ? bundle->bundle.entries().size() : 0; }

tegula_status tegula_launch(tegula_device device, tegula_kernel kernel, const int64_t grid[3], const tegula_arg *args,
                            size_t arg_count, void *stream) {
  return guarded("tegula_launch", [&] {
    require(device && kernel, "device and kernel must not be null");
    const std::vector<tegula::Arg> list = args_of(args, arg_count);
    tegula::LaunchOptions options;
    options.stream = stream;
    device->device.launch(kernel->kernel, grid_of(grid), list, options);
  });
}

tegula_status tegula_bundle_launch(tegula_device device, tegula_bundle bundle, const int64_t grid[3],
                                   const tegula_arg *args, size_t arg_count, void *stream) {
  return guarded("tegula_bundle_launch", [&] {
    require(device && bundle, "device and bundle must not be null");
    const std::vector<tegula::Arg> list = args_of(args, arg_count);
    tegula::LaunchOptions options;
    options.stream = stream;
    bundle->bundle.launch(device->device, grid_of(grid), list, options);
  });
}

} // extern "C"
