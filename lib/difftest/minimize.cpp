// Greedy delta reduction of a failing program: try every smaller variant (a subtree
// replaced by one of its operands or by a leaf, a loop run once, an input merged into
// another, smaller sizes and blocks), keep the first that still fails, repeat.
#include "internal.h"

#include <algorithm>

namespace tegula::difftest {
namespace {
using detail::make;

/// Leaves that can stand for a node of `dtype` in a program of `program_dtype`.
std::vector<ExprRef> leaves_for(const Expr &node, DType program_dtype) {
  std::vector<ExprRef> out;
  Expr f;
  if (node.dtype == program_dtype) {
    if (node.op != Op::Load)
      out.push_back(make(Op::Load, program_dtype, {}, f));
    if (node.shape == Shape::Row && node.op != Op::LoadRow)
      out.push_back(make(Op::LoadRow, program_dtype, {}, f));
    if (node.shape == Shape::Col && node.op != Op::LoadCol)
      out.push_back(make(Op::LoadCol, program_dtype, {}, f));
  }
  if (node.op != Op::Const) {
    f.value = 1;
    out.push_back(make(Op::Const, node.dtype, {}, f));
  }
  return out;
}

/// The same node with one field simplified (input 1 -> 0, padding value -> 0, one
/// loop trip, a smaller shift).
std::vector<ExprRef> simpler_fields(const ExprRef &node) {
  std::vector<ExprRef> out;
  auto variant = [&](auto change) {
    auto copy = std::make_shared<Expr>(*node);
    change(*copy);
    out.push_back(copy);
  };
  if (node->op == Op::Load && node->input != 0)
    variant([](Expr &e) { e.input = 0; });
  if ((node->op == Op::Load || node->op == Op::LoadRow || node->op == Op::LoadCol) && node->value != 0)
    variant([](Expr &e) { e.value = 0; });
  if (node->op == Op::Loop && node->amount > 1)
    variant([](Expr &e) { e.amount = 1; });
  if ((node->op == Op::Shl || node->op == Op::Shr) && node->amount > 1)
    variant([](Expr &e) { e.amount = 1; });
  return out;
}

std::vector<Program> candidates(const Program &p) {
  std::vector<Program> out;
  auto add_root = [&](const ExprRef &root) {
    ExprRef typed = root ? detail::retype(root, nullptr) : nullptr;
    if (!typed)
      return;
    Program c = p;
    c.root = typed;
    if (validate(c))
      out.push_back(std::move(c));
  };
  size_t count = node_count(p.root);
  for (size_t i = 0; i < count; ++i) {
    ExprRef node = detail::node_at(p.root, i);
    for (const ExprRef &arg : node->args)
      add_root(detail::replace_at(p.root, i, arg));
    for (const ExprRef &leaf : leaves_for(*node, p.dtype))
      add_root(detail::replace_at(p.root, i, leaf));
    for (const ExprRef &simpler : simpler_fields(node))
      add_root(detail::replace_at(p.root, i, simpler));
  }
  auto sizes = [](int64_t v) {
    std::vector<int64_t> s = {1, v / 2, v - 1};
    s.erase(std::remove_if(s.begin(), s.end(), [&](int64_t x) { return x < 1 || x >= v; }), s.end());
    return s;
  };
  for (int64_t m : sizes(p.M)) {
    Program c = p;
    c.M = m;
    out.push_back(c);
  }
  for (int64_t n : sizes(p.N)) {
    Program c = p;
    c.N = n;
    out.push_back(c);
  }
  if (p.BM > 1) {
    Program c = p;
    c.BM = p.BM / 2;
    out.push_back(c);
  }
  if (p.BN > 1) {
    Program c = p;
    c.BN = p.BN / 2;
    out.push_back(c);
  }
  return out;
}

/// Node count first, then how much the program computes; fields that were simplified
/// count a little so that "same tree, simpler constant" is progress too.
size_t weight(const Program &p) {
  size_t w = program_size(p) * 8;
  std::vector<const Expr *> stack{p.root.get()};
  while (!stack.empty()) {
    const Expr *e = stack.back();
    stack.pop_back();
    w += (e->input != 0) + (e->value != 0 && e->op != Op::Const) + static_cast<size_t>(e->op == Op::Loop ? e->amount : 0) +
         static_cast<size_t>(e->op == Op::Shl || e->op == Op::Shr ? e->amount : 0);
    for (const ExprRef &arg : e->args)
      stack.push_back(arg.get());
  }
  return w;
}
} // namespace

Program minimize(const Program &program, const std::function<bool(const Program &)> &still_fails, int max_tries) {
  Program best = program;
  int tries = 0;
  bool progress = true;
  while (progress && tries < max_tries) {
    progress = false;
    for (const Program &c : candidates(best)) {
      if (weight(c) >= weight(best))
        continue;
      if (++tries > max_tries)
        break;
      if (still_fails(c)) {
        best = c;
        progress = true;
        break;
      }
    }
  }
  return best;
}

} // namespace tegula::difftest
