// tegula._tegula: the extension behind the tegula package. Tegula's errors become
// tegula.Error (a RuntimeError) with the same message; its code is the attribute
// `code` ("invalid argument", "dtype mismatch", ...).
#include "kernels.h"

#include "tegula/runtime/error.h"

#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include <string>

NB_MODULE(_tegula, m) {
  namespace nb = nanobind;
  static nb::object error_type = nb::exception<tegula::Error>(m, "Error", PyExc_RuntimeError);
  nb::register_exception_translator([](const std::exception_ptr &p, void *) {
    try {
      std::rethrow_exception(p);
    } catch (const tegula::Error &e) {
      nb::object instance = error_type(e.what());
      instance.attr("code") = std::string(tegula::error_code_name(e.code()));
      PyErr_SetObject(error_type.ptr(), instance.ptr());
    }
  });
  tegula::python::bind_buffer(m);
  tegula::python::bind_kernels(m);
  tegula::python::bind_tools(m);
}
