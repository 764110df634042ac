// The text form of a kernel's signature, stored next to AOT code: one record a line,
// so a corrupt file is reported with the line that is wrong.
#include "tegula/runtime/error.h"
#include "tegula/runtime/kernel.h"

#include <sstream>
#include <stdexcept>
#include <string>

namespace tegula {

namespace {
// Site texts are user strings (print prefixes, assertion messages); one record a line
// needs their newlines and backslashes escaped.
std::string escape(const std::string &text) {
  std::string out;
  for (char c : text) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

std::string unescape(const std::string &text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size()) {
      out += text[i + 1] == 'n' ? '\n' : text[i + 1];
      ++i;
    } else {
      out += text[i];
    }
  }
  return out;
}
} // namespace

std::string KernelInfo::serialize() const {
  std::ostringstream os;
  os << "tegula-kernel 1\n";
  os << "name " << name << "\n";
  os << "bounds_checked " << (bounds_checked ? 1 : 0) << "\n";
  for (const ArgSpec &arg : args)
    os << "arg " << (arg.kind == ArgSpec::Kind::Buffer ? "buffer" : "scalar") << " " << dtype_name(arg.dtype) << " "
       << arg.name << (arg.multiple_of > 1 ? " multiple_of=" + std::to_string(arg.multiple_of) : "") << "\n";
  for (const std::string &site : sites)
    os << "site " << escape(site) << "\n";
  return os.str();
}

KernelInfo KernelInfo::parse(const std::string &text) {
  KernelInfo info;
  std::istringstream in(text);
  std::string line;
  int number = 0;
  auto fail = [&](const std::string &why) -> Error {
    return Error(ErrorCode::LoadError,
                 "kernel info line " + std::to_string(number) + ": " + why + " in '" + line + "'");
  };
  bool sawHeader = false, sawName = false;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty())
      continue;
    std::istringstream fields(line);
    std::string key;
    fields >> key;
    if (!sawHeader) {
      int version = 0;
      if (key != "tegula-kernel" || !(fields >> version) || version != 1)
        throw fail("expected header 'tegula-kernel 1'");
      sawHeader = true;
    } else if (key == "name") {
      if (!(fields >> info.name))
        throw fail("missing kernel name");
      sawName = true;
    } else if (key == "bounds_checked") {
      int flag = -1;
      if (!(fields >> flag) || (flag != 0 && flag != 1))
        throw fail("expected 0 or 1");
      info.bounds_checked = flag == 1;
    } else if (key == "arg") {
      std::string kind, dtype, name;
      if (!(fields >> kind >> dtype >> name))
        throw fail("expected 'arg <buffer|scalar> <dtype> <name>'");
      ArgSpec arg;
      if (kind == "buffer")
        arg.kind = ArgSpec::Kind::Buffer;
      else if (kind == "scalar")
        arg.kind = ArgSpec::Kind::Scalar;
      else
        throw fail("unknown argument kind '" + kind + "'");
      auto parsed = dtype_from_name(dtype);
      if (!parsed)
        throw fail("unknown dtype '" + dtype + "'");
      arg.dtype = *parsed;
      arg.name = name;
      std::string promise;
      if (fields >> promise) {
        const std::string key = "multiple_of=";
        size_t used = 0;
        try {
          if (promise.rfind(key, 0) != 0)
            throw std::invalid_argument(promise);
          arg.multiple_of = std::stoll(promise.substr(key.size()), &used);
        } catch (const std::exception &) {
          throw fail("expected 'multiple_of=<n>' after the argument's name");
        }
        if (arg.multiple_of < 1 || used + key.size() != promise.size())
          throw fail("expected 'multiple_of=<n>' with n a positive integer");
      }
      info.args.push_back(arg);
    } else if (key == "site") {
      info.sites.push_back(line.size() > 5 ? unescape(line.substr(5)) : std::string());
    } else {
      throw fail("unknown record '" + key + "'");
    }
  }
  if (!sawHeader || !sawName)
    throw Error(ErrorCode::LoadError, "kernel info is missing its header or name");
  return info;
}

std::string entry_symbol(const std::string &name) { return name; }
std::string info_symbol(const std::string &name) { return "__tegula_info_" + name; }

} // namespace tegula
