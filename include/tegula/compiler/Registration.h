// One place that knows every dialect, extension and pass a Tegula pipeline can name.
#ifndef TEGULA_COMPILER_REGISTRATION_H
#define TEGULA_COMPILER_REGISTRATION_H

namespace mlir {
class DialectRegistry;
class MLIRContext;
} // namespace mlir

namespace tegula {
/// Tegula's dialects plus the upstream dialects and extensions its pipelines use.
void registerAllDialects(mlir::DialectRegistry &registry);
/// Tegula's passes and the upstream passes, so textual pipelines can name them.
void registerAllPasses();
} // namespace tegula

#endif
