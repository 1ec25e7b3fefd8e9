#include "probes/provenance/json_text.hpp"

#include "probes/hardening/read_file.hpp"

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

std::optional<Json> read_json_object(const std::string& path,
                                     size_t cap,
                                     bool explicit_path,
                                     std::string_view expected,
                                     std::vector<std::string>& warnings) {
    auto text = hardening::read_text_file(path, cap);
    if (!text) {
        warnings.push_back(text.error());
        return std::nullopt;
    }
    if (!*text) {
        if (explicit_path) {
            warnings.push_back("cannot read " + path + ": no such file or directory");
        }
        return std::nullopt;
    }

    auto json = parse_json_text(**text, path);
    if (!json) {
        warnings.push_back(json.error());
        return std::nullopt;
    }
    if (!json->is_object()) {
        warnings.push_back("invalid " + path + ": expected " + std::string(expected) + ", found " +
                           type_name(*json));
        return std::nullopt;
    }
    return std::move(*json);
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
