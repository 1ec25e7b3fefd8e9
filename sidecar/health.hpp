// The checks behind /livez and /readyz, built from one consistent view of hale serve's state.
//
// /livez says whether hale itself is alive: its event loop keeps beating, its liveness probes
// (if any) pass, and the app it supervises (if any) still runs. /readyz says whether traffic
// should come: every readiness probe passes, hale is not draining, and the app still runs.
// Dependencies belong in readiness only: a failing database should take a pod out of the load
// balancer, not restart it.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sidecar/scheduler.hpp"

namespace hale::sidecar {

// Names of hale's own checks; probes cannot take them.
inline constexpr std::string_view kSchedulerCheck = "scheduler";
inline constexpr std::string_view kShutdownCheck = "shutdown";
inline constexpr std::string_view kProcessCheck = "process";

// The event loop beats every second; this long without a beat means it is stuck.
inline constexpr std::chrono::milliseconds kStallAfter{5000};

struct HealthView {
    std::shared_ptr<const ProbeSnapshot> probes;
    bool draining = false;
    std::chrono::milliseconds since_beat{0};  // since the event loop last beat
    bool supervising = false;                 // hale runs the app as its child
    std::optional<std::string> app_exit;      // "exited with status 3", once the app has exited
};

struct Check {
    std::string name;
    bool ok = false;
    std::string reason;     // why it failed; empty when ok
    bool is_probe = false;  // a configured probe, with a latency and a time when it has run
    bool has_result = false;
    std::chrono::milliseconds latency{0};
    std::chrono::system_clock::time_point time{};
};

std::vector<Check> liveness_checks(const HealthView& view);
std::vector<Check> readiness_checks(const HealthView& view);

bool all_ok(const std::vector<Check>& checks);

}  // namespace hale::sidecar
