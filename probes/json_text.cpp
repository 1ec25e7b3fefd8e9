#include "probes/json_text.hpp"

#include <algorithm>
#include <vector>

namespace hale::probes {
namespace {

// What a scan finds before parsing: an upper bound on the values (every value but the first
// is the first of its array or object, or follows a comma), the same bound on the members of
// the largest object, and whether nesting stays within the limit.
struct Shape {
    uint64_t values = 1;
    uint64_t widest_object = 0;
    bool too_deep = false;
};

Shape scan(const std::string& text, int max_depth) {
    Shape shape;
    // Per open container: its members so far, or kArray for an array, whose elements each
    // count as a value anyway.
    constexpr uint64_t kArray = UINT64_MAX;
    std::vector<uint64_t> open;
    bool in_string = false;
    bool escaped = false;
    for (char c : text) {
        if (in_string) {
            if (escaped) {
                escaped = false;
            } else if (c == '\\') {
                escaped = true;
            } else if (c == '"') {
                in_string = false;
            }
            continue;
        }
        if (c == '"') {
            in_string = true;
        } else if (c == '{' || c == '[') {
            ++shape.values;
            if (static_cast<int>(open.size()) >= max_depth) {
                shape.too_deep = true;
                return shape;
            }
            open.push_back(c == '{' ? 1 : kArray);
        } else if (c == '}' || c == ']') {
            if (!open.empty()) {
                open.pop_back();
            }
        } else if (c == ',') {
            ++shape.values;
            if (!open.empty() && open.back() != kArray) {
                shape.widest_object = std::max(shape.widest_object, ++open.back());
            }
        }
    }
    return shape;
}

}  // namespace

Result<Json> parse_json_text(const std::string& text, const std::string& what, JsonLimits limits) {
    Shape shape = scan(text, limits.max_depth);
    if (shape.too_deep) {
        return Error{"invalid " + what + ": nested deeper than " +
                     std::to_string(limits.max_depth) + " levels"};
    }
    if (shape.values > limits.max_values) {
        return Error{"invalid " + what + ": more than " + std::to_string(limits.max_values) +
                     " values; real ones hold a few thousand"};
    }
    if (shape.widest_object > limits.max_members) {
        return Error{"invalid " + what + ": an object of more than " +
                     std::to_string(limits.max_members) + " members"};
    }
    Json value = Json::parse(text, nullptr, false);
    if (value.is_discarded()) {
        return Error{"invalid " + what + ": not JSON"};
    }
    return value;
}

}  // namespace hale::probes
