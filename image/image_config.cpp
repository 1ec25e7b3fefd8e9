#include "image/image_config.hpp"

namespace hale::image {

std::string platform_string(const std::string& os,
                            const std::string& architecture,
                            const std::string& variant) {
    std::string text =
        (os.empty() ? "unknown" : os) + "/" + (architecture.empty() ? "unknown" : architecture);
    if (!variant.empty()) {
        text += "/" + variant;
    }
    return text;
}

probes::Result<ImageConfig> parse_image_config(const Json& document) {
    if (!document.is_object()) {
        return probes::Error{"invalid image config: expected a JSON object"};
    }
    ImageConfig config;
    config.os = string_member(document, "os");
    config.architecture = string_member(document, "architecture");
    config.variant = string_member(document, "variant");
    config.created = string_member(document, "created");

    if (const Json* runtime = member(document, "config"); runtime != nullptr) {
        config.user = string_member(*runtime, "User");
        config.entrypoint = string_array(*runtime, "Entrypoint");
        config.cmd = string_array(*runtime, "Cmd");
        if (const Json* health = member(*runtime, "Healthcheck"); health != nullptr) {
            if (member(*health, "Test") != nullptr) {
                config.healthcheck = string_array(*health, "Test");
            }
        }
    }
    if (const Json* rootfs = member(document, "rootfs"); rootfs != nullptr) {
        config.diff_ids = string_array(*rootfs, "diff_ids");
    }
    if (const Json* history = member(document, "history");
        history != nullptr && history->is_array()) {
        for (const auto& item : *history) {
            HistoryEntry entry;
            entry.created = string_member(item, "created");
            entry.created_by = string_member(item, "created_by");
            entry.comment = string_member(item, "comment");
            entry.empty_layer = bool_member(item, "empty_layer");
            config.history.push_back(std::move(entry));
        }
    }
    return config;
}

}  // namespace hale::image
