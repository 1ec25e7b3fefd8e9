#include "image/json_document.hpp"

namespace hale::image {
namespace {

// Real manifests and configs nest 4 or 5 levels; 64 leaves room and keeps recursion away.
constexpr int kMaxDepth = 64;
// Values in one document: a config of 4096 layers with their history holds about 30,000.
// Each parsed value takes 16 to 80 bytes, so a 16 MiB document of "[0,0,0,...]" would
// otherwise take half a GiB once parsed.
constexpr uint64_t kMaxValues = 1 << 18;

// What a scan finds before parsing: an upper bound on the values (every value but the first
// is the first of its array or object, or follows a comma) and whether nesting stays within
// kMaxDepth.
struct Shape {
    uint64_t values = 1;
    bool too_deep = false;
};

Shape scan(const std::string& text) {
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
            if (++depth > kMaxDepth) {
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

probes::Result<Json> parse_json(const std::string& text, const std::string& what) {
    Shape shape = scan(text);
    if (shape.too_deep) {
        return probes::Error{"invalid " + what + ": nested deeper than " +
                             std::to_string(kMaxDepth) + " levels"};
    }
    if (shape.values > kMaxValues) {
        return probes::Error{"invalid " + what + ": more than " + std::to_string(kMaxValues) +
                             " values; real ones hold a few thousand"};
    }
    Json value = Json::parse(text, nullptr, false);
    if (value.is_discarded()) {
        return probes::Error{"invalid " + what + ": not JSON"};
    }
    return value;
}

const Json* member(const Json& value, std::string_view key) {
    if (!value.is_object()) {
        return nullptr;
    }
    auto found = value.find(key);
    return found == value.end() ? nullptr : &*found;
}

std::string string_member(const Json& value, std::string_view key) {
    const Json* found = member(value, key);
    return found != nullptr && found->is_string() ? found->get<std::string>() : std::string();
}

bool bool_member(const Json& value, std::string_view key) {
    const Json* found = member(value, key);
    return found != nullptr && found->is_boolean() && found->get<bool>();
}

std::vector<std::string> string_array(const Json& value, std::string_view key) {
    std::vector<std::string> strings;
    const Json* found = member(value, key);
    if (found == nullptr || !found->is_array()) {
        return strings;
    }
    for (const auto& item : *found) {
        if (item.is_string()) {
            strings.push_back(item.get<std::string>());
        }
    }
    return strings;
}

}  // namespace hale::image
