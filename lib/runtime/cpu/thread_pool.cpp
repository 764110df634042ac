#include "thread_pool.h"

#include <algorithm>

namespace tegula::detail {

ThreadPool &ThreadPool::instance() {
  // Leaked on purpose: workers must not be joined during static destruction, when a
  // kernel's code (a JIT session) may already be gone.
  static ThreadPool *pool = new ThreadPool(static_cast<int>(std::max(1u, std::thread::hardware_concurrency())) - 1);
  return *pool;
}

ThreadPool::ThreadPool(int workers) {
  for (int i = 0; i < workers; ++i)
    workers_.emplace_back([this, i] { worker_loop(i); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (std::thread &t : workers_)
    t.join();
}

void ThreadPool::worker_loop(int index) {
  uint64_t seen = 0;
  for (;;) {
    const std::function<void()> *body;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || (generation_ != seen && index < wanted_); });
      if (stopping_)
        return;
      seen = generation_;
      body = body_;
    }
    (*body)();
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (--remaining_ == 0)
        done_.notify_one();
    }
  }
}

void ThreadPool::run(int participants, const std::function<void()> &body) {
  int helpers = std::clamp(participants - 1, 0, static_cast<int>(workers_.size()));
  if (helpers == 0) {
    body();
    return;
  }
  std::lock_guard<std::mutex> launch(launch_mutex_);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    body_ = &body;
    wanted_ = helpers;
    remaining_ = helpers;
    ++generation_;
  }
  wake_.notify_all();
  body();
  std::unique_lock<std::mutex> lock(mutex_);
  done_.wait(lock, [&] { return remaining_ == 0; });
  body_ = nullptr;
}

} // namespace tegula::detail
