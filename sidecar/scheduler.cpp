#include "sidecar/scheduler.hpp"

#include <algorithm>
#include <cassert>

namespace hale::sidecar {

Scheduler::Scheduler(std::vector<ProbeSpec> specs,
                     std::chrono::milliseconds interval,
                     Thresholds thresholds,
                     Clock::time_point start)
    : specs_(std::move(specs)),
      interval_(interval),
      thresholds_(thresholds),
      due_(specs_.size(), start),
      in_flight_(specs_.size(), false) {
    for (const auto& spec : specs_) {
        ProbeStatus status;
        status.name = spec.name;
        status.kind = spec.kind;
        status_.push_back(std::move(status));
    }
    publish();
}

std::vector<size_t> Scheduler::start_due(Clock::time_point now) {
    std::vector<size_t> started;
    for (size_t i = 0; i < specs_.size(); ++i) {
        if (in_flight_[i] || due_[i] > now) {
            continue;
        }
        in_flight_[i] = true;
        due_[i] = now + interval_;
        started.push_back(i);
    }
    return started;
}

std::optional<Scheduler::Clock::time_point> Scheduler::next_due() const {
    std::optional<Clock::time_point> next;
    for (size_t i = 0; i < specs_.size(); ++i) {
        if (!in_flight_[i] && (!next || due_[i] < *next)) {
            next = due_[i];
        }
    }
    return next;
}

std::optional<VerdictChange> Scheduler::finish(size_t index,
                                               const probes::ProbeResult& result,
                                               std::chrono::system_clock::time_point when) {
    assert(index < specs_.size() && in_flight_[index]);
    in_flight_[index] = false;

    // An attempt that outlived its interval leaves the probe due already: the next one starts
    // on the next tick, so attempts never overlap and never queue up.
    auto change = record_attempt(status_[index], result, thresholds_, when);
    publish();
    return change;
}

size_t Scheduler::in_flight_count() const {
    return static_cast<size_t>(std::count(in_flight_.begin(), in_flight_.end(), true));
}

std::shared_ptr<const ProbeSnapshot> Scheduler::snapshot() const {
    std::lock_guard lock(published_mutex_);
    return published_;
}

void Scheduler::publish() {
    auto next = std::make_shared<const ProbeSnapshot>(ProbeSnapshot{status_});
    std::lock_guard lock(published_mutex_);
    published_.swap(next);
}

}  // namespace hale::sidecar
