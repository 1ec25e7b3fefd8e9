// Durations as people type them on a command line or in an environment variable.
#pragma once

#include <chrono>
#include <string_view>

#include "probes/result.hpp"

namespace hale::sidecar {

// "5" (seconds), "5s", "500ms", "1.5s", "2m": a positive duration up to one hour.
probes::Result<std::chrono::milliseconds> parse_duration(std::string_view text);

}  // namespace hale::sidecar
