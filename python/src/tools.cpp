// targets(), emit() and xcheck(): what `tegula targets`, `tegula compile` and
// `tegula xcheck` do, as Python functions.
#include "kernels.h"

#include "tegula/compiler/compile.h"
#include "tegula/kernels/attention.h"
#include "tegula/kernels/library.h"
#include "tegula/kernels/lora.h"
#include "tegula/kernels/norms.h"
#include "tegula/runtime/error.h"
#include "tegula/xcheck/xcheck.h"

#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include <string>
#include <vector>

namespace tegula::python {

namespace {

nb::list targets() {
  nb::list out;
  for (const TargetDescription &t : available_targets()) {
    nb::dict d;
    d["name"] = t.name;
    d["summary"] = t.summary;
    d["executes"] = t.executes;
    d["host"] = t.host;
    d["emulated"] = t.emulated;
    d["simulated_time"] = t.simulated_time;
    nb::list kinds;
    for (const EmitKindInfo &k : t.emit_kinds)
      kinds.append(k.name);
    d["emit_kinds"] = kinds;
    d["options"] = nb::cast(t.options);
    out.append(d);
  }
  return out;
}

int64_t size_at(const std::vector<int64_t> &sizes, size_t i, int64_t otherwise) {
  return i < sizes.size() ? sizes[i] : otherwise;
}

/// A library kernel traced with the target's default configuration for `sizes` (the
/// sizes `tegula compile --shape` takes: gemm M,N,K; softmax and the norms M,N;
/// attention D; the LoRA kernels max_rank,hidden,hidden_out).
dsl::TracedKernel trace_library_kernel(const std::string &kernel, const std::string &target, DType dtype,
                                       const std::vector<int64_t> &sizes, bool causal, bool gathered) {
  using namespace kernels;
  if (kernel == "vector_add")
    return trace_vector_add(dtype, default_vector_add_config(target));
  if (kernel == "softmax")
    return trace_softmax(dtype, default_softmax_config(target, size_at(sizes, 1, 1024)));
  if (kernel == "gemm")
    return trace_gemm(dtype, default_gemm_config(target, size_at(sizes, 0, 1024), size_at(sizes, 1, 1024),
                                                 size_at(sizes, 2, 1024)));
  if (kernel == "rms_norm")
    return trace_rms_norm(dtype, default_norm_config(target, size_at(sizes, 1, 1024), 1e-6));
  if (kernel == "layer_norm")
    return trace_layer_norm(dtype, default_norm_config(target, size_at(sizes, 1, 1024), 1e-5));
  if (kernel == "attention")
    return trace_attention(dtype, default_attention_config(target, static_cast<int>(size_at(sizes, 0, 64)), causal,
                                                           false));
  const LoraForm form = gathered ? LoraForm::Gathered : LoraForm::Segmented;
  const int64_t rank = size_at(sizes, 0, 16), hidden = size_at(sizes, 1, 4096), hidden_out = size_at(sizes, 2, 4096);
  if (kernel == "lora_shrink")
    return trace_lora_shrink(dtype, default_lora_config(target, form, rank, hidden, hidden_out));
  if (kernel == "lora_expand")
    return trace_lora_expand(dtype, default_lora_config(target, form, rank, hidden, hidden_out));
  if (kernel == "lora_linear")
    return trace_lora_linear(dtype, default_lora_config(target, form, rank, hidden, hidden_out));
  throw Error(ErrorCode::InvalidArgument,
              "emit: unknown kernel '" + kernel +
                  "' (vector_add, softmax, gemm, rms_norm, layer_norm, attention, lora_shrink, lora_expand, "
                  "lora_linear)");
}

nb::object emit_kernel(const std::string &kernel, const std::string &target, const std::string &kind,
                       const std::string &dtype, const std::vector<int64_t> &sizes, bool causal, bool gathered) {
  const DType d = dtype_arg(dtype, "emit");
  std::string code;
  bool binary = false;
  {
    nb::gil_scoped_release release;
    const TargetDescription description = describe_target(target);
    const EmitKindInfo *info = description.emit_kind(kind);
    if (!info) {
      std::string kinds;
      for (const EmitKindInfo &k : description.emit_kinds)
        kinds += (kinds.empty() ? "" : ", ") + k.name;
      throw Error(ErrorCode::InvalidArgument,
                  "emit: target '" + description.name + "' has no emit kind '" + kind + "' (" + kinds + ")");
    }
    binary = info->binary;
    code = emit(trace_library_kernel(kernel, target, d, sizes, causal, gathered), target, kind);
  }
  if (binary)
    return nb::bytes(code.data(), code.size());
  return nb::str(code.data(), code.size());
}

nb::list run_xcheck(const std::string &kernel, std::vector<std::string> backends, uint64_t seed,
                    const std::string &dtype) {
  std::vector<xcheck::Record> records;
  {
    nb::gil_scoped_release release;
    if (backends.empty())
      backends = xcheck::backends();
    for (const std::string &b : backends)
      xcheck::require_backend(b);
    std::optional<DType> only;
    if (!dtype.empty())
      only = dtype_arg(dtype, "xcheck");
    for (const xcheck::Case &c : xcheck::default_cases(kernel, backends))
      if (!only || c.dtype == *only)
        records.push_back(xcheck::run(c, seed));
  }
  nb::list out;
  for (const xcheck::Record &r : records) {
    nb::dict d;
    d["kernel"] = r.what.kernel;
    d["backend"] = r.what.backend;
    d["dtype"] = std::string(dtype_name(r.what.dtype));
    d["shape"] = nb::tuple(nb::cast(r.what.shape));
    d["seed"] = r.seed;
    d["status"] = std::string(xcheck::status_name(r.status));
    d["elements"] = r.elements;
    d["failures"] = r.failures;
    d["unwritten"] = r.unwritten;
    d["max_abs_error"] = r.max_abs_error;
    d["worst_ratio"] = r.worst_ratio;
    d["ms"] = r.ms;
    d["message"] = r.message;
    out.append(d);
  }
  return out;
}

} // namespace

void bind_tools(nb::module_ &m) {
  using nb::arg;
  m.def("targets", &targets, "Every target this build compiles for, as dicts.");
  m.def("host_target", [] { return host_target(); });
  m.def("emit", &emit_kernel, arg("kernel"), arg("target"), arg("kind"), arg("dtype") = "f32",
        arg("sizes") = std::vector<int64_t>{}, arg("causal") = false, arg("gathered") = false,
        "A library kernel compiled for a target, in one of its emit kinds (str, or bytes for a binary).");
  m.def("xcheck", &run_xcheck, arg("kernel") = "", arg("backends") = std::vector<std::string>{}, arg("seed") = 1,
        arg("dtype") = "", "The library kernels on the backends that run here, against fp64 references.");
  m.def("xcheck_backends", [] { return xcheck::backends(); });
  m.def("kernel_names", [] { return xcheck::kernel_names(); });
}

} // namespace tegula::python
