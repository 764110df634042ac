#include "tegula/maia/simulator.h"
#include "tegula/runtime/error.h"

#include <algorithm>

namespace tegula::maia {

uint64_t Hbm::allocate(uint64_t bytes, std::string name, bool backed) {
  if (bytes == 0)
    throw Error(ErrorCode::InvalidArgument, "HBM allocation '" + name + "' of 0 bytes");
  // First fit over the address-ordered allocations, each followed by a 256-byte gap
  // that keeps an overrun from landing in a neighbour.
  auto aligned = [](uint64_t a) { return (a + 255) / 256 * 256; };
  uint64_t base = kBase;
  auto at = allocations_.begin();
  for (; at != allocations_.end(); ++at) {
    if (base + bytes + 256 <= (*at)->base)
      break;
    base = aligned((*at)->base + (*at)->bytes + 256);
  }
  if (base + bytes > kBase + capacity_ || base + bytes < base)
    throw Error(ErrorCode::InvalidArgument, "HBM allocation '" + name + "' of " + std::to_string(bytes) +
                                                " bytes does not fit the device's " + std::to_string(capacity_) +
                                                " bytes (" + std::to_string(used()) + " in use)");
  auto allocation = std::make_unique<Allocation>();
  allocation->base = base;
  allocation->bytes = bytes;
  allocation->name = std::move(name);
  if (backed)
    allocation->storage.assign(bytes, 0);
  allocations_.insert(at, std::move(allocation));
  used_ += bytes;
  return base;
}

void Hbm::free(uint64_t base) {
  auto it = std::find_if(allocations_.begin(), allocations_.end(), [&](auto &a) { return a->base == base; });
  if (it == allocations_.end())
    throw Error(ErrorCode::InvalidArgument, "HBM free of address " + std::to_string(base) +
                                                ", which starts no allocation");
  used_ -= (*it)->bytes;
  allocations_.erase(it);
}

Hbm::Allocation *Hbm::find(uint64_t address, uint64_t bytes) {
  for (auto &a : allocations_)
    if (address >= a->base && address + bytes <= a->base + a->bytes && address + bytes >= address)
      return a.get();
  return nullptr;
}

const Hbm::Allocation *Hbm::nearest(uint64_t address) const {
  const Allocation *best = nullptr;
  uint64_t bestDistance = UINT64_MAX;
  for (auto &a : allocations_) {
    uint64_t end = a->base + a->bytes;
    uint64_t distance = address < a->base ? a->base - address : address >= end ? address - end + 1 : 0;
    if (distance < bestDistance) {
      bestDistance = distance;
      best = a.get();
    }
  }
  return best;
}

uint8_t *Hbm::host(uint64_t address, uint64_t bytes) {
  Allocation *a = find(address, bytes);
  if (!a)
    throw Error(ErrorCode::InvalidArgument, "host access to HBM [" + std::to_string(address) + ", +" +
                                                std::to_string(bytes) + ") outside every allocation");
  if (a->storage.empty())
    throw Error(ErrorCode::InvalidArgument, "HBM allocation '" + a->name + "' has no host storage (timing only)");
  return a->storage.data() + (address - a->base);
}

void Hbm::clear() {
  allocations_.clear();
  used_ = 0;
}

} // namespace tegula::maia
