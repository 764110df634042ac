// The workers that run program instances: started once, reused by every launch, so a
// small launch costs a wake-up rather than thread creation.
#ifndef TEGULA_LIB_RUNTIME_THREAD_POOL_H
#define TEGULA_LIB_RUNTIME_THREAD_POOL_H

#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace tegula::detail {

class ThreadPool {
public:
  /// The process-wide pool, with one worker per hardware thread beyond the caller's.
  static ThreadPool &instance();
  ~ThreadPool();

  /// Runs `body` on `participants` threads (the caller is one of them) and returns when
  /// all have finished. Launches from several threads take turns.
  void run(int participants, const std::function<void()> &body);
  int max_participants() const { return static_cast<int>(workers_.size()) + 1; }

private:
  explicit ThreadPool(int workers);
  void worker_loop(int index);

  std::vector<std::thread> workers_;
  std::mutex launch_mutex_; ///< one launch at a time
  std::mutex mutex_;
  std::condition_variable wake_, done_;
  const std::function<void()> *body_ = nullptr;
  int wanted_ = 0;      ///< workers taking part in the current job
  int remaining_ = 0;   ///< of those, still running
  uint64_t generation_ = 0;
  bool stopping_ = false;
};

} // namespace tegula::detail

#endif
