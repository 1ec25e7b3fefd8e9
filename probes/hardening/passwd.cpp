#include "probes/hardening/passwd.hpp"

#include <algorithm>
#include <charconv>
#include <optional>

#include "probes/hardening/read_file.hpp"

namespace hale::probes::hardening {
namespace {

enum class LineKind { Skip, Nis, Fields };

// Strips "\r\n" (only what is there) and classifies the line the way glibc's files backend
// does: blank and '#' lines are skipped, '+'/'-' lines are NIS compat entries.
LineKind classify(std::string_view& line) {
    if (!line.empty() && line.back() == '\r') {
        line.remove_suffix(1);
    }
    auto start = line.find_first_not_of(" \t");
    if (start == std::string_view::npos) {
        return LineKind::Skip;
    }
    line.remove_prefix(start);
    if (line.front() == '#') {
        return LineKind::Skip;
    }
    if (line.front() == '+' || line.front() == '-') {
        return LineKind::Nis;
    }
    return LineKind::Fields;
}

std::vector<std::string_view> split_colons(std::string_view line) {
    std::vector<std::string_view> fields;
    for (;;) {
        auto colon = line.find(':');
        fields.push_back(line.substr(0, colon));
        if (colon == std::string_view::npos) {
            return fields;
        }
        line.remove_prefix(colon + 1);
    }
}

// Digits only, as newer musl requires; glibc's strtoul would accept " 12" or "-1".
std::optional<uint32_t> parse_id(std::string_view text) {
    if (text.empty() ||
        !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return std::nullopt;
    }
    uint32_t value = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size()) {
        return std::nullopt;
    }
    return value;
}

template <class Visit>
void for_each_line(std::string_view text, Visit visit) {
    while (!text.empty()) {
        auto newline = text.find('\n');
        visit(text.substr(0, newline));
        if (newline == std::string_view::npos) {
            break;
        }
        text.remove_prefix(newline + 1);
    }
}

template <class File, class Parse>
Result<File> read_etc_file(const Roots& roots, std::string_view name, Parse parse) {
    auto contents = read_text_file(join_path(roots.etc, name));
    if (!contents) {
        return Error{contents.error()};
    }
    if (!*contents) {
        return File{};
    }
    return parse(**contents);
}

}  // namespace

const PasswdEntry* PasswdFile::find_uid(uint32_t uid) const {
    auto it = std::find_if(entries.begin(), entries.end(),
                           [uid](const PasswdEntry& entry) { return entry.uid == uid; });
    return it == entries.end() ? nullptr : &*it;
}

PasswdFile parse_passwd(std::string_view text) {
    PasswdFile file;
    file.present = true;
    for_each_line(text, [&file](std::string_view line) {
        switch (classify(line)) {
            case LineKind::Skip:
                return;
            case LineKind::Nis:
                ++file.nis_lines;
                return;
            case LineKind::Fields:
                break;
        }
        auto fields = split_colons(line);
        if (fields.size() == 6) {
            fields.emplace_back();  // no shell field: /bin/sh
        }
        auto uid = fields.size() == 7 ? parse_id(fields[2]) : std::nullopt;
        auto gid = fields.size() == 7 ? parse_id(fields[3]) : std::nullopt;
        if (!uid || !gid || fields[0].empty()) {
            ++file.bad_lines;
            return;
        }
        file.entries.push_back({std::string(fields[0]), fields[1].empty(), *uid, *gid,
                                std::string(fields[5]), std::string(fields[6])});
    });
    return file;
}

GroupFile parse_group(std::string_view text) {
    GroupFile file;
    file.present = true;
    for_each_line(text, [&file](std::string_view line) {
        switch (classify(line)) {
            case LineKind::Skip:
                return;
            case LineKind::Nis:
                ++file.nis_lines;
                return;
            case LineKind::Fields:
                break;
        }
        auto fields = split_colons(line);
        auto gid = fields.size() == 4 ? parse_id(fields[2]) : std::nullopt;
        if (!gid || fields[0].empty()) {
            ++file.bad_lines;
            return;
        }
        file.entries.push_back({std::string(fields[0]), *gid});
    });
    return file;
}

ShadowFile parse_shadow(std::string_view text) {
    ShadowFile file;
    file.present = true;
    for_each_line(text, [&file](std::string_view line) {
        if (classify(line) != LineKind::Fields) {
            return;
        }
        auto fields = split_colons(line);
        if (fields.size() >= 2 && !fields[0].empty() && fields[1].empty()) {
            file.empty_password_names.emplace_back(fields[0]);
        }
    });
    return file;
}

Result<PasswdFile> read_passwd(const Roots& roots) {
    return read_etc_file<PasswdFile>(roots, "passwd", parse_passwd);
}

Result<GroupFile> read_group(const Roots& roots) {
    return read_etc_file<GroupFile>(roots, "group", parse_group);
}

Result<ShadowFile> read_shadow(const Roots& roots) {
    return read_etc_file<ShadowFile>(roots, "shadow", parse_shadow);
}

std::string effective_shell(const PasswdEntry& entry) {
    return entry.shell.empty() ? "/bin/sh" : entry.shell;
}

bool is_no_login_shell(std::string_view shell) {
    auto slash = shell.rfind('/');
    auto base = slash == std::string_view::npos ? shell : shell.substr(slash + 1);
    return base == "nologin" || base == "false";
}

}  // namespace hale::probes::hardening
