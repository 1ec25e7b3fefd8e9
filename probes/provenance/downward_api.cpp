#include "probes/provenance/downward_api.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdint>
#include <optional>

#include "probes/hardening/read_file.hpp"
#include "probes/hardening/roots.hpp"
#include "probes/provenance/json_text.hpp"
#include "probes/text.hpp"

namespace hale::probes::provenance {
namespace {

using hardening::join_path;

// Pod names are DNS subdomains (253), namespaces and labels shorter; anything longer is not
// what the kubelet writes.
constexpr size_t kPlainValueCap = 253;
constexpr size_t kLabelCap = 64;
constexpr size_t kBadLineWarnings = 5;

void append_utf8(std::string& out, uint32_t code) {
    if (code < 0x80) {
        out += static_cast<char>(code);
    } else if (code < 0x800) {
        out += static_cast<char>(0xc0 | (code >> 6));
        out += static_cast<char>(0x80 | (code & 0x3f));
    } else if (code < 0x10000) {
        out += static_cast<char>(0xe0 | (code >> 12));
        out += static_cast<char>(0x80 | ((code >> 6) & 0x3f));
        out += static_cast<char>(0x80 | (code & 0x3f));
    } else {
        out += static_cast<char>(0xf0 | (code >> 18));
        out += static_cast<char>(0x80 | ((code >> 12) & 0x3f));
        out += static_cast<char>(0x80 | ((code >> 6) & 0x3f));
        out += static_cast<char>(0x80 | (code & 0x3f));
    }
}

// The DIGITS hex digits at TEXT[I...] as a number; false when they are not all hex.
bool read_hex(std::string_view text, size_t i, size_t digits, uint32_t& value) {
    if (i + digits > text.size()) {
        return false;
    }
    value = 0;
    for (size_t k = 0; k < digits; ++k) {
        int digit = hex_value(text[i + k]);
        if (digit < 0) {
            return false;
        }
        value = value * 16 + static_cast<uint32_t>(digit);
    }
    return true;
}

// A Go double-quoted string literal, as strconv.Quote writes it, without its quotes.
bool unquote_go(std::string_view text, std::string& out) {
    for (size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c == '"' || c == '\n') {
            return false;
        }
        if (c != '\\') {
            out += c;
            continue;
        }
        if (++i >= text.size()) {
            return false;
        }
        uint32_t value = 0;
        switch (text[i]) {
            case 'a':
                out += '\a';
                break;
            case 'b':
                out += '\b';
                break;
            case 'f':
                out += '\f';
                break;
            case 'n':
                out += '\n';
                break;
            case 'r':
                out += '\r';
                break;
            case 't':
                out += '\t';
                break;
            case 'v':
                out += '\v';
                break;
            case '\\':
                out += '\\';
                break;
            case '"':
                out += '"';
                break;
            case '\'':
                out += '\'';
                break;
            case 'x':
                if (!read_hex(text, i + 1, 2, value)) {
                    return false;
                }
                out += static_cast<char>(value);
                i += 2;
                break;
            case 'u':
            case 'U': {
                size_t digits = text[i] == 'u' ? 4 : 8;
                if (!read_hex(text, i + 1, digits, value) || value > 0x10ffff ||
                    (value >= 0xd800 && value <= 0xdfff)) {
                    return false;
                }
                append_utf8(out, value);
                i += digits;
                break;
            }
            default:
                // Octal \NNN, which Go also reads.
                if (i + 2 < text.size() && text[i] >= '0' && text[i] <= '3' && text[i + 1] >= '0' &&
                    text[i + 1] <= '7' && text[i + 2] >= '0' && text[i + 2] <= '7') {
                    out += static_cast<char>(((text[i] - '0') << 6) | ((text[i + 1] - '0') << 3) |
                                             (text[i + 2] - '0'));
                    i += 2;
                    break;
                }
                return false;
        }
    }
    return true;
}

// A one-line file (name, namespace, uid); "" when absent, with a warning when unusable.
std::string read_plain(const std::string& path, std::vector<std::string>& warnings) {
    auto text = hardening::read_text_file(path, kPodinfoFileCap);
    if (!text) {
        warnings.push_back(text.error());
        return {};
    }
    if (!*text) {
        return {};
    }
    std::string value = hardening::trim(**text);
    bool printable = std::all_of(value.begin(), value.end(), [](char c) {
        return static_cast<unsigned char>(c) >= 0x20 && c != 0x7f;
    });
    if (value.size() > kPlainValueCap || !printable) {
        warnings.push_back("invalid " + path + " " + quote(value) +
                           ": expected one line of at most " + std::to_string(kPlainValueCap) +
                           " printable characters");
        return {};
    }
    return value;
}

// The labels or annotations file; nullopt when absent or unreadable.
std::optional<PodinfoMap> read_map(const std::string& path, std::vector<std::string>& warnings) {
    auto text = hardening::read_text_file(path, kPodinfoFileCap);
    if (!text) {
        warnings.push_back(text.error());
        return std::nullopt;
    }
    if (!*text) {
        return std::nullopt;
    }
    auto map = parse_podinfo_map(**text, path);
    for (size_t i = 0; i < map.bad_lines.size() && i < kBadLineWarnings; ++i) {
        warnings.push_back(map.bad_lines[i]);
    }
    if (map.bad_lines.size() > kBadLineWarnings) {
        warnings.push_back(std::to_string(map.bad_lines.size() - kBadLineWarnings) +
                           " more invalid lines in " + path);
    }
    return map;
}

// Why DIR cannot serve as the volume, or "" when it can.
std::string directory_problem(const std::string& dir) {
    struct stat info {};
    if (::stat(dir.c_str(), &info) != 0) {
        return "cannot read " + dir + ": " + describe_errno(errno);
    }
    if (!S_ISDIR(info.st_mode)) {
        return "cannot read " + dir + ": not a directory";
    }
    return {};
}

}  // namespace

PodinfoMap parse_podinfo_map(std::string_view text, const std::string& path) {
    PodinfoMap map;
    size_t number = 0;
    while (!text.empty()) {
        auto newline = text.find('\n');
        std::string_view line = text.substr(0, newline);
        text = newline == std::string_view::npos ? std::string_view{} : text.substr(newline + 1);
        ++number;
        if (hardening::trim(line).empty()) {
            continue;
        }

        auto equals = line.find('=');
        std::string value;
        bool valid = equals != std::string_view::npos && equals > 0 && line.size() >= equals + 3 &&
                     line[equals + 1] == '"' && line.back() == '"' &&
                     unquote_go(line.substr(equals + 2, line.size() - equals - 3), value);
        std::string_view key = line.substr(0, equals == std::string_view::npos ? 0 : equals);
        valid = valid && std::none_of(key.begin(), key.end(), [](char c) {
                    return std::isspace(static_cast<unsigned char>(c)) != 0 || c == '"';
                });
        if (!valid) {
            map.bad_lines.push_back("invalid line " + std::to_string(number) + " in " + path + " " +
                                    quote(line) + ": expected key=\"value\"");
            continue;
        }
        map.entries.emplace_back(std::string(key), std::move(value));
    }
    return map;
}

DownwardApi read_downward_api(const std::string& dir, bool explicit_dir, const EnvLookup& env) {
    DownwardApi api;
    Pod& pod = api.pod;

    // The volume's files, when there is a volume.
    auto problem = directory_problem(dir);
    if (problem.empty()) {
        struct Plain {
            const char* file;
            std::string* value;
        };
        for (auto [file, value] :
             {Plain{"name", &pod.name}, Plain{"namespace", &pod.namespace_name},
              Plain{"uid", &pod.uid}}) {
            std::string path = join_path(dir, file);
            *value = read_plain(path, api.image.warnings);
            if (!value->empty()) {
                pod.sources.push_back("downward-api:" + path);
            }
        }

        std::string labels_path = join_path(dir, "labels");
        if (auto labels = read_map(labels_path, api.image.warnings)) {
            pod.sources.push_back("downward-api:" + labels_path);
            if (labels->entries.size() > kLabelCap) {
                api.image.warnings.push_back("kept the first " + std::to_string(kLabelCap) +
                                             " of " + std::to_string(labels->entries.size()) +
                                             " labels in " + labels_path);
                labels->entries.resize(kLabelCap);
            }
            pod.labels = std::move(labels->entries);
        }

        std::string annotations_path = join_path(dir, "annotations");
        if (auto annotations = read_map(annotations_path, api.image.warnings)) {
            auto image =
                read_labels(annotations->entries, "downward-api:" + annotations_path, false);
            api.image.fields = std::move(image.fields);
            api.image.warnings.insert(api.image.warnings.end(), image.warnings.begin(),
                                      image.warnings.end());
        }
    } else if (explicit_dir) {
        api.image.warnings.push_back(problem);
    }

    // fieldRef variables, which win over the files.
    struct Variable {
        const char* name;
        std::string* value;
    };
    for (auto [name, value] :
         {Variable{"POD_NAME", &pod.name}, Variable{"POD_NAMESPACE", &pod.namespace_name},
          Variable{"POD_UID", &pod.uid}, Variable{"NODE_NAME", &pod.node}}) {
        auto found = env(name);
        if (!found || found->empty()) {
            continue;
        }
        if (found->size() > kPlainValueCap) {
            api.image.warnings.push_back("invalid " + std::string(name) + ": expected at most " +
                                         std::to_string(kPlainValueCap) + " characters");
            continue;
        }
        *value = *found;
        pod.sources.push_back("env:" + std::string(name));
    }
    return api;
}

}  // namespace hale::probes::provenance
