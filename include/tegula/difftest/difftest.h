// Differential testing of the kernel language: random well-typed tile programs,
// generated from a seed, traced by one kernel that interprets the program at trace
// time, run on a backend and compared with an fp64 evaluation of the same program that
// carries a rounding-error bound per element. Failing programs shrink to a small one,
// printed as DSL source.
#ifndef TEGULA_DIFFTEST_DIFFTEST_H
#define TEGULA_DIFFTEST_DIFFTEST_H

#include "tegula/runtime/buffer.h"
#include "tegula/runtime/dtype.h"

#include <cstdint>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace tegula::difftest {

/// The shape of a value inside one program instance. Vectors are rank 1 and enter a
/// 2-D operation through .row() / .col().
enum class Shape : uint8_t {
  Scalar, ///< rank 0 (constants, the loop index)
  Row,    ///< [BN]: one value per column of the block
  Col,    ///< [BM]: one value per row of the block
  Tile,   ///< [BM, BN]
};

enum class Op : uint8_t {
  // Leaves.
  Load,      ///< X_input[rows, cols], masked, padding reads `value`
  LoadRow,   ///< R[cols] ([N] input), padding reads `value`
  LoadCol,   ///< C[rows] ([M] input), padding reads `value`
  IotaRow,   ///< the global column indices (i32, Row)
  IotaCol,   ///< the global row indices (i32, Col)
  Const,     ///< scalar<dtype>(value)
  LoopIndex, ///< cast<dtype>(k) of the enclosing loop
  Acc,       ///< the enclosing loop's carried value
  // Binary, elementwise (broadcasting).
  Add, Sub, Mul, Div, Min, Max, And, Or, Xor,
  // Unary.
  Neg, Abs, Exp, Sigmoid, Tanh,
  Shl, Shr,   ///< by the constant `amount`
  Cast,       ///< to `dtype`
  Where,      ///< where(args[0] <cmp> args[1], args[2], args[3])
  Reduce,     ///< `reduce` along `axis` of a Tile: axis 0 gives a Row, 1 a Col
  Scan,       ///< `scan` along `axis` (vectors: axis 0)
  MaskPad,    ///< where(in-range mask of the shape, args[0], value): padding made neutral
  Loop,       ///< acc = args[0]; for k in [0, amount): acc = args[1] (which reads Acc)
};

enum class CmpOp : uint8_t { Lt, Le, Gt, Ge, Eq, Ne };
enum class ReduceOp : uint8_t { Sum, Max, Min };
enum class ScanOp : uint8_t { CumSum, CumMax };

struct Expr;
using ExprRef = std::shared_ptr<const Expr>;

/// One node of a program. Nodes are immutable and may be shared between programs
/// (the minimizer rebuilds only the path to the node it replaces).
struct Expr {
  Op op = Op::Const;
  DType dtype = DType::F32;
  Shape shape = Shape::Scalar;
  std::vector<ExprRef> args;
  double value = 0; ///< Const value; Load*'s padding value; MaskPad's neutral value
  int input = 0;    ///< Load: which 2-D input (0 or 1)
  int amount = 0;   ///< shift amount; loop trip count
  int axis = 0;     ///< Reduce / Scan
  CmpOp cmp = CmpOp::Lt;
  ReduceOp reduce = ReduceOp::Sum;
  ScanOp scan = ScanOp::CumSum;
};

/// A program over inputs X0, X1 [M, N], R [N] and C [M] of `dtype`, run by a
/// (cdiv(M, BM), cdiv(N, BN)) grid. The root is stored masked: a Tile to out[M, N], a Row
/// to out[cdiv(M, BM), N] (one row per block row), a Col to out[cdiv(N, BN), M].
struct Program {
  DType dtype = DType::F32;
  int64_t M = 1, N = 1, BM = 1, BN = 1;
  ExprRef root;
  uint64_t seed = 0; ///< what generate() was given (0 for hand-made programs)
};

struct GenOptions {
  std::vector<DType> dtypes = {DType::F32, DType::BF16, DType::F16, DType::I32};
  int max_depth = 5;
  int max_nodes = 28;
  bool loops = true;
  bool reductions = true;
  bool casts = true;
};

/// A deterministic function of the seed (and options), on every platform.
Program generate(uint64_t seed, const GenOptions &options = {});

/// Recomputes every node's dtype and shape bottom-up; false (with the reason) when the
/// program is not well typed, e.g. a Reduce of a vector or an Acc outside a loop.
bool validate(const Program &program, std::string *why = nullptr);
/// Node count plus a size term, so that shrinking M or N also counts as smaller.
size_t program_size(const Program &program);
size_t node_count(const ExprRef &expr);

/// The program as a complete DSL kernel function with a comment giving its sizes.
std::string to_dsl(const Program &program);

/// Buffers as the kernel receives them; unused inputs still exist (launch needs them).
struct Inputs {
  Buffer x0, x1, row, col;
};
Inputs make_inputs(const Program &program, uint64_t input_seed);
/// Elements of the output buffer for the program's root shape.
size_t output_count(const Program &program);

/// The fp64 evaluation of the program on exactly the values in `inputs`, one instance
/// at a time (padding lanes included, as the kernel computes them), with an error
/// bound per output element: the most a correct backend may differ from `value`
/// before the check's constant factor. Integer programs have bound 0.
struct Reference {
  std::vector<double> value, bound;
};
Reference evaluate(const Program &program, const Inputs &inputs);

/// The factor on the bound a result may use (the bound is a first-order estimate).
inline constexpr double kBoundFactor = 3.0;

enum class Status { Pass, Fail, Refused, Error };
const char *status_name(Status status);

struct Result {
  Status status = Status::Error;
  std::string message;    ///< Refused / Error: the exception's first line; Fail: the first bad element
  double worst_ratio = 0; ///< max |out - ref| / (factor * bound + tiny)
  size_t failures = 0, unwritten = 0, elements = 0;
  int64_t bad_index = -1; ///< first failing output element
  double got = 0, expected = 0, bound = 0;
};

/// Compiles the program for `backend` ("cpu" or "maia"), runs it on inputs drawn from
/// `input_seed` and checks the output. Never throws for the program's own failures.
Result run(const Program &program, const std::string &backend, uint64_t input_seed);
/// Runs `kernel_program` but checks it against `reference_program`'s evaluation (the
/// two must have the same sizes and root shape): tests that the checker catches a
/// wrong kernel.
Result run_against(const Program &kernel_program, const Program &reference_program,
                   const std::string &backend, uint64_t input_seed);

/// Greedy delta reduction: replaces subtrees by one of their operands or a leaf, drops
/// loops, shrinks sizes and block sizes, merges inputs, keeping each step while
/// `still_fails` holds. Stops after `max_tries` calls of the predicate.
Program minimize(const Program &program, const std::function<bool(const Program &)> &still_fails,
                 int max_tries = 400);

/// Program i of a run with seed S is generate(S + i), so `--programs 1 --seed S+i`
/// replays it alone.
inline uint64_t program_seed(uint64_t seed, int index) { return seed + static_cast<uint64_t>(index); }
/// Inputs of a program come from its own seed.
uint64_t input_seed_for(uint64_t program_seed);

struct BackendTally {
  int pass = 0, fail = 0, refused = 0, error = 0;
  std::map<std::string, int> refusals; ///< first line of the message -> count
  std::map<std::string, int> errors;
  double worst_ratio = 0;
};
struct Report {
  int programs = 0;
  uint64_t seed = 0;
  std::vector<std::string> backends;
  std::map<std::string, BackendTally> tally;
  std::vector<uint64_t> failing_seeds; ///< program seeds that failed or errored somewhere
  double seconds = 0;
  bool ok() const; ///< nothing failed or errored (refusals are fine)
};

/// Generates and runs `count` programs on every backend; writes progress, each failure
/// (its replay seed, the minimized program as DSL and the element that differed) and a
/// summary to `log` (none when null).
Report run_programs(int count, uint64_t seed, const std::vector<std::string> &backends,
                    std::FILE *log);
/// The per-backend summary lines and the grouped refusal reasons.
std::string summary(const Report &report);

} // namespace tegula::difftest

#endif
