// tegula-copies-to-linalg: memref.copy -> linalg.copy (see Passes.td for why).
#include "backends/cpu/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/PatternMatch.h"

namespace tegula::cpu {
#define GEN_PASS_DEF_TEGULACOPIESTOLINALG
#include "backends/cpu/Passes.h.inc"
} // namespace tegula::cpu

using namespace mlir;

namespace {
struct CopiesToLinalgPass : public tegula::cpu::impl::TegulaCopiesToLinalgBase<CopiesToLinalgPass> {
  void runOnOperation() override {
    SmallVector<memref::CopyOp> copies;
    getOperation().walk([&](memref::CopyOp op) { copies.push_back(op); });
    IRRewriter rewriter(&getContext());
    for (memref::CopyOp op : copies) {
      rewriter.setInsertionPoint(op);
      rewriter.replaceOpWithNewOp<linalg::CopyOp>(op, op.getSource(), op.getTarget());
    }
  }
};
} // namespace
