#include "probes/hardening/mountinfo.hpp"

#include "probes/hardening/read_file.hpp"

namespace hale::probes::hardening {
namespace {

std::vector<std::string_view> split_spaces(std::string_view line) {
    std::vector<std::string_view> parts;
    size_t pos = 0;
    while (pos < line.size()) {
        auto start = line.find_first_not_of(' ', pos);
        if (start == std::string_view::npos) {
            break;
        }
        auto end = line.find(' ', start);
        parts.push_back(line.substr(start, end == std::string_view::npos ? end : end - start));
        pos = end == std::string_view::npos ? line.size() : end;
    }
    return parts;
}

bool has_token(std::string_view list, std::string_view token) {
    while (!list.empty()) {
        auto comma = list.find(',');
        if (list.substr(0, comma) == token) {
            return true;
        }
        if (comma == std::string_view::npos) {
            break;
        }
        list.remove_prefix(comma + 1);
    }
    return false;
}

bool is_octal(char c) {
    return c >= '0' && c <= '7';
}

}  // namespace

bool Mount::read_only() const {
    return has_option("ro");
}

bool Mount::has_option(std::string_view option) const {
    return has_token(options, option);
}

bool Mount::has_super_option(std::string_view option) const {
    return has_token(super_options, option);
}

bool Mount::shared() const {
    for (const auto& field : optional_fields) {
        if (field.starts_with("shared:")) {
            return true;
        }
    }
    return false;
}

const Mount* MountTable::find(std::string_view mount_point) const {
    const Mount* found = nullptr;
    for (const auto& mount : mounts) {
        if (mount.mount_point == mount_point) {
            found = &mount;
        }
    }
    return found;
}

std::string unescape_mount_path(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\\' && i + 3 < text.size() && is_octal(text[i + 1]) &&
            is_octal(text[i + 2]) && is_octal(text[i + 3])) {
            int value = (text[i + 1] - '0') * 64 + (text[i + 2] - '0') * 8 + (text[i + 3] - '0');
            out += static_cast<char>(value & 0xff);
            i += 3;
        } else {
            out += text[i];
        }
    }
    return out;
}

MountTable parse_mountinfo(std::string_view text) {
    MountTable table;
    while (!text.empty()) {
        auto newline = text.find('\n');
        auto line = text.substr(0, newline);
        text = newline == std::string_view::npos ? std::string_view{} : text.substr(newline + 1);
        if (line.find_first_not_of(" \t\r") == std::string_view::npos) {
            continue;
        }

        // Six fixed fields, optional fields up to a lone "-", then three more.
        auto parts = split_spaces(line);
        size_t separator = 6;
        while (separator < parts.size() && parts[separator] != "-") {
            ++separator;
        }
        if (parts.size() < 6 || separator + 2 >= parts.size()) {
            ++table.bad_lines;
            continue;
        }
        Mount mount;
        mount.device = std::string(parts[2]);
        mount.root = unescape_mount_path(parts[3]);
        mount.mount_point = unescape_mount_path(parts[4]);
        mount.options = std::string(parts[5]);
        for (size_t i = 6; i < separator; ++i) {
            mount.optional_fields.emplace_back(parts[i]);
        }
        mount.fstype = std::string(parts[separator + 1]);
        mount.source = unescape_mount_path(parts[separator + 2]);
        mount.super_options = separator + 3 < parts.size() ? std::string(parts[separator + 3]) : "";
        table.mounts.push_back(std::move(mount));
    }
    return table;
}

Result<MountTable> read_mountinfo(const Roots& roots) {
    auto path = join_path(roots.proc, "self/mountinfo");
    auto text = read_text_file(path, 4 * kTextFileCap);
    if (!text) {
        return Error{text.error()};
    }
    if (!*text) {
        return Error{"cannot read " + path + ": no such file (is /proc mounted?)"};
    }
    return parse_mountinfo(**text);
}

}  // namespace hale::probes::hardening
