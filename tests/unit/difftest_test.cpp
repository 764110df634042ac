// The differential tester itself: reproducible generation, a reference that agrees
// with a hand computation, a checker that catches a wrong kernel (and shrinks it), and
// a batch of random programs that pass on the CPU.
#include "tegula/difftest/difftest.h"
#include "tegula/kernels/reference.h"

#include <catch2/catch.hpp>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <iostream>
#include <optional>

using namespace tegula;
using namespace tegula::difftest;

namespace {

ExprRef node(Op op, DType dtype, Shape shape, std::vector<ExprRef> args = {}, double value = 0) {
  auto e = std::make_shared<Expr>();
  e->op = op, e->dtype = dtype, e->shape = shape, e->args = std::move(args), e->value = value;
  return e;
}

/// The first Add (preorder) turned into a Sub: a plausible miscompile.
ExprRef mutate(const ExprRef &e, bool &done) {
  if (done)
    return e;
  auto copy = std::make_shared<Expr>(*e);
  if (e->op == Op::Add) {
    copy->op = Op::Sub;
    done = true;
    return copy;
  }
  for (ExprRef &arg : copy->args)
    arg = mutate(arg, done);
  return copy;
}

std::optional<Program> mutated(const Program &p) {
  bool done = false;
  Program m = p;
  m.root = mutate(p.root, done);
  if (!done)
    return std::nullopt;
  return m;
}

uint64_t test_seed() {
  if (const char *env = std::getenv("TEGULA_TEST_SEED"))
    return std::strtoull(env, nullptr, 10);
  return static_cast<uint64_t>(std::chrono::system_clock::now().time_since_epoch().count()) % 1000000007ull;
}

} // namespace

TEST_CASE("generation is a function of the seed", "[difftest]") {
  for (uint64_t seed = 1; seed <= 40; ++seed) {
    Program a = generate(seed), b = generate(seed);
    std::string why;
    INFO("seed " << seed);
    REQUIRE(validate(a, &why));
    REQUIRE(to_dsl(a) == to_dsl(b));
  }
  CHECK(to_dsl(generate(1)) != to_dsl(generate(2)));
}

TEST_CASE("a small program prints as the DSL a user would write", "[difftest]") {
  Program p;
  p.dtype = DType::F32, p.M = 3, p.N = 5, p.BM = 2, p.BN = 4;
  auto x0 = node(Op::Load, DType::F32, Shape::Tile, {}, 0);
  auto r = node(Op::LoadRow, DType::F32, Shape::Row, {}, 1);
  p.root = node(Op::Mul, DType::F32, Shape::Tile, {x0, r});
  REQUIRE(validate(p));
  CHECK(to_dsl(p) == R"(// difftest program
// f32; M = 3, N = 5; blocks BM = 2, BN = 4; launch Grid(cdiv(M, 2), cdiv(N, 4)) with x0, x1 [M*N], r [N], c [M], out [M*N], M, N
#include "tegula/dsl.h"
using namespace tegula::dsl;

void difftest_kernel(Ptr<f32> x0, Ptr<f32> x1, Ptr<f32> r, Ptr<f32> c, Ptr<f32> out, Int M, Int N) {
  auto rows = program_id(0) * 2 + arange(2);
  auto cols = program_id(1) * 4 + arange(4);
  auto row_ok = rows < M;
  auto col_ok = cols < N;
  auto mask = row_ok.col() && col_ok.row();
  auto offs = rows.col() * N + cols.row();
  auto v0 = load(x0 + offs, mask, 0);
  auto v1 = load(r + cols, col_ok, 1);
  auto v2 = v0 * v1.row();
  store(out + offs, v2, mask);
}
)");
}

TEST_CASE("the fp64 evaluator agrees with a hand computation", "[difftest]") {
  // Row sums per block of 2*x0 + x1 over in-range columns: out[bn * M + r].
  Program p;
  p.dtype = DType::F32, p.M = 3, p.N = 5, p.BM = 2, p.BN = 4;
  auto two = node(Op::Const, DType::F32, Shape::Scalar, {}, 2);
  auto x0 = node(Op::Load, DType::F32, Shape::Tile, {}, 0.5);
  auto x1 = std::make_shared<Expr>(*node(Op::Load, DType::F32, Shape::Tile, {}, 1));
  x1->input = 1;
  auto lin = node(Op::Add, DType::F32, Shape::Tile, {node(Op::Mul, DType::F32, Shape::Tile, {x0, two}), x1});
  auto padded = node(Op::MaskPad, DType::F32, Shape::Tile, {lin}, 0);
  auto red = std::make_shared<Expr>(*node(Op::Reduce, DType::F32, Shape::Col, {padded}));
  red->axis = 1;
  p.root = red;
  std::string why;
  REQUIRE(validate(p, &why));
  REQUIRE(output_count(p) == 6);

  Inputs in = make_inputs(p, 7);
  Reference ref = evaluate(p, in);
  for (int64_t bn = 0; bn < 2; ++bn)
    for (int64_t r = 0; r < 3; ++r) {
      double want = 0, mag = 0;
      for (int64_t c = bn * 4; c < std::min<int64_t>(bn * 4 + 4, 5); ++c) {
        double v = 2 * kernels::read_element(in.x0, r * 5 + c) + kernels::read_element(in.x1, r * 5 + c);
        want += v, mag += std::fabs(v);
      }
      size_t at = static_cast<size_t>(bn * 3 + r);
      CHECK(ref.value[at] == Approx(want).epsilon(1e-15).margin(1e-15));
      CHECK(ref.bound[at] > 0);
      CHECK(ref.bound[at] < 16 * std::ldexp(1.0, -24) * (mag + 1));
    }
  CHECK(run(p, "cpu", 7).status == Status::Pass);

  // Integers are exact, with two's-complement wrapping: (x0 << 2) ^ x1.
  Program q;
  q.dtype = DType::I32, q.M = 2, q.N = 3, q.BM = 1, q.BN = 2;
  auto shl = std::make_shared<Expr>(*node(Op::Shl, DType::I32, Shape::Tile, {node(Op::Load, DType::I32, Shape::Tile)}));
  shl->amount = 2;
  auto y = std::make_shared<Expr>(*node(Op::Load, DType::I32, Shape::Tile));
  y->input = 1;
  q.root = node(Op::Xor, DType::I32, Shape::Tile, {shl, y});
  REQUIRE(validate(q));
  Inputs qi = make_inputs(q, 3);
  Reference qr = evaluate(q, qi);
  for (size_t i = 0; i < 6; ++i) {
    auto a = static_cast<int32_t>(kernels::read_element(qi.x0, i)), b = static_cast<int32_t>(kernels::read_element(qi.x1, i));
    CHECK(qr.value[i] == static_cast<double>(static_cast<int32_t>(static_cast<uint32_t>(a) << 2) ^ b));
    CHECK(qr.bound[i] == 0);
  }
  CHECK(run(q, "cpu", 3).status == Status::Pass);
}

TEST_CASE("a wrong kernel is caught, and minimized to a smaller failing program", "[difftest]") {
  // Find a float program where turning its first Add into a Sub changes the output.
  GenOptions opts;
  opts.dtypes = {DType::F32};
  std::optional<Program> found;
  uint64_t input_seed = 11;
  for (uint64_t seed = 100; seed < 160 && !found; ++seed) {
    Program p = generate(seed, opts);
    auto m = mutated(p);
    if (m && node_count(p.root) >= 8 && run_against(*m, p, "cpu", input_seed).status == Status::Fail)
      found = p;
  }
  REQUIRE(found);
  auto still_fails = [&](const Program &c) {
    auto m = mutated(c);
    return m && run_against(*m, c, "cpu", input_seed).status == Status::Fail;
  };
  Program small = minimize(*found, still_fails, 150);
  INFO("original:\n" << to_dsl(*found) << "minimized:\n" << to_dsl(small));
  CHECK(program_size(small) < program_size(*found));
  CHECK(node_count(small.root) < node_count(found->root));
  CHECK(still_fails(small));
  // The unmutated program passes: the failure is the mutation's.
  CHECK(run(small, "cpu", input_seed).status == Status::Pass);
}

TEST_CASE("random programs pass on the cpu, through the library API", "[difftest][e2e]") {
  // The 200-program gate on every backend is the difftest_programs test (the CLI).
  uint64_t seed = test_seed();
  std::cout << "difftest: 40 programs from seed " << seed << " (set TEGULA_TEST_SEED to replay)" << std::endl;
  Report rep = run_programs(40, seed, {"cpu"}, stdout);
  CHECK(rep.tally["cpu"].pass == 40); // the cpu refuses nothing
  CHECK(rep.ok());
}
