// The hardening report as hale serve shows it at /about and in /metrics. Collecting it walks
// the filesystem for setuid files, so it is kept for a while instead of being collected per
// request; what it reports (user, capabilities, mounts) rarely changes while a container runs.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string>

#include "probes/hardening/roots.hpp"
#include "sidecar/about_report.hpp"

namespace hale::sidecar {

struct AboutSnapshot {
    AboutReport report;
    std::string json;  // about_json, rendered
    std::string text;  // about_text
};

class AboutCache {
public:
    AboutCache(HaleInfo info, probes::hardening::Roots roots, std::chrono::seconds time_to_live);

    // The current report; collected anew when the last one is older than its time to live.
    // Safe from any thread; a caller that finds it stale collects while holding the lock, so
    // concurrent requests wait for one walk instead of starting several.
    std::shared_ptr<const AboutSnapshot> get();

private:
    HaleInfo info_;
    probes::hardening::Roots roots_;
    std::chrono::seconds time_to_live_;
    std::mutex mutex_;
    std::shared_ptr<const AboutSnapshot> snapshot_;
    std::chrono::steady_clock::time_point collected_at_;
};

}  // namespace hale::sidecar
