// The parts of an image config (OCI config.md, Docker's image JSON) that inspect reports on.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "image/json_document.hpp"

namespace hale::image {

struct HistoryEntry {
    std::string created;
    std::string created_by;
    std::string comment;
    bool empty_layer = false;
};

struct ImageConfig {
    std::string os;
    std::string architecture;
    std::string variant;
    std::string created;
    std::string user;
    // Healthcheck.Test: {"CMD", ...}, {"CMD-SHELL", "..."}, {"NONE"}; nullopt when unset.
    std::optional<std::vector<std::string>> healthcheck;
    std::vector<std::string> entrypoint;
    std::vector<std::string> cmd;
    std::vector<std::string> diff_ids;
    std::vector<HistoryEntry> history;
};

// Never fails on missing or mistyped fields: they read as empty. Fails when the document is
// not a JSON object.
probes::Result<ImageConfig> parse_image_config(const Json& document);

// "linux/amd64", "linux/arm/v7".
std::string platform_string(const std::string& os,
                            const std::string& architecture,
                            const std::string& variant);

}  // namespace hale::image
