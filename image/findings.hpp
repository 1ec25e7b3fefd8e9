// What an image's config and final filesystem say about how it will run: as root, without a
// health check or with one that needs a missing shell, with shells, package-manager caches,
// compilers, setuid or world-writable files left in.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "image/image_config.hpp"
#include "image/overlay.hpp"

namespace hale::image {

enum class Severity { High, Medium, Low };
const char* severity_name(Severity severity);

struct Finding {
    std::string id;  // stable kebab-case, e.g. "runs-as-root"
    Severity severity;
    std::string message;
    std::string fix;
    std::vector<std::string> paths;  // the offending paths, at most kMaxPaths
    uint64_t bytes = 0;              // for caches: what they take
};

// Whether a config User runs as root: "", "0", "root", "0:0", "root:root" and any user part
// that is 0 or root do; a name is looked up in the image's own /etc/passwd when it has one.
// nullopt when the name cannot be resolved.
std::optional<bool> user_is_root(const std::string& user, const Overlay& tree);

// Shell binaries present in the final filesystem (symlinks followed), e.g. {"/bin/sh", ...}.
std::vector<std::string> shells_present(const Overlay& tree);

// Permission bits as four octal digits: 04755 -> "4755", 0644 -> "0644".
std::string mode_text(uint32_t mode);

std::vector<Finding> image_findings(const ImageConfig& config, const Overlay& tree);

// 100 minus penalties: 25 per high, 10 per medium, 3 per low finding, and up to 30 for wasted
// bytes (one point per percent of the shipped bytes). Never below 0.
int image_score(const std::vector<Finding>& findings,
                uint64_t wasted_bytes,
                uint64_t shipped_bytes);

}  // namespace hale::image
