#include "probes/hardening/namespaces.hpp"

#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>

#include "probes/hardening/read_file.hpp"
#include "probes/text.hpp"

namespace hale::probes::hardening {

std::optional<uint64_t> parse_ns_link(std::string_view kind, std::string_view link) {
    std::string prefix = std::string(kind) + ":[";
    if (!link.starts_with(prefix) || !link.ends_with("]")) {
        return std::nullopt;
    }
    auto digits = link.substr(prefix.size(), link.size() - prefix.size() - 1);
    uint64_t inode = 0;
    auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), inode);
    if (digits.empty() || error != std::errc() || end != digits.data() + digits.size()) {
        return std::nullopt;
    }
    return inode;
}

Result<uint64_t> read_ns_inode(const Roots& roots, std::string_view kind) {
    auto path = join_path(roots.proc, "self/ns/" + std::string(kind));
    char target[128];
    ssize_t length = ::readlink(path.c_str(), target, sizeof target - 1);
    if (length < 0) {
        return Error{"cannot read " + path + ": " + describe_errno(errno)};
    }
    std::string_view link(target, static_cast<size_t>(length));
    auto inode = parse_ns_link(kind, link);
    if (!inode) {
        return Error{"invalid namespace link '" + std::string(link) + "': expected " +
                     std::string(kind) + ":[INODE]"};
    }
    return *inode;
}

UidMap parse_uid_map(std::string_view text) {
    UidMap map;
    size_t lines = 0;
    while (!text.empty()) {
        auto newline = text.find('\n');
        auto line = trim(text.substr(0, newline));
        text = newline == std::string_view::npos ? std::string_view{} : text.substr(newline + 1);
        if (line.empty()) {
            continue;
        }
        // Collapse the kernel's column padding: "         0          0 4294967295".
        std::string collapsed;
        bool in_space = false;
        for (char c : line) {
            if (c == ' ' || c == '\t') {
                in_space = true;
                continue;
            }
            if (in_space && !collapsed.empty()) {
                collapsed += ' ';
            }
            in_space = false;
            collapsed += c;
        }
        map.text += (map.text.empty() ? "" : "; ") + collapsed;
        ++lines;
    }
    map.identity = lines == 1 && map.text == "0 0 4294967295";
    return map;
}

Result<UidMap> read_uid_map(const Roots& roots) {
    auto path = join_path(roots.proc, "self/uid_map");
    auto text = read_text_file(path);
    if (!text) {
        return Error{text.error()};
    }
    if (!*text) {
        return Error{"cannot read " + path + ": no such file"};
    }
    return parse_uid_map(**text);
}

}  // namespace hale::probes::hardening
