#include "probes/hardening/proc_status.hpp"

#include <charconv>
#include <string>

#include "probes/hardening/read_file.hpp"

namespace hale::probes::hardening {
namespace {

std::vector<std::string_view> fields(std::string_view text) {
    std::vector<std::string_view> out;
    size_t pos = 0;
    while (pos < text.size()) {
        auto start = text.find_first_not_of(" \t", pos);
        if (start == std::string_view::npos) {
            break;
        }
        auto end = text.find_first_of(" \t", start);
        out.push_back(text.substr(start, end == std::string_view::npos ? end : end - start));
        pos = end == std::string_view::npos ? text.size() : end;
    }
    return out;
}

template <class T>
std::optional<T> parse_number(std::string_view text, int base = 10) {
    T value{};
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value, base);
    if (error != std::errc() || end != text.data() + text.size() || text.empty()) {
        return std::nullopt;
    }
    return value;
}

std::optional<IdQuad> parse_ids(std::string_view value) {
    auto parts = fields(value);
    if (parts.size() != 4) {
        return std::nullopt;
    }
    IdQuad ids{};
    for (size_t i = 0; i < 4; ++i) {
        auto id = parse_number<uint32_t>(parts[i]);
        if (!id) {
            return std::nullopt;
        }
        ids[i] = *id;
    }
    return ids;
}

std::optional<std::vector<uint32_t>> parse_groups(std::string_view value) {
    std::vector<uint32_t> groups;
    for (auto part : fields(value)) {
        auto id = parse_number<uint32_t>(part);
        if (!id) {
            return std::nullopt;
        }
        groups.push_back(*id);
    }
    return groups;
}

std::optional<uint64_t> parse_mask(std::string_view value) {
    auto parts = fields(value);
    if (parts.size() != 1 || parts[0].size() > 16) {
        return std::nullopt;
    }
    return parse_number<uint64_t>(parts[0], 16);
}

std::optional<int> parse_small(std::string_view value) {
    auto parts = fields(value);
    if (parts.size() != 1) {
        return std::nullopt;
    }
    return parse_number<int>(parts[0]);
}

}  // namespace

std::optional<uint32_t> ProcStatus::effective_uid() const {
    return uid ? std::optional<uint32_t>((*uid)[1]) : std::nullopt;
}

std::optional<uint32_t> ProcStatus::effective_gid() const {
    return gid ? std::optional<uint32_t>((*gid)[1]) : std::nullopt;
}

ProcStatus parse_proc_status(std::string_view text) {
    ProcStatus status;
    while (!text.empty()) {
        auto newline = text.find('\n');
        auto line = text.substr(0, newline);
        text = newline == std::string_view::npos ? std::string_view{} : text.substr(newline + 1);

        auto colon = line.find(':');
        if (colon == std::string_view::npos) {
            continue;
        }
        auto key = line.substr(0, colon);
        auto value = line.substr(colon + 1);
        if (key == "Uid") {
            status.uid = parse_ids(value);
        } else if (key == "Gid") {
            status.gid = parse_ids(value);
        } else if (key == "Groups") {
            status.groups = parse_groups(value);
        } else if (key == "CapInh") {
            status.cap_inheritable = parse_mask(value);
        } else if (key == "CapPrm") {
            status.cap_permitted = parse_mask(value);
        } else if (key == "CapEff") {
            status.cap_effective = parse_mask(value);
        } else if (key == "CapBnd") {
            status.cap_bounding = parse_mask(value);
        } else if (key == "CapAmb") {
            status.cap_ambient = parse_mask(value);
        } else if (key == "NoNewPrivs") {
            status.no_new_privs = parse_small(value);
        } else if (key == "Seccomp") {
            status.seccomp = parse_small(value);
        } else if (key == "Seccomp_filters") {
            status.seccomp_filters = parse_small(value);
        }
    }
    return status;
}

Result<ProcStatus> read_proc_status(const Roots& roots) {
    auto path = join_path(roots.proc, "self/status");
    auto text = read_text_file(path);
    if (!text) {
        return Error{text.error()};
    }
    if (!*text) {
        return Error{"cannot read " + path + ": no such file (is /proc mounted?)"};
    }
    return parse_proc_status(**text);
}

}  // namespace hale::probes::hardening
