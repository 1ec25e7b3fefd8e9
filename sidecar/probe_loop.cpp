#include "sidecar/probe_loop.hpp"

#include <asio/post.hpp>

namespace hale::sidecar {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::chrono::milliseconds kBeat{1000};

}  // namespace

ProbeLoop::ProbeLoop(asio::io_context& io,
                     Scheduler& scheduler,
                     probes::ProbeOptions options,
                     std::chrono::milliseconds timeout,
                     OnResult on_result)
    : io_(io),
      scheduler_(scheduler),
      options_(std::move(options)),
      timeout_(timeout),
      on_result_(std::move(on_result)),
      timer_(io),
      last_beat_(Clock::now().time_since_epoch().count()) {
    // One thread per probe: a probe never has two attempts in flight, so no attempt ever waits
    // for a free thread, and a hanging target holds only its own.
    if (!scheduler_.specs().empty()) {
        workers_ = std::make_unique<asio::thread_pool>(scheduler_.specs().size());
    }
}

ProbeLoop::~ProbeLoop() {
    join();
}

void ProbeLoop::start() {
    tick();
}

void ProbeLoop::stop() {
    stopped_ = true;
    timer_.cancel();
}

void ProbeLoop::join() {
    if (workers_) {
        workers_->join();
    }
}

std::chrono::milliseconds ProbeLoop::since_beat() const {
    auto last = Clock::time_point(Clock::duration(last_beat_.load(std::memory_order_relaxed)));
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - last);
}

void ProbeLoop::tick() {
    if (stopped_) {
        return;
    }
    auto now = Clock::now();
    last_beat_.store(now.time_since_epoch().count(), std::memory_order_relaxed);

    for (size_t index : scheduler_.start_due(now)) {
        launch(index);
    }

    // Wake for the next due probe, and at least once per beat.
    auto wake = now + kBeat;
    if (auto next = scheduler_.next_due(); next && *next < wake) {
        wake = *next;
    }
    timer_.expires_at(wake);
    timer_.async_wait([this](const std::error_code& error) {
        if (!error) {
            tick();
        }
    });
}

void ProbeLoop::launch(size_t index) {
    asio::post(*workers_, [this, index] {
        const auto& spec = scheduler_.specs()[index];
        auto result = probes::run_probe(spec.target, options_, probes::Deadline(timeout_));
        asio::post(io_, [this, index, result = std::move(result)] { finished(index, result); });
    });
}

void ProbeLoop::finished(size_t index, const probes::ProbeResult& result) {
    if (stopped_) {
        return;
    }
    auto change = scheduler_.finish(index, result, std::chrono::system_clock::now());
    on_result_(index, result, change);

    // The probe may be due already (its attempt outlived the interval): look again now.
    timer_.cancel();
    tick();
}

}  // namespace hale::sidecar
