#include "probes/provenance/json_text.hpp"

#include "probes/hardening/read_file.hpp"

namespace hale::probes::provenance {
namespace {

// A baked file is flat, a layer report nests 4 levels, a Docker answer about 6; hale serve's
// threads have small stacks, so nesting is bounded tighter than the default. A baked file may
// hold thousands of (unknown) keys within its 64 KiB and still be served, so objects may be
// wider, and the values fewer to keep the parser's work per key in check.
constexpr JsonLimits kLimits{32, uint64_t{1} << 17, 4096};
constexpr size_t kQuoteCap = 64;

}  // namespace

Result<Json> parse_provenance_json(const std::string& text, const std::string& what) {
    return probes::parse_json_text(text, what, kLimits);
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

    auto json = parse_provenance_json(**text, path);
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
