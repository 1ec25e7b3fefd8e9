// /proc/self/mountinfo: the mount table as the process really sees it (proc(5)):
//   ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPER_OPTIONS
// Read-only verdicts come from OPTIONS (per mount), never from SUPER_OPTIONS: an overlay
// mounted read-only still has a read-write superblock.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "probes/hardening/roots.hpp"
#include "probes/result.hpp"

namespace hale::probes::hardening {

struct Mount {
    std::string device;       // "MAJ:MIN" of the filesystem
    std::string root;         // the path inside the source filesystem, e.g. a bind's origin
    std::string mount_point;  // where it appears to the process
    std::string options;      // per-mount options: "ro,nosuid,relatime"
    std::vector<std::string> optional_fields;  // "shared:1", "master:2"
    std::string fstype;
    std::string source;
    std::string super_options;

    bool read_only() const;
    bool has_option(std::string_view option) const;
    bool has_super_option(std::string_view option) const;
    bool shared() const;
};

struct MountTable {
    std::vector<Mount> mounts;
    size_t bad_lines = 0;  // lines that do not have the shape above, skipped

    // The mount that covers the path last (later mounts hide earlier ones at the same point).
    const Mount* find(std::string_view mount_point) const;
};

// Paths come escaped as octal (\040 space, \011 tab, \012 newline, \134 backslash).
std::string unescape_mount_path(std::string_view text);

MountTable parse_mountinfo(std::string_view text);

// Reads PROC/self/mountinfo.
Result<MountTable> read_mountinfo(const Roots& roots);

}  // namespace hale::probes::hardening
