#include "tegula/kernels/reference.h"

#include "tegula/runtime/error.h"
#include "tegula/runtime/half.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <sstream>

namespace tegula::kernels {

void philox4x32(uint64_t seed, uint64_t counter, uint32_t out[4]) {
  uint32_t c0 = static_cast<uint32_t>(counter), c1 = static_cast<uint32_t>(counter >> 32), c2 = 0, c3 = 0;
  uint32_t k0 = static_cast<uint32_t>(seed), k1 = static_cast<uint32_t>(seed >> 32);
  for (int round = 0; round < 10; ++round) {
    uint64_t p0 = uint64_t{0xD2511F53u} * c0;
    uint64_t p1 = uint64_t{0xCD9E8D57u} * c2;
    uint32_t n0 = static_cast<uint32_t>(p1 >> 32) ^ c1 ^ k0;
    uint32_t n2 = static_cast<uint32_t>(p0 >> 32) ^ c3 ^ k1;
    c1 = static_cast<uint32_t>(p1);
    c3 = static_cast<uint32_t>(p0);
    c0 = n0;
    c2 = n2;
    k0 += 0x9E3779B9u;
    k1 += 0xBB67AE85u;
  }
  out[0] = c0;
  out[1] = c1;
  out[2] = c2;
  out[3] = c3;
}

double philox_uniform(uint64_t seed, uint64_t index, double lo, double hi) {
  uint32_t words[4];
  philox4x32(seed, index, words);
  // 53 random bits -> [0, 1).
  uint64_t bits = (static_cast<uint64_t>(words[0]) << 21) ^ (words[1] >> 11);
  double unit = static_cast<double>(bits & ((uint64_t{1} << 53) - 1)) / 9007199254740992.0;
  return lo + (hi - lo) * unit;
}

double read_element(const Buffer &buffer, size_t i) {
  const void *p = buffer.data();
  switch (buffer.dtype()) {
  case DType::F32: return static_cast<const float *>(p)[i];
  case DType::F64: return static_cast<const double *>(p)[i];
  case DType::F16: return f16_to_float(static_cast<const uint16_t *>(p)[i]);
  case DType::BF16: return bf16_to_float(static_cast<const uint16_t *>(p)[i]);
  case DType::I1: return static_cast<const uint8_t *>(p)[i];
  case DType::I8: return static_cast<const int8_t *>(p)[i];
  case DType::I32: return static_cast<const int32_t *>(p)[i];
  case DType::I64: return static_cast<double>(static_cast<const int64_t *>(p)[i]);
  }
  return 0;
}

void write_element(Buffer &buffer, size_t i, double v) {
  void *p = buffer.data();
  switch (buffer.dtype()) {
  case DType::F32: static_cast<float *>(p)[i] = static_cast<float>(v); break;
  case DType::F64: static_cast<double *>(p)[i] = v; break;
  case DType::F16: static_cast<uint16_t *>(p)[i] = float_to_f16(static_cast<float>(v)); break;
  case DType::BF16: static_cast<uint16_t *>(p)[i] = float_to_bf16(static_cast<float>(v)); break;
  case DType::I1: static_cast<uint8_t *>(p)[i] = v != 0; break;
  case DType::I8: static_cast<int8_t *>(p)[i] = static_cast<int8_t>(v); break;
  case DType::I32: static_cast<int32_t *>(p)[i] = static_cast<int32_t>(v); break;
  case DType::I64: static_cast<int64_t *>(p)[i] = static_cast<int64_t>(v); break;
  }
}

void fill_uniform(Buffer &buffer, uint64_t seed, double lo, double hi) {
  for (size_t i = 0; i < buffer.count(); ++i) {
    double v = philox_uniform(seed, i, lo, hi);
    if (!dtype_is_float(buffer.dtype()))
      v = std::floor(v);
    write_element(buffer, i, v);
  }
}

std::vector<double> to_doubles(const Buffer &buffer) {
  std::vector<double> out(buffer.count());
  for (size_t i = 0; i < out.size(); ++i)
    out[i] = read_element(buffer, i);
  return out;
}

double unit_roundoff(DType dtype) {
  switch (dtype) {
  case DType::F32: return std::ldexp(1.0, -24);
  case DType::F16: return std::ldexp(1.0, -11);
  case DType::BF16: return std::ldexp(1.0, -8);
  case DType::F64: return std::ldexp(1.0, -53);
  default: return 0;
  }
}

uint64_t content_hash(const Buffer &buffer) {
  uint64_t h = 1469598103934665603ull;
  auto bytes = static_cast<const unsigned char *>(buffer.data());
  for (size_t i = 0; i < buffer.bytes(); ++i) {
    h ^= bytes[i];
    h *= 1099511628211ull;
  }
  return h;
}

void CheckResult::add(const CheckResult &r) {
  if (failures == 0 && r.failures != 0)
    first_failure = count + r.first_failure;
  count += r.count;
  failures += r.failures;
  unwritten += r.unwritten;
  max_abs_error = std::max(max_abs_error, r.max_abs_error);
  max_rel_error = std::max(max_rel_error, r.max_rel_error);
  worst_ratio = std::max(worst_ratio, r.worst_ratio);
}

std::string CheckResult::summary() const {
  std::ostringstream os;
  os << count << " elements, " << failures << " outside the bound";
  if (failures)
    os << " (first at index " << first_failure << ")";
  os << ", " << unwritten << " unwritten; max abs error " << max_abs_error << ", max rel error "
     << max_rel_error << ", worst error/bound " << worst_ratio;
  return os.str();
}

CheckResult check(const Buffer &out, const std::vector<double> &reference, const std::vector<double> &bound) {
  if (out.count() < reference.size() || bound.size() != reference.size())
    throw Error(ErrorCode::InvalidArgument, "check: output, reference and bound sizes differ");
  CheckResult r;
  r.count = reference.size();
  for (size_t i = 0; i < reference.size(); ++i) {
    double got = read_element(out, i);
    if (std::isnan(got)) { // poisoned with 0xFF bytes: never written (or a real NaN)
      if (r.unwritten++ == 0 && r.failures == 0)
        r.first_failure = i;
      continue;
    }
    double err = std::fabs(got - reference[i]);
    r.max_abs_error = std::max(r.max_abs_error, err);
    if (reference[i] != 0)
      r.max_rel_error = std::max(r.max_rel_error, err / std::fabs(reference[i]));
    double ratio = bound[i] > 0 ? err / bound[i] : (err > 0 ? INFINITY : 0);
    r.worst_ratio = std::max(r.worst_ratio, ratio);
    if (err > bound[i]) {
      if (r.failures++ == 0 && r.unwritten == 0)
        r.first_failure = i;
    }
  }
  return r;
}

std::vector<double> reference_gemm(const Buffer &a, const Buffer &b, int64_t M, int64_t N, int64_t K,
                                   std::vector<double> *abs_product) {
  std::vector<double> A = to_doubles(a), B = to_doubles(b);
  std::vector<double> C(static_cast<size_t>(M * N), 0.0);
  if (abs_product)
    abs_product->assign(static_cast<size_t>(M * N), 0.0);
  for (int64_t i = 0; i < M; ++i)
    for (int64_t k = 0; k < K; ++k) {
      double aik = A[i * K + k];
      for (int64_t j = 0; j < N; ++j) {
        C[i * N + j] += aik * B[k * N + j];
        if (abs_product)
          (*abs_product)[i * N + j] += std::fabs(aik * B[k * N + j]);
      }
    }
  return C;
}

std::vector<double> reference_softmax(const Buffer &x, int64_t M, int64_t N) {
  std::vector<double> X = to_doubles(x), Y(static_cast<size_t>(M * N));
  for (int64_t i = 0; i < M; ++i) {
    double m = -INFINITY, l = 0;
    for (int64_t j = 0; j < N; ++j)
      m = std::max(m, X[i * N + j]);
    for (int64_t j = 0; j < N; ++j)
      l += std::exp(X[i * N + j] - m);
    for (int64_t j = 0; j < N; ++j)
      Y[i * N + j] = std::exp(X[i * N + j] - m) / l;
  }
  return Y;
}

std::vector<double> reference_vector_add(const Buffer &x, const Buffer &y, int64_t n) {
  std::vector<double> out(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i)
    out[i] = read_element(x, i) + read_element(y, i);
  return out;
}

std::vector<double> gemm_bound(const std::vector<double> &abs_product, int64_t K) {
  const double c = 2.0, u = unit_roundoff(DType::F32);
  std::vector<double> bound(abs_product.size());
  for (size_t i = 0; i < bound.size(); ++i)
    bound[i] = c * static_cast<double>(K + 1) * u * abs_product[i];
  return bound;
}

double half_subnormal_spacing(DType dtype) {
  switch (dtype) {
  case DType::F16: return std::ldexp(1.0, -25);
  case DType::BF16: return std::ldexp(1.0, -134);
  default: return std::ldexp(1.0, -150);
  }
}

std::vector<double> softmax_bound(const std::vector<double> &reference, int64_t N, DType out) {
  const double c = 2.0, u = unit_roundoff(DType::F32);
  std::vector<double> bound(reference.size());
  for (size_t i = 0; i < bound.size(); ++i)
    bound[i] = c * static_cast<double>(N + 8) * u * reference[i] + unit_roundoff(out) * reference[i] +
               half_subnormal_spacing(out);
  return bound;
}

std::vector<double> vector_add_bound(const std::vector<double> &reference, DType out) {
  std::vector<double> bound(reference.size());
  for (size_t i = 0; i < bound.size(); ++i)
    bound[i] = unit_roundoff(out) * std::fabs(reference[i]) + half_subnormal_spacing(out);
  return bound;
}

} // namespace tegula::kernels
