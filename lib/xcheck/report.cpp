// xcheck's outputs: the table and the JSON records (and reading them back).
#include "tegula/xcheck/xcheck.h"

#include "format.h"

#include "tegula/runtime/error.h"

#include <cctype>
#include <cinttypes>
#include <cstdio>
#include <map>
#include <sstream>

namespace tegula::xcheck {

const char *status_name(Status status) {
  switch (status) {
  case Status::Pass: return "PASS";
  case Status::Fail: return "FAIL";
  case Status::Unsupported: return "n/a";
  case Status::Error: return "ERROR";
  case Status::Assembled: return "ASSEMBLED";
  }
  return "?";
}

std::string Record::shape_text() const {
  std::string out;
  for (int64_t d : what.shape)
    out += (out.empty() ? "" : "x") + std::to_string(d);
  return out;
}

namespace {

using detail::hex;
using detail::number;

std::string quoted(const std::string &s) {
  std::string out = "\"";
  for (char ch : s) {
    if (ch == '"' || ch == '\\')
      out += '\\';
    if (ch == '\n') {
      out += "\\n";
      continue;
    }
    out += ch;
  }
  return out + "\"";
}


/// A reader for the records' own JSON: an array of flat objects whose values are
/// strings, numbers and arrays of integers.
class Reader {
public:
  explicit Reader(const std::string &text) : text_(text) {}
  std::vector<std::map<std::string, std::string>> records() {
    std::vector<std::map<std::string, std::string>> out;
    expect('[');
    if (peek() == ']') {
      ++at_;
      return out;
    }
    for (;;) {
      out.push_back(object());
      if (peek() == ',') {
        ++at_;
        continue;
      }
      expect(']');
      return out;
    }
  }

private:
  [[noreturn]] void fail(const std::string &why) const {
    throw Error(ErrorCode::LoadError, "xcheck records: " + why + " at byte " + std::to_string(at_));
  }
  char peek() {
    while (at_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[at_])))
      ++at_;
    if (at_ >= text_.size())
      fail("unexpected end of input");
    return text_[at_];
  }
  void expect(char ch) {
    if (peek() != ch)
      fail(std::string("expected '") + ch + "'");
    ++at_;
  }
  std::string string() {
    expect('"');
    std::string out;
    while (at_ < text_.size() && text_[at_] != '"') {
      if (text_[at_] == '\\' && at_ + 1 < text_.size()) {
        ++at_;
        out += text_[at_] == 'n' ? '\n' : text_[at_];
      } else {
        out += text_[at_];
      }
      ++at_;
    }
    if (at_ >= text_.size())
      fail("unterminated string");
    ++at_;
    return out;
  }
  std::string value() {
    char ch = peek();
    if (ch == '"')
      return string();
    size_t start = at_;
    if (ch == '[') {
      while (at_ < text_.size() && text_[at_] != ']')
        ++at_;
      if (at_ >= text_.size())
        fail("unterminated array");
      ++at_;
      return text_.substr(start, at_ - start);
    }
    while (at_ < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[at_])) || text_[at_] == '-' ||
                                  text_[at_] == '+' || text_[at_] == '.'))
      ++at_;
    if (start == at_)
      fail("expected a value");
    return text_.substr(start, at_ - start);
  }
  std::map<std::string, std::string> object() {
    std::map<std::string, std::string> fields;
    expect('{');
    if (peek() == '}') {
      ++at_;
      return fields;
    }
    for (;;) {
      std::string key = string();
      expect(':');
      fields[key] = value();
      if (peek() == ',') {
        ++at_;
        continue;
      }
      expect('}');
      return fields;
    }
  }
  const std::string &text_;
  size_t at_ = 0;
};


} // namespace

std::string table(const std::vector<Record> &records) {
  std::ostringstream os;
  char line[256];
  std::snprintf(line, sizeof line, "%-17s %-7s %-5s %-20s %-6s %11s %10s %11s\n", "kernel", "backend", "dtype",
                "shape", "result", "max_abs_err", "err/bound", "time_ms");
  os << line;
  for (const Record &r : records) {
    std::snprintf(line, sizeof line, "%-17s %-7s %-5s %-20s %-6s %11.2e %10.3g %11.3f\n", r.what.kernel.c_str(),
                  r.what.backend.c_str(), std::string(dtype_name(r.what.dtype)).c_str(), r.shape_text().c_str(),
                  status_name(r.status), r.max_abs_error, r.worst_ratio, r.ms);
    os << line;
    if (r.status != Status::Pass && !r.message.empty())
      os << "    " << r.message.substr(0, r.message.find('\n')) << "\n";
  }
  return os.str();
}

std::string to_json(const std::vector<Record> &records) {
  std::ostringstream os;
  os << "[\n";
  for (size_t i = 0; i < records.size(); ++i) {
    const Record &r = records[i];
    os << "  {\"kernel\": " << quoted(r.what.kernel) << ", \"backend\": " << quoted(r.what.backend)
       << ", \"dtype\": " << quoted(std::string(dtype_name(r.what.dtype))) << ", \"shape\": [";
    for (size_t d = 0; d < r.what.shape.size(); ++d)
      os << (d ? ", " : "") << r.what.shape[d];
    os << "], \"seed\": " << r.seed << ", \"status\": " << quoted(status_name(r.status))
       << ", \"elements\": " << r.elements << ", \"failures\": " << r.failures << ", \"unwritten\": " << r.unwritten
       << ", \"max_abs_error\": " << number(r.max_abs_error) << ", \"max_rel_error\": " << number(r.max_rel_error)
       << ", \"worst_error_over_bound\": " << number(r.worst_ratio) << ", \"ms\": " << number(r.ms)
       << ", \"input_hash\": " << quoted(hex(r.input_hash)) << ", \"output_hash\": " << quoted(hex(r.output_hash))
       << ", \"message\": " << quoted(r.message);
    if (!r.outputs_file.empty())
      os << ", \"outputs\": " << quoted(r.outputs_file);
    os << "}" << (i + 1 < records.size() ? "," : "") << "\n";
  }
  os << "]\n";
  return os.str();
}

std::vector<Record> from_json(const std::string &text) {
  std::vector<Record> records;
  Reader reader(text);
  size_t index = 0;
  for (auto &fields : reader.records()) {
    auto need = [&](const char *name) -> const std::string & {
      auto it = fields.find(name);
      if (it == fields.end())
        throw Error(ErrorCode::LoadError, "xcheck records: record " + std::to_string(index) + " has no '" +
                                              std::string(name) + "'");
      return it->second;
    };
    // A number field read in full by `parse` (std::stoull, std::stod, ...), whose
    // exceptions become a LoadError naming the field.
    auto number_field = [&](const char *name, const char *what, auto parse) {
      const std::string &v = need(name);
      try {
        size_t used = 0;
        auto value = parse(v, &used);
        if (used != v.size())
          throw std::invalid_argument(v);
        return value;
      } catch (const std::exception &) {
        throw Error(ErrorCode::LoadError, "xcheck records: record " + std::to_string(index) + ": '" + name +
                                              "' is not " + what + " ('" + v + "')");
      }
    };
    auto integer = [&](const char *name, int base = 10) {
      return number_field(name, "an integer",
                          [base](const std::string &v, size_t *used) { return std::stoull(v, used, base); });
    };
    auto real = [&](const char *name) {
      return number_field(name, "a number", [](const std::string &v, size_t *used) { return std::stod(v, used); });
    };
    Record r;
    r.what.kernel = need("kernel");
    r.what.backend = need("backend");
    auto dtype = dtype_from_name(need("dtype"));
    if (!dtype)
      throw Error(ErrorCode::LoadError,
                  "xcheck records: record " + std::to_string(index) + ": unknown dtype '" + need("dtype") + "'");
    r.what.dtype = *dtype;
    const std::string &shape = need("shape");
    if (shape.size() < 2 || shape.front() != '[' || shape.back() != ']')
      throw Error(ErrorCode::LoadError, "xcheck records: record " + std::to_string(index) +
                                            ": 'shape' is not a list of sizes ('" + shape + "')");
    std::istringstream sizes(shape.substr(1, shape.size() - 2));
    for (std::string size; std::getline(sizes, size, ',');) {
      try {
        size_t used = 0;
        r.what.shape.push_back(std::stoll(size, &used));
        if (size.find_first_not_of(' ', used) != std::string::npos)
          throw std::invalid_argument(size);
      } catch (const std::exception &) {
        throw Error(ErrorCode::LoadError, "xcheck records: record " + std::to_string(index) +
                                              ": 'shape' holds '" + size + "', not a size");
      }
    }
    r.seed = integer("seed");
    const std::string &status = need("status");
    r.status = status == "PASS"        ? Status::Pass
               : status == "FAIL"      ? Status::Fail
               : status == "n/a"       ? Status::Unsupported
               : status == "ASSEMBLED" ? Status::Assembled
                                       : Status::Error;
    r.elements = integer("elements");
    r.failures = integer("failures");
    r.input_hash = integer("input_hash", 16);
    r.output_hash = integer("output_hash", 16);
    r.max_abs_error = real("max_abs_error");
    r.worst_ratio = real("worst_error_over_bound");
    r.message = fields.count("message") ? fields["message"] : "";
    r.outputs_file = fields.count("outputs") ? fields["outputs"] : "";
    records.push_back(r);
    ++index;
  }
  return records;
}

} // namespace tegula::xcheck
