// One bounded walk of the root filesystem for the image-content checks: setuid/setgid
// executables (dockle CIS-DI-0008) and left-over credentials and build files (DKL-LI-0003,
// CIS-DI-0010). It stays on the root's filesystem (volumes and /proc, /sys, /dev are not the
// image), never follows symlinks, and stops after a fixed number of entries so that a huge
// image cannot make `hale about` slow; the report says when it stopped early.
// Package-managed data trees (/usr/share, /usr/include, dpkg/apt/rpm databases) are not
// entered: they hold no executables and no user files, and they are two thirds of a Debian
// image, where every entry costs a readdir and a stat on overlayfs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace hale::probes::hardening {

// Entries visited before the walk stops. A Debian slim image has about 2,500 outside the
// skipped data trees (6,800 in all).
inline constexpr size_t kWalkEntryCap = 20000;
// Directory depth below the root; deeper trees are not entered.
inline constexpr size_t kWalkDepthCap = 32;
// Findings kept per kind; the rest are only counted.
inline constexpr size_t kWalkFindingCap = 64;

struct SetuidFile {
    std::string path;
    bool setuid = false;
    bool setgid = false;
    uint32_t owner = 0;
};

struct WalkResult {
    std::vector<SetuidFile> setuid_files;
    size_t setuid_count = 0;
    std::vector<std::string> leftovers;
    size_t leftover_count = 0;
    size_t entries = 0;
    bool capped = false;  // stopped at the entry cap before seeing everything
    std::string error;    // set when the root itself could not be read
};

WalkResult walk_rootfs(const std::string& root, size_t entry_cap = kWalkEntryCap);

}  // namespace hale::probes::hardening
