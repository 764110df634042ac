#include "tegula/runtime/error.h"

namespace tegula {
const char *error_code_name(ErrorCode code) {
  switch (code) {
  case ErrorCode::InvalidArgument: return "invalid argument";
  case ErrorCode::ArgumentCount: return "wrong argument count";
  case ErrorCode::ArgumentType: return "wrong argument kind";
  case ErrorCode::DTypeMismatch: return "dtype mismatch";
  case ErrorCode::BufferTooSmall: return "buffer too small";
  case ErrorCode::NullBuffer: return "null buffer";
  case ErrorCode::InvalidGrid: return "invalid grid";
  case ErrorCode::OutOfBounds: return "out-of-bounds access";
  case ErrorCode::AssertionFailed: return "device assertion failed";
  case ErrorCode::DeviceFault: return "device fault";
  case ErrorCode::CompileError: return "compile error";
  case ErrorCode::LoadError: return "load error";
  case ErrorCode::Unsupported: return "unsupported";
  }
  return "error";
}
} // namespace tegula
