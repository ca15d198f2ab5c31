#pragma once
/// The process's worker threads (DESIGN.md, "Parallelism"). A statement runs a
/// pipeline as one job of N workers: its own thread is worker 0, pool threads
/// are the others. The job's task takes morsels from a queue the caller keeps;
/// the scheduler only starts the workers and waits for them.

#include <cstddef>
#include <functional>

namespace grizzly::runtime {

class Scheduler {
public:
    /// The pool every connection shares; its threads start on first use.
    static Scheduler& Instance();

    /// Runs task(worker) for every worker in [0, workers) at once, worker 0 on
    /// the calling thread, and returns when all have returned. Workers the pool
    /// has not started by the time the caller's own part is done run on the
    /// caller, so a busy pool delays a statement but never blocks it. The first
    /// exception a worker throws is rethrown here, after every worker ended.
    /// Workers count memory against the caller's MemoryScope.
    void Run(size_t workers, const std::function<void(size_t)>& task);

    /// True on a pool thread: statements run from a worker (subqueries) run on it alone.
    static bool InWorker();

    /// The default of `SET threads`: one worker per core.
    static size_t DefaultThreads();

    Scheduler(const Scheduler&) = delete;
    Scheduler& operator=(const Scheduler&) = delete;
    ~Scheduler();

private:
    Scheduler() = default;
    struct Impl;
    Impl* impl_ = nullptr;
    Impl& Get();
};

}  // namespace grizzly::runtime
