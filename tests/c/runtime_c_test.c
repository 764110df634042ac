/* The runtime's C API from C (-std=c11 -Wall -Wextra -Werror): a vector_add shared
 * object run on the cpu against an fp64 reference on random inputs (seed printed) with
 * a size off the block's multiple and a poisoned output; a GEMM bundle loaded and
 * launched on a cuda device (the fake libcuda.so.1 the test names in TEGULA_LIBCUDA);
 * a vector_add bundle of Maia program images run on the maia-sim device; and every
 * error path, each returning its status with a message and no abort.
 *   runtime_c_test VADD_SO GEMM_BUNDLE MAIA_BUNDLE [SEED] */
#include "tegula/c/runtime.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int failures = 0;

#define EXPECT(cond)                                                                                                   \
  do {                                                                                                                 \
    if (!(cond)) {                                                                                                     \
      fprintf(stderr, "%s:%d: expected %s (last error: %s)\n", __FILE__, __LINE__, #cond, tegula_last_error());       \
      ++failures;                                                                                                      \
    }                                                                                                                  \
  } while (0)

/* `call` must fail with `status`, leaving a message that names the function. */
#define EXPECT_FAILS(status, function, call)                                                                           \
  do {                                                                                                                 \
    tegula_status got_ = (call);                                                                                       \
    if (got_ != (status) || strncmp(tegula_last_error(), function, strlen(function)) != 0) {                          \
      fprintf(stderr, "%s:%d: %s returned %s (expected %s): %s\n", __FILE__, __LINE__, #call,                         \
              tegula_status_name(got_), tegula_status_name(status), tegula_last_error());                              \
      ++failures;                                                                                                      \
    } else                                                                                                             \
      printf("  refused as expected (%s): %s\n", tegula_status_name(got_), tegula_last_error());                      \
  } while (0)

static uint64_t state;
static double uniform(double lo, double hi) { /* splitmix64 */
  uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  z ^= z >> 31;
  return lo + (hi - lo) * (double)(z >> 11) / 9007199254740992.0;
}

static void cpu_vector_add(const char *so) {
  tegula_device cpu = NULL;
  EXPECT(tegula_device_open("cpu:threads=2", &cpu) == TEGULA_OK);
  EXPECT(strcmp(tegula_device_driver(cpu), "cpu") == 0);
  tegula_kernel k = NULL;
  EXPECT(tegula_kernel_load_shared_object(so, "vector_add_f32", &k) == TEGULA_OK);
  EXPECT(strcmp(tegula_kernel_name(k), "vector_add_f32") == 0);
  EXPECT(tegula_kernel_arg_count(k) == 4);
  tegula_dtype dtype = TEGULA_I64;
  int is_buffer = 0;
  EXPECT(tegula_kernel_arg(k, 0, &dtype, &is_buffer) == TEGULA_OK && dtype == TEGULA_F32 && is_buffer == 1);
  EXPECT(tegula_kernel_arg(k, 3, &dtype, &is_buffer) == TEGULA_OK && is_buffer == 0);
  EXPECT_FAILS(TEGULA_INVALID_ARGUMENT, "tegula_kernel_arg", tegula_kernel_arg(k, 4, &dtype, &is_buffer));

  enum { n = 4099 }; /* not a multiple of the 1024-element block */
  static float x[n], y[n], out[n];
  for (int i = 0; i < n; ++i) {
    x[i] = (float)uniform(-1, 1);
    y[i] = (float)uniform(-1, 1);
    out[i] = NAN; /* poison: every element must be written */
  }
  tegula_buffer bx = NULL, by = NULL, bout = NULL;
  EXPECT(tegula_buffer_allocate(cpu, TEGULA_F32, n, &bx) == TEGULA_OK);
  EXPECT(tegula_buffer_allocate(cpu, TEGULA_F32, n, &by) == TEGULA_OK);
  EXPECT(tegula_buffer_wrap_host(TEGULA_F32, n, out, &bout) == TEGULA_OK); /* the caller's memory, in place */
  EXPECT(tegula_buffer_count(bx) == n && tegula_buffer_dtype(bx) == TEGULA_F32);
  EXPECT(tegula_buffer_copy_in(bx, x, sizeof x) == TEGULA_OK);
  EXPECT(tegula_buffer_copy_in(by, y, sizeof y) == TEGULA_OK);
  const int64_t grid[3] = {(n + 1023) / 1024, 1, 1};
  tegula_arg args[4] = {tegula_arg_buffer(bx), tegula_arg_buffer(by), tegula_arg_buffer(bout), tegula_arg_int(n)};
  EXPECT(tegula_launch(cpu, k, grid, args, 4, NULL) == TEGULA_OK);
  int wrong = 0;
  for (int i = 0; i < n; ++i) /* the sum in fp64, rounded once: exactly what f32 addition gives */
    if (!(out[i] == (float)((double)x[i] + (double)y[i])) && wrong++ == 0)
      fprintf(stderr, "out[%d] = %.9g, expected %.9g\n", i, out[i], (double)x[i] + (double)y[i]);
  EXPECT(wrong == 0);
  float back[n];
  EXPECT(tegula_buffer_copy_out(bx, back, sizeof back) == TEGULA_OK && memcmp(back, x, sizeof x) == 0);
  printf("vector_add_f32 on cpu: %d of %d elements wrong\n", wrong, n);

  /* Wrong launches: each refused with its own status. */
  EXPECT_FAILS(TEGULA_ARGUMENT_COUNT, "tegula_launch", tegula_launch(cpu, k, grid, args, 3, NULL));
  tegula_buffer ints = NULL, small = NULL;
  EXPECT(tegula_buffer_allocate(cpu, TEGULA_I32, n, &ints) == TEGULA_OK);
  EXPECT(tegula_buffer_allocate(cpu, TEGULA_F32, 10, &small) == TEGULA_OK);
  tegula_arg wrong_dtype[4] = {tegula_arg_buffer(ints), args[1], args[2], args[3]};
  EXPECT_FAILS(TEGULA_DTYPE_MISMATCH, "tegula_launch", tegula_launch(cpu, k, grid, wrong_dtype, 4, NULL));
  tegula_arg null_buffer[4] = {tegula_arg_buffer(NULL), args[1], args[2], args[3]};
  EXPECT_FAILS(TEGULA_NULL_BUFFER, "tegula_launch", tegula_launch(cpu, k, grid, null_buffer, 4, NULL));
  tegula_arg scalar_for_buffer[4] = {tegula_arg_float(1.5), args[1], args[2], args[3]};
  EXPECT_FAILS(TEGULA_ARGUMENT_TYPE, "tegula_launch", tegula_launch(cpu, k, grid, scalar_for_buffer, 4, NULL));
  tegula_arg bad_kind[4] = {args[0], args[1], args[2], args[3]};
  bad_kind[3].kind = (tegula_arg_kind)7;
  EXPECT_FAILS(TEGULA_INVALID_ARGUMENT, "tegula_launch", tegula_launch(cpu, k, grid, bad_kind, 4, NULL));
  const int64_t empty_grid[3] = {0, 1, 1};
  EXPECT_FAILS(TEGULA_INVALID_GRID, "tegula_launch", tegula_launch(cpu, k, empty_grid, args, 4, NULL));
  EXPECT_FAILS(TEGULA_INVALID_ARGUMENT, "tegula_launch", tegula_launch(cpu, k, NULL, args, 4, NULL));
  EXPECT_FAILS(TEGULA_INVALID_ARGUMENT, "tegula_launch", tegula_launch(NULL, k, grid, args, 4, NULL));
  EXPECT_FAILS(TEGULA_INVALID_ARGUMENT, "tegula_launch", tegula_launch(cpu, k, grid, NULL, 4, NULL));

  /* Wrong buffers and copies. */
  EXPECT_FAILS(TEGULA_BUFFER_TOO_SMALL, "tegula_buffer_copy_in", tegula_buffer_copy_in(small, x, sizeof x));
  EXPECT_FAILS(TEGULA_BUFFER_TOO_SMALL, "tegula_buffer_copy_out", tegula_buffer_copy_out(small, back, sizeof back));
  EXPECT_FAILS(TEGULA_INVALID_ARGUMENT, "tegula_buffer_copy_in", tegula_buffer_copy_in(small, NULL, 4));
  EXPECT_FAILS(TEGULA_INVALID_ARGUMENT, "tegula_buffer_copy_out", tegula_buffer_copy_out(NULL, back, 4));
  tegula_buffer none = NULL;
  EXPECT_FAILS(TEGULA_NULL_BUFFER, "tegula_buffer_wrap_host", tegula_buffer_wrap_host(TEGULA_F32, 4, NULL, &none));
  EXPECT_FAILS(TEGULA_INVALID_ARGUMENT, "tegula_buffer_wrap_host",
               tegula_buffer_wrap_host(TEGULA_F32, 4, (char *)out + 1, &none));
  EXPECT_FAILS(TEGULA_INVALID_ARGUMENT, "tegula_buffer_allocate",
               tegula_buffer_allocate(cpu, (tegula_dtype)42, 4, &none));
  EXPECT_FAILS(TEGULA_UNSUPPORTED, "tegula_buffer_wrap_device",
               tegula_buffer_wrap_device(cpu, TEGULA_F32, 4, 0x1000, &none));
  EXPECT(none == NULL);
  EXPECT(tegula_dtype_size(TEGULA_BF16) == 2 && tegula_dtype_size((tegula_dtype)42) == 0);

  tegula_buffer_release(small);
  tegula_buffer_release(ints);
  tegula_buffer_release(bx);
  tegula_buffer_release(by);
  tegula_buffer_release(bout);
  tegula_kernel_release(k);
  tegula_device_release(cpu);
}

static void cuda_bundle(const char *path) {
  tegula_bundle bundle = NULL;
  EXPECT(tegula_bundle_load(path, &bundle) == TEGULA_OK);
  EXPECT(tegula_bundle_entry_count(bundle) == 4);
  tegula_device gpu = NULL;
  EXPECT(tegula_device_open("cuda", &gpu) == TEGULA_OK);
  EXPECT(strcmp(tegula_device_driver(gpu), "cuda") == 0);
  const int64_t M = 64, K = 256;
  for (int64_t N = 512; N >= 500; N -= 12) { /* the specialized entry, then the generic one */
    tegula_buffer a = NULL, b = NULL, c = NULL;
    EXPECT(tegula_buffer_allocate(gpu, TEGULA_BF16, (size_t)(M * K), &a) == TEGULA_OK);
    EXPECT(tegula_buffer_allocate(gpu, TEGULA_BF16, (size_t)(K * N), &b) == TEGULA_OK);
    EXPECT(tegula_buffer_allocate(gpu, TEGULA_F32, (size_t)(M * N), &c) == TEGULA_OK);
    const int64_t grid[3] = {1, (N + 127) / 128, 1};
    tegula_arg args[6] = {tegula_arg_buffer(a), tegula_arg_buffer(b), tegula_arg_buffer(c),
                          tegula_arg_int(M),    tegula_arg_int(N),    tegula_arg_int(K)};
    EXPECT(tegula_bundle_launch(gpu, bundle, grid, args, 6, NULL) == TEGULA_OK);
    tegula_arg f32_for_bf16[6] = {args[2], args[1], args[2], args[3], args[4], args[5]};
    EXPECT_FAILS(TEGULA_UNSUPPORTED, "tegula_bundle_launch",
                 tegula_bundle_launch(gpu, bundle, grid, f32_for_bf16, 6, NULL));
    tegula_buffer_release(a);
    tegula_buffer_release(b);
    tegula_buffer_release(c);
  }
  /* Memory the caller allocated on the device: launched in place, not reachable here. */
  tegula_buffer wrapped = NULL, none = NULL;
  EXPECT(tegula_buffer_wrap_device(gpu, TEGULA_F32, 16, 0x7f0000001000ull, &wrapped) == TEGULA_OK);
  float host[16];
  EXPECT_FAILS(TEGULA_UNSUPPORTED, "tegula_buffer_copy_out", tegula_buffer_copy_out(wrapped, host, sizeof host));
  EXPECT_FAILS(TEGULA_NULL_BUFFER, "tegula_buffer_wrap_device", tegula_buffer_wrap_device(gpu, TEGULA_F32, 16, 0, &none));
  EXPECT_FAILS(TEGULA_INVALID_ARGUMENT, "tegula_buffer_wrap_device",
               tegula_buffer_wrap_device(gpu, TEGULA_F32, 16, 0x1002, &none));
  tegula_buffer_release(wrapped);
  tegula_device_release(gpu);
  tegula_bundle_release(bundle);
  printf("gemm bundle on cuda (fake driver): launched both entries\n");
}

/* Program images for the Maia-style machine, run on its simulator: buffers in its HBM
 * (allocated there, copied in and out) and the caller's host memory (copied by the
 * launch), against the exact f32 sum. */
static void maia_bundle(const char *path) {
  tegula_bundle bundle = NULL;
  EXPECT(tegula_bundle_load(path, &bundle) == TEGULA_OK);
  EXPECT(tegula_bundle_entry_count(bundle) >= 1);
  tegula_device maia = NULL, cpu = NULL;
  EXPECT(tegula_device_open("maia-sim", &maia) == TEGULA_OK);
  EXPECT(strcmp(tegula_device_driver(maia), "maia-sim") == 0);
  enum { n = 3001 };
  static float x[n], y[n], out[n];
  for (int i = 0; i < n; ++i) {
    x[i] = (float)uniform(-4, 4);
    y[i] = (float)uniform(-4, 4);
    out[i] = NAN;
  }
  tegula_buffer bx = NULL, by = NULL, bout = NULL, hout = NULL;
  EXPECT(tegula_buffer_allocate(maia, TEGULA_F32, n, &bx) == TEGULA_OK);
  EXPECT(tegula_buffer_allocate(maia, TEGULA_F32, n, &by) == TEGULA_OK);
  EXPECT(tegula_buffer_allocate(maia, TEGULA_F32, n, &bout) == TEGULA_OK);
  EXPECT(tegula_buffer_copy_in(bx, x, sizeof x) == TEGULA_OK);
  EXPECT(tegula_buffer_copy_in(by, y, sizeof y) == TEGULA_OK);
  EXPECT(tegula_buffer_copy_in(bout, out, sizeof out) == TEGULA_OK); /* poisoned there too */
  const int64_t grid[3] = {(n + 1023) / 1024, 1, 1};
  tegula_arg args[4] = {tegula_arg_buffer(bx), tegula_arg_buffer(by), tegula_arg_buffer(bout), tegula_arg_int(n)};
  EXPECT(tegula_bundle_launch(maia, bundle, grid, args, 4, NULL) == TEGULA_OK);
  EXPECT(tegula_buffer_copy_out(bout, out, sizeof out) == TEGULA_OK);
  int wrong = 0;
  for (int i = 0; i < n; ++i)
    if (!(out[i] == (float)((double)x[i] + (double)y[i])) && wrong++ == 0)
      fprintf(stderr, "maia out[%d] = %.9g, expected %.9g\n", i, out[i], (double)x[i] + (double)y[i]);
  EXPECT(wrong == 0);
  static float host_out[n];
  for (int i = 0; i < n; ++i)
    host_out[i] = NAN;
  EXPECT(tegula_buffer_wrap_host(TEGULA_F32, n, host_out, &hout) == TEGULA_OK);
  args[2] = tegula_arg_buffer(hout);
  EXPECT(tegula_bundle_launch(maia, bundle, grid, args, 4, NULL) == TEGULA_OK);
  EXPECT(memcmp(host_out, out, sizeof out) == 0);
  printf("vector_add bundle on maia-sim: %d of %d elements wrong\n", wrong, n);
  /* The bundle holds nothing for the cpu. */
  EXPECT(tegula_device_open("cpu", &cpu) == TEGULA_OK);
  EXPECT_FAILS(TEGULA_UNSUPPORTED, "tegula_bundle_launch", tegula_bundle_launch(cpu, bundle, grid, args, 4, NULL));
  tegula_buffer_release(bx);
  tegula_buffer_release(by);
  tegula_buffer_release(bout);
  tegula_buffer_release(hout);
  tegula_device_release(cpu);
  tegula_device_release(maia);
  tegula_bundle_release(bundle);
}

int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: runtime_c_test VADD_SO GEMM_BUNDLE MAIA_BUNDLE [SEED]\n");
    return 2;
  }
  state = argc > 4 ? strtoull(argv[4], NULL, 10) : (uint64_t)time(NULL);
  printf("seed %llu\n", (unsigned long long)state);
  cpu_vector_add(argv[1]);
  cuda_bundle(argv[2]);
  maia_bundle(argv[3]);

  /* Loading and opening what is not there. */
  tegula_device device = NULL;
  tegula_kernel kernel = NULL;
  tegula_bundle bundle = NULL;
  EXPECT_FAILS(TEGULA_UNSUPPORTED, "tegula_device_open", tegula_device_open("no-such-driver", &device));
  EXPECT_FAILS(TEGULA_INVALID_ARGUMENT, "tegula_device_open", tegula_device_open(NULL, &device));
  EXPECT_FAILS(TEGULA_LOAD_ERROR, "tegula_kernel_load_shared_object",
               tegula_kernel_load_shared_object("/no/such/file.so", "vector_add_f32", &kernel));
  EXPECT_FAILS(TEGULA_LOAD_ERROR, "tegula_kernel_load_shared_object",
               tegula_kernel_load_shared_object(argv[1], "no_such_kernel", &kernel));
  EXPECT_FAILS(TEGULA_LOAD_ERROR, "tegula_bundle_load", tegula_bundle_load(argv[1], &bundle)); /* not a bundle */
  EXPECT(device == NULL && kernel == NULL && bundle == NULL);
  EXPECT(strcmp(tegula_status_name(TEGULA_OK), "ok") == 0);
  EXPECT(strcmp(tegula_status_name(TEGULA_LOAD_ERROR), "load error") == 0);
  tegula_device_release(NULL); /* null handles are ignored */
  tegula_buffer_release(NULL);

  printf("%s\n", failures == 0 ? "C API: every check passed" : "C API: FAILED");
  return failures == 0 ? 0 : 1;
}
