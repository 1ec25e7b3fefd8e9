// The hardening report as hale serve shows it at /about and in /metrics. Collecting it walks
// the filesystem for setuid files (and may ask the Docker API about the image), so it is kept
// for a while instead of being collected per request; what it reports (user, capabilities,
// mounts, the image) rarely changes while a container runs, and a mounted layer report or pod
// annotation that does change shows within the time to live.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string>

#include "probes/hardening/roots.hpp"
#include "sidecar/about_report.hpp"
#include "sidecar/image_info.hpp"

namespace hale::sidecar {

struct AboutSnapshot {
    AboutReport report;
    std::string json;  // about_json, rendered
    std::string text;  // about_text
    std::string html;  // about_html
};

class AboutCache {
public:
    AboutCache(HaleInfo info,
               probes::hardening::Roots roots,
               ImageSources image_sources,
               std::chrono::seconds time_to_live);

    // The current report; collected anew when the last one is older than its time to live.
    // Safe from any thread; a caller that finds it stale collects while holding the lock, so
    // concurrent requests wait for one walk instead of starting several.
    std::shared_ptr<const AboutSnapshot> get();

private:
    HaleInfo info_;
    probes::hardening::Roots roots_;
    ImageSources image_sources_;
    std::chrono::seconds time_to_live_;
    std::mutex mutex_;
    std::shared_ptr<const AboutSnapshot> snapshot_;
    std::chrono::steady_clock::time_point collected_at_;
};

}  // namespace hale::sidecar
