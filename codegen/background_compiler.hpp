#pragma once
/// A worker thread that compiles shapes while queries go on in the
/// interpreter (adaptive mode): jobs run one at a time, urgent ones (a query's
/// first, fast-tier compile, which a running pipeline waits to switch to)
/// before the others (optimized-tier recompiles of code that already runs),
/// each kind in submission order.
/// Each job is named by its shape key and tier, and a job already queued or
/// running under that name is not queued again. The destructor finishes the
/// running job, drops the queued ones and joins the thread, so a database
/// owning one never frees the shape cache under a running compile.

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <thread>

namespace grizzly::codegen {

class BackgroundCompiler {
public:
    BackgroundCompiler();
    ~BackgroundCompiler();
    BackgroundCompiler(const BackgroundCompiler&) = delete;
    BackgroundCompiler& operator=(const BackgroundCompiler&) = delete;

    /// Queues `job` unless one named `name` is queued or running; false if it was.
    /// An `urgent` job goes after the queued urgent ones, before the rest.
    bool Submit(const std::string& name, std::function<void()> job, bool urgent = false);
    /// Whether a job named `name` is queued or running.
    bool Pending(const std::string& name) const;
    /// Waits until no job is queued or running (tests, and callers that need the code now).
    void WaitIdle();

private:
    struct Job {
        std::string name;
        std::function<void()> run;
        bool urgent = false;
    };
    mutable std::mutex mutex_;
    std::condition_variable work_, idle_;
    std::deque<Job> queue_;
    std::set<std::string> pending_;
    bool stopping_ = false;
    std::thread worker_;

    void Loop();
};

}  // namespace grizzly::codegen
