// cgroup limits on memory, CPU and process count.
#include <cstdio>

#include "probes/hardening/check_functions.hpp"

namespace hale::probes::hardening {
namespace {

std::string bytes_text(uint64_t bytes) {
    constexpr uint64_t kMiB = uint64_t{1024} * 1024;
    if (bytes >= kMiB && bytes % kMiB == 0) {
        return std::to_string(bytes / kMiB) + " MiB";
    }
    return std::to_string(bytes) + " bytes";
}

std::string cpus_text(double cpus) {
    char text[32];
    std::snprintf(text, sizeof text, "%.2f CPUs", cpus);
    return text;
}

template <class T, class Format>
Verdict limit_verdict(const Result<std::optional<T>>& limit,
                      const std::string& version,
                      Format format) {
    if (!limit) {
        return skip(limit.error());
    }
    std::string where = " (cgroup " + version + ")";
    if (!*limit) {
        return warn("no limit" + where);
    }
    return pass(format(**limit) + where);
}

}  // namespace

Verdict check_memory_limit(const Facts& facts, const CheckOptions& /*options*/) {
    return limit_verdict(facts.cgroup.memory_bytes, facts.cgroup.version, bytes_text);
}

Verdict check_cpu_limit(const Facts& facts, const CheckOptions& /*options*/) {
    return limit_verdict(facts.cgroup.cpus, facts.cgroup.version, cpus_text);
}

Verdict check_pids_limit(const Facts& facts, const CheckOptions& /*options*/) {
    return limit_verdict(facts.cgroup.pids, facts.cgroup.version,
                         [](uint64_t pids) { return std::to_string(pids) + " processes"; });
}

}  // namespace hale::probes::hardening
