#include "probes/provenance/json_text.hpp"

namespace hale::probes::provenance {
namespace {

// A baked file is flat, a layer report nests 4 levels, a Docker answer about 6.
constexpr int kMaxDepth = 32;
constexpr size_t kQuoteCap = 64;

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

Result<Json> parse_json_text(const std::string& text, const std::string& what) {
    if (!nesting_within(text, kMaxDepth)) {
        return Error{"invalid " + what + ": nested deeper than " + std::to_string(kMaxDepth) +
                     " levels"};
    }
    auto value = Json::parse(text, nullptr, false);
    if (value.is_discarded()) {
        return Error{"invalid " + what + ": not JSON"};
    }
    return value;
}

std::string quote(std::string_view text) {
    std::string out = "'";
    for (size_t i = 0; i < text.size() && i < kQuoteCap; ++i) {
        auto byte = static_cast<unsigned char>(text[i]);
        out += byte < 0x20 || byte == 0x7f ? '?' : text[i];
    }
    out += text.size() > kQuoteCap ? "...'" : "'";
    return out;
}

std::string type_name(const Json& value) {
    if (value.is_null()) {
        return "null";
    }
    if (value.is_object()) {
        return "an object";
    }
    if (value.is_array()) {
        return "an array";
    }
    if (value.is_boolean()) {
        return "a boolean";
    }
    if (value.is_number()) {
        return "a number";
    }
    return "a string";
}

}  // namespace hale::probes::provenance
