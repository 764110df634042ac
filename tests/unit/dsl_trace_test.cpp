// Tracing: what the kernel language turns into IR, and the tracing traps (a symbolic
// bool, a value not carried, a break in a traced loop), each failing with a message
// that names the kernel's source line.
#include "tegula/dsl.h"
#include "tegula/runtime/error.h"

#include <catch2/catch.hpp>

#include <string>
#include <type_traits>

using namespace tegula;
using namespace tegula::dsl;

namespace {

std::string trace_error(void (*fn)(Ptr<f32>, Int)) {
  try {
    trace("k", fn, {});
  } catch (const Error &e) {
    CHECK(e.code() == ErrorCode::CompileError);
    return e.what();
  }
  FAIL("tracing did not fail");
  return "";
}

bool names_line(const std::string &message, int line) {
  return message.find("dsl_trace_test.cpp:" + std::to_string(line) + ":") != std::string::npos;
}

int gUncarriedLine = 0;
void uncarried_assignment(Ptr<f32> x, Int n) {
  auto acc = zeros<f32>({16});
  for (auto k : range(0, n, 16)) {
    gUncarriedLine = __LINE__ + 1;
    acc = acc + load(x + (k + arange(16)));
  }
  store(x + arange(16), acc);
}

int gUncarriedCompoundLine = 0;
void uncarried_compound(Ptr<f32> x, Int n) {
  auto acc = zeros<f32>({16});
  for (auto k : range(0, n, 16)) {
    gUncarriedCompoundLine = __LINE__ + 1;
    acc += load(x + (k + arange(16)));
  }
  store(x + arange(16), acc);
}

int gBreakLine = 0;
void break_in_loop(Ptr<f32> x, Int n) {
  auto acc = zeros<f32>({16});
  gBreakLine = __LINE__ + 1;
  for (auto k : range(0, n, 16).carry(acc)) {
    acc = acc + load(x + (k + arange(16)));
    break;
  }
  store(x + arange(16), acc);
}

int gReturnLine = 0;
void return_in_loop(Ptr<f32> x, Int n) {
  gReturnLine = __LINE__ + 1;
  for (auto k : range(0, n, 16)) {
    store(x + (k + arange(16)), zeros<f32>({16}));
    return;
  }
}

int gDotLine = 0;
void dot_shape_mismatch(Ptr<f32> x, Int) {
  auto a = zeros<f32>({16, 8});
  auto b = zeros<f32>({16, 8});
  gDotLine = __LINE__ + 1;
  auto c = dot(a, b, zeros<f32>({16, 8}));
  store(x + arange(16), sum(c, 1));
}

int gBroadcastLine = 0;
void broadcast_mismatch(Ptr<f32> x, Int) {
  gBroadcastLine = __LINE__ + 1;
  auto bad = arange(16) + arange(8);
  (void)bad;
}

int gCarryTypeLine = 0;
void carried_shape_change(Ptr<f32> x, Int n) {
  auto acc = zeros<f32>({16});
  gCarryTypeLine = __LINE__ + 1;
  for (auto k : range(0, n, 16).carry(acc)) {
    acc = zeros<f32>({8});
    (void)k;
  }
}

int gNestedCarryLine = 0;
// The inner loop carries acc, but the outer loop does not.
void nested_carry_gap(Ptr<f32> x, Int n) {
  auto acc = zeros<f32>({16});
  for (auto i : range(0, n, 16)) {
    gNestedCarryLine = __LINE__ + 1;
    for (auto k : range(0, n, 16).carry(acc))
      acc = acc + load(x + (k + arange(16)));
    (void)i;
  }
  store(x + arange(16), acc);
}

int gUnassignedLine = 0;
void unassigned_use(Ptr<f32> x, Int) {
  Tile<f32> never;
  gUnassignedLine = __LINE__ + 1;
  store(x + arange(16), never);
}

int gMaskLine = 0;
void mask_shape_mismatch(Ptr<f32> x, Int n) {
  auto i = arange(16);
  gMaskLine = __LINE__ + 1;
  store(x + i, load(x + i), arange(8) < n);
}

void carried_ok(Ptr<f32> x, Int n) {
  auto acc = zeros<f32>({16});
  auto m = full<f32>({16}, -1e30);
  for (auto k : range(0, n, 16).carry(acc, m)) {
    auto t = load(x + (k + arange(16)));
    m = maximum(m, t);
    acc = acc + t;
  }
  store(x + arange(16), acc + m);
}

} // namespace

TEST_CASE("a tile reassigned in a loop without carry() is named", "[dsl]") {
  std::string msg = trace_error(&uncarried_assignment);
  INFO(msg);
  CHECK(names_line(msg, gUncarriedLine));
  CHECK(msg.find("without carrying it") != std::string::npos);
}

TEST_CASE("compound assignment to an uncarried variable in a loop names the line", "[dsl]") {
  std::string msg = trace_error(&uncarried_compound);
  INFO(msg);
  CHECK(names_line(msg, gUncarriedCompoundLine));
  CHECK(msg.find("without carrying it") != std::string::npos);
}

TEST_CASE("an inner loop cannot carry what the outer loop does not", "[dsl]") {
  std::string msg = trace_error(&nested_carry_gap);
  INFO(msg);
  CHECK(names_line(msg, gNestedCarryLine));
  CHECK(msg.find("enclosing loop") != std::string::npos);
}

TEST_CASE("break inside a traced loop is detected", "[dsl]") {
  std::string msg = trace_error(&break_in_loop);
  INFO(msg);
  CHECK(names_line(msg, gBreakLine));
  CHECK(msg.find("break or return") != std::string::npos);
}

TEST_CASE("return inside a traced loop is detected", "[dsl]") {
  std::string msg = trace_error(&return_in_loop);
  INFO(msg);
  CHECK(names_line(msg, gReturnLine));
}

TEST_CASE("shape errors name the line", "[dsl]") {
  std::string dot = trace_error(&dot_shape_mismatch);
  INFO(dot);
  CHECK(names_line(dot, gDotLine));
  CHECK(dot.find("[16,8] x [16,8]") != std::string::npos);
  std::string bc = trace_error(&broadcast_mismatch);
  INFO(bc);
  CHECK(names_line(bc, gBroadcastLine));
  std::string carry = trace_error(&carried_shape_change);
  INFO(carry);
  CHECK(names_line(carry, gCarryTypeLine));
  std::string mask = trace_error(&mask_shape_mismatch);
  INFO(mask);
  CHECK(names_line(mask, gMaskLine));
  std::string unassigned = trace_error(&unassigned_use);
  INFO(unassigned);
  CHECK(names_line(unassigned, gUnassignedLine));
}

TEST_CASE("carried tiles become scf.for iter_args", "[dsl]") {
  TracedKernel k = trace("carried_ok", &carried_ok, {"x", "n"});
  CHECK(k.pretty_ir.find("scf.for") != std::string::npos);
  CHECK(k.pretty_ir.find("iter_args") != std::string::npos);
  CHECK(k.info.args.size() == 2);
  CHECK(k.info.args[0].kind == ArgSpec::Kind::Buffer);
  CHECK(k.info.args[1].name == "n");
  // Locations of every op point into this file.
  CHECK(k.ir.find("dsl_trace_test.cpp") != std::string::npos);
}

TEST_CASE("kernel-language calls outside a trace fail cleanly", "[dsl]") {
  CHECK_THROWS_AS(arange(16), Error);
}

// Compile-time guarantees (the negative compiles are ctests in compile_fail.cpp).
template <typename A, typename B>
concept Addable = requires(A a, B b) { a + b; };
template <typename A, typename B>
concept Dottable = requires(A a, B b, Tile<f32> acc) { dot(a, b, acc); };
static_assert(!std::is_convertible_v<Bool, bool>, "a traced bool must not convert to bool");
static_assert(!std::is_constructible_v<bool, Bool>, "a traced bool must not convert to bool");
static_assert(!Addable<Tile<f32>, Tile<i32>>, "mixing dtypes needs a cast");
static_assert(Addable<Tile<f32>, Tile<f32>>);
static_assert(Dottable<Tile<bf16>, Tile<bf16>>);
static_assert(!Dottable<Tile<bf16>, Tile<f16>>, "dot operands share a dtype");
static_assert(!Dottable<Tile<i32>, Tile<i32>>, "no i32 dot");
template <typename A>
concept Negatable = requires(A a) { !a; };
static_assert(Negatable<Bool>, "! on a traced mask is the kernel language's, not C++'s");
template <typename T>
concept AtomicAddable = requires(Tile<ptr<T>> p, Tile<T> v) { atomic_add(p, v); };
static_assert(AtomicAddable<f32> && AtomicAddable<i64>);
static_assert(!AtomicAddable<bf16>, "no bf16 atomics");

namespace {

void promised(Ptr<f32> x, Int n) {
  assume_multiple_of(n, 8);
  assume_multiple_of(n, 4); // already implied: the promise stays 8
  assume_multiple_of(x, 16);
  store(x + arange(16), load(x + arange(16)));
}
int gDerivedLine = 0;
void promise_on_derived(Ptr<f32> x, Int n) {
  gDerivedLine = __LINE__ + 1;
  assume_multiple_of(n * 2, 8);
}
int gOddBytesLine = 0;
void promise_odd_bytes(Ptr<f32> x, Int n) {
  gOddBytesLine = __LINE__ + 1;
  assume_multiple_of(x, 6);
}

} // namespace

TEST_CASE("assume_multiple_of puts the promise on the argument and in the kernel's info", "[dsl]") {
  TracedKernel traced = trace("k", &promised, {"x", "n"});
  CHECK(traced.info.args[0].multiple_of == 16);
  CHECK(traced.info.args[1].multiple_of == 8);
  // The IR counts a pointer's alignment in elements: 16 bytes of f32 are 4.
  CHECK(traced.ir.find("!tile.ptr<f32> {tile.divisibility = 4 : i32}") != std::string::npos);
  CHECK(traced.ir.find("i32 {tile.divisibility = 8 : i32}") != std::string::npos);
  std::string msg = trace_error(&promise_on_derived);
  CHECK(names_line(msg, gDerivedLine));
  CHECK(msg.find("assume_multiple_of takes a kernel argument") != std::string::npos);
  msg = trace_error(&promise_odd_bytes);
  CHECK(names_line(msg, gOddBytesLine));
  CHECK(msg.find("a multiple of its 4-byte elements, got 6 bytes") != std::string::npos);
}

namespace {

void eight_warps(Ptr<f32> x, Int) {
  num_warps(8);
  num_warps(8); // the same choice again is no conflict
  store(x + arange(16), load(x + arange(16)));
}
int gThreeWarpsLine = 0;
void three_warps(Ptr<f32>, Int) {
  gThreeWarpsLine = __LINE__ + 1;
  num_warps(3);
}
int gSecondChoiceLine = 0;
void two_choices(Ptr<f32>, Int) {
  num_warps(4);
  gSecondChoiceLine = __LINE__ + 1;
  num_warps(8);
}

} // namespace

namespace {

void three_stages(Ptr<f32> x, Int) {
  num_stages(3);
  num_stages(3); // the same choice again is no conflict
  store(x + arange(16), load(x + arange(16)));
}
int gNineStagesLine = 0;
void nine_stages(Ptr<f32>, Int) {
  gNineStagesLine = __LINE__ + 1;
  num_stages(9);
}
int gSecondStagesLine = 0;
void two_stage_choices(Ptr<f32>, Int) {
  num_stages(2);
  gSecondStagesLine = __LINE__ + 1;
  num_stages(4);
}

} // namespace

TEST_CASE("num_stages puts the kernel's choice on the kernel; a bad or second choice is a trace error", "[dsl]") {
  TracedKernel traced = trace("k", &three_stages, {"x", "n"});
  CHECK(traced.ir.find("tile.num_stages = 3 : i64") != std::string::npos);
  CHECK(trace("k", &promised, {"x", "n"}).ir.find("tile.num_stages") == std::string::npos);
  std::string msg = trace_error(&nine_stages);
  CHECK(names_line(msg, gNineStagesLine));
  CHECK(msg.find("num_stages takes 1 to 8, got 9") != std::string::npos);
  msg = trace_error(&two_stage_choices);
  CHECK(names_line(msg, gSecondStagesLine));
  CHECK(msg.find("num_stages(4) after num_stages(2)") != std::string::npos);
}

TEST_CASE("num_warps puts the kernel's choice on the kernel; a bad or second choice is a trace error", "[dsl]") {
  TracedKernel traced = trace("k", &eight_warps, {"x", "n"});
  CHECK(traced.ir.find("tile.num_warps = 8 : i64") != std::string::npos);
  CHECK(trace("k", &promised, {"x", "n"}).ir.find("tile.num_warps") == std::string::npos);
  std::string msg = trace_error(&three_warps);
  CHECK(names_line(msg, gThreeWarpsLine));
  CHECK(msg.find("num_warps takes a power of two from 1 to 32, got 3") != std::string::npos);
  msg = trace_error(&two_choices);
  CHECK(names_line(msg, gSecondChoiceLine));
  CHECK(msg.find("num_warps(8) after num_warps(4)") != std::string::npos);
}
