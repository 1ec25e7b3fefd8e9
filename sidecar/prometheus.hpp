// hale serve's state in the Prometheus text exposition format (version 0.0.4).
#pragma once

#include <string>

#include "sidecar/health.hpp"

namespace hale::sidecar {

// Per probe: hale_probe_up, hale_probe_latency_seconds, hale_probe_attempts_total,
// hale_probe_failures_total; then hale_ready, hale_live, hale_draining and hale_build_info.
std::string render_metrics(const HealthView& view);

}  // namespace hale::sidecar
