#include "probes/hardening/roots.hpp"

namespace hale::probes::hardening {
namespace {

bool under_dir(std::string_view path, std::string_view dir) {
    return path == dir ||
           (path.starts_with(dir) && path.size() > dir.size() && path[dir.size()] == '/');
}

}  // namespace

Roots Roots::under(const std::string& base) {
    return {join_path(base, "proc"), join_path(base, "sys"), join_path(base, "etc"), base};
}

std::string join_path(std::string_view base, std::string_view path) {
    while (!base.empty() && base.back() == '/') {
        base.remove_suffix(1);
    }
    while (!path.empty() && path.front() == '/') {
        path.remove_prefix(1);
    }
    std::string joined(base);
    joined += '/';
    joined += path;
    return joined;
}

std::string map_path(const Roots& roots, std::string_view path) {
    if (under_dir(path, "/sys")) {
        return join_path(roots.sys, path.substr(4));
    }
    if (under_dir(path, "/proc")) {
        return join_path(roots.proc, path.substr(5));
    }
    return join_path(roots.root, path);
}

}  // namespace hale::probes::hardening
