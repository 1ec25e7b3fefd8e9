#include "sidecar/health.hpp"

#include <algorithm>

#include "probes/probe.hpp"

namespace hale::sidecar {
namespace {

Check named(std::string_view name) {
    Check check;
    check.name = std::string(name);
    return check;
}

Check scheduler_check(const HealthView& view) {
    Check check = named(kSchedulerCheck);
    check.ok = view.since_beat < kStallAfter;
    if (!check.ok) {
        check.reason = "event loop stalled for " + probes::format_budget(view.since_beat);
    }
    return check;
}

Check process_check(const HealthView& view) {
    Check check = named(kProcessCheck);
    check.ok = !view.app_exit;
    if (view.app_exit) {
        check.reason = "app " + *view.app_exit;
    }
    return check;
}

Check probe_check(const ProbeStatus& status) {
    Check check = named(status.name);
    check.is_probe = true;
    check.has_result = status.has_result;
    check.latency = status.last_latency;
    check.time = status.last_time;

    // A liveness probe that has not decided yet does not fail /livez (the kubelet's rule); a
    // readiness probe must have passed.
    bool pending_ok = status.kind == ProbeKind::Liveness;
    check.ok =
        status.verdict == Verdict::Passing || (status.verdict == Verdict::Pending && pending_ok);
    if (check.ok) {
        return check;
    }

    if (!status.has_result) {
        check.reason = "no result yet";
    } else if (!status.last_reason.empty()) {
        check.reason = status.last_reason;
    } else {
        check.reason = "recovering: " + std::to_string(status.consecutive_successes) +
                       " passed attempt(s) so far";
    }
    return check;
}

void add_probes(std::vector<Check>& checks, const HealthView& view, ProbeKind kind) {
    if (!view.probes) {
        return;
    }
    for (const auto& status : view.probes->probes) {
        if (status.kind == kind) {
            checks.push_back(probe_check(status));
        }
    }
}

}  // namespace

std::vector<Check> liveness_checks(const HealthView& view) {
    std::vector<Check> checks{scheduler_check(view)};
    add_probes(checks, view, ProbeKind::Liveness);
    if (view.supervising) {
        checks.push_back(process_check(view));
    }
    return checks;
}

std::vector<Check> readiness_checks(const HealthView& view) {
    std::vector<Check> checks{scheduler_check(view)};
    add_probes(checks, view, ProbeKind::Readiness);
    if (view.supervising) {
        checks.push_back(process_check(view));
    }
    Check shutdown = named(kShutdownCheck);
    shutdown.ok = !view.draining;
    if (view.draining) {
        shutdown.reason = "draining";
    }
    checks.push_back(std::move(shutdown));
    return checks;
}

bool all_ok(const std::vector<Check>& checks) {
    return std::all_of(checks.begin(), checks.end(), [](const Check& check) { return check.ok; });
}

}  // namespace hale::sidecar
