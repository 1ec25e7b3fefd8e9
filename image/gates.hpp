// Pass/fail rules over an image report: hale's own flags, and dive's CI rules (`.dive-ci`)
// evaluated exactly as `dive --ci` does, on dive's figures, so a pipeline switching from dive
// keeps its verdicts.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "image/inspect.hpp"

namespace hale::image {

// dive's rules as written in .dive-ci (or its defaults). Each is a value or a word that
// disables the rule ("", "disabled", "off", "false").
struct DiveRules {
    std::string lowest_efficiency = "0.9";
    std::string highest_wasted_bytes = "disabled";
    std::string highest_user_wasted_percent = "0.1";
};

struct Gates {
    std::optional<double> min_efficiency;
    std::optional<uint64_t> max_wasted;
    std::optional<double> max_user_wasted;
    std::optional<DiveRules> dive;
};

enum class GateStatus { Pass, Fail, Skip };
const char* gate_status_name(GateStatus status);

struct GateResult {
    std::string name;  // "min-efficiency", or dive's rule name "lowestEfficiency"
    GateStatus status;
    std::string message;  // the threshold on PASS and SKIP, the reason on FAIL
};

// A ratio in [0, 1], also written as a percentage: "0.9", "90%".
probes::Result<double> parse_ratio(const std::string& text, const std::string& what);

// Sizes as dive reads them (go-humanize ParseBytes): "20MB" and "20mb" are 20,000,000 bytes,
// "20MiB" is 20,971,520, a bare number is bytes, commas are ignored.
probes::Result<uint64_t> parse_bytes(const std::string& text);

// Reads a .dive-ci file: `rules:` with lowestEfficiency, highestWastedBytes and
// highestUserWastedPercent (or dive's snake-case keys lowest-efficiency, ...). Keys the file
// leaves out keep dive's defaults; values are checked as dive checks them.
probes::Result<DiveRules> load_dive_rules(const std::string& path, std::vector<std::string>& notes);
probes::Result<DiveRules> parse_dive_rules(const std::string& text,
                                           std::vector<std::string>& notes);
probes::Result<bool> validate_dive_rules(const DiveRules& rules);

// hale's gates first, then dive's rules sorted by name as dive prints them.
std::vector<GateResult> evaluate_gates(const Gates& gates, const ImageReport& report);

// Go's %v for a float64: the shortest text that reads back as the same number.
std::string go_float(double value);

}  // namespace hale::image
