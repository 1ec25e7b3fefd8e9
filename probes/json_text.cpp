#include "probes/json_text.hpp"

namespace hale::probes {
namespace {

// What a scan finds before parsing: an upper bound on the values (every value but the first
// is the first of its array or object, or follows a comma) and whether nesting stays within
// the limit.
struct Shape {
    uint64_t values = 1;
    bool too_deep = false;
};

Shape scan(const std::string& text, int max_depth) {
    Shape shape;
    int depth = 0;
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
            if (++depth > max_depth) {
                shape.too_deep = true;
                return shape;
            }
        } else if (c == '}' || c == ']') {
            --depth;
        } else if (c == ',') {
            ++shape.values;
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
    Json value = Json::parse(text, nullptr, false);
    if (value.is_discarded()) {
        return Error{"invalid " + what + ": not JSON"};
    }
    return value;
}

}  // namespace hale::probes
