#include "check_case.h"

#include "tegula/runtime/error.h"

#include <cstring>
#include <fstream>
#include <sstream>

namespace tegula::gpu_check {

namespace {

[[noreturn]] void malformed(const std::string &where, const std::string &why) {
  throw Error(ErrorCode::LoadError, "gpu-check cases: " + where + ": " + why);
}

DType dtype_of(const std::string &name, const std::string &where) {
  std::optional<DType> d = dtype_from_name(name);
  if (!d)
    malformed(where, "unknown dtype '" + name + "'");
  return *d;
}

std::string real_text(double v) {
  std::ostringstream out;
  out.precision(17);
  out << v;
  return out.str();
}

template <typename T> void put(std::string &blob, T value) {
  blob.append(reinterpret_cast<const char *>(&value), sizeof(T));
}
template <typename T> T take(const std::string &blob, size_t &at, const std::string &where) {
  if (at + sizeof(T) > blob.size())
    malformed(where, "cases.bin ends before its record");
  T value;
  std::memcpy(&value, blob.data() + at, sizeof(T));
  at += sizeof(T);
  return value;
}

} // namespace

void write_cases(const std::string &dir, const std::vector<CheckCase> &cases) {
  std::ostringstream text;
  std::string blob;
  for (const CheckCase &c : cases) {
    text << "case " << c.name << "\n"
         << "bundle " << c.bundle << "\n"
         << "grid " << c.grid.x << " " << c.grid.y << " " << c.grid.z << "\n";
    for (const CaseArg &a : c.args) {
      switch (a.kind) {
      case CaseArg::Kind::Uniform:
        text << "arg uniform " << dtype_name(a.dtype) << " " << a.count << " " << a.seed << " " << real_text(a.lo)
             << " " << real_text(a.hi) << "\n";
        break;
      case CaseArg::Kind::Values:
        text << "arg values " << dtype_name(a.dtype) << " " << a.count;
        for (double v : a.values)
          text << " " << real_text(v);
        text << "\n";
        break;
      case CaseArg::Kind::Output:
        text << "arg output " << dtype_name(a.dtype) << " " << a.count << "\n";
        break;
      case CaseArg::Kind::Integer:
        text << "arg int " << a.integer << "\n";
        break;
      case CaseArg::Kind::Real:
        text << "arg real " << real_text(a.real) << "\n";
        break;
      }
    }
    for (const SampledCheck &s : c.sampled) {
      text << "sampled " << s.arg << " " << s.index.size() << " " << blob.size() << "\n";
      for (size_t i = 0; i < s.index.size(); ++i) {
        put(blob, s.index[i]);
        put(blob, s.reference[i]);
        put(blob, s.bound[i]);
      }
    }
    for (const ExactCheck &e : c.exact) {
      text << "exact " << e.arg << " " << e.bytes.size() << " " << blob.size() << "\n";
      blob += e.bytes;
    }
    if (c.entry >= 0)
      text << "entry " << c.entry << "\n";
    if (c.bits_required)
      text << "bits required\n";
    text << "small " << (c.small ? 1 : 0) << "\n"
         << "timed " << (c.timed ? 1 : 0) << " " << real_text(c.flops) << " " << real_text(c.bytes) << "\n";
    if (!c.baseline.empty())
      text << "baseline " << c.baseline << "\n";
    text << "end\n";
  }
  std::ofstream textFile(dir + "/cases.txt"), blobFile(dir + "/cases.bin", std::ios::binary);
  textFile << text.str();
  blobFile << blob;
  textFile.close();
  blobFile.close();
  if (!textFile || !blobFile)
    throw Error(ErrorCode::InvalidArgument, "gpu-check cases: cannot write " + dir + "/cases.txt and cases.bin");
}

std::vector<CheckCase> read_cases(const std::string &dir) {
  std::ifstream textFile(dir + "/cases.txt"), blobFile(dir + "/cases.bin", std::ios::binary);
  if (!textFile || !blobFile)
    throw Error(ErrorCode::LoadError, "gpu-check cases: cannot read " + dir + "/cases.txt and cases.bin");
  const std::string blob((std::istreambuf_iterator<char>(blobFile)), std::istreambuf_iterator<char>());
  std::vector<CheckCase> cases;
  CheckCase *open = nullptr;
  int number = 0;
  for (std::string line; std::getline(textFile, line);) {
    const std::string where = "cases.txt line " + std::to_string(++number);
    std::istringstream words(line);
    std::string key;
    if (!(words >> key))
      continue; // a blank line
    auto need = [&](bool ok, const char *what) {
      if (!ok || words.fail())
        malformed(where, std::string("expected ") + what);
    };
    if (key == "case") {
      need(!open, "'end' before a new case");
      cases.emplace_back();
      open = &cases.back();
      std::getline(words >> std::ws, open->name);
      need(!open->name.empty(), "a case name");
      continue;
    }
    need(open != nullptr, "'case' first");
    if (key == "bundle") {
      words >> open->bundle;
      need(!open->bundle.empty(), "a bundle file name");
    } else if (key == "grid") {
      words >> open->grid.x >> open->grid.y >> open->grid.z;
      need(open->grid.x > 0 && open->grid.y > 0 && open->grid.z > 0, "three positive grid sizes");
    } else if (key == "arg") {
      CaseArg a;
      std::string kind, dtype;
      words >> kind;
      if (kind == "uniform" || kind == "values" || kind == "output") {
        words >> dtype >> a.count;
        need(true, "a dtype and a count");
        a.dtype = dtype_of(dtype, where);
        if (kind == "uniform") {
          a.kind = CaseArg::Kind::Uniform;
          words >> a.seed >> a.lo >> a.hi;
          need(a.lo < a.hi, "a seed and a range lo < hi");
        } else if (kind == "values") {
          a.kind = CaseArg::Kind::Values;
          for (double v; a.values.size() < a.count && words >> v;)
            a.values.push_back(v);
          need(a.values.size() == a.count, "as many values as the count says");
        } else
          a.kind = CaseArg::Kind::Output;
      } else if (kind == "int") {
        a.kind = CaseArg::Kind::Integer;
        words >> a.integer;
        need(true, "an integer");
      } else if (kind == "real") {
        a.kind = CaseArg::Kind::Real;
        words >> a.real;
        need(true, "a number");
      } else
        malformed(where, "unknown argument kind '" + kind + "'");
      open->args.push_back(std::move(a));
    } else if (key == "sampled" || key == "exact") {
      int arg = -1;
      size_t count = 0, offset = 0;
      words >> arg >> count >> offset;
      need(arg >= 0 && static_cast<size_t>(arg) < open->args.size() && open->args[arg].buffer(),
           "a buffer argument's index, a count and an offset");
      if (key == "sampled") {
        SampledCheck s;
        s.arg = arg;
        for (size_t i = 0; i < count; ++i) {
          s.index.push_back(take<uint64_t>(blob, offset, where));
          s.reference.push_back(take<double>(blob, offset, where));
          s.bound.push_back(take<double>(blob, offset, where));
          if (s.index.back() >= open->args[arg].count)
            malformed(where, "sampled element " + std::to_string(s.index.back()) + " is past the buffer's " +
                                 std::to_string(open->args[arg].count));
        }
        open->sampled.push_back(std::move(s));
      } else {
        need(count == open->args[arg].count * dtype_size(open->args[arg].dtype), "the whole buffer's bytes");
        if (offset + count > blob.size())
          malformed(where, "cases.bin ends before its record");
        open->exact.push_back({arg, blob.substr(offset, count)});
      }
    } else if (key == "bits") {
      std::string what;
      words >> what;
      need(what == "required", "'bits required'");
      open->bits_required = true;
    } else if (key == "entry") {
      words >> open->entry;
      need(open->entry >= 0, "a bundle entry's index");
    } else if (key == "small") {
      int v = 0;
      words >> v;
      need(true, "0 or 1");
      open->small = v != 0;
    } else if (key == "timed") {
      int v = 0;
      words >> v >> open->flops >> open->bytes;
      need(true, "0 or 1, flops and bytes");
      open->timed = v != 0;
    } else if (key == "baseline") {
      std::getline(words >> std::ws, open->baseline);
    } else if (key == "end") {
      need(!open->bundle.empty(), "a bundle before 'end'");
      open = nullptr;
    } else if (!key.empty())
      malformed(where, "unknown key '" + key + "'");
  }
  if (open)
    malformed("cases.txt", "the last case has no 'end'");
  return cases;
}

} // namespace tegula::gpu_check
