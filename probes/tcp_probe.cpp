#include "probes/tcp_probe.hpp"

#include "probes/dial.hpp"

namespace hale::probes {

ProbeResult probe_tcp(const Target& target, const ProbeOptions& options, const Deadline& deadline) {
    ProbeResult result;
    auto outcome = dial(target.host, target.port, options, deadline);
    result.elapsed = deadline.elapsed();
    std::string took = " " + std::to_string(result.elapsed.count()) + "ms";

    if (outcome.timed_out) {
        result.reason =
            "timeout after " + format_budget(deadline.budget()) + " (" + outcome.waiting_for + ")";
        result.line = "timeout after " + format_budget(deadline.budget()) + " " + target.url() +
                      " (" + outcome.waiting_for + ")";
        return result;
    }
    if (!outcome.error.empty()) {
        result.reason = outcome.error;
        result.line = outcome.error + took;
        return result;
    }

    result.healthy = true;
    result.line = target.url() + " connected" + describe_route(outcome) + took;
    return result;
}

}  // namespace hale::probes
