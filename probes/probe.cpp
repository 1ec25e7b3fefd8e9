#include "probes/probe.hpp"

#include "probes/address.hpp"
#include "probes/http_probe.hpp"
#include "probes/tcp_probe.hpp"

namespace hale::probes {

ProbeResult run_probe(const Target& target, const ProbeOptions& options, const Deadline& deadline) {
    ProbeResult result = target.scheme == Scheme::Tcp ? probe_tcp(target, options, deadline)
                                                      : probe_http(target, options, deadline);

    // Linux connects the unspecified address to loopback, so this works, but only by accident
    // of the kernel: say what to write instead.
    auto ip = IpAddress::parse(target.host);
    if (ip && ip->is_unspecified()) {
        result.line += ip->family == AF_INET ? " (hint: 0.0.0.0 reaches loopback; write 127.0.0.1)"
                                             : " (hint: [::] reaches loopback; write [::1])";
    }
    return result;
}

std::string format_budget(std::chrono::milliseconds budget) {
    auto ms = budget.count();
    if (ms < 1000) {
        return std::to_string(ms) + "ms";
    }
    std::string fraction = std::to_string(1000 + ms % 1000).substr(1);  // "500" of 1.5 s
    while (!fraction.empty() && fraction.back() == '0') {
        fraction.pop_back();
    }
    return std::to_string(ms / 1000) + (fraction.empty() ? "" : "." + fraction) + "s";
}

}  // namespace hale::probes
