// What hale serve knows about one background probe: its latest attempt and its verdict after
// the failure and success thresholds, as the kubelet keeps them for its own probes.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "probes/probe.hpp"

namespace hale::sidecar {

enum class ProbeKind { Readiness, Liveness };

// Pending until the first verdict: no attempt yet, or fewer consecutive results than a
// threshold asks for. A pending readiness probe keeps hale not ready; a pending liveness probe
// does not fail /livez, as the kubelet treats a liveness probe that has not run yet.
enum class Verdict { Pending, Passing, Failing };

struct Thresholds {
    int failure = 3;  // consecutive failed attempts that turn a probe failing
    int success = 1;  // consecutive passed attempts that turn it passing
};

struct ProbeStatus {
    std::string name;
    ProbeKind kind = ProbeKind::Readiness;
    Verdict verdict = Verdict::Pending;

    // The latest finished attempt.
    bool has_result = false;
    bool last_healthy = false;
    std::string last_reason;  // why the latest attempt failed; empty when it passed
    int last_http_status = 0;
    std::chrono::milliseconds last_latency{0};
    std::chrono::system_clock::time_point last_time{};

    int consecutive_failures = 0;
    int consecutive_successes = 0;
    uint64_t attempts = 0;
    uint64_t failures = 0;
};

struct VerdictChange {
    Verdict from = Verdict::Pending;
    Verdict to = Verdict::Pending;
};

// Records one finished attempt and applies the thresholds. Returns the change of verdict, if
// the attempt caused one.
std::optional<VerdictChange> record_attempt(ProbeStatus& status,
                                            const probes::ProbeResult& result,
                                            const Thresholds& thresholds,
                                            std::chrono::system_clock::time_point when);

// "pending", "passing", "failing".
const char* verdict_name(Verdict verdict);

// "readiness", "liveness".
const char* kind_name(ProbeKind kind);

}  // namespace hale::sidecar
