/* The runtime's C API: load precompiled kernels (a CPU shared object written by
 * `tegula compile --emit so`, a bundle written by `--emit bundle`), open devices,
 * allocate or wrap buffers, copy data in and out, and launch on a grid with typed
 * arguments. Every function returns a tegula_status; on failure,
 * tegula_last_error() holds the message (the calling thread's last failure, valid until
 * that thread's next failing call). No C++ exception crosses this API, and nothing
 * here needs LLVM: it is libtegula_runtime's own.
 *
 * Handles are owned by the caller and released with their _release function (a null
 * handle is ignored there). A buffer keeps its device alive; a kernel or bundle may be
 * launched on any device whose driver runs it. */
#ifndef TEGULA_C_RUNTIME_H
#define TEGULA_C_RUNTIME_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What went wrong: the runtime's error codes, in the same order. */
typedef enum tegula_status {
  TEGULA_OK = 0,
  TEGULA_INVALID_ARGUMENT,  /* bad input to a call (a null handle or pointer among them) */
  TEGULA_ARGUMENT_COUNT,    /* a launch with the wrong number of arguments */
  TEGULA_ARGUMENT_TYPE,     /* a buffer where a scalar is expected, or the reverse */
  TEGULA_DTYPE_MISMATCH,    /* a buffer or scalar of the wrong element type */
  TEGULA_BUFFER_TOO_SMALL,  /* a buffer smaller than a copy into or out of it */
  TEGULA_NULL_BUFFER,       /* a buffer argument with no storage */
  TEGULA_INVALID_GRID,      /* a grid with a zero, negative or too large dimension */
  TEGULA_OUT_OF_BOUNDS,     /* a bounds-checked kernel touched memory outside its buffers */
  TEGULA_ASSERTION_FAILED,  /* a kernel's device_assert failed */
  TEGULA_DEVICE_FAULT,      /* the device stopped */
  TEGULA_COMPILE_ERROR,     /* (not returned by the runtime) */
  TEGULA_LOAD_ERROR,        /* an artifact could not be loaded */
  TEGULA_UNSUPPORTED,       /* the driver or feature is not available here */
  TEGULA_INTERNAL,          /* anything else (out of memory, say) */
  TEGULA_STATUS_MAX_ = 0x7fffffff /* keeps every int a valid value in C++ too */
} tegula_status;

/* Element types, as the runtime's DType. */
typedef enum tegula_dtype {
  TEGULA_F32 = 0,
  TEGULA_F16,
  TEGULA_BF16,
  TEGULA_F64,
  TEGULA_I1,
  TEGULA_I8,
  TEGULA_I32,
  TEGULA_I64,
  TEGULA_DTYPE_MAX_ = 0x7fffffff /* a value past the list is refused, not undefined */
} tegula_dtype;

typedef struct tegula_device_t *tegula_device;
typedef struct tegula_buffer_t *tegula_buffer;
typedef struct tegula_kernel_t *tegula_kernel;
typedef struct tegula_bundle_t *tegula_bundle;

/* The calling thread's last failure message ("" when none). */
const char *tegula_last_error(void);
/* "ok", "invalid argument", ... */
const char *tegula_status_name(tegula_status status);
/* Bytes per element (0 for a value outside the enum). */
size_t tegula_dtype_size(tegula_dtype dtype);

/* --- devices ---------------------------------------------------------------------- */
/* "cpu", "cpu:threads=4", "cuda", "cuda:1", "maia-sim", ...: the drivers of this build. */
tegula_status tegula_device_open(const char *spec, tegula_device *device);
void tegula_device_release(tegula_device device);
/* The driver's name ("cpu", "cuda"); valid while the device is. */
const char *tegula_device_driver(tegula_device device);

/* --- buffers ---------------------------------------------------------------------- */
tegula_status tegula_buffer_allocate(tegula_device device, tegula_dtype dtype, size_t count,
                                     tegula_buffer *buffer);
/* `count` elements the caller owns in host memory (it must outlive the buffer, which
 * never frees it); launches on the cpu read and write it in place. */
tegula_status tegula_buffer_wrap_host(tegula_dtype dtype, size_t count, void *data, tegula_buffer *buffer);
/* Memory the caller allocated on a GPU device (a CUdeviceptr for cuda), not owned. */
tegula_status tegula_buffer_wrap_device(tegula_device device, tegula_dtype dtype, size_t count, uint64_t address,
                                        tegula_buffer *buffer);
void tegula_buffer_release(tegula_buffer buffer);
tegula_dtype tegula_buffer_dtype(tegula_buffer buffer);
size_t tegula_buffer_count(tegula_buffer buffer);
/* Copies `bytes` from `source` into the buffer's start, or from its start into
 * `destination`; TEGULA_BUFFER_TOO_SMALL when the buffer holds fewer bytes, and
 * TEGULA_UNSUPPORTED for memory the host cannot reach (a wrapped device pointer). */
tegula_status tegula_buffer_copy_in(tegula_buffer buffer, const void *source, size_t bytes);
tegula_status tegula_buffer_copy_out(tegula_buffer buffer, void *destination, size_t bytes);

/* --- kernels ---------------------------------------------------------------------- */
/* Kernel `name` ("vector_add_f32") of a shared object written by --emit so. */
tegula_status tegula_kernel_load_shared_object(const char *path, const char *name, tegula_kernel *kernel);
void tegula_kernel_release(tegula_kernel kernel);
const char *tegula_kernel_name(tegula_kernel kernel);
/* Its arguments: how many, and each one's dtype and whether it is a buffer. */
size_t tegula_kernel_arg_count(tegula_kernel kernel);
tegula_status tegula_kernel_arg(tegula_kernel kernel, size_t index, tegula_dtype *dtype, int *is_buffer);

/* A bundle written by --emit bundle; a launch picks the entry that fits (bundle.h). */
tegula_status tegula_bundle_load(const char *path, tegula_bundle *bundle);
void tegula_bundle_release(tegula_bundle bundle);
size_t tegula_bundle_entry_count(tegula_bundle bundle);

/* --- launches --------------------------------------------------------------------- */
typedef enum tegula_arg_kind {
  TEGULA_ARG_BUFFER = 0,
  TEGULA_ARG_INT,
  TEGULA_ARG_FLOAT,
  TEGULA_ARG_KIND_MAX_ = 0x7fffffff
} tegula_arg_kind;
/* One argument: a buffer, an integer (range-checked against the kernel's type), or a
 * floating-point number. */
typedef struct tegula_arg {
  tegula_arg_kind kind;
  union {
    tegula_buffer buffer;
    int64_t integer;
    double real;
  } value;
} tegula_arg;

static inline tegula_arg tegula_arg_buffer(tegula_buffer b) {
  tegula_arg a;
  a.kind = TEGULA_ARG_BUFFER;
  a.value.buffer = b;
  return a;
}
static inline tegula_arg tegula_arg_int(int64_t v) {
  tegula_arg a;
  a.kind = TEGULA_ARG_INT;
  a.value.integer = v;
  return a;
}
static inline tegula_arg tegula_arg_float(double v) {
  tegula_arg a;
  a.kind = TEGULA_ARG_FLOAT;
  a.value.real = v;
  return a;
}

/* Launches over grid[0] x grid[1] x grid[2] program instances on `device`. `stream`: a
 * stream of the device's driver to queue on (a CUstream for cuda; the call then returns
 * at once), or null to return when the kernel has run. */
tegula_status tegula_launch(tegula_device device, tegula_kernel kernel, const int64_t grid[3], const tegula_arg *args,
                            size_t arg_count, void *stream);
tegula_status tegula_bundle_launch(tegula_device device, tegula_bundle bundle, const int64_t grid[3],
                                   const tegula_arg *args, size_t arg_count, void *stream);

#ifdef __cplusplus
}
#endif

#endif
