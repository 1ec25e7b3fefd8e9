#include "probes/status_set.hpp"

#include <charconv>

#include "probes/text.hpp"

namespace hale::probes {
namespace {

bool parse_code(std::string_view text, int& code) {
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), code);
    return error == std::errc{} && end == text.data() + text.size() && code >= 100 && code <= 599;
}

}  // namespace

Result<StatusSet> StatusSet::parse(std::string_view text) {
    StatusSet set;
    set.ranges_.clear();

    auto fail = [&](std::string_view item) {
        return Error{"invalid status list '" + std::string(text) +
                     "': expected codes or ranges within 100-599 like 200-399,404 or 2xx, found '" +
                     std::string(item) + "'"};
    };

    size_t start = 0;
    while (start <= text.size()) {
        auto comma = text.find(',', start);
        std::string_view item = trim(text.substr(start, comma - start));
        start = comma == std::string_view::npos ? text.size() + 1 : comma + 1;

        if (item.size() == 3 && (item[1] == 'x' || item[1] == 'X') &&
            (item[2] == 'x' || item[2] == 'X') && item[0] >= '1' && item[0] <= '5') {
            int base = (item[0] - '0') * 100;
            set.ranges_.emplace_back(base, base + 99);
            continue;
        }
        int low = 0;
        int high = 0;
        auto dash = item.find('-');
        if (dash == std::string_view::npos) {
            if (!parse_code(item, low)) {
                return fail(item);
            }
            high = low;
        } else if (!parse_code(trim(item.substr(0, dash)), low) ||
                   !parse_code(trim(item.substr(dash + 1)), high) || low > high) {
            return fail(item);
        }
        set.ranges_.emplace_back(low, high);
    }
    return set;
}

bool StatusSet::contains(int status) const {
    for (auto [low, high] : ranges_) {
        if (status >= low && status <= high) {
            return true;
        }
    }
    return false;
}

std::string StatusSet::to_string() const {
    std::string text;
    for (auto [low, high] : ranges_) {
        if (!text.empty()) {
            text += ',';
        }
        text += std::to_string(low);
        if (high != low) {
            text += '-' + std::to_string(high);
        }
    }
    return text;
}

}  // namespace hale::probes
