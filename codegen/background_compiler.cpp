#include "codegen/background_compiler.hpp"

#include <pthread.h>

#include <algorithm>
#include <csignal>

namespace grizzly::codegen {

BackgroundCompiler::BackgroundCompiler() {
    // The worker takes no signals: a process-directed signal (the shell's Ctrl-C,
    // whose handler jumps out of the line editor) must reach the thread it was meant for.
    // A new thread inherits its creator's mask, so block everything just around the spawn.
    sigset_t all, saved;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &saved);
    worker_ = std::thread([this] { Loop(); });
    pthread_sigmask(SIG_SETMASK, &saved, nullptr);
}

BackgroundCompiler::~BackgroundCompiler() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
        queue_.clear();
    }
    work_.notify_all();
    worker_.join();
}

bool BackgroundCompiler::Submit(const std::string& name, std::function<void()> job, bool urgent) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (stopping_ || !pending_.insert(name).second) return false;
        auto at = urgent ? std::find_if(queue_.begin(), queue_.end(), [](const Job& queued) { return !queued.urgent; })
                         : queue_.end();
        queue_.insert(at, Job{name, std::move(job), urgent});
    }
    work_.notify_one();
    return true;
}

bool BackgroundCompiler::Pending(const std::string& name) const {
    std::lock_guard<std::mutex> lock(mutex_);
    return pending_.count(name) != 0;
}

void BackgroundCompiler::WaitIdle() {
    std::unique_lock<std::mutex> lock(mutex_);
    idle_.wait(lock, [this] { return pending_.empty(); });
}

void BackgroundCompiler::Loop() {
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
        work_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (stopping_) break;
        Job job = std::move(queue_.front());
        queue_.pop_front();
        lock.unlock();
        // A job reports its own failures (a shape that fails to compile simply stays interpreted).
        job.run();
        lock.lock();
        pending_.erase(job.name);
        if (pending_.empty()) idle_.notify_all();
    }
    pending_.clear();
    idle_.notify_all();
}

}  // namespace grizzly::codegen
