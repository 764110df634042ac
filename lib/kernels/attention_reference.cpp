// The fp64 attention reference and its bound (attention.h).
#include "tegula/kernels/attention.h"
#include "tegula/kernels/reference.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace tegula::kernels {

AttentionReference reference_attention(const Buffer &q, const Buffer &k, const Buffer &v,
                                       const std::vector<int32_t> &cu_seqlens_q,
                                       const std::vector<int32_t> &cu_seqlens_k, int64_t heads_q, int64_t heads_kv,
                                       int head_dim, double scale, bool causal) {
  const int64_t D = head_dim, group = heads_q / heads_kv;
  const int64_t total_q = cu_seqlens_q.back();
  const double u32 = unit_roundoff(DType::F32), uIn = unit_roundoff(q.dtype());
  const double tiny = half_subnormal_spacing(q.dtype());
  const std::vector<double> Q = to_doubles(q), K = to_doubles(k), V = to_doubles(v);
  AttentionReference r;
  r.out.assign(Q.size(), 0.0);
  r.out_bound.assign(Q.size(), 0.0);
  r.lse.assign(static_cast<size_t>(heads_q * total_q), -std::numeric_limits<double>::infinity());
  r.lse_bound.assign(r.lse.size(), 0.0);
  std::vector<double> s, p, absDot;
  for (size_t b = 0; b + 1 < cu_seqlens_q.size(); ++b) {
    const int64_t q0 = cu_seqlens_q[b], Sq = cu_seqlens_q[b + 1] - q0;
    const int64_t k0 = cu_seqlens_k[b], Skv = cu_seqlens_k[b + 1] - k0;
    for (int64_t h = 0; h < heads_q; ++h) {
      const int64_t g = h / group;
      for (int64_t i = 0; i < Sq; ++i) {
        const double *qi = &Q[((q0 + i) * heads_q + h) * D];
        const int64_t visible = causal ? std::clamp<int64_t>(i + Skv - Sq + 1, 0, Skv) : Skv;
        double *o = &r.out[((q0 + i) * heads_q + h) * D];
        double *ob = &r.out_bound[((q0 + i) * heads_q + h) * D];
        const size_t lseAt = static_cast<size_t>(h * total_q + q0 + i);
        if (visible == 0) {
          for (int64_t d = 0; d < D; ++d)
            ob[d] = tiny; // exactly 0 expected
          r.lse_bound[lseAt] = 0;
          continue;
        }
        s.assign(visible, 0.0);
        absDot.assign(visible, 0.0);
        double m = -std::numeric_limits<double>::infinity(), scoreError = 0;
        for (int64_t j = 0; j < visible; ++j) {
          const double *kj = &K[((k0 + j) * heads_kv + g) * D];
          for (int64_t d = 0; d < D; ++d) {
            s[j] += qi[d] * kj[d];
            absDot[j] += std::abs(qi[d] * kj[d]);
          }
          s[j] *= scale;
          m = std::max(m, s[j]);
          scoreError = std::max(scoreError, std::abs(scale) * (D + 2) * u32 * absDot[j]);
        }
        p.assign(visible, 0.0);
        double l = 0;
        for (int64_t j = 0; j < visible; ++j)
          l += p[j] = std::exp(s[j] - m);
        for (int64_t j = 0; j < visible; ++j)
          p[j] /= l;
        r.lse[lseAt] = m + std::log(l);
        r.lse_bound[lseAt] = 2.0 * (2.0 * scoreError + (visible + 8) * u32 * (1.0 + std::abs(r.lse[lseAt])));
        for (int64_t d = 0; d < D; ++d) {
          double value = 0, weighted = 0;
          for (int64_t j = 0; j < visible; ++j) {
            double vj = V[((k0 + j) * heads_kv + g) * D + d];
            value += p[j] * vj;
            weighted += p[j] * std::abs(vj);
          }
          o[d] = value;
          double spread = weighted + std::abs(value);
          ob[d] = 2.0 * (uIn * weighted + (visible + D + 8) * u32 * spread + 2.0 * scoreError * spread) +
                  uIn * std::abs(value) + tiny;
        }
      }
    }
  }
  return r;
}

} // namespace tegula::kernels
