// Element types of the kernel language. The dtype lives in the C++ type (Tile<bf16>),
// so mixing dtypes without a cast fails to compile; shapes are checked at trace time.
#ifndef TEGULA_DSL_DTYPES_H
#define TEGULA_DSL_DTYPES_H

#include "tegula/runtime/dtype.h"

#include <concepts>
#include <type_traits>

namespace tegula::dsl {

struct f32 { static constexpr DType dtype = DType::F32; };
struct f16 { static constexpr DType dtype = DType::F16; };
struct bf16 { static constexpr DType dtype = DType::BF16; };
struct f64 { static constexpr DType dtype = DType::F64; };
struct i1 { static constexpr DType dtype = DType::I1; };
struct i8 { static constexpr DType dtype = DType::I8; };
struct i32 { static constexpr DType dtype = DType::I32; };
struct i64 { static constexpr DType dtype = DType::I64; };

/// Element type "pointer to T" (global memory).
template <typename T> struct ptr { using pointee = T; };

template <typename T>
concept ScalarDType = requires {
  { T::dtype } -> std::convertible_to<DType>;
};

template <typename T>
concept FloatDType = ScalarDType<T> && (T::dtype == DType::F32 || T::dtype == DType::F16 ||
                                        T::dtype == DType::BF16 || T::dtype == DType::F64);

template <typename T>
concept IntDType = ScalarDType<T> && (T::dtype == DType::I8 || T::dtype == DType::I32 ||
                                      T::dtype == DType::I64);

template <typename T>
concept BoolDType = std::same_as<T, i1>;

template <typename T>
concept NumericDType = FloatDType<T> || IntDType<T>;

/// Types a 16-bit or 32-bit float dot can take as inputs (accumulating in f32).
template <typename T>
concept DotInputDType = std::same_as<T, f32> || std::same_as<T, f16> || std::same_as<T, bf16>;

/// Types the atomics support (CPU and GPU atomics exist for these widths).
template <typename T>
concept AtomicDType = std::same_as<T, f32> || std::same_as<T, f64> || std::same_as<T, i32> ||
                      std::same_as<T, i64>;

template <typename T> struct is_pointer_dtype : std::false_type {};
template <typename T> struct is_pointer_dtype<ptr<T>> : std::true_type {};

template <typename T>
concept PointerDType = is_pointer_dtype<T>::value && ScalarDType<typename T::pointee>;

template <typename T>
concept ElementDType = ScalarDType<T> || PointerDType<T>;

} // namespace tegula::dsl

#endif
