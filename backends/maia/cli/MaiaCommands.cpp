// `tegula maia ...`: the Maia-style machine from the command line: assemble and
// disassemble programs, emit a maia-dialect kernel, run the reference GEMM on the simulator.
#include "tools/tegula/command.h"

#include "backends/maia/reference/gemm_program.h"
#include "tegula/maia/emit.h"
#include "tegula/kernels/reference.h"
#include "tegula/maia/isa.h"
#include "tegula/maia/simulator.h"
#include "tegula/runtime/error.h"
#include "tegula/runtime/half.h"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

namespace tegula::cli {

using namespace tegula::maia;

namespace {

std::string read_file(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw Error(ErrorCode::InvalidArgument, "cannot read '" + path + "'");
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_file(const std::string &path, const std::string &bytes) {
  std::ofstream out(path, std::ios::binary);
  if (!out)
    throw Error(ErrorCode::InvalidArgument, "cannot write '" + path + "'");
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::string get(const std::map<std::string, std::string> &o, const std::string &k, const std::string &fallback) {
  auto it = o.find(k);
  return it == o.end() ? fallback : it->second;
}

std::vector<int64_t> numbers(const std::string &text) {
  std::vector<int64_t> out;
  std::stringstream ss(text);
  std::string part;
  while (std::getline(ss, part, ','))
    out.push_back(std::stoll(part));
  return out;
}

MachineSpec machine(const std::map<std::string, std::string> &o) {
  return o.count("--machine") ? MachineSpec::load(o.at("--machine")) : MachineSpec::defaults();
}

/// The reference GEMM on fresh bf16 inputs; functional runs are checked against fp64.
int run_gemm(const std::map<std::string, std::string> &o) {
  GemmProgramConfig cfg;
  auto shape = numbers(get(o, "--shape", "512,512,512"));
  auto blocks = numbers(get(o, "--blocks", "128,128,128"));
  if (shape.size() != 3 || blocks.size() != 3)
    throw Error(ErrorCode::InvalidArgument, "--shape and --blocks take M,N,K and BM,BN,BK");
  cfg.M = shape[0], cfg.N = shape[1], cfg.K = shape[2];
  cfg.BM = blocks[0], cfg.BN = blocks[1], cfg.BK = blocks[2];
  bool functional = !o.count("--timing-only");
  Simulator sim(machine(o));
  Program program = assemble(gemm_program(cfg, sim.spec()));
  uint64_t a = sim.hbm().allocate(cfg.M * cfg.K * 2, "a", functional);
  uint64_t b = sim.hbm().allocate(cfg.K * cfg.N * 2, "b", functional);
  uint64_t c = sim.hbm().allocate(cfg.M * cfg.N * 4, "c", functional);
  uint64_t seed = std::stoull(get(o, "--seed", "1"));
  if (functional) {
    auto *ha = reinterpret_cast<uint16_t *>(sim.hbm().host(a, cfg.M * cfg.K * 2));
    auto *hb = reinterpret_cast<uint16_t *>(sim.hbm().host(b, cfg.K * cfg.N * 2));
    for (int64_t i = 0; i < cfg.M * cfg.K; ++i)
      ha[i] = float_to_bf16(static_cast<float>(kernels::philox_uniform(seed, i)));
    for (int64_t i = 0; i < cfg.K * cfg.N; ++i)
      hb[i] = float_to_bf16(static_cast<float>(kernels::philox_uniform(seed + 1, i)));
    std::memset(sim.hbm().host(c, cfg.M * cfg.N * 4), 0xFF, cfg.M * cfg.N * 4);
  }
  SimOptions options;
  options.functional = functional;
  options.check_races = functional;
  options.record_trace = o.count("--trace") != 0;
  SimStats stats = sim.run(program, {cfg.N / cfg.BN, cfg.M / cfg.BM, 1},
                           {static_cast<int64_t>(a), static_cast<int64_t>(b), static_cast<int64_t>(c)}, options);
  GemmRoofline roof = gemm_roofline(cfg, sim.spec());
  double seconds = stats.cycles / (sim.spec().clock_ghz * 1e9);
  std::printf("maia-sim gemm bf16 %lldx%lldx%lld, blocks %lldx%lldx%lld, %s\n", static_cast<long long>(cfg.M),
              static_cast<long long>(cfg.N), static_cast<long long>(cfg.K), static_cast<long long>(cfg.BM),
              static_cast<long long>(cfg.BN), static_cast<long long>(cfg.BK), functional ? "functional" : "timing only");
  std::printf("  cycles %.0f (%.3f ms at %.2f GHz), %.1f TFLOP/s\n", stats.cycles, seconds * 1e3,
              sim.spec().clock_ghz, roof.flops / seconds / 1e12);
  std::printf("  roofline bound %.0f cycles (compute %.0f, memory %.0f): %.1f%% of the bound\n", roof.bound_cycles,
              roof.compute_cycles, roof.memory_cycles, 100.0 * roof.bound_cycles / stats.cycles);
  std::printf("  tiles %d, programs %llu; utilization dma %.1f%%, ttu %.1f%%, tvp %.1f%%\n", stats.tiles_used,
              static_cast<unsigned long long>(stats.programs), 100 * stats.utilization(stats.dma),
              100 * stats.utilization(stats.ttu), 100 * stats.utilization(stats.tvp));
  std::printf("  HBM read %llu bytes, written %llu bytes; %llu MACs\n",
              static_cast<unsigned long long>(stats.hbm_bytes_read),
              static_cast<unsigned long long>(stats.hbm_bytes_written), static_cast<unsigned long long>(stats.macs));
  int status = 0;
  if (functional) {
    std::vector<double> absProduct;
    Buffer A(DType::BF16, cfg.M * cfg.K), B(DType::BF16, cfg.K * cfg.N), C(DType::F32, cfg.M * cfg.N);
    std::memcpy(A.data(), sim.hbm().host(a, A.bytes()), A.bytes());
    std::memcpy(B.data(), sim.hbm().host(b, B.bytes()), B.bytes());
    std::memcpy(C.data(), sim.hbm().host(c, C.bytes()), C.bytes());
    auto ref = kernels::reference_gemm(A, B, cfg.M, cfg.N, cfg.K, &absProduct);
    auto result = kernels::check(C, ref, kernels::gemm_bound(absProduct, cfg.K));
    std::printf("  vs fp64 reference (seed %llu): %s: %s\n", static_cast<unsigned long long>(seed),
                result.ok() ? "PASS" : "FAIL", result.summary().c_str());
    status = result.ok() ? 0 : 1;
  }
  if (o.count("--trace")) {
    write_file(o.at("--trace"), sim.chrome_trace_json());
    std::printf("  trace: %s (%zu events; open in ui.perfetto.dev or chrome://tracing)\n", o.at("--trace").c_str(),
                sim.trace().size());
  }
  return status;
}

int run_maia_command(const std::vector<std::string> &words, const std::map<std::string, std::string> &options) {
  if (words.empty())
    throw Error(ErrorCode::InvalidArgument, "maia needs a subcommand: asm, disasm, emit, gemm");
  const std::string &sub = words[0];
  if (sub == "asm" || sub == "disasm") {
    if (words.size() != 2 || !options.count("-o"))
      throw Error(ErrorCode::InvalidArgument, "usage: tegula maia " + sub + " <input> -o <output>");
    if (sub == "asm") {
      auto bytes = to_binary(assemble(read_file(words[1])));
      write_file(options.at("-o"), std::string(bytes.begin(), bytes.end()));
    } else {
      std::string raw = read_file(words[1]);
      write_file(options.at("-o"), disassemble(from_binary(std::vector<uint8_t>(raw.begin(), raw.end()))));
    }
    return 0;
  }
  if (sub == "gemm")
    return run_gemm(options);
  if (sub == "emit") {
    if (words.size() != 2)
      throw Error(ErrorCode::InvalidArgument, "usage: tegula maia emit <kernel.mlir> [-o program.bin]");
    Program program = emit_maia_program(read_file(words[1]), words[1]);
    if (options.count("-o")) {
      auto bytes = to_binary(program);
      write_file(options.at("-o"), std::string(bytes.begin(), bytes.end()));
    } else {
      for (size_t i = 0; i < program.code.size(); ++i)
        std::printf("%-40s # %s\n", disassemble(program.code[i]).c_str(),
                    i < program.source.size() ? program.source[i].c_str() : "");
    }
    return 0;
  }
  throw Error(ErrorCode::InvalidArgument, "unknown maia subcommand '" + sub + "' (asm, disasm, emit, gemm)");
}

} // namespace

} // namespace tegula::cli

namespace tegula::maia {

void registerMaiaCommands() {
  cli::register_command({"maia",
                         "  maia asm <file.s> -o <file.bin> assemble a program for the Maia-style machine\n"
                         "  maia disasm <file.bin> -o <file.s>\n"
                         "  maia emit <kernel.mlir> [-o file.bin]\n"
                         "                                  emit a maia-dialect kernel as a program\n"
                         "  maia gemm [--shape M,N,K] [--blocks BM,BN,BK] [--timing-only] [--trace out.json]\n"
                         "            [--machine file] [--seed S]\n"
                         "                                  run the hand-scheduled bf16 GEMM on the simulator\n",
                         cli::run_maia_command});
}

} // namespace tegula::maia
