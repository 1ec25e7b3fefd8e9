// Runs the scheduler on hale serve's event loop: a timer hands due probes to worker threads
// (probes block in poll() up to their deadline, so never on the loop's thread), and each result
// comes back to the loop, which records it. The same timer beats at least once a second: /livez
// fails when the beat stops.
#pragma once

#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>
#include <asio/thread_pool.hpp>
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>

#include "probes/probe.hpp"
#include "sidecar/scheduler.hpp"

namespace hale::sidecar {

class ProbeLoop {
public:
    using OnResult = std::function<void(size_t index,
                                        const probes::ProbeResult& result,
                                        const std::optional<VerdictChange>& change)>;

    // `on_result` runs on the loop's thread after each recorded attempt.
    ProbeLoop(asio::io_context& io,
              Scheduler& scheduler,
              probes::ProbeOptions options,
              std::chrono::milliseconds timeout,
              OnResult on_result);
    ProbeLoop(const ProbeLoop&) = delete;
    ProbeLoop& operator=(const ProbeLoop&) = delete;
    ~ProbeLoop();

    void start();

    // Stops scheduling. Attempts in flight finish on their threads; their results are dropped.
    void stop();

    // Time since the loop last beat. Safe from any thread.
    std::chrono::milliseconds since_beat() const;

    // Waits for the attempts in flight, at most until their deadlines.
    void join();

private:
    void tick();
    void launch(size_t index);
    void finished(size_t index, const probes::ProbeResult& result);

    asio::io_context& io_;
    Scheduler& scheduler_;
    probes::ProbeOptions options_;
    std::chrono::milliseconds timeout_;
    OnResult on_result_;
    asio::steady_timer timer_;
    std::unique_ptr<asio::thread_pool> workers_;
    std::atomic<std::chrono::steady_clock::rep> last_beat_;
    bool stopped_ = false;
};

}  // namespace hale::sidecar
