// The runtime's one error type: a code a program can branch on and a message a person
// can act on (it names the argument, the kernel and, for memory faults, the source line).
#ifndef TEGULA_RUNTIME_ERROR_H
#define TEGULA_RUNTIME_ERROR_H

#include <stdexcept>
#include <string>

namespace tegula {

enum class ErrorCode {
  InvalidArgument,  ///< generic bad input to an API call
  ArgumentCount,    ///< launch with the wrong number of arguments
  ArgumentType,     ///< buffer where a scalar is expected, or the reverse
  DTypeMismatch,    ///< buffer or scalar of the wrong element type
  BufferTooSmall,   ///< buffer smaller than the launch's shapes need
  NullBuffer,       ///< a buffer argument with no storage
  InvalidGrid,      ///< grid with a zero, negative or too large dimension
  OutOfBounds,      ///< a bounds-checked kernel touched memory outside its buffers
  AssertionFailed,  ///< a kernel's device_assert failed
  DeviceFault,      ///< the (simulated) device stopped: bad access, race, deadlock
  CompileError,     ///< the kernel could not be traced or compiled
  LoadError,        ///< an AOT kernel could not be loaded
  Unsupported,      ///< the target or feature is not available here
};

const char *error_code_name(ErrorCode code);

class Error : public std::runtime_error {
public:
  Error(ErrorCode code, const std::string &message)
      : std::runtime_error(std::string(error_code_name(code)) + ": " + message), code_(code) {}
  ErrorCode code() const { return code_; }

private:
  ErrorCode code_;
};

} // namespace tegula

#endif
