#include "image/json_document.hpp"

namespace hale::image {
namespace {

// Real manifests and configs nest 4 or 5 levels; 64 leaves room and keeps recursion away.
constexpr int kMaxDepth = 64;

bool nesting_within(const std::string& text, int limit) {
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
            if (++depth > limit) {
                return false;
            }
        } else if (c == '}' || c == ']') {
            --depth;
        }
    }
    return true;
}

}  // namespace

probes::Result<Json> parse_json(const std::string& text, const std::string& what) {
    if (!nesting_within(text, kMaxDepth)) {
        return probes::Error{"invalid " + what + ": nested deeper than " +
                             std::to_string(kMaxDepth) + " levels"};
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
