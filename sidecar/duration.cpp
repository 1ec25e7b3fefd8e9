#include "sidecar/duration.hpp"

#include <charconv>
#include <string>

namespace hale::sidecar {

probes::Result<std::chrono::milliseconds> parse_duration(std::string_view text) {
    auto invalid = [&] {
        return probes::Error{"invalid duration '" + std::string(text) +
                             "': expected a positive number with s, ms or m, up to 1h, e.g. 2s"};
    };

    // Split the number from its unit.
    size_t unit_start = 0;
    while (unit_start < text.size() &&
           ((text[unit_start] >= '0' && text[unit_start] <= '9') || text[unit_start] == '.')) {
        ++unit_start;
    }
    std::string_view number = text.substr(0, unit_start);
    std::string_view unit = text.substr(unit_start);

    double value = 0;
    auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), value);
    if (number.empty() || error != std::errc{} || end != number.data() + number.size()) {
        return invalid();
    }

    double ms = 0;
    if (unit.empty() || unit == "s") {
        ms = value * 1000;
    } else if (unit == "ms") {
        ms = value;
    } else if (unit == "m") {
        ms = value * 60 * 1000;
    } else {
        return invalid();
    }
    if (ms < 1 || ms > 3600.0 * 1000) {
        return invalid();
    }
    return std::chrono::milliseconds(static_cast<long long>(ms));
}

}  // namespace hale::sidecar
