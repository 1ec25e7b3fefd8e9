// One point in time that bounds every phase of a probe: resolve, connect, send, headers, body.
#pragma once

#include <algorithm>
#include <chrono>

namespace hale::probes {

class Deadline {
public:
    using Clock = std::chrono::steady_clock;

    explicit Deadline(std::chrono::milliseconds budget)
        : start_(Clock::now()), at_(start_ + budget), budget_(budget) {}

    bool expired() const { return Clock::now() >= at_; }

    // Milliseconds left, rounded up so that poll() never wakes a hair early and spins, and
    // capped to what poll() takes.
    int remaining_ms() const {
        auto left = std::chrono::ceil<std::chrono::milliseconds>(at_ - Clock::now()).count();
        return static_cast<int>(std::clamp<long long>(left, 0, 24LL * 3600 * 1000));
    }

    std::chrono::milliseconds elapsed() const {
        return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start_);
    }

    std::chrono::milliseconds budget() const { return budget_; }
    Clock::time_point at() const { return at_; }

private:
    Clock::time_point start_;
    Clock::time_point at_;
    std::chrono::milliseconds budget_;
};

}  // namespace hale::probes
