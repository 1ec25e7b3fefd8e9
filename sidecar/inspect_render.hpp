// How `hale inspect` shows its analysis: a readable report, a side-by-side comparison of
// several images, the full JSON, and the compact report file that `hale serve` serves on
// /about (schema "hale.inspect.report/v1", described in README.md).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "image/gates.hpp"
#include "image/inspect.hpp"

namespace hale::sidecar {

// One image as inspect saw it: a report, or why there is none.
struct InspectOutcome {
    std::string source;
    std::optional<image::ImageReport> report;
    std::string error;
    std::vector<image::GateResult> gates;
    bool gate_failed = false;
};

// go-humanize's Bytes (what dive prints): SI units, "46 kB", "9.2 kB", "7 B".
std::string human_bytes(uint64_t bytes);

// The readable report of an image that was read.
std::string render_text(const InspectOutcome& outcome, size_t top);
std::string render_comparison(const std::vector<InspectOutcome>& outcomes);
nlohmann::ordered_json render_json(const InspectOutcome& outcome);
nlohmann::ordered_json render_report_file(const InspectOutcome& outcome, size_t top);

}  // namespace hale::sidecar
