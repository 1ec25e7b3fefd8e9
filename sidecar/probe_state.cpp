#include "sidecar/probe_state.hpp"

namespace hale::sidecar {

std::optional<VerdictChange> record_attempt(ProbeStatus& status,
                                            const probes::ProbeResult& result,
                                            const Thresholds& thresholds,
                                            std::chrono::system_clock::time_point when) {
    status.has_result = true;
    status.last_healthy = result.healthy;
    status.last_reason = result.healthy ? std::string() : result.reason;
    status.last_http_status = result.status;
    status.last_latency = result.elapsed;
    status.last_time = when;
    ++status.attempts;

    // Count the run of equal results; a different result starts a new run.
    if (result.healthy) {
        ++status.consecutive_successes;
        status.consecutive_failures = 0;
    } else {
        ++status.failures;
        ++status.consecutive_failures;
        status.consecutive_successes = 0;
    }

    // A run long enough for its threshold sets the verdict.
    Verdict next = status.verdict;
    if (result.healthy && status.consecutive_successes >= thresholds.success) {
        next = Verdict::Passing;
    } else if (!result.healthy && status.consecutive_failures >= thresholds.failure) {
        next = Verdict::Failing;
    }
    if (next == status.verdict) {
        return std::nullopt;
    }
    VerdictChange change{status.verdict, next};
    status.verdict = next;
    return change;
}

const char* verdict_name(Verdict verdict) {
    switch (verdict) {
        case Verdict::Pending:
            return "pending";
        case Verdict::Passing:
            return "passing";
        case Verdict::Failing:
            return "failing";
    }
    return "pending";
}

const char* kind_name(ProbeKind kind) {
    return kind == ProbeKind::Liveness ? "liveness" : "readiness";
}

}  // namespace hale::sidecar
