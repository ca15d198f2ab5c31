#include "runtime/scheduler.hpp"

#include "runtime/memory_tracker.hpp"

#include <pthread.h>

#include <condition_variable>
#include <csignal>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace grizzly::runtime {

namespace {

thread_local bool t_in_worker = false;

/// One call of Run: its task, and how many of its workers have not ended.
struct Job {
    const std::function<void(size_t)>* task = nullptr;
    size_t running = 0;
    std::exception_ptr error;
    std::condition_variable done;
};

struct Item {
    Job* job;
    size_t worker;
};

}  // namespace

struct Scheduler::Impl {
    std::mutex mutex;
    std::condition_variable wake;
    std::deque<Item> queue;
    std::vector<std::thread> threads;
    bool stopping = false;

    /// Runs one worker of a job and counts it done. Called without the lock.
    void RunItem(const Item& item) {
        std::exception_ptr error;
        try {
            (*item.job->task)(item.worker);
        } catch (...) {
            error = std::current_exception();
        }
        std::lock_guard<std::mutex> lock(mutex);
        if (error && !item.job->error) item.job->error = error;
        if (--item.job->running == 0) item.job->done.notify_all();
    }

    void Loop() {
        t_in_worker = true;
        std::unique_lock<std::mutex> lock(mutex);
        while (true) {
            wake.wait(lock, [&] { return stopping || !queue.empty(); });
            if (stopping) return;
            Item item = queue.front();
            queue.pop_front();
            lock.unlock();
            RunItem(item);
            lock.lock();
        }
    }
};

Scheduler& Scheduler::Instance() {
    static Scheduler scheduler;
    return scheduler;
}

Scheduler::Impl& Scheduler::Get() {
    // Instance() is a function-local static: its construction is thread-safe, and
    // Impl is made under its own once-flag for the same reason.
    static std::once_flag once;
    std::call_once(once, [this] { impl_ = new Impl(); });
    return *impl_;
}

Scheduler::~Scheduler() {
    if (!impl_) return;
    {
        std::lock_guard<std::mutex> lock(impl_->mutex);
        impl_->stopping = true;
    }
    impl_->wake.notify_all();
    for (std::thread& thread : impl_->threads) thread.join();
    delete impl_;
}

bool Scheduler::InWorker() { return t_in_worker; }

size_t Scheduler::DefaultThreads() {
    const unsigned cores = std::thread::hardware_concurrency();
    return cores == 0 ? 1 : cores;
}

void Scheduler::Run(size_t workers, const std::function<void(size_t)>& task) {
    if (workers <= 1) {
        task(0);
        return;
    }
    Impl& impl = Get();
    // Workers count memory against the caller's statement.
    std::shared_ptr<MemoryTracker> memory = MemoryScope::Current();
    const std::function<void(size_t)> counted = [&task, &memory](size_t worker) {
        MemoryScope scope(memory);
        task(worker);
    };
    Job job;
    job.task = &counted;
    job.running = workers;
    {
        std::lock_guard<std::mutex> lock(impl.mutex);
        // The pool grows to the most workers any statement asked for (at most 255: `SET threads` caps at 256).
        // Pool threads take no signals: a process-directed one (the shell's Ctrl-C) must reach
        // the thread that waits for it; a new thread inherits its creator's mask.
        sigset_t all, saved;
        sigfillset(&all);
        pthread_sigmask(SIG_BLOCK, &all, &saved);
        while (impl.threads.size() < workers - 1) impl.threads.emplace_back([&impl] { impl.Loop(); });
        pthread_sigmask(SIG_SETMASK, &saved, nullptr);
        for (size_t worker = 1; worker < workers; ++worker) impl.queue.push_back(Item{&job, worker});
    }
    impl.wake.notify_all();
    impl.RunItem(Item{&job, 0});
    std::unique_lock<std::mutex> lock(impl.mutex);
    // Workers of this job no pool thread has taken yet run here.
    for (auto it = impl.queue.begin(); it != impl.queue.end();) {
        if (it->job != &job) {
            ++it;
            continue;
        }
        Item item = *it;
        it = impl.queue.erase(it);
        lock.unlock();
        impl.RunItem(item);
        lock.lock();
        it = impl.queue.begin();
    }
    job.done.wait(lock, [&] { return job.running == 0; });
    if (job.error) std::rethrow_exception(job.error);
}

}  // namespace grizzly::runtime
