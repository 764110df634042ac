// Builds what scripts/gpu-check carries to a machine with a GPU: each library kernel
// compiled for cuda:sm_90 into a bundle per case, and the cases file (check_case.h):
// how each is launched, its inputs as Philox seeds, the fp64 reference of sampled
// elements with their bounds, and, for the small cases, the bytes gpu-emu:sm_90 wrote
// from the same code (which must itself agree with the reference here first).
//   gpu_check_prepare DIR [--small-only] [--seed N]
#include "check_case.h"

#include "tegula/compiler/compile.h"
#include "tegula/dsl.h"
#include "tegula/dsl/ops.h"
#include "tegula/kernels/attention.h"
#include "tegula/kernels/library.h"
#include "tegula/kernels/lora.h"
#include "tegula/kernels/norms.h"
#include "tegula/kernels/reference.h"
#include "tegula/runtime/bundle.h"
#include "tegula/runtime/error.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

using namespace tegula;
using namespace tegula::kernels;
using gpu_check::CaseArg;
using gpu_check::CheckCase;

namespace {

constexpr const char *kTarget = "cuda:sm_90";
constexpr const char *kEmu = "gpu-emu:sm_90";
/// Outputs up to this many elements are checked whole; larger ones at this many samples.
constexpr size_t kSamples = 16384;

/// One launch's arguments, as host buffers here and as CaseArgs for the runner.
class Launch {
public:
  explicit Launch(uint64_t seed) : seed_(seed) {}

  Buffer &uniform(DType dtype, size_t count, double lo = -1.0, double hi = 1.0) {
    CaseArg a;
    a.kind = CaseArg::Kind::Uniform;
    a.dtype = dtype;
    a.count = count;
    a.seed = seed_ + 7919 * (specs_.size() + 1);
    a.lo = lo;
    a.hi = hi;
    Buffer &b = add(a);
    fill_uniform(b, a.seed, lo, hi);
    return b;
  }
  Buffer &values(DType dtype, const std::vector<double> &values) {
    CaseArg a;
    a.kind = CaseArg::Kind::Values;
    a.dtype = dtype;
    a.count = values.size();
    a.values = values;
    Buffer &b = add(a);
    for (size_t i = 0; i < values.size(); ++i)
      write_element(b, i, values[i]);
    return b;
  }
  Buffer &output(DType dtype, size_t count) {
    CaseArg a;
    a.kind = CaseArg::Kind::Output;
    a.dtype = dtype;
    a.count = count;
    Buffer &b = add(a);
    b.fill_bytes(0xFF);
    return b;
  }
  void integer(int64_t v) {
    CaseArg a;
    a.kind = CaseArg::Kind::Integer;
    a.integer = v;
    add(a);
  }
  void real(double v) {
    CaseArg a;
    a.kind = CaseArg::Kind::Real;
    a.real = v;
    add(a);
  }

  std::vector<Arg> args() const {
    std::vector<Arg> out;
    for (size_t i = 0; i < specs_.size(); ++i) {
      const CaseArg &a = specs_[i];
      if (a.buffer())
        out.emplace_back(*buffers_[i]);
      else if (a.kind == CaseArg::Kind::Integer)
        out.emplace_back(a.integer);
      else
        out.emplace_back(static_cast<float>(a.real));
    }
    return out;
  }
  int index_of(const Buffer &b) const {
    for (size_t i = 0; i < buffers_.size(); ++i)
      if (buffers_[i].get() == &b)
        return static_cast<int>(i);
    throw Error(ErrorCode::InvalidArgument, "gpu_check_prepare: a buffer that is not an argument");
  }
  const std::vector<CaseArg> &specs() const { return specs_; }

private:
  Buffer &add(const CaseArg &a) {
    specs_.push_back(a);
    buffers_.push_back(a.buffer() ? std::make_unique<Buffer>(a.dtype, std::max<size_t>(1, a.count)) : nullptr);
    return a.buffer() ? *buffers_.back() : placeholder_;
  }
  uint64_t seed_;
  std::vector<CaseArg> specs_;
  std::vector<std::unique_ptr<Buffer>> buffers_;
  Buffer placeholder_;
};

/// Whether `args` meet every assumption `info` was compiled with (as Bundle::select asks).
bool fits(const KernelInfo &info, const std::vector<Arg> &args) {
  for (size_t i = 0; i < info.args.size(); ++i) {
    const ArgSpec &spec = info.args[i];
    if (spec.multiple_of <= 1)
      continue;
    if (args[i].is_buffer() ? reinterpret_cast<uintptr_t>(args[i].buffer()->data()) % spec.multiple_of != 0
                            : args[i].integer() % spec.multiple_of != 0)
      return false;
  }
  return true;
}

/// Indices to check of an output of n elements: all, or kSamples spread by Philox with
/// the first and last always in.
std::vector<uint64_t> sample_indices(size_t n, uint64_t seed) {
  std::vector<uint64_t> out;
  if (n <= kSamples) {
    for (size_t i = 0; i < n; ++i)
      out.push_back(i);
    return out;
  }
  std::set<uint64_t> chosen{0, n - 1};
  for (uint64_t i = 0; chosen.size() < kSamples; ++i)
    chosen.insert(static_cast<uint64_t>(philox_uniform(seed, i, 0.0, 1.0) * static_cast<double>(n)) % n);
  return {chosen.begin(), chosen.end()};
}

class Prepare {
public:
  Prepare(std::string dir, uint64_t seed, bool small_only) : dir_(std::move(dir)), seed_(seed), smallOnly_(small_only) {}

  bool small_only() const { return smallOnly_; }
  uint64_t next_seed() { return seed_ + 1000003 * ++cases_; }

  /// Adds a case: the bundle (specialized entry, then generic where it assumes
  /// anything), and, if small, gpu-emu's run with its exact bytes. `reference` fills
  /// the sampled checks from the host inputs (it gets the indices to compute).
  void add(CheckCase c, const dsl::TracedKernel &specialized, const std::optional<dsl::TracedKernel> &generic,
           const Launch &launch, const std::vector<const Buffer *> &outputs,
           const std::function<void(size_t output, const std::vector<uint64_t> &, std::vector<double> &,
                                    std::vector<double> &)> &reference,
           const std::function<std::vector<uint64_t>(size_t n, uint64_t seed)> &choose = sample_indices) {
    if (smallOnly_ && !c.small)
      return;
    const auto start = std::chrono::steady_clock::now();
    std::vector<const dsl::TracedKernel *> entries{&specialized};
    const bool assumes = std::any_of(specialized.info.args.begin(), specialized.info.args.end(),
                                     [](const ArgSpec &a) { return a.multiple_of > 1; });
    if (assumes && generic)
      entries.push_back(&*generic);
    Bundle bundle;
    for (const dsl::TracedKernel *traced : entries)
      bundle.add(kTarget, compile_traced(*traced, kTarget)->kernel());
    c.bundle = file_name(c.name) + ".tgb";
    bundle.save(dir_ + "/" + c.bundle);
    c.args = launch.specs();

    const std::vector<Arg> args = launch.args();
    for (size_t o = 0; o < outputs.size(); ++o) {
      gpu_check::SampledCheck s;
      s.arg = launch.index_of(*outputs[o]);
      s.index = choose(outputs[o]->count(), seed_ + o);
      reference(o, s.index, s.reference, s.bound);
      c.sampled.push_back(std::move(s));
    }
    if (c.small) {
      // gpu-emu runs the entry the device will pick, from cuda:sm_90's code.
      size_t entry = 0;
      while (entry + 1 < entries.size() && !fits(entries[entry]->info, args))
        ++entry;
      c.entry = static_cast<int>(entry);
      compile_traced(*entries[entry], kEmu)->launch(c.grid, std::span<const Arg>(args));
      for (const gpu_check::SampledCheck &s : c.sampled) {
        const Buffer &out = *args[s.arg].buffer();
        size_t over = 0, first = 0;
        for (size_t i = 0; i < s.index.size(); ++i)
          if (!(std::fabs(read_element(out, s.index[i]) - s.reference[i]) <= s.bound[i]) && over++ == 0)
            first = s.index[i];
        if (over)
          throw Error(ErrorCode::DeviceFault, "gpu-emu (" + std::string(kEmu) + ") disagrees with the fp64 reference on " +
                                                  c.name + " here: " + std::to_string(over) + " of " +
                                                  std::to_string(s.index.size()) + " sampled elements over their bound, first [" +
                                                  std::to_string(first) + "]");
        c.exact.push_back({s.arg, std::string(static_cast<const char *>(out.data()), out.bytes())});
      }
    }
    cases_list_.push_back(std::move(c));
    std::fprintf(stderr, "  %-44s %zu entries, %.1f s\n", cases_list_.back().name.c_str(), entries.size(),
                 std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }

  void write() const { gpu_check::write_cases(dir_, cases_list_); }
  size_t count() const { return cases_list_.size(); }

private:
  static std::string file_name(const std::string &name) {
    std::string out;
    for (char ch : name)
      out += std::isalnum(static_cast<unsigned char>(ch)) ? ch : '_';
    return out;
  }
  std::string dir_;
  uint64_t seed_;
  bool smallOnly_;
  uint64_t cases_ = 0;
  std::vector<CheckCase> cases_list_;
};

std::string dims(std::initializer_list<int64_t> d) {
  std::string out;
  for (int64_t v : d) {
    if (!out.empty())
      out += 'x';
    out += std::to_string(v);
  }
  return out;
}

/// Copies the sampled elements of a full reference and bound.
void pick(const std::vector<uint64_t> &index, const std::vector<double> &full, const std::vector<double> &fullBound,
          std::vector<double> &reference, std::vector<double> &bound) {
  for (uint64_t i : index) {
    reference.push_back(full[i]);
    bound.push_back(fullBound[i]);
  }
}

void vector_add(Prepare &p, DType dtype, int64_t n, bool small) {
  const VectorAddConfig config = default_vector_add_config(kTarget);
  Launch l(p.next_seed());
  const Buffer &x = l.uniform(dtype, n), &y = l.uniform(dtype, n);
  const Buffer &out = l.output(dtype, n);
  l.integer(n);
  CheckCase c;
  c.name = "vector_add " + std::string(dtype_name(dtype)) + " " + std::to_string(n);
  c.bits_required = true; // one add per element
  c.grid = Grid(dsl::cdiv(n, config.block));
  c.small = small;
  c.timed = !small;
  c.bytes = 3.0 * n * dtype_size(dtype);
  c.baseline = "add " + std::string(dtype_name(dtype)) + " " + std::to_string(n);
  p.add(c, trace_vector_add(dtype, config), std::nullopt, l, {&out}, [&](size_t, const auto &index, auto &r, auto &b) {
    const auto full = reference_vector_add(x, y, n);
    pick(index, full, vector_add_bound(full, dtype), r, b);
  });
}

void softmax(Prepare &p, DType dtype, int64_t M, int64_t N, bool small) {
  const SoftmaxConfig config = default_softmax_config(kTarget, N);
  SoftmaxConfig generic = config;
  generic.n_multiple = 1;
  Launch l(p.next_seed());
  const Buffer &x = l.uniform(dtype, M * N, -4.0, 4.0);
  const Buffer &y = l.output(dtype, M * N);
  l.integer(M);
  l.integer(N);
  CheckCase c;
  c.name = "softmax " + std::string(dtype_name(dtype)) + " " + dims({M, N});
  c.grid = Grid(dsl::cdiv(M, config.rows));
  c.small = small;
  c.timed = !small;
  c.bytes = 2.0 * M * N * dtype_size(dtype);
  c.baseline = "softmax " + std::string(dtype_name(dtype)) + " " + std::to_string(M) + " " + std::to_string(N);
  p.add(c, trace_softmax(dtype, config), trace_softmax(dtype, generic), l, {&y},
        [&](size_t, const auto &index, auto &r, auto &b) {
          const auto full = reference_softmax(x, M, N);
          pick(index, full, softmax_bound(full, N, dtype), r, b);
        });
}

void norm(Prepare &p, bool layer, DType dtype, int64_t M, int64_t N, bool small) {
  const double eps = 1e-6;
  const NormConfig config = default_norm_config(kTarget, N, eps);
  NormConfig generic = config;
  generic.n_multiple = 1;
  Launch l(p.next_seed());
  const Buffer &x = l.uniform(dtype, M * N, -2.0, 2.0);
  const Buffer &w = l.uniform(dtype, N, 0.5, 1.5);
  const Buffer *bias = layer ? &l.uniform(dtype, N, -0.5, 0.5) : nullptr;
  const Buffer &y = l.output(dtype, M * N);
  l.integer(M);
  l.integer(N);
  const std::string kernel = layer ? "layer_norm" : "rms_norm";
  CheckCase c;
  c.name = kernel + " " + std::string(dtype_name(dtype)) + " " + dims({M, N});
  c.grid = Grid(dsl::cdiv(M, config.rows));
  c.small = small;
  c.timed = !small;
  c.bytes = 2.0 * M * N * dtype_size(dtype);
  c.baseline = kernel + " " + std::string(dtype_name(dtype)) + " " + std::to_string(M) + " " + std::to_string(N);
  auto trace = [&](const NormConfig &cfg) { return layer ? trace_layer_norm(dtype, cfg) : trace_rms_norm(dtype, cfg); };
  p.add(c, trace(config), trace(generic), l, {&y}, [&](size_t, const auto &index, auto &r, auto &b) {
    if (layer) {
      const auto full = reference_layer_norm(x, w, *bias, M, N, eps);
      pick(index, full, layer_norm_bound(x, w, *bias, full, M, N, eps, dtype), r, b);
    } else {
      const auto full = reference_rms_norm(x, w, M, N, eps);
      pick(index, full, rms_norm_bound(full, N, dtype), r, b);
    }
  });
}

void gemm(Prepare &p, DType dtype, bool tf32, int64_t M, int64_t N, int64_t K, bool small) {
  const GemmConfig config =
      tf32 ? default_tf32_gemm_config(kTarget, M, N, K) : default_gemm_config(kTarget, M, N, K);
  GemmConfig generic = config;
  generic.kn_multiple = 1;
  Launch l(p.next_seed());
  const Buffer &a = l.uniform(dtype, M * K), &b = l.uniform(dtype, K * N);
  const Buffer &out = l.output(DType::F32, M * N);
  l.integer(M);
  l.integer(N);
  l.integer(K);
  CheckCase c;
  c.name = "gemm " + std::string(tf32 ? "tf32" : dtype_name(dtype)) + " " + dims({M, N, K});
  c.bits_required = dtype == DType::F32 && !tf32; // FMAs in the order the code gives
  c.grid = Grid(dsl::cdiv(M, config.BM), dsl::cdiv(N, config.BN));
  c.small = small;
  c.timed = !small;
  c.flops = 2.0 * M * N * K;
  c.bytes = (double(M) * K + double(K) * N) * dtype_size(dtype) + 4.0 * M * N;
  c.baseline = "matmul " + std::string(tf32 ? "tf32" : dtype_name(dtype)) + " " + std::to_string(M) + " " +
               std::to_string(N) + " " + std::to_string(K);
  p.add(c, trace_gemm(dtype, config), trace_gemm(dtype, generic), l, {&out},
        [&](size_t, const auto &index, auto &r, auto &bnd) {
          // Each sampled element's dot product, in fp64, with |A||B| for its bound.
          std::vector<double> magnitude;
          for (uint64_t at : index) {
            const int64_t i = static_cast<int64_t>(at) / N, j = static_cast<int64_t>(at) % N;
            double sum = 0, abs = 0;
            for (int64_t k = 0; k < K; ++k) {
              const double prod = read_element(a, i * K + k) * read_element(b, k * N + j);
              sum += prod;
              abs += std::fabs(prod);
            }
            r.push_back(sum);
            magnitude.push_back(abs);
          }
          bnd = gemm_bound(magnitude, K);
          if (tf32) // the tensor cores read A and B at tf32 (10 mantissa bits): 4 * 2^-11 of each product
            for (size_t i = 0; i < bnd.size(); ++i)
              bnd[i] += 4 * std::ldexp(1.0, -11) * magnitude[i];
        });
}

/// Equal-length batches; the large cases' reference is computed for a few (batch,
/// head) slices whole, from which the samples are drawn.
void attention(Prepare &p, DType dtype, int64_t B, int64_t H, int64_t Hkv, int64_t S, int D, bool causal,
               bool small) {
  const AttentionConfig config = default_attention_config(kTarget, D, causal, false);
  AttentionConfig generic = config;
  generic.aligned = false;
  const double scale = 1.0 / std::sqrt(static_cast<double>(D));
  Launch l(p.next_seed());
  const Buffer &q = l.uniform(dtype, B * S * H * D), &k = l.uniform(dtype, B * S * Hkv * D),
               &v = l.uniform(dtype, B * S * Hkv * D);
  const Buffer &out = l.output(dtype, B * S * H * D);
  std::vector<double> cu;
  for (int64_t b = 0; b <= B; ++b)
    cu.push_back(static_cast<double>(b * S));
  l.values(DType::I32, cu);
  l.values(DType::I32, cu);
  l.integer(H);
  l.integer(H / Hkv);
  l.integer(B * S);
  l.real(scale);
  CheckCase c;
  c.name = "attention " + std::string(dtype_name(dtype)) + " " + dims({B, H, S, D}) + (causal ? " causal" : "") +
           (Hkv != H ? " gqa" + std::to_string(H / Hkv) : "");
  c.grid = Grid(dsl::cdiv(S, config.BM), H, B);
  c.small = small;
  c.timed = !small;
  c.flops = 4.0 * B * H * S * S * D * (causal ? 0.5 : 1.0);
  c.bytes = (2.0 * B * S * H + 2.0 * B * S * Hkv) * D * dtype_size(dtype);
  c.baseline = "sdpa " + std::string(dtype_name(dtype)) + " " + std::to_string(B) + " " + std::to_string(H) + " " +
               std::to_string(Hkv) + " " + std::to_string(S) + " " + std::to_string(D) + (causal ? " causal" : "");
  p.add(c, trace_attention(dtype, config), trace_attention(dtype, generic), l, {&out},
        [&](size_t, const auto &index, auto &r, auto &bnd) {
          // Slices (b, h): q rows of that head, k and v of its key/value head.
          std::map<std::pair<int64_t, int64_t>, AttentionReference> slices;
          auto slice = [&](int64_t b, int64_t h) -> const AttentionReference & {
            auto found = slices.find({b, h});
            if (found != slices.end())
              return found->second;
            Buffer qs(dtype, S * D), ks(dtype, S * D), vs(dtype, S * D);
            const size_t e = dtype_size(dtype);
            for (int64_t i = 0; i < S; ++i) {
              std::memcpy(static_cast<char *>(qs.data()) + i * D * e,
                          static_cast<const char *>(q.data()) + ((b * S + i) * H + h) * D * e, D * e);
              std::memcpy(static_cast<char *>(ks.data()) + i * D * e,
                          static_cast<const char *>(k.data()) + ((b * S + i) * Hkv + h / (H / Hkv)) * D * e, D * e);
              std::memcpy(static_cast<char *>(vs.data()) + i * D * e,
                          static_cast<const char *>(v.data()) + ((b * S + i) * Hkv + h / (H / Hkv)) * D * e, D * e);
            }
            const std::vector<int32_t> one{0, static_cast<int32_t>(S)};
            return slices.emplace(std::make_pair(b, h), reference_attention(qs, ks, vs, one, one, 1, 1, D, scale, causal))
                .first->second;
          };
          for (uint64_t at : index) {
            const int64_t d = at % D, h = (at / D) % H, i = (at / (D * H)) % S, b = at / (D * H * S);
            const AttentionReference &ref = slice(b, h);
            r.push_back(ref.out[i * D + d]);
            bnd.push_back(ref.out_bound[i * D + d]);
          }
        },
        [&](size_t n, uint64_t seed) {
          if (n <= kSamples)
            return sample_indices(n, seed);
          // Three (batch, head) slices, each sampled at random and its last row whole.
          std::set<uint64_t> chosen;
          const std::pair<int64_t, int64_t> picks[] = {{0, 0}, {B / 2, H / 2}, {B - 1, H - 1}};
          for (size_t s = 0; s < 3; ++s) {
            const auto [b, h] = picks[s];
            auto at = [&](int64_t i, int64_t d) { return static_cast<uint64_t>(((b * S + i) * H + h) * D + d); };
            for (int64_t d = 0; d < D; ++d)
              chosen.insert(at(S - 1, d));
            for (uint64_t j = 0; j < kSamples / 3; ++j) {
              const double u = philox_uniform(seed + s, j, 0.0, 1.0);
              const int64_t flat = static_cast<int64_t>(u * static_cast<double>(S * D)) % (S * D);
              chosen.insert(at(flat / D, flat % D));
            }
          }
          return std::vector<uint64_t>(chosen.begin(), chosen.end());
        });
}

/// Multi-LoRA's shrink or expand over `slots` stacked adapters of ranks up to
/// `max_rank`, tokens mapped in segments (some without an adapter) or one by one.
void lora(Prepare &p, bool expand, LoraForm form, DType dtype, int64_t T, int64_t H, int64_t slots, int64_t max_rank,
          bool small) {
  const LoraConfig config = default_lora_config(kTarget, form, max_rank, H, H);
  LoraConfig generic = config;
  generic.hidden_multiple = 1;
  Launch l(p.next_seed());
  // Ranks: the largest, then smaller ones that stop inside the rank tile.
  std::vector<double> ranks, scales, starts, adapters;
  for (int64_t s = 0; s < slots; ++s) {
    ranks.push_back(static_cast<double>(s == 0 ? max_rank : std::max<int64_t>(1, max_rank - 5 * s - 2)));
    scales.push_back(0.5 + 0.25 * static_cast<double>(s));
  }
  int64_t segments = 0, longest = 0;
  if (form == LoraForm::Segmented) {
    // Segments of uneven lengths cycling through the adapters and "none" (-1).
    for (int64_t at = 0; at < T; ++segments) {
      const int64_t length = std::min<int64_t>(T - at, 1 + (segments * 37 + 11) % (T / 3 + 1));
      starts.push_back(static_cast<double>(at));
      adapters.push_back(static_cast<double>(segments % (slots + 1)) - 1);
      longest = std::max(longest, length);
      at += length;
    }
    starts.push_back(static_cast<double>(T));
  } else
    for (int64_t t = 0; t < T; ++t)
      adapters.push_back(static_cast<double>((t * 7 + 3) % (slots + 1)) - 1);
  const Buffer &in = expand ? l.uniform(DType::F32, T * max_rank) : l.uniform(dtype, T * H);
  const Buffer &factor = expand ? l.uniform(dtype, slots * H * max_rank) : l.uniform(dtype, slots * max_rank * H);
  const Buffer &out = expand ? l.uniform(dtype, T * H) : l.output(DType::F32, T * max_rank);
  const Buffer *startsBuffer = form == LoraForm::Segmented ? &l.values(DType::I32, starts) : nullptr;
  const Buffer &adapterBuffer = l.values(DType::I32, adapters);
  const Buffer &rankBuffer = l.values(DType::I32, ranks);
  const Buffer *scaleBuffer = expand ? &l.values(DType::F32, scales) : nullptr;
  l.integer(slots);
  l.integer(H);
  l.integer(max_rank);
  LoraWeights weights;
  (expand ? weights.b : weights.a) = &factor;
  weights.ranks = &rankBuffer;
  weights.scales = scaleBuffer;
  weights.slots = slots;
  weights.max_rank = max_rank;
  const LoraMapping mapping = form == LoraForm::Segmented ? LoraMapping::segmented(*startsBuffer, adapterBuffer, segments)
                                                          : LoraMapping::gathered(adapterBuffer);
  CheckCase c;
  c.name = std::string(expand ? "lora_expand " : "lora_shrink ") + std::string(dtype_name(dtype)) + " " +
           dims({T, H, max_rank}) + (form == LoraForm::Segmented ? " sgmv" : " bgmv");
  if (form == LoraForm::Segmented)
    c.grid = Grid(dsl::cdiv(longest, config.BT), expand ? dsl::cdiv(H, config.BN) : 1, segments);
  else
    c.grid = expand ? Grid(T, dsl::cdiv(H, config.BN)) : Grid(T);
  c.small = small;
  c.timed = !small;
  // Read x (or y) and the adapters, and write t (or read and write y).
  c.bytes = (double(T) * H * (expand ? 2 : 1) + double(slots) * max_rank * H) * dtype_size(dtype) + 4.0 * T * max_rank;
  // The copy of y an expand starts from: the reference needs it as it was.
  Buffer before(dtype, expand ? T * H : 1);
  if (expand)
    std::memcpy(before.data(), out.data(), out.bytes());
  auto trace = [&](const LoraConfig &cfg) { return expand ? trace_lora_expand(dtype, cfg) : trace_lora_shrink(dtype, cfg); };
  p.add(c, trace(config), trace(generic), l, {&out}, [&](size_t, const auto &index, auto &r, auto &b) {
    const std::vector<int32_t> tokens = lora_token_adapters(mapping, T, slots);
    const LoraReference full = expand ? reference_lora_expand(in, weights, tokens, before, H)
                                      : reference_lora_shrink(in, weights, tokens, H);
    pick(index, full.value, full.bound, r, b);
  });
}

// --- small kernels of warp operations, held to gpu-emu's bits -------------------------
struct RowCfg {
  int BM, BN;
};

/// Each row's sum and the index of its largest element: reductions across the lanes of
/// a warp (shuffles), in f32 adds and compares only.
void row_reduce_kernel(dsl::Ptr<dsl::f32> x, dsl::Ptr<dsl::f32> sums, dsl::Ptr<dsl::i32> best, dsl::Int M,
                       dsl::Int N, RowCfg cfg) {
  using namespace tegula::dsl;
  auto rows = program_id(0) * cfg.BM + arange(cfg.BM);
  auto cols = arange(cfg.BN);
  auto in = rows.col() < M && cols.row() < N;
  auto t = load(x + rows.col() * N + cols.row(), in, 0.0);
  store(sums + rows, sum(t, 1), rows < M);
  auto u = load(x + rows.col() * N + cols.row(), in, -1e30);
  store(best + rows, argmax(u, 1), rows < M);
}

/// Each row's running sums, in i32: a scan across lanes whose every bit is defined.
void row_cumsum_kernel(dsl::Ptr<dsl::i32> x, dsl::Ptr<dsl::i32> out, dsl::Int M, dsl::Int N, RowCfg cfg) {
  using namespace tegula::dsl;
  auto rows = program_id(0) * cfg.BM + arange(cfg.BM);
  auto cols = arange(cfg.BN);
  auto in = rows.col() < M && cols.row() < N;
  auto t = load(x + rows.col() * N + cols.row(), in, 0.0);
  store(out + rows.col() * N + cols.row(), cumsum(t, 1), in);
}

int64_t next_pow2(int64_t n) {
  int64_t p = 1;
  while (p < n)
    p *= 2;
  return p;
}

void row_reduce(Prepare &p, int64_t M, int64_t N) {
  const RowCfg cfg{4, static_cast<int>(next_pow2(N))};
  Launch l(p.next_seed());
  const Buffer &x = l.uniform(DType::F32, M * N, -4.0, 4.0);
  const Buffer &sums = l.output(DType::F32, M);
  const Buffer &best = l.output(DType::I32, M);
  l.integer(M);
  l.integer(N);
  CheckCase c;
  c.name = "warp row sum+argmax f32 " + dims({M, N});
  c.grid = Grid(dsl::cdiv(M, cfg.BM));
  c.small = true;
  c.bits_required = true;
  p.add(c, dsl::trace("row_reduce", &row_reduce_kernel, {}, cfg), std::nullopt, l, {&sums, &best},
        [&](size_t output, const auto &index, auto &r, auto &b) {
          for (uint64_t row : index) {
            double total = 0, magnitude = 0, top = -INFINITY;
            int64_t at = 0;
            for (int64_t j = 0; j < N; ++j) {
              const double v = read_element(x, row * N + j);
              total += v;
              magnitude += std::fabs(v);
              if (v > top)
                top = v, at = j;
            }
            r.push_back(output == 0 ? total : static_cast<double>(at));
            b.push_back(output == 0 ? 2 * (N + 1) * unit_roundoff(DType::F32) * magnitude : 0.0);
          }
        });
}

void row_cumsum(Prepare &p, int64_t M, int64_t N) {
  const RowCfg cfg{4, static_cast<int>(next_pow2(N))};
  Launch l(p.next_seed());
  const Buffer &x = l.uniform(DType::I32, M * N, -1000.0, 1000.0);
  const Buffer &out = l.output(DType::I32, M * N);
  l.integer(M);
  l.integer(N);
  CheckCase c;
  c.name = "warp row cumsum i32 " + dims({M, N});
  c.grid = Grid(dsl::cdiv(M, cfg.BM));
  c.small = true;
  c.bits_required = true;
  p.add(c, dsl::trace("row_cumsum", &row_cumsum_kernel, {}, cfg), std::nullopt, l, {&out},
        [&](size_t, const auto &index, auto &r, auto &b) {
          for (uint64_t at : index) {
            const int64_t row = static_cast<int64_t>(at) / N, col = static_cast<int64_t>(at) % N;
            double total = 0;
            for (int64_t j = 0; j <= col; ++j)
              total += read_element(x, row * N + j);
            r.push_back(total);
            b.push_back(0.0);
          }
        });
}

} // namespace

int main(int argc, char **argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: gpu_check_prepare DIR [--small-only] [--seed N]\n");
    return 2;
  }
  const std::string dir = argv[1];
  bool smallOnly = false;
  uint64_t seed = static_cast<uint64_t>(std::chrono::system_clock::now().time_since_epoch().count()) % 1000000007;
  for (int i = 2; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--small-only")
      smallOnly = true;
    else if (a == "--seed" && i + 1 < argc)
      seed = std::stoull(argv[++i]);
    else {
      std::fprintf(stderr, "gpu_check_prepare: unknown argument '%s'\n", a.c_str());
      return 2;
    }
  }
  try {
    std::filesystem::create_directories(dir);
    std::fprintf(stderr, "gpu_check_prepare: seed %llu, %s cases for %s into %s\n",
                 static_cast<unsigned long long>(seed), smallOnly ? "small" : "all", kTarget, dir.c_str());
    Prepare p(dir, seed, smallOnly);
    // Small: gpu-emu's bytes, and the reference of every element (sampled above 16,384);
    // sizes off the blocks' multiples.
    vector_add(p, DType::F32, 1003, true);
    softmax(p, DType::F32, 37, 300, true);
    softmax(p, DType::BF16, 19, 256, true);
    norm(p, false, DType::F32, 29, 200, true);
    norm(p, true, DType::BF16, 13, 256, true);
    gemm(p, DType::BF16, false, 72, 88, 40, true);
    gemm(p, DType::BF16, false, 128, 128, 64, true);
    gemm(p, DType::F32, true, 40, 48, 24, true);
    gemm(p, DType::F32, false, 33, 40, 17, true);
    attention(p, DType::BF16, 1, 2, 2, 100, 64, true, true);
    attention(p, DType::F16, 2, 4, 2, 65, 128, false, true);
    row_reduce(p, 37, 200);
    row_cumsum(p, 21, 100);
    lora(p, false, LoraForm::Segmented, DType::BF16, 45, 200, 3, 16, true);
    lora(p, true, LoraForm::Gathered, DType::F16, 29, 136, 4, 32, true);
    // Large: timed with events beside the baselines, checked on samples.
    vector_add(p, DType::F32, (int64_t{1} << 24) + 3, false);
    softmax(p, DType::BF16, 4096, 4096, false);
    softmax(p, DType::F32, 4093, 4099, false);
    norm(p, false, DType::BF16, 4096, 4096, false);
    norm(p, true, DType::BF16, 4096, 4096, false);
    gemm(p, DType::BF16, false, 4096, 4096, 4096, false);
    gemm(p, DType::F16, false, 4096, 4096, 4096, false);
    gemm(p, DType::BF16, false, 4093, 4091, 4089, false);
    gemm(p, DType::F32, true, 4096, 4096, 4096, false);
    gemm(p, DType::F32, false, 2048, 2048, 2048, false);
    attention(p, DType::BF16, 4, 16, 16, 2048, 64, false, false);
    attention(p, DType::BF16, 4, 16, 16, 2048, 128, true, false);
    attention(p, DType::BF16, 2, 32, 8, 1999, 128, true, false);
    lora(p, false, LoraForm::Segmented, DType::BF16, 4096, 4096, 8, 64, false);
    lora(p, true, LoraForm::Segmented, DType::BF16, 4096, 4096, 8, 64, false);
    lora(p, false, LoraForm::Gathered, DType::BF16, 4093, 4096, 8, 16, false);
    p.write();
    std::fprintf(stderr, "gpu_check_prepare: %zu cases written\n", p.count());
    return 0;
  } catch (const Error &e) {
    std::fprintf(stderr, "gpu_check_prepare: %s\n", e.what());
    return 1;
  }
}
