#include "image/gates.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace hale::image {
namespace {

using probes::Error;
using probes::Result;

std::string lower_trimmed(std::string_view text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())) != 0) {
        text.remove_prefix(1);
    }
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())) != 0) {
        text.remove_suffix(1);
    }
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

// dive's isRuleDisabled.
bool disabled(const std::string& value) {
    std::string word = lower_trimmed(value);
    return word.empty() || word == "disabled" || word == "off" || word == "false";
}

// Digits with an optional point, as dive's values are written ("0.9", "20"); strtod rather
// than std::from_chars, whose tables would add 150 KB to the static binary.
Result<double> parse_float(const std::string& text) {
    bool plain = !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c)) != 0 || c == '.';
    });
    char* end = nullptr;
    double value = plain ? std::strtod(text.c_str(), &end) : 0;
    if (!plain || end != text.c_str() + text.size()) {
        return Error{"not a number"};
    }
    return value;
}

// dive's ratio rules: a float in [0, 1].
Result<double> dive_ratio(const std::string& name, const std::string& value) {
    auto number = parse_float(lower_trimmed(value));
    if (!number || !(*number >= 0 && *number <= 1)) {
        return Error{"invalid " + name + " '" + value + "': expected a number from 0 to 1"};
    }
    return *number;
}

std::string format_fixed(double value, int decimals) {
    char text[64];
    std::snprintf(text, sizeof text, "%.*f", decimals, value);
    return text;
}

std::string unquote(std::string_view text) {
    auto first = text.find_first_not_of(" \t");
    auto last = text.find_last_not_of(" \t\r");
    if (first == std::string_view::npos) {
        return "";
    }
    std::string value(text.substr(first, last - first + 1));
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
        value.back() == value.front()) {
        value = value.substr(1, value.size() - 2);
    }
    return value;
}

// A YAML comment starts at '#' at the start of a line or after a space, outside quotes.
std::string strip_comment(const std::string& line) {
    char quote = 0;
    for (size_t i = 0; i < line.size(); ++i) {
        char c = line[i];
        if (quote != 0) {
            quote = c == quote ? 0 : quote;
        } else if (c == '"' || c == '\'') {
            quote = c;
        } else if (c == '#' && (i == 0 || line[i - 1] == ' ' || line[i - 1] == '\t')) {
            return line.substr(0, i);
        }
    }
    return line;
}

}  // namespace

const char* gate_status_name(GateStatus status) {
    switch (status) {
        case GateStatus::Pass:
            return "PASS";
        case GateStatus::Fail:
            return "FAIL";
        case GateStatus::Skip:
            break;
    }
    return "SKIP";
}

std::string go_float(double value) {
    if (std::isnan(value)) {
        return "NaN";
    }
    char text[64];
    for (int precision = 1; precision <= 17; ++precision) {
        std::snprintf(text, sizeof text, "%.*g", precision, value);
        if (std::strtod(text, nullptr) == value) {
            break;
        }
    }
    return text;
}

Result<double> parse_ratio(const std::string& text, const std::string& what) {
    std::string value = lower_trimmed(text);
    bool percent = !value.empty() && value.back() == '%';
    if (percent) {
        value.pop_back();
    }
    auto number = parse_float(value);
    double ratio = number ? (percent ? *number / 100 : *number) : -1;
    if (!number || !(ratio >= 0 && ratio <= 1)) {
        return Error{"invalid " + what + " '" + text +
                     "': expected a ratio from 0 to 1 or a percentage, e.g. 0.9 or 90%"};
    }
    return ratio;
}

Result<uint64_t> parse_bytes(const std::string& text) {
    auto fail = [&] {
        return Error{"invalid size '" + text + "': expected bytes like 20MB, 20MiB or 1048576"};
    };
    size_t digits = 0;
    std::string number;
    for (char c : text) {
        if (!(std::isdigit(static_cast<unsigned char>(c)) != 0 || c == '.' || c == ',')) {
            break;
        }
        ++digits;
        if (c != ',') {
            number += c;
        }
    }
    auto value = parse_float(number);
    if (!value) {
        return fail();
    }
    static const std::array<std::pair<const char*, double>, 26> kUnits = {{
        {"", 1},         {"b", 1},        {"k", 1e3},      {"kb", 1e3},     {"ki", 0x1p10},
        {"kib", 0x1p10}, {"m", 1e6},      {"mb", 1e6},     {"mi", 0x1p20},  {"mib", 0x1p20},
        {"g", 1e9},      {"gb", 1e9},     {"gi", 0x1p30},  {"gib", 0x1p30}, {"t", 1e12},
        {"tb", 1e12},    {"ti", 0x1p40},  {"tib", 0x1p40}, {"p", 1e15},     {"pb", 1e15},
        {"pi", 0x1p50},  {"pib", 0x1p50}, {"e", 1e18},     {"eb", 1e18},    {"ei", 0x1p60},
        {"eib", 0x1p60},
    }};
    std::string unit = lower_trimmed(std::string_view(text).substr(digits));
    for (const auto& [name, scale] : kUnits) {
        if (unit == name) {
            double bytes = *value * scale;
            if (bytes >= 0x1p64) {
                return fail();
            }
            return static_cast<uint64_t>(bytes);
        }
    }
    return fail();
}

Result<bool> validate_dive_rules(const DiveRules& rules) {
    if (!disabled(rules.lowest_efficiency)) {
        if (auto value = dive_ratio("lowestEfficiency", rules.lowest_efficiency); !value) {
            return Error{value.error()};
        }
    }
    if (!disabled(rules.highest_user_wasted_percent)) {
        if (auto value = dive_ratio("highestUserWastedPercent", rules.highest_user_wasted_percent);
            !value) {
            return Error{value.error()};
        }
    }
    if (!disabled(rules.highest_wasted_bytes)) {
        if (auto value = parse_bytes(rules.highest_wasted_bytes); !value) {
            return Error{"invalid highestWastedBytes '" + rules.highest_wasted_bytes +
                         "': expected bytes like 20MB, or disabled"};
        }
    }
    return true;
}

Result<DiveRules> parse_dive_rules(const std::string& text, std::vector<std::string>& notes) {
    DiveRules rules;
    std::istringstream lines(text);
    std::string line;
    bool in_rules = false;
    while (std::getline(lines, line)) {
        line = strip_comment(line);
        if (line.find_first_not_of(" \t\r") == std::string::npos) {
            continue;
        }
        bool indented = line[0] == ' ' || line[0] == '\t';
        auto colon = line.find(':');
        if (colon == std::string::npos) {
            return Error{"invalid .dive-ci line '" + line + "': expected key: value"};
        }
        std::string key = lower_trimmed(line.substr(0, colon));
        std::string value = unquote(line.substr(colon + 1));
        if (!indented) {
            in_rules = key == "rules";
            continue;
        }
        if (!in_rules) {
            continue;
        }
        if (key == "lowestefficiency" || key == "lowest-efficiency") {
            rules.lowest_efficiency = value;
        } else if (key == "highestwastedbytes" || key == "highest-wasted-bytes") {
            rules.highest_wasted_bytes = value;
        } else if (key == "highestuserwastedpercent" || key == "highest-user-wasted-percent") {
            rules.highest_user_wasted_percent = value;
        } else {
            notes.push_back("unknown .dive-ci rule '" + key + "' ignored");
        }
    }
    if (auto valid = validate_dive_rules(rules); !valid) {
        return Error{valid.error()};
    }
    return rules;
}

Result<DiveRules> load_dive_rules(const std::string& path, std::vector<std::string>& notes) {
    std::ifstream file(path);
    if (!file) {
        return Error{"cannot read " + path + ": no such file or not readable"};
    }
    std::ostringstream text;
    text << file.rdbuf();
    auto rules = parse_dive_rules(text.str(), notes);
    if (!rules) {
        return Error{path + ": " + rules.error()};
    }
    return rules;
}

std::vector<GateResult> evaluate_gates(const Gates& gates, const ImageReport& report) {
    std::vector<GateResult> results;
    if (gates.min_efficiency) {
        double threshold = *gates.min_efficiency;
        bool fail = threshold > report.efficiency;
        results.push_back(
            {"min-efficiency", fail ? GateStatus::Fail : GateStatus::Pass,
             fail ? "efficiency " + format_fixed(report.efficiency, 4) + " < " + go_float(threshold)
                  : go_float(threshold)});
    }
    if (gates.max_wasted) {
        uint64_t threshold = *gates.max_wasted;
        bool fail = report.wasted_bytes > threshold;
        results.push_back({"max-wasted", fail ? GateStatus::Fail : GateStatus::Pass,
                           fail ? "wasted " + std::to_string(report.wasted_bytes) + " bytes > " +
                                      std::to_string(threshold)
                                : std::to_string(threshold)});
    }
    if (gates.max_user_wasted) {
        double threshold = *gates.max_user_wasted;
        bool fail = report.user_wasted_ratio && *report.user_wasted_ratio > threshold;
        results.push_back({"max-user-wasted-percent", fail ? GateStatus::Fail : GateStatus::Pass,
                           fail
                               ? "wasted/user bytes " + format_fixed(*report.user_wasted_ratio, 4) +
                                     " > " + go_float(threshold)
                               : go_float(threshold)});
    }
    if (!gates.dive) {
        return results;
    }

    // dive's command/ci/rules.go, in the order dive prints them (sorted by key).
    const DiveRules& rules = *gates.dive;
    if (disabled(rules.highest_user_wasted_percent)) {
        results.push_back({"highestUserWastedPercent", GateStatus::Skip, "disabled"});
    } else {
        double threshold = *dive_ratio("", rules.highest_user_wasted_percent);
        double value = report.dive_user_wasted_ratio.value_or(std::nan(""));
        bool fail = value > threshold;
        results.push_back({"highestUserWastedPercent", fail ? GateStatus::Fail : GateStatus::Pass,
                           fail ? "too many bytes wasted, relative to the user bytes added "
                                  "(%-user-wasted-bytes=" +
                                      format_fixed(value, 2) +
                                      " > threshold=" + go_float(threshold) + ")"
                                : rules.highest_user_wasted_percent});
    }
    if (disabled(rules.highest_wasted_bytes)) {
        results.push_back({"highestWastedBytes", GateStatus::Skip, "disabled"});
    } else {
        uint64_t threshold = *parse_bytes(rules.highest_wasted_bytes);
        bool fail = report.dive_wasted_bytes > threshold;
        results.push_back({"highestWastedBytes", fail ? GateStatus::Fail : GateStatus::Pass,
                           fail ? "too many bytes wasted (wasted-bytes=" +
                                      std::to_string(report.dive_wasted_bytes) +
                                      " > threshold=" + std::to_string(threshold) + ")"
                                : rules.highest_wasted_bytes});
    }
    if (disabled(rules.lowest_efficiency)) {
        results.push_back({"lowestEfficiency", GateStatus::Skip, "disabled"});
    } else {
        double threshold = *dive_ratio("", rules.lowest_efficiency);
        bool fail = threshold > report.efficiency;
        results.push_back(
            {"lowestEfficiency", fail ? GateStatus::Fail : GateStatus::Pass,
             fail ? "image efficiency is too low (efficiency=" + go_float(report.efficiency) +
                        " < threshold=" + go_float(threshold) + ")"
                  : rules.lowest_efficiency});
    }
    return results;
}

}  // namespace hale::image
