// stands for LLVM's and MLIR's headers
