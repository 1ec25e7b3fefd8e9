// When each background probe of hale serve runs, and what it has shown. The scheduler holds no
// threads and reads no clock: the event loop (sidecar/probe_loop.hpp) passes the time in, starts
// the attempts it hands out and reports them back, and tests drive it with a clock of their own.
//
// Rules: every probe is due at start; an attempt is due one interval after the previous one
// started, or at once when that one took longer; a probe never has two attempts in flight.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "probes/probe.hpp"
#include "probes/target.hpp"
#include "sidecar/probe_state.hpp"

namespace hale::sidecar {

struct ProbeSpec {
    std::string name;
    ProbeKind kind = ProbeKind::Readiness;
    probes::Target target;
};

// The state every endpoint reads: immutable once published, so readers never wait for a probe.
struct ProbeSnapshot {
    std::vector<ProbeStatus> probes;
};

class Scheduler {
public:
    using Clock = std::chrono::steady_clock;

    Scheduler(std::vector<ProbeSpec> specs,
              std::chrono::milliseconds interval,
              Thresholds thresholds,
              Clock::time_point start);

    const std::vector<ProbeSpec>& specs() const { return specs_; }

    // The probes due at `now` with no attempt in flight, marked in flight. The caller starts
    // one attempt of each and reports it through finish().
    std::vector<size_t> start_due(Clock::time_point now);

    // When the next probe without an attempt in flight is due; nullopt when all are in flight.
    std::optional<Clock::time_point> next_due() const;

    // Records the attempt of probe `index` that start_due() handed out, and publishes the new
    // state. `when` is the wall-clock time shown with the result. Returns the change of
    // verdict, if any.
    std::optional<VerdictChange> finish(size_t index,
                                        const probes::ProbeResult& result,
                                        std::chrono::system_clock::time_point when);

    bool in_flight(size_t index) const { return in_flight_[index]; }
    size_t in_flight_count() const;

    // The latest published state. Safe to call from any thread.
    std::shared_ptr<const ProbeSnapshot> snapshot() const;

private:
    void publish();

    std::vector<ProbeSpec> specs_;
    std::chrono::milliseconds interval_;
    Thresholds thresholds_;
    std::vector<Clock::time_point> due_;
    std::vector<bool> in_flight_;
    std::vector<ProbeStatus> status_;
    // A mutex, not std::atomic<std::shared_ptr>: libstdc++ implements that with a spin lock,
    // and two hundred server threads spinning on 2 cores behind a preempted holder stretched
    // p99 latency to seconds. The lock only guards a pointer copy.
    mutable std::mutex published_mutex_;
    std::shared_ptr<const ProbeSnapshot> published_;
};

}  // namespace hale::sidecar
