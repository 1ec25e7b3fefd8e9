#include "sidecar/about_cache.hpp"

#include <nlohmann/json.hpp>
#include <utility>

#include "probes/expand.hpp"

namespace hale::sidecar {

AboutCache::AboutCache(HaleInfo info,
                       probes::hardening::Roots roots,
                       ImageSources image_sources,
                       std::chrono::seconds time_to_live)
    : info_(std::move(info)),
      roots_(std::move(roots)),
      image_sources_(std::move(image_sources)),
      time_to_live_(time_to_live) {}

std::shared_ptr<const AboutSnapshot> AboutCache::get() {
    std::lock_guard lock(mutex_);
    auto now = std::chrono::steady_clock::now();
    if (snapshot_ && now - collected_at_ < time_to_live_) {
        return snapshot_;
    }

    auto snapshot = std::make_shared<AboutSnapshot>();
    snapshot->report = collect_about_report(roots_);
    snapshot->report.image = collect_image_info(image_sources_, roots_, probes::process_env());
    snapshot->json = dump_json(about_json(snapshot->report, info_)) + "\n";
    snapshot->text = about_text(snapshot->report, info_);
    snapshot->html = about_html(snapshot->report, info_);
    snapshot_ = std::move(snapshot);
    collected_at_ = now;
    return snapshot_;
}

}  // namespace hale::sidecar
