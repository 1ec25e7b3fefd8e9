// hale serve's state in the Prometheus text exposition format (version 0.0.4).
#pragma once

#include <string>

#include "probes/hardening/check.hpp"
#include "sidecar/health.hpp"
#include "sidecar/image_info.hpp"

namespace hale::sidecar {

// Per probe: hale_probe_up, hale_probe_latency_seconds, hale_probe_attempts_total,
// hale_probe_failures_total; then hale_ready, hale_live, hale_draining and hale_build_info.
std::string render_metrics(const HealthView& view);

// hale_hardening_check{check="<id>",status="pass|warn|fail|skip"} 1 per check, so that an alert
// can fire on any check that is not passing.
std::string render_hardening_metrics(const std::vector<probes::hardening::Finding>& findings);

// hale_image_build_info{revision="...",version="..."} 1: the image's provenance as /about shows
// it (empty labels for what no source gives), for joining with the app's own series.
std::string render_image_metrics(const ImageInfo& image);

}  // namespace hale::sidecar
