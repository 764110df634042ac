// Loops of tegula-convert-tile-to-maia. A loop that stores nothing and whose loads
// depend only on the induction variable (and on values from outside the loop) is
// software-pipelined:
// every such load gets two TSRAM buffers, the first iteration's data is fetched before
// the loop, and each iteration starts the DMA of the next one's data into the other
// buffer before it computes on its own, so transfers overlap tensor and vector work.
// The loop is unrolled by two so that buffer offsets stay static:
//
//   fetch(lb) -> X
//   for i in [lb, ub - step) step 2*step:   // both halves exist
//     fetch(i + step) -> Y;    body(i) on X
//     fetch(i + 2*step) -> X;  body(i + step) on Y     (nothing moves past ub)
//   for i in [tail, ub) step step:            // at most one iteration
//     body(i) on X
#include "backends/maia/Conversion/Lowering.h"
#include "dialects/tile/IR/TileDialect.h"

#include <functional>

namespace tegula::maia::lowering {

using namespace mlir;

namespace tile = tegula::tile;

namespace {
/// Ops that only build index tiles, masks, pointers and descriptors: the lowering
/// keeps them symbolic, so evaluating them for another iteration costs only scalar
/// arithmetic.
/// Ends a loop body built by `ForOp::create`, which adds the terminator itself when the
/// loop has no iter args.
void terminate(OpBuilder &b, Location loc, scf::ForOp loop, ValueRange values) {
  Block *body = loop.getBody();
  if (body->mightHaveTerminator() && isa<scf::YieldOp>(body->back()))
    return;
  scf::YieldOp::create(b, loc, values);
}

bool isAddressArithmetic(Operation *op) {
  // Only `<` and `<=` make index masks; other comparisons make masks of data, whose
  // loads are indexed DMAs and not prefetched.
  if (auto cmp = dyn_cast<arith::CmpIOp>(op))
    return cmp.getPredicate() == arith::CmpIPredicate::slt || cmp.getPredicate() == arith::CmpIPredicate::sle;
  return isa<arith::ConstantOp, arith::AddIOp, arith::SubIOp, arith::MulIOp, arith::MinSIOp, arith::ExtSIOp,
             arith::TruncIOp, arith::IndexCastOp, arith::AndIOp, tile::RangeOp, tile::SplatOp, tile::ExpandDimsOp,
             tile::BroadcastOp, tile::AddPtrOp, tile::MakeDescOp>(op);
}
} // namespace

/// Collects into `slice` the body ops that compute `load`'s operands. False when the
/// access depends on anything but the induction variable, values from outside the
/// loop and address arithmetic on those.
bool collectAddressSlice(scf::ForOp loop, Operation *load, llvm::SetVector<Operation *> &slice) {
  Block *body = loop.getBody();
  SmallVector<Value> work(load->getOperands());
  DenseSet<Value> seen;
  while (!work.empty()) {
    Value v = work.pop_back_val();
    if (!seen.insert(v).second)
      continue;
    if (auto arg = dyn_cast<BlockArgument>(v)) {
      if (arg.getOwner() == body && arg != loop.getInductionVar())
        return false; // an iter arg: known only once the previous iteration ran
      if (arg.getOwner() != body && loop->isAncestor(arg.getOwner()->getParentOp()))
        return false;
      continue;
    }
    Operation *def = v.getDefiningOp();
    if (!loop->isAncestor(def))
      continue; // defined before the loop
    if (def->getBlock() != body || !isAddressArithmetic(def))
      return false;
    slice.insert(def);
    work.append(def->getOperands().begin(), def->getOperands().end());
  }
  return true;
}

SmallVector<Operation *> Lowering::prefetchableLoads(scf::ForOp op) {
  SmallVector<Operation *> loads;
  // A prefetch reads memory before the current iteration's stores are made, so a loop
  // that writes memory anywhere in its body (which might be what its next iteration
  // reads) keeps the plain schedule.
  bool writes = op.getBody()
                    ->walk([](Operation *inner) {
                      return isa<tile::StoreOp, tile::DescStoreOp, tile::AtomicRMWOp, tile::AtomicCASOp>(inner)
                                 ? WalkResult::interrupt()
                                 : WalkResult::advance();
                    })
                    .wasInterrupted();
  if (writes)
    return loads;
  for (Operation &inner : op.getBody()->without_terminator()) {
    llvm::SetVector<Operation *> slice;
    if (isa<tile::LoadOp, tile::DescLoadOp>(inner) && collectAddressSlice(op, &inner, slice))
      loads.push_back(&inner);
  }
  return loads;
}

void Lowering::lowerLoadsFor(scf::ForOp op, ArrayRef<Operation *> loads, Value iv, Value left,
                             llvm::function_ref<void(size_t)> prepare) {
  llvm::SetVector<Operation *> slice;
  for (Operation *load : loads)
    collectAddressSlice(op, load, slice);
  scalars_[op.getInductionVar()] = iv;
  iterationsLeft_ = left;
  // The loads' address arithmetic is lowered again for `iv`; the body's own lowering
  // redoes it for the current iteration (only scalar instructions, no commands).
  for (Operation &inner : op.getBody()->without_terminator()) {
    auto it = llvm::find(loads, &inner);
    if (it != loads.end()) {
      prepare(it - loads.begin());
      lowerOp(&inner);
      prefetchTarget_.reset();
      prefetchSem_.reset();
      sharedFetch_.reset();
    } else if (slice.contains(&inner)) {
      lowerOp(&inner);
    }
  }
  iterationsLeft_ = Value();
}

void Lowering::prefetch(scf::ForOp op, ArrayRef<Operation *> loads, ArrayRef<Buffer> targets,
                        ArrayRef<int32_t> sems, Value iv, Value left) {
  lowerLoadsFor(op, loads, iv, left, [&](size_t i) {
    prefetchTarget_ = targets[i];
    prefetchSem_ = sems[i];
  });
}

void Lowering::fetchShared(scf::ForOp op, const SharedLoop &shared, int stage, Value iv, Value left) {
  SmallVector<Operation *> loads;
  for (const SharedLoad &load : shared.loads)
    loads.push_back(load.load);
  lowerLoadsFor(op, loads, iv, left, [&](size_t i) {
    sharedFetch_ = SharedFetch{slotAddress(shared.loads[i], stage), fetchesShared(shared.loads[i])};
    prefetchSem_ = shared.loads[i].sem;
  });
}

SmallVector<Value> Lowering::lowerIteration(scf::ForOp op, Value iv, ValueRange scalarArgs,
                                            ArrayRef<int> scalarSlot, ArrayRef<Buffer> carried,
                                            ArrayRef<int32_t> inFlight) {
  ++loopDepth_;
  scalars_[op.getInductionVar()] = iv;
  const SmallVector<Info> &layouts = carriedLayouts_[op];
  for (auto [i, arg] : llvm::enumerate(op.getRegionIterArgs())) {
    if (!std::holds_alternative<std::monostate>(layouts[i]))
      tiles_[arg] = withCarriedBase(layouts[i], scalarArgs[scalarSlot[i]]);
    else if (scalarSlot[i] >= 0)
      scalars_[arg] = scalarArgs[scalarSlot[i]];
    else
      tiles_[arg] = carried[i];
  }
  for (Operation &inner : op.getBody()->without_terminator()) {
    if (auto it = prefetched_.find(&inner); it != prefetched_.end()) {
      tiles_[inner.getResult(0)] = it->second;
      continue;
    }
    lowerOp(&inner);
    if (&inner == lastSharedLoad_ && afterSharedCopies_)
      afterSharedCopies_();
  }
  auto yield = cast<scf::YieldOp>(op.getBody()->getTerminator());
  loc_ = yield.getLoc();
  SmallVector<Value> next;
  // The yield is a parallel copy: a carried buffer may be the source of another
  // carried tile's copy, so sources that are carried buffers go through a staging
  // buffer before any carried buffer is written.
  SmallVector<std::pair<Buffer, Buffer>> copies; // (target, source)
  for (auto [i, value] : llvm::enumerate(yield.getOperands())) {
    if (!std::holds_alternative<std::monostate>(carriedLayouts_[op][i])) {
      next.push_back(carriedBase(carriedLayouts_[op][i], value, op));
      continue;
    }
    if (scalarSlot[i] >= 0) {
      next.push_back(scalar(value, yield));
      continue;
    }
    Buffer source = materialize(value, yield);
    bool sourceIsCarried = llvm::any_of(carried, [&](const Buffer &c) { return c.offset == source.offset; });
    if (sourceIsCarried && source.offset != carried[i].offset) {
      Buffer staged = allocate(source.shape, source.elem, yield);
      copy(staged, source);
      source = staged;
    }
    copies.push_back({carried[i], source});
  }
  for (auto &[target, source] : copies)
    copy(target, source);
  drain(inFlight); // the next iteration may touch any buffer but the prefetches' own
  --loopDepth_;
  return next;
}

void Lowering::lowerFor(scf::ForOp op) {
  Value lb = scalar(op.getLowerBound(), op), ub = scalar(op.getUpperBound(), op), step = scalar(op.getStep(), op);
  SmallVector<Value> inits;
  SmallVector<int> scalarSlot; // per iter arg: index among the new loop's iter args, or -1
  SmallVector<Buffer> carried(op.getNumRegionIterArgs());
  SmallVector<Info> layouts(op.getNumRegionIterArgs());
  for (auto [i, init] : llvm::enumerate(op.getInitArgs())) {
    if (isa<RankedTensorType>(init.getType())) {
      auto type = cast<RankedTensorType>(init.getType());
      Info &i0 = info(init, op);
      // Tiles of pointers and index tiles stay symbolic: the loop carries their base
      // (the offset in elements that `ptrs + step` advances) in a register, and every
      // iteration shares their strides.
      auto *index = std::get_if<Affine>(&i0);
      bool varies = index && llvm::any_of(index->strides, [](Value s) { return static_cast<bool>(s); }) &&
                    advancesByUniform(op, static_cast<unsigned>(i));
      if (std::holds_alternative<PtrTile>(i0) || varies) {
        layouts[i] = i0;
        Value base = std::holds_alternative<PtrTile>(i0) ? std::get<PtrTile>(i0).offsets.base
                                                         : std::get<Affine>(i0).base;
        scalarSlot.push_back(static_cast<int>(inits.size()));
        inits.push_back(base ? base : cst(0));
        continue;
      }
      if (auto *c = std::get_if<FloatConst>(&i0)) {
        carried[i] = allocate(type.getShape(), c->elem, op);
        fill(carried[i], c->value);
      } else {
        // A uniform integer (an integer accumulator's zeros) is carried as data.
        Buffer from = index ? materializeAs(init, op) : materialize(init, op);
        carried[i] = allocate(type.getShape(), from.elem, op);
        copy(carried[i], from);
      }
      scalarSlot.push_back(-1);
    } else {
      scalarSlot.push_back(static_cast<int>(inits.size()));
      inits.push_back(scalar(init, op));
    }
  }
  carriedLayouts_[op] = layouts;
  // Buffers allocated after this point die with the loop; everything is drained at
  // its end, so the allocator can hand their TSRAM out again.
  int64_t mark = next_;

  // Loops nested in a pipelined body keep the enclosing loop's prefetched loads
  // mapped; only loops with a positive constant step are pipelined.
  std::optional<int64_t> stepValue = constOf(step);
  SmallVector<Operation *> loads;
  if (stepValue && *stepValue > 0)
    loads = prefetchableLoads(op);
  drain(); // a loop body starts with nothing pending (it waits for its own commands)
  if (loads.empty()) {
    auto loop = scf::ForOp::create(b_, loc(), lb, ub, step, inits);
    OpBuilder::InsertionGuard guard(b_);
    b_.setInsertionPointToStart(loop.getBody());
    SmallVector<Value> next =
        lowerIteration(op, loop.getInductionVar(), loop.getRegionIterArgs(), scalarSlot, carried, {});
    terminate(b_, loc(), loop, next);
    for (auto [i, result] : llvm::enumerate(op.getResults()))
      if (scalarSlot[i] >= 0)
        scalars_[result] = loop.getResult(scalarSlot[i]);
  } else {
    lowerPipelinedFor(op, *stepValue, loads, lb, ub, inits, scalarSlot, carried);
  }
  for (auto [i, result] : llvm::enumerate(op.getResults())) {
    if (!std::holds_alternative<std::monostate>(layouts[i])) {
      tiles_[result] = withCarriedBase(layouts[i], scalars_[result]);
      scalars_.erase(result);
    } else if (scalarSlot[i] < 0) {
      tiles_[result] = carried[i];
    }
  }
  carriedLayouts_.erase(op);
  next_ = mark;
}

bool Lowering::advancesByUniform(scf::ForOp loop, unsigned i) {
  // Each value of the yield's computation is the iter arg plus a uniform value (Self),
  // a uniform value (the same in every element), or anything else; only Self keeps
  // the strides the loop carries.
  enum Kind { Self, Uniform, Other };
  Value arg = loop.getRegionIterArgs()[i];
  DenseMap<Value, Kind> memo;
  std::function<Kind(Value)> kindOf = [&](Value v) -> Kind {
    if (v == arg)
      return Self;
    if (auto it = memo.find(v); it != memo.end())
      return it->second;
    Kind k = Other;
    Operation *def = v.getDefiningOp();
    if (!isa<RankedTensorType>(v.getType())) {
      k = Uniform; // a scalar
    } else if (!def || !loop->isAncestor(def)) {
      // A tile from outside the loop (or another iter arg): uniform when the lowering
      // holds it as an index tile without strides.
      auto it = tiles_.find(v);
      auto *a = it == tiles_.end() ? nullptr : std::get_if<Affine>(&it->second);
      k = a && llvm::all_of(a->strides, [](Value s) { return !s; }) ? Uniform : Other;
    } else if (isa<arith::ConstantOp, tile::SplatOp>(def)) {
      k = Uniform;
    } else if (isa<tile::BroadcastOp, tile::ExpandDimsOp>(def)) {
      k = kindOf(def->getOperand(0)) == Uniform ? Uniform : Other;
    } else if (isa<arith::AddIOp, arith::MulIOp>(def)) {
      // The sums and products TileToMaia.cpp keeps symbolic; other integer operations
      // on tiles (differences, casts) make data.
      Kind x = kindOf(def->getOperand(0)), y = kindOf(def->getOperand(1));
      if (x == Uniform && y == Uniform)
        k = Uniform;
      else if (isa<arith::AddIOp>(def) && ((x == Self && y == Uniform) || (x == Uniform && y == Self)))
        k = Self;
    }
    memo[v] = k;
    return k;
  };
  return kindOf(loop.getBody()->getTerminator()->getOperand(i)) == Self;
}

Info Lowering::withCarriedBase(const Info &layout, Value base) {
  Info out = layout;
  if (auto *p = std::get_if<PtrTile>(&out))
    p->offsets.base = base;
  else
    std::get<Affine>(out).base = base;
  return out;
}

Value Lowering::carriedBase(const Info &layout, Value value, Operation *loop) {
  // Two values agree when they are the same register or the same constant (a null
  // value is zero).
  auto same = [&](Value x, Value y) {
    if (x == y)
      return true;
    std::optional<int64_t> cx = x ? constOf(x) : std::optional<int64_t>(0);
    std::optional<int64_t> cy = y ? constOf(y) : std::optional<int64_t>(0);
    return cx && cy && *cx == *cy;
  };
  auto sameStrides = [&](const Affine &x, const Affine &y) {
    if (x.strides.size() != y.strides.size())
      return false;
    for (auto [s, t] : llvm::zip(x.strides, y.strides))
      if (!same(s, t))
        return false;
    return true;
  };
  // Refusals name the loop: the yield is no construct of the language.
  Info now = info(value, loop);
  if (auto *p = std::get_if<PtrTile>(&layout)) {
    auto *q = std::get_if<PtrTile>(&now);
    if (!q)
      fail(loop, "a tile of pointers carried through a loop is yielded as " + describe(now));
    if (q->elem != p->elem || !same(q->base, p->base) || !sameStrides(q->offsets, p->offsets))
      fail(loop, "a tile of pointers carried through a loop keeps its base pointer and strides; advance it by "
                  "a uniform offset (`ptrs + step`) rather than rebuilding it");
    return q->offsets.base ? q->offsets.base : cst(0);
  }
  auto &a = std::get<Affine>(layout);
  auto *q = std::get_if<Affine>(&now);
  if (!q)
    fail(loop, "an index tile carried through a loop is yielded as " + describe(now));
  if (!sameStrides(*q, a))
    fail(loop, "an index tile carried through a loop keeps its strides; add a uniform value to it rather than "
                "rebuilding it");
  return q->base ? q->base : cst(0);
}

void Lowering::lowerPipelinedFor(scf::ForOp op, int64_t step, ArrayRef<Operation *> loads, Value lb, Value ub,
                                 ValueRange inits, ArrayRef<int> scalarSlot, ArrayRef<Buffer> carried) {
  // Loads shared through cluster SRAM are fetched into two CSRAM stages instead and
  // copied into a TSRAM buffer of the iteration; the others (local) get two TSRAM
  // buffers, and a semaphore for each: a prefetch stays in flight past the end of the
  // iteration that issued it, until the next one needs its data, so the DMA queue is
  // never left empty while the loop runs.
  std::optional<SharedLoop> shared;
  if (auto it = sharedLoops_.find(op); it != sharedLoops_.end())
    shared = it->second;
  SmallVector<Operation *> local;
  for (Operation *load : loads)
    if (!shared || llvm::none_of(shared->loads, [&](const SharedLoad &l) { return l.load == load; }))
      local.push_back(load);
  SmallVector<Buffer> first, second;
  for (Operation *load : local) {
    auto type = cast<RankedTensorType>(load->getResult(0).getType());
    first.push_back(allocate(type.getShape(), type.getElementType(), load));
    second.push_back(allocate(type.getShape(), type.getElementType(), load));
  }
  SmallVector<int32_t> firstSems = reserveSems(local.size(), op), secondSems = reserveSems(local.size(), op);
  SmallVector<int32_t> fetchSems;
  if (shared) {
    fetchSems = reserveSems(shared->loads.size(), op);
    for (auto [load, sem] : llvm::zip(shared->loads, fetchSems))
      load.sem = sem;
    lastSharedLoad_ = nullptr;
    for (Operation &inner : op.getBody()->without_terminator())
      if (llvm::any_of(shared->loads, [&](const SharedLoad &l) { return l.load == &inner; }))
        lastSharedLoad_ = &inner;
    // The group's previous loop, or previous program instances, may still read CSRAM.
    mir::ClusterBarrierOp::create(b_, loc());
  }
  int64_t bodyMark = next_;
  Value stepValue = cst(step);
  prefetch(op, local, first, firstSems, lb, sub(ub, lb));
  if (shared)
    fetchShared(op, *shared, 0, lb, sub(ub, lb));
  next_ = bodyMark;

  // The fetches of an iteration's shared slices are complete, in every instance of the
  // square, once the barrier is passed.
  auto awaitShared = [&] {
    if (!shared)
      return;
    for (int32_t sem : fetchSems)
      for (size_t i = 0; i < pending_.size(); ++i)
        if (pending_[i].sem == sem) {
          waitFor(i);
          break;
        }
    // The planted drop-barrier bug: the first barrier in a loop body is left out, so
    // the copies may read a slot before its fetch is published.
    if (bug_ == PlantedBug::DropBarrier) {
      bug_ = PlantedBug::None;
      return;
    }
    mir::ClusterBarrierOp::create(b_, loc());
  };
  auto bindShared = [&](int stage) {
    if (shared)
      for (const SharedLoad &load : shared->loads)
        sharedSource_[load.load] = slotAddress(load, stage);
  };

  // The pairs: the extra iter arg is the induction variable after the last pair,
  // where the tail starts. Each half enters with its own buffers' prefetches pending
  // and leaves with the other half's.
  SmallVector<Value> pairInits(inits.begin(), inits.end());
  pairInits.push_back(lb);
  auto pairs = scf::ForOp::create(b_, loc(), lb, sub(ub, stepValue), cst(2 * step), pairInits);
  {
    OpBuilder::InsertionGuard guard(b_);
    b_.setInsertionPointToStart(pairs.getBody());
    Value i = pairs.getInductionVar();
    ValueRange args = pairs.getRegionIterArgs().drop_back();
    auto half = [&](Value iv, int stage, ArrayRef<Buffer> current, ArrayRef<Buffer> upcoming,
                    ArrayRef<int32_t> upcomingSems, ValueRange scalarArgs) {
      Value nextIv = add(iv, stepValue);
      awaitShared();
      SmallVector<int32_t> keep(upcomingSems);
      keep.append(fetchSems);
      SmallVector<Pending> inFlight;
      auto issueNext = [&] {
        ++loopDepth_;
        prefetch(op, local, upcoming, upcomingSems, nextIv, sub(ub, nextIv));
        if (shared)
          fetchShared(op, *shared, 1 - stage, nextIv, sub(ub, nextIv));
        --loopDepth_;
        for (const Pending &p : pending_)
          if (llvm::is_contained(keep, p.sem))
            inFlight.push_back(p);
      };
      if (shared) {
        // After the copies: the DMA queue runs in order, and the tensor unit waits for
        // the copies, not for the next iteration's data. The next iteration's address
        // arithmetic is lowered in the middle of this one's, so the values of this
        // iteration are put back afterwards.
        afterSharedCopies_ = [&] {
          DenseMap<Value, Value> scalars = scalars_;
          DenseMap<Value, Info> tiles = tiles_;
          issueNext();
          scalars_ = std::move(scalars);
          tiles_ = std::move(tiles);
        };
        bindShared(stage);
      } else {
        issueNext();
      }
      for (auto [load, buf] : llvm::zip(local, current))
        prefetched_[load] = buf;
      SmallVector<Value> yielded = lowerIteration(op, iv, scalarArgs, scalarSlot, carried, keep);
      for (Operation *load : local)
        prefetched_.erase(load);
      sharedSource_.clear();
      afterSharedCopies_ = nullptr;
      // Every iteration must end as the loop is entered: with the prefetches into the
      // next half's buffers pending. One waited for already (a loop nested in the body
      // drains everything first) is signalled again, so that the single wait the next
      // half emits for it finds the count it expects; its data is in place by then.
      for (const Pending &p : inFlight)
        if (llvm::none_of(pending_, [&](const Pending &q) { return q.sem == p.sem; })) {
          mir::SignalOp::create(b_, loc(), p.sem, 1);
          pending_.push_back(p);
        }
      next_ = bodyMark;
      return yielded;
    };
    SmallVector<Value> mid = half(i, 0, first, second, secondSems, args);
    SmallVector<Value> end = half(add(i, stepValue), 1, second, first, firstSems, mid);
    end.push_back(add(i, cst(2 * step)));
    terminate(b_, loc(), pairs, end);
  }
  // The tail: one iteration when the trip count is odd, on the first buffers and CSRAM
  // stage. Their prefetches are waited for here, as the tail may not run.
  drain();
  ValueRange afterPairs = pairs.getResults();
  auto tail = scf::ForOp::create(b_, loc(), afterPairs.back(), ub, stepValue, afterPairs.drop_back());
  {
    OpBuilder::InsertionGuard guard(b_);
    b_.setInsertionPointToStart(tail.getBody());
    awaitShared();
    bindShared(0);
    for (auto [load, buf] : llvm::zip(local, first))
      prefetched_[load] = buf;
    SmallVector<Value> yielded =
        lowerIteration(op, tail.getInductionVar(), tail.getRegionIterArgs(), scalarSlot, carried, {});
    for (Operation *load : local)
      prefetched_.erase(load);
    sharedSource_.clear();
    next_ = bodyMark;
    terminate(b_, loc(), tail, yielded);
  }
  lastSharedLoad_ = nullptr;
  releaseSems(firstSems);
  releaseSems(secondSems);
  releaseSems(fetchSems);
  for (auto [i, result] : llvm::enumerate(op.getResults()))
    if (scalarSlot[i] >= 0)
      scalars_[result] = tail.getResult(scalarSlot[i]);
}

} // namespace tegula::maia::lowering
