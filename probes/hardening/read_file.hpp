// Reading the small text files the hardening checks look at (/proc, /sys, /etc), with a size
// cap and without blocking: a FIFO or a device planted at /etc/passwd must not hang hale.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "probes/result.hpp"

namespace hale::probes::hardening {

// Files this large are not what the checks expect; reading stops with an error.
inline constexpr size_t kTextFileCap = 1 << 20;

// The contents of a regular file; nullopt when it does not exist (ENOENT, ENOTDIR), an error
// for every other failure ("cannot read /etc/passwd: Permission denied"). "No file" and
// "unreadable file" are different findings, so they stay apart.
Result<std::optional<std::string>> read_text_file(const std::string& path,
                                                  size_t cap = kTextFileCap);

// The first line of a file with surrounding whitespace trimmed; nullopt when absent.
Result<std::optional<std::string>> read_first_line(const std::string& path);

// Whether the path exists, without following a final symlink (a dangling link exists).
bool path_exists(const std::string& path);

// The effective-ID write permission test of faccessat(AT_EACCESS): no file is opened, and a
// read-only mount answers "not writable" (EROFS).
bool writable(const std::string& path);

std::string trim(std::string_view text);

}  // namespace hale::probes::hardening
