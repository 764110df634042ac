// tegula: the command-line face of the compiler. `targets`, `compile`, `run`, `demo`.
#include "command.h"
#include "difftest_command.h"
#include "runners.h"
#include "suite_command.h"
#include "xcheck_command.h"

#include "tegula/compiler/compile.h"
#include "tegula/runtime/bundle.h"
#include "tegula/runtime/error.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

using namespace tegula;

namespace {

const char *kUsage = R"(usage: tegula <command> [options]

commands:
  targets                         list the targets this build compiles for
  compile <kernel> [options]      compile a library kernel and print or write one stage
      --target T[:OPTIONS]        a target of `tegula targets` (default cpu), with its options
      --dtype D                   f32 (default), f16, bf16
      --emit E                    one of the target's emit kinds (`tegula targets` lists them), or
                                  bundle: the kernel for each of --target A+B..., specialized and
                                  generic, in one file the runtime loads (needs -o)
      -o PATH                     write to PATH instead of stdout (obj and so need it)
      --dump-ir                   print the IR after every pipeline stage to stderr
      --bounds-check              check every memory access against its buffer
      --config F=V[,F=V]          set fields of the kernel's configuration after the default
                                  (gemm: BM, BN, BK, num_warps, num_stages, kn_multiple, tf32;
                                  attention: BM, BN, num_warps, num_stages, head_block)
      --shape S                   the problem the target's default configuration is chosen
                                  for (gemm M,N,K; softmax and the norms M,N; attention D,
                                  its head dimension, 64 by default)
  run <kernel> [options]          run on generated inputs, compare with the fp64 reference
      --target T --dtype D --shape A,B[,C] --seed S --threads N --repeats R --bounds-check
  demo                            every kernel, every target, one comparison table
  xcheck [kernel] [options]       every kernel (or one) on every backend that runs here, against
                                  the fp64 reference with the correctness policy; exit 1 on a failure
      --backend B[,B]             targets that execute here (default: all of them)
      --dtype D --shape ... --seed S
      --json FILE                 also write the records (with input and output hashes)
      --save-outputs DIR          also write each case's outputs and bounds (the records name them)
      --mutate M                  trace the kernels with a deliberate mistake: transposed-operand,
                                  mask-off-by-one or dropped-scale; or have the backends that
                                  can plant compiler bug M (their plant-bug=M option: the GPU
                                  targets' gpu-drop-barrier, gpu-shift-exchange, gpu-swap-fragment,
                                  gpu-drop-async-wait) do so
                                  (xcheck must fail)
  xcheck --suite language [case] [options]
                                  the language conformance suite: one kernel per construct of
                                  docs/language.md per dtype and shape (or the cases whose name
                                  contains `case`), PASS, FAIL or REFUSED on each backend; on a
                                  target that compiles but does not run here (cuda, rocm), each
                                  case is assembled by the vendor's tools instead: ASM, with no spills
      --backend B[,B] --seed S --json FILE
      --jobs N                    assemble N cases at a time; on executing targets, compile N at a
                                  time ahead of their serial runs
      --first-dtype-on B[,B]      on these backends, each case in its first dtype only
      --expect-refused DIR        exit 1 unless each backend refuses exactly what DIR/<backend>.txt lists
      --write-refused DIR         write each backend's refusals to DIR/<backend>.txt
  xcheck --programs N [--seed S] [--backend B[,B]]
                                  differential testing: N random tile programs (program i is
                                  generated from seed S + i) on each backend against their fp64
                                  evaluation; a failing program is minimized and printed as DSL
  xcheck --compare A.json [B.json]
                                  compare two runs' records (e.g. from two machines), and every
                                  pair of backends on the same case (by how much, from saved outputs)
)";

const char *kKernelsHelp = R"(
kernels: vector_add (shape n), softmax (M,N), gemm (M,N,K)
)";

/// The usage text: the CLI's own commands, then those the backends add.
std::string usage() {
  std::string text = kUsage;
  for (const cli::Command *c : cli::commands())
    text += c->usage;
  return text + kKernelsHelp;
}

struct Args {
  std::string command, kernel;
  std::vector<std::string> words; ///< every positional argument after the command
  std::map<std::string, std::string> options;
  bool has(const std::string &k) const { return options.count(k) != 0; }
  std::string get(const std::string &k, const std::string &fallback) const {
    auto it = options.find(k);
    return it == options.end() ? fallback : it->second;
  }
};

Args parse(int argc, char **argv) {
  Args args;
  if (argc < 2)
    throw Error(ErrorCode::InvalidArgument, "missing command\n" + usage());
  args.command = argv[1];
  static const std::vector<std::string> flags{"--dump-ir", "--bounds-check", "--timing-only"};
  for (int i = 2; i < argc; ++i) {
    std::string a = argv[i];
    if (a.rfind("-", 0) != 0) {
      args.words.push_back(a);
      if (cli::find_command(args.command))
        continue; // a backend's command takes its own words
      if (!args.kernel.empty())
        throw Error(ErrorCode::InvalidArgument, "unexpected argument '" + a + "'");
      args.kernel = a;
    } else if (std::find(flags.begin(), flags.end(), a) != flags.end()) {
      args.options[a] = "1";
    } else {
      if (i + 1 >= argc)
        throw Error(ErrorCode::InvalidArgument, "option '" + a + "' needs a value");
      args.options[a] = argv[++i];
    }
  }
  return args;
}

cli::ConfigOverrides parse_config(const std::string &text) {
  cli::ConfigOverrides overrides;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find(',', start);
    if (end == std::string::npos)
      end = text.size();
    const std::string item = text.substr(start, end - start);
    const size_t eq = item.find('=');
    size_t used = 0;
    int64_t value = 0;
    try {
      if (eq != std::string::npos && eq > 0)
        value = std::stoll(item.substr(eq + 1), &used);
    } catch (const std::exception &) {
      used = 0;
    }
    if (eq == std::string::npos || eq == 0 || used == 0 || eq + 1 + used != item.size())
      throw Error(ErrorCode::InvalidArgument, "bad --config item '" + item + "': expected FIELD=INTEGER");
    overrides.emplace_back(item.substr(0, eq), value);
    start = end + 1;
  }
  return overrides;
}

DType parse_dtype(const std::string &text) {
  auto d = dtype_from_name(text);
  if (!d)
    throw Error(ErrorCode::InvalidArgument, "unknown dtype '" + text + "'");
  return *d;
}

std::vector<int64_t> parse_shape(const std::string &text) {
  std::vector<int64_t> shape;
  std::stringstream ss(text);
  std::string part;
  while (std::getline(ss, part, ',')) {
    try {
      size_t used = 0;
      long long v = std::stoll(part, &used);
      if (used != part.size())
        throw std::invalid_argument(part);
      shape.push_back(v);
    } catch (const std::exception &) {
      throw Error(ErrorCode::InvalidArgument, "bad shape '" + text + "': '" + part + "' is not an integer");
    }
  }
  return shape;
}

int cmd_targets() {
  std::printf("%-16s %s\n", "target", "status");
  for (const TargetDescription &d : available_targets()) {
    std::printf("%-16s %s\n", d.name.c_str(), d.summary.c_str());
    std::string kinds;
    for (const EmitKindInfo &k : d.emit_kinds)
      kinds += (kinds.empty() ? "" : ", ") + k.name;
    std::printf("%-16s emits %s\n", "", kinds.c_str());
    for (const std::string &option : d.options)
      std::printf("%-16s option %s\n", "", option.c_str());
  }
  return 0;
}

/// `tegula compile K --emit bundle --target A[+B...] -o FILE`: the kernel built for each
/// target, its specialized configuration first, then (where that one assumes anything
/// of its arguments) the generic one, in one file the runtime loads (bundle.h).
int cmd_bundle(const Args &args, DType dtype) {
  if (!args.has("-o"))
    throw Error(ErrorCode::InvalidArgument, "--emit bundle writes binary: give -o PATH");
  const std::vector<int64_t> shape =
      args.has("--shape") ? parse_shape(args.get("--shape", "")) : std::vector<int64_t>{};
  const cli::ConfigOverrides overrides = parse_config(args.get("--config", ""));
  CompileOptions options;
  options.bounds_check = args.has("--bounds-check");
  Bundle bundle;
  std::string targets = args.get("--target", host_target());
  for (size_t start = 0; start <= targets.size();) {
    const size_t end = std::min(targets.find('+', start), targets.size());
    const std::string target = targets.substr(start, end - start);
    start = end + 1;
    if (target.empty())
      throw Error(ErrorCode::InvalidArgument, "--target '" + targets + "' names an empty target");
    const dsl::TracedKernel specialized = cli::trace_kernel(args.kernel, dtype, target, shape, overrides);
    bundle.add(target, compile_traced(specialized, target, options)->kernel());
    const bool assumes = std::any_of(specialized.info.args.begin(), specialized.info.args.end(),
                                     [](const ArgSpec &a) { return a.multiple_of > 1; });
    if (assumes)
      bundle.add(target,
                 compile_traced(cli::trace_kernel(args.kernel, dtype, target, shape, overrides, /*generic=*/true), target,
                                options)
                     ->kernel());
  }
  bundle.save(args.get("-o", ""));
  std::fprintf(stderr, "wrote a bundle of %zu entries to %s (kernel '%s')\n", bundle.entries().size(),
               args.get("-o", "").c_str(), args.kernel.c_str());
  for (const Bundle::Entry &entry : bundle.entries()) {
    std::string assumes;
    for (const ArgSpec &a : entry.kernel.info().args)
      if (a.multiple_of > 1)
        assumes += (assumes.empty() ? "" : ", ") + a.name + " % " + std::to_string(a.multiple_of) + " == 0";
    std::fprintf(stderr, "  %s: %s\n", entry.target.c_str(), assumes.empty() ? "generic" : assumes.c_str());
  }
  return 0;
}

int cmd_compile(const Args &args) {
  if (args.kernel.empty())
    throw Error(ErrorCode::InvalidArgument, "compile needs a kernel name");
  DType dtype = parse_dtype(args.get("--dtype", "f32"));
  std::string emitName = args.get("--emit", "tile");
  if (emitName == "bundle")
    return cmd_bundle(args, dtype);
  std::string target = args.get("--target", host_target());
  const TargetDescription description = describe_target(target);
  const EmitKindInfo *kind = description.emit_kind(emitName);
  if (!kind) {
    std::string kinds;
    for (const EmitKindInfo &k : description.emit_kinds)
      kinds += (kinds.empty() ? "" : ", ") + k.name;
    throw Error(ErrorCode::InvalidArgument,
                "unknown --emit '" + emitName + "' for the " + description.name + " target (it emits " + kinds + ")");
  }
  CompileOptions options;
  options.dump_ir = args.has("--dump-ir");
  options.bounds_check = args.has("--bounds-check");
  auto traced = cli::trace_kernel(args.kernel, dtype, target,
                                  args.has("--shape") ? parse_shape(args.get("--shape", "")) : std::vector<int64_t>{},
                                  parse_config(args.get("--config", "")));
  std::string out = emit(traced, target, emitName, options);
  const bool binary = kind->binary;
  if (args.has("-o")) {
    std::ofstream file(args.get("-o", ""), std::ios::binary);
    if (!file)
      throw Error(ErrorCode::InvalidArgument, "cannot write '" + args.get("-o", "") + "'");
    file.write(out.data(), static_cast<std::streamsize>(out.size()));
    std::fprintf(stderr, "wrote %zu bytes to %s (kernel '%s')\n", out.size(), args.get("-o", "").c_str(),
                 traced.name.c_str());
  } else if (binary) {
    throw Error(ErrorCode::InvalidArgument, "--emit " + emitName + " writes binary: give -o PATH");
  } else {
    std::fwrite(out.data(), 1, out.size(), stdout);
  }
  return 0;
}

void print_result_header() {
  std::printf("%-11s %-6s %-5s %-15s %-6s %11s %11s %9s %10s %9s %9s\n", "kernel", "target", "dtype", "shape",
              "result", "max_abs_err", "max_rel_err", "err/bound", "compile_ms", "run_ms", "GFLOP/s");
}

void print_result(const cli::RunResult &r) {
  char gflops[32] = "-";
  if (r.gflops > 0)
    std::snprintf(gflops, sizeof gflops, "%.1f", r.gflops);
  std::printf("%-11s %-6s %-5s %-15s %-6s %11.3g %11.3g %9.3f %10.1f %9.3f %9s\n", r.kernel.c_str(),
              r.target.c_str(), r.dtype.c_str(), r.shape.c_str(), r.check.ok() ? "PASS" : "FAIL",
              r.check.max_abs_error, r.check.max_rel_error, r.check.worst_ratio, r.compile_ms, r.best_ms, gflops);
}

int cmd_run(const Args &args) {
  if (args.kernel.empty())
    throw Error(ErrorCode::InvalidArgument, "run needs a kernel name");
  cli::RunRequest request;
  request.kernel = args.kernel;
  request.target = args.get("--target", host_target());
  request.dtype = parse_dtype(args.get("--dtype", "f32"));
  if (args.has("--shape"))
    request.shape = parse_shape(args.get("--shape", ""));
  request.seed = std::stoull(args.get("--seed", "1"));
  request.threads = std::stoi(args.get("--threads", "0"));
  request.repeats = std::stoi(args.get("--repeats", "3"));
  request.bounds_check = args.has("--bounds-check");
  std::printf("seed %llu; fp64 reference; error bounds of docs/correctness.md\n",
              static_cast<unsigned long long>(request.seed));
  auto result = cli::run_kernel(request);
  print_result_header();
  print_result(result);
  if (!result.check.ok())
    std::printf("%s\n", result.check.summary().c_str());
  return result.check.ok() ? 0 : 1;
}

std::string first_line(const std::string &text) {
  std::string line = text.substr(0, text.find('\n'));
  // Keep the reason, not the path of the source line.
  size_t cut = line.rfind(": ");
  return cut == std::string::npos ? line : line.substr(cut + 2);
}

int cmd_demo() {
  struct Case {
    std::string kernel;
    DType dtype;
    std::vector<int64_t> shape;
    /// What an emulated target runs instead (empty: the same): an emulator runs each
    /// thread's code on the host, so a 1000^3 GEMM would take minutes there.
    std::vector<int64_t> emulated_shape;
  };
  const std::vector<Case> cases{
      {"vector_add", DType::F32, {1000003}, {}},
      {"vector_add", DType::BF16, {4099}, {}},
      {"softmax", DType::F32, {1000, 1000}, {37, 1000}},
      {"softmax", DType::F16, {257, 3001}, {9, 3001}},
      {"gemm", DType::F32, {513, 257, 129}, {129, 97, 65}},
      {"gemm", DType::BF16, {1000, 1000, 1000}, {200, 130, 129}},
      {"gemm", DType::F16, {97, 61, 1}, {}},
  };
  std::vector<std::string> targets, runnable;
  for (const TargetDescription &d : available_targets()) {
    targets.push_back(d.name);
    if (d.executes)
      runnable.push_back(d.name);
  }
  std::printf("Tegula demo: every library kernel, traced once, compiled per target; runnable targets execute\n"
              "and are compared against an fp64 reference on Philox inputs (seed 1).\n\n");
  std::printf("compile status\n%-11s %-5s", "kernel", "dtype");
  for (auto &t : targets)
    std::printf(" %-14s", t.c_str());
  std::printf("\n");
  for (const Case &c : cases) {
    std::printf("%-11s %-5s", c.kernel.c_str(), std::string(dtype_name(c.dtype)).c_str());
    for (const std::string &t : targets) {
      std::string status;
      try {
        // As far as the target goes: its executable where it runs kernels, else the
        // last artifact it emits (machine code, an object).
        auto traced = cli::trace_kernel(c.kernel, c.dtype, t, c.shape);
        const TargetDescription d = describe_target(t);
        if (d.executes) {
          compile_traced(traced, t);
        } else {
          std::string last = d.emit_kinds.back().name;
          for (const EmitKindInfo &k : d.emit_kinds)
            if (k.after_stage.empty())
              last = k.name;
          emit(traced, t, last);
        }
        status = "ok";
      } catch (const Error &e) {
        // A target that does not cover the whole language refuses what its units cannot
        // compute (the reason is in the execution table below); anything else failing to
        // compile is a failure.
        status = e.code() == ErrorCode::Unsupported                                      ? "not built"
                 : !describe_target(t).covers_language && e.code() == ErrorCode::CompileError ? "unsupported"
                                                                                            : "FAILED";
      }
      std::printf(" %-14s", status.c_str());
    }
    std::printf("\n");
  }
  std::printf("\nexecution on the runnable targets (a simulated target's run_ms is simulated time; an emulated\n"
              "one runs smaller shapes)\n");
  print_result_header();
  bool ok = true;
  for (const Case &c : cases)
    for (const std::string &t : runnable) {
      cli::RunRequest request;
      request.kernel = c.kernel;
      request.dtype = c.dtype;
      request.shape = describe_target(t).emulated && !c.emulated_shape.empty() ? c.emulated_shape : c.shape;
      request.target = t;
      try {
        auto r = cli::run_kernel(request);
        print_result(r);
        ok = ok && r.check.ok();
      } catch (const Error &e) {
        if (e.code() != ErrorCode::CompileError && e.code() != ErrorCode::Unsupported)
          throw;
        std::printf("%-11s %-6s %-5s %-15s %-6s (%s)\n", c.kernel.c_str(), t.c_str(),
                    std::string(dtype_name(c.dtype)).c_str(), "-", "n/a", first_line(e.what()).c_str());
      }
    }
  std::printf("\n%s\n", ok ? "all kernels within the error bound" : "SOME KERNELS FAILED");
  return ok ? 0 : 1;
}

int cmd_xcheck(const Args &args) {
  if (args.has("--suite")) {
    cli::SuiteRequest suite;
    suite.suite = args.get("--suite", "");
    suite.filter = args.kernel;
    suite.backends = args.get("--backend", "");
    suite.seed = std::stoull(args.get("--seed", "1"));
    suite.json = args.get("--json", "");
    suite.expect_refused = args.get("--expect-refused", "");
    suite.write_refused = args.get("--write-refused", "");
    suite.jobs = std::stoi(args.get("--jobs", "1"));
    suite.first_dtype_on = args.get("--first-dtype-on", "");
    if (suite.jobs < 1)
      throw Error(ErrorCode::InvalidArgument, "--jobs needs a positive count");
    return cli::run_suite_command(suite);
  }
  if (args.has("--programs")) {
    const int programs = std::stoi(args.get("--programs", "0"));
    if (programs <= 0)
      throw Error(ErrorCode::InvalidArgument, "--programs needs a positive count");
    return cli::run_difftest_command(programs, std::stoull(args.get("--seed", "1")), args.get("--backend", ""));
  }
  cli::XcheckRequest request;
  if (args.has("--compare")) {
    request.compare = {args.get("--compare", "")};
    if (!args.kernel.empty())
      request.compare.push_back(args.kernel);
    return cli::run_xcheck_command(request);
  }
  request.kernel = args.kernel;
  request.backends = args.get("--backend", "");
  if (args.has("--dtype"))
    request.dtype = parse_dtype(args.get("--dtype", ""));
  if (args.has("--shape"))
    request.shape = parse_shape(args.get("--shape", ""));
  request.seed = std::stoull(args.get("--seed", "1"));
  const std::string mutation = args.get("--mutate", "none");
  try {
    request.mutation = kernels::parse_mutation(mutation);
  } catch (const Error &) { // not a mistake in the kernel: one a backend's compiler plants
    request.planted_bug = mutation;
  }
  request.json = args.get("--json", "");
  request.save_outputs = args.get("--save-outputs", "");
  return cli::run_xcheck_command(request);
}

} // namespace

int main(int argc, char **argv) {
  try {
    Args args = parse(argc, argv);
    if (args.command == "targets")
      return cmd_targets();
    if (args.command == "compile")
      return cmd_compile(args);
    if (args.command == "run")
      return cmd_run(args);
    if (args.command == "demo")
      return cmd_demo();
    if (const cli::Command *command = cli::find_command(args.command))
      return command->run(args.words, args.options);
    if (args.command == "xcheck")
      return cmd_xcheck(args);
    if (args.command == "help" || args.command == "--help") {
      std::fputs(usage().c_str(), stdout);
      return 0;
    }
    throw Error(ErrorCode::InvalidArgument, "unknown command '" + args.command + "'\n" + usage());
  } catch (const Error &e) {
    std::fprintf(stderr, "tegula: %s\n", e.what());
    return 2;
  } catch (const std::exception &e) {
    std::fprintf(stderr, "tegula: %s\n", e.what());
    return 2;
  }
}
