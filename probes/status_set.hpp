// The HTTP status codes a probe accepts as healthy.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "probes/result.hpp"

namespace hale::probes {

class StatusSet {
public:
    // 200-399: the verdict a kubelet httpGet probe gives.
    StatusSet() : ranges_{{200, 399}} {}

    // Parses a comma-separated list of codes, ranges and classes, all within 100-599:
    //   "200-399" | "200,204" | "2xx,304" | "200-299, 404"
    static Result<StatusSet> parse(std::string_view text);

    bool contains(int status) const;

    // The set written back in the parse syntax, e.g. "200-399".
    std::string to_string() const;

private:
    std::vector<std::pair<int, int>> ranges_;
};

}  // namespace hale::probes
