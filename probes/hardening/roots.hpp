// Where the hardening readers find the system. Every reader takes these instead of hard-coded
// paths, so unit tests point them at fixture trees under tests/data/.
#pragma once

#include <string>
#include <string_view>

namespace hale::probes::hardening {

struct Roots {
    std::string proc = "/proc";
    std::string sys = "/sys";
    std::string etc = "/etc";
    std::string root = "/";

    // The four roots as subdirectories of one fixture tree: BASE/proc, BASE/sys, BASE/etc, BASE.
    static Roots under(const std::string& base);
};

// BASE joined with an absolute or relative path, with exactly one slash between them:
//   ("/", "/etc/passwd") -> "/etc/passwd"    ("/x/", "etc") -> "/x/etc"
std::string join_path(std::string_view base, std::string_view path);

// A path seen from inside the container (a mount point, a cgroup directory) mapped onto the
// roots: "/sys/..." goes under roots.sys, "/proc/..." under roots.proc, anything else under
// roots.root.
std::string map_path(const Roots& roots, std::string_view path);

}  // namespace hale::probes::hardening
