// Command scheduling of tegula-convert-tile-to-maia. Commands run asynchronously, each
// with a semaphore of its own; before a command is issued, the control processor waits
// only for the pending commands whose TSRAM footprint conflicts with it (read after
// write, write after read or write), so a DMA overlaps the vector or tensor work on
// other buffers. Loop bodies and the kernel's end drain every pending command, except
// a pipelined loop's prefetches, which stay in flight into the next iteration on
// semaphores reserved for them.
#include "backends/maia/Conversion/Lowering.h"

namespace tegula::maia::lowering {

using namespace mlir;

void Lowering::waitFor(size_t index) {
  int32_t sem = pending_[index].sem;
  pending_.erase(pending_.begin() + index);
  mir::WaitOp::create(b_, loc(), sem, 1);
  if (!llvm::is_contained(reservedSems_, sem))
    freeSems_.push_back(sem);
}

void Lowering::waitForOldestUnreserved() {
  // A reserved semaphore is not freed by its wait, and a pipelined loop's prefetches
  // must stay pending on every path through its body, so only the others qualify.
  for (size_t i = 0; i < pending_.size(); ++i)
    if (!llvm::is_contained(reservedSems_, pending_[i].sem))
      return waitFor(i);
  fail(nullptr, "every semaphore is reserved for a pipelined loop's prefetches, and an unpipelined form is not "
                "lowered; the kernel needs fewer loads in its loops");
}

void Lowering::drain(ArrayRef<int32_t> keep) {
  for (size_t i = 0; i < pending_.size();) {
    if (llvm::is_contained(keep, pending_[i].sem))
      ++i;
    else
      waitFor(i);
  }
}

int32_t Lowering::begin(ArrayRef<Buffer> reads, ArrayRef<Buffer> writes, CommandKind kind) {
  Pending next;
  for (const Buffer &b : reads)
    next.reads.push_back(rangeOf(b));
  for (const Buffer &b : writes)
    next.writes.push_back(rangeOf(b));
  auto conflicts = [&](const Pending &p) {
    for (const Range &w : p.writes)
      for (const Range &r : next.reads)
        if (w.overlaps(r))
          return true;
    for (const Range &w : next.writes) {
      for (const Range &r : p.reads)
        if (w.overlaps(r))
          return true;
      for (const Range &o : p.writes)
        if (w.overlaps(o))
          return true;
    }
    return false;
  };
  // The planted drop-wait bug: the first tensor command that needs a DMA into TSRAM
  // to finish does not wait for the newest such DMA (waiting for an older one would
  // still order it, as the DMA queue runs in order). Its semaphore is not reused.
  if (kind == CommandKind::Tensor && bug_ == PlantedBug::DropWait) {
    int newest = -1;
    for (size_t i = 0; i < pending_.size(); ++i)
      if (pending_[i].dmaIn >= 0 && conflicts(pending_[i]) &&
          (newest < 0 || pending_[i].dmaIn > pending_[newest].dmaIn))
        newest = static_cast<int>(i);
    if (newest >= 0) {
      bug_ = PlantedBug::None;
      llvm::erase(freeSems_, pending_[newest].sem);
      llvm::erase(reservedSems_, pending_[newest].sem);
      pending_.erase(pending_.begin() + newest);
    }
  }
  for (size_t i = 0; i < pending_.size();) {
    if (conflicts(pending_[i]))
      waitFor(i);
    else
      ++i;
  }
  if (kind == CommandKind::DmaIn && prefetchSem_) {
    next.sem = *prefetchSem_;
    // A reserved semaphore is free again once the previous prefetch on it was waited for.
    assert(llvm::none_of(pending_, [&](const Pending &p) { return p.sem == next.sem; }));
  } else {
    if (freeSems_.empty())
      waitForOldestUnreserved();
    next.sem = freeSems_.back();
    freeSems_.pop_back();
  }
  if (kind == CommandKind::DmaIn)
    next.dmaIn = dmaIns_++;
  pending_.push_back(next);
  return next.sem;
}

SmallVector<int32_t> Lowering::reserveSems(size_t n, Operation *op) {
  SmallVector<int32_t> sems;
  while (sems.size() < n) {
    if (freeSems_.empty()) {
      bool waitable = llvm::any_of(pending_, [&](const Pending &p) { return !llvm::is_contained(reservedSems_, p.sem); });
      if (!waitable)
        fail(op, "the loop's loads need more semaphores than are free, and an unpipelined form is not lowered");
      waitForOldestUnreserved();
      continue;
    }
    sems.push_back(freeSems_.pop_back_val());
  }
  reservedSems_.append(sems.begin(), sems.end());
  return sems;
}

void Lowering::releaseSems(ArrayRef<int32_t> sems) {
  for (int32_t sem : sems) {
    llvm::erase(reservedSems_, sem);
    if (llvm::none_of(pending_, [&](const Pending &p) { return p.sem == sem; }))
      freeSems_.push_back(sem);
  }
}

} // namespace tegula::maia::lowering
