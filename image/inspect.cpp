#include "image/inspect.hpp"

#include <algorithm>

#include "image/dive_efficiency.hpp"
#include "image/overlay.hpp"

namespace hale::image {
namespace {

using probes::Error;
using probes::Result;

std::string octal(uint32_t mode) {
    std::string text;
    do {
        text.insert(text.begin(), static_cast<char>('0' + (mode & 7)));
        mode >>= 3;
    } while (mode != 0);
    return text;
}

std::string owner_text(uint32_t uid, uint32_t gid) {
    return std::to_string(uid) + ":" + std::to_string(gid);
}

// Whether a layer came from COPY or ADD: only then do COPY flags apply.
bool copied(const std::optional<std::string>& created_by) {
    if (!created_by) {
        return true;
    }
    std::string_view command = *created_by;
    for (std::string_view prefix : {"/bin/sh -c ", "#(nop) ", " "}) {
        while (command.starts_with(prefix)) {
            command.remove_prefix(prefix.size());
        }
    }
    return command.starts_with("COPY") || command.starts_with("ADD");
}

std::string join(const std::vector<std::string>& parts, const std::string& separator) {
    std::string text;
    for (const auto& part : parts) {
        text += (text.empty() ? "" : separator) + part;
    }
    return text;
}

GhostReport describe_ghost(const Ghost& ghost,
                           const PathTable& paths,
                           const std::optional<std::string>& from_created_by) {
    const Entry& before = *ghost.before;
    const Entry& after = *ghost.after;
    GhostReport report;
    report.path = paths.path(ghost.node);
    report.from_layer = ghost.from_layer;
    report.to_layer = ghost.to_layer;
    report.bytes = ghost.bytes;
    report.mode_before = mode_text(before.mode);
    report.mode_after = mode_text(after.mode);
    report.uid_before = before.uid;
    report.uid_after = after.uid;
    report.gid_before = before.gid;
    report.gid_after = after.gid;

    bool owner = before.uid != after.uid || before.gid != after.gid;
    bool mode = before.mode != after.mode;
    bool xattrs = !ghost.xattrs_changed.empty();
    bool time = before.mtime != after.mtime;
    std::string xattr_names = join(ghost.xattrs_changed, ", ");

    std::vector<std::string> changes;
    if (owner) {
        changes.push_back("owner " + owner_text(before.uid, before.gid) + "->" +
                          owner_text(after.uid, after.gid));
    }
    if (mode) {
        changes.push_back("mode " + report.mode_before + "->" + report.mode_after);
    }
    if (owner || mode) {
        if (xattrs) {
            changes.push_back("xattrs (" + xattr_names + ")");
        }
        report.reason = join(changes, ", ") + ", identical sha256";
    } else if (xattrs) {
        report.reason = "xattr-only (" + xattr_names + ")";
    } else if (time) {
        report.reason = "mtime-only, identical sha256";
    } else {
        report.reason = "rewritten unchanged";
    }

    if ((owner || mode) && copied(from_created_by)) {
        std::string flags;
        if (owner) {
            flags += " --chown=" + owner_text(after.uid, after.gid);
        }
        if (mode) {
            flags += " --chmod=" + octal(after.mode);
        }
        report.hint = "COPY" + flags;
    } else if (owner || mode) {
        report.hint = "change owner or mode in the RUN that creates the file";
    } else if (xattrs) {
        report.hint = "set the attributes in the step that creates the file";
    } else {
        report.hint = "leave files of earlier layers alone; change them where they are created";
    }
    return report;
}

void count_entries(const Layer& layer, const PathTable& paths, LayerReport& report) {
    report.entries = layer.entries.size();
    for (size_t k = 0; k < layer.entries.size(); ++k) {
        const Entry& entry = layer.entries[k];
        if (paths.name(entry.node).starts_with(".wh.")) {
            ++report.whiteouts;
        } else if (entry.type == EntryType::Directory) {
            ++report.directories;
        } else {
            ++report.files;
        }
    }
}

// History entries that made a layer, matched to layers in order (empty_layer ones skipped).
void attach_history(const ImageConfig& config,
                    std::vector<LayerReport>& layers,
                    std::vector<std::string>& warnings) {
    size_t next = 0;
    for (const auto& entry : config.history) {
        if (entry.empty_layer) {
            continue;
        }
        if (next < layers.size()) {
            layers[next].created_by = entry.created_by;
            layers[next].command = dive_command(entry.created_by);
            if (!entry.created.empty()) {
                layers[next].created = entry.created;
            }
        }
        ++next;
    }
    if (next < layers.size() && !config.history.empty()) {
        warnings.push_back("history has " + std::to_string(next) + " entries with layers for " +
                           std::to_string(layers.size()) + " layers; layers " +
                           std::to_string(next) + " and up have no command");
    } else if (next < layers.size()) {
        warnings.emplace_back("config has no history; layers have no command");
    } else if (next > layers.size()) {
        warnings.push_back("history has " + std::to_string(next) + " entries with layers for " +
                           std::to_string(layers.size()) + " layers; the extra ones are ignored");
    }
}

std::vector<LayerReport> layer_reports(const ResolvedImage& image,
                                       const DiveResult& dive,
                                       const PathTable& paths) {
    std::vector<LayerReport> reports;
    for (uint32_t i = 0; i < image.layers.size(); ++i) {
        const ResolvedLayer& resolved = image.layers[i];
        const Layer& layer = *resolved.blob;
        LayerReport report;
        report.index = i;
        report.diff_id = i < image.config.diff_ids.size() ? image.config.diff_ids[i]
                                                          : digest_string(layer.diff_digest);
        report.digest = resolved.descriptor_digest.empty() ? digest_string(layer.blob_digest)
                                                           : resolved.descriptor_digest;
        report.media_type = resolved.media_type;
        report.compression = compression_name(layer.compression);
        report.compressed_bytes = layer.blob_bytes;
        report.uncompressed_bytes = layer.tar_bytes;
        report.size_bytes = layer.content_bytes;
        report.tree_nodes = dive.tree_nodes[i];
        count_entries(layer, paths, report);
        reports.push_back(std::move(report));
    }
    return reports;
}

std::optional<double> ratio(uint64_t part, uint64_t whole) {
    if (whole == 0) {
        return std::nullopt;
    }
    return static_cast<double>(part) / static_cast<double>(whole);
}

}  // namespace

std::string dive_command(const std::string& created_by) {
    constexpr std::string_view kShellPrefix = "/bin/sh -c ";
    return created_by.starts_with(kShellPrefix) ? created_by.substr(kShellPrefix.size())
                                                : created_by;
}

Result<ImageReport> inspect_image(const std::string& source, const InspectOptions& options) {
    auto opened = open_image(source, options.read);
    if (!opened) {
        return Error{opened.error()};
    }
    return inspect_store(**opened, source, options);
}

Result<ImageReport> inspect_store(BlobStore& store,
                                  const std::string& source,
                                  const InspectOptions& options) {
    // Find the image among what the archive holds.
    auto resolved = resolve_image(store, options.resolve);
    if (!resolved) {
        return Error{resolved.error()};
    }
    ResolvedImage& image = *resolved;
    std::vector<const Layer*> layers;
    uint64_t gids = 0;
    for (const auto& layer : image.layers) {
        layers.push_back(layer.blob);
        gids += layer.blob->entries.size();
    }
    if (layers.size() > kMaxLayers || gids >= (uint64_t{1} << 31)) {
        return Error{"image has " + std::to_string(layers.size()) + " layers with " +
                     std::to_string(gids) + " entries; more than hale analyses"};
    }

    ImageReport report;
    report.source = source;
    report.format = image.format == "oci"
                        ? (store.container() == "directory" ? "oci-layout" : "oci-archive")
                        : image.format;
    report.compression = store.outer_compression();
    report.reference = image.reference;
    report.config_digest = image.config_digest;
    report.manifest_digest = image.manifest_digest;
    report.platform = image.platform;
    report.created = image.config.created;
    report.user = image.config.user;
    report.skipped = image.skipped;
    report.attestation_manifests = image.attestation_manifests;
    report.warnings = store.warnings();
    report.warnings.insert(report.warnings.end(), image.warnings.begin(), image.warnings.end());

    // dive's numbers first: they intern whiteout targets the overlay then looks up.
    DiveResult dive = dive_efficiency(layers, store.paths());
    const PathTable& paths = store.paths();
    report.layers = layer_reports(image, dive, paths);
    attach_history(image.config, report.layers, report.warnings);
    for (size_t i = 0; i < layers.size(); ++i) {
        for (const auto& warning : layers[i]->warnings) {
            report.warnings.push_back("layer " + std::to_string(i) + ": " + warning);
        }
        report.total_bytes += layers[i]->content_bytes;
        report.compressed_bytes += layers[i]->blob_bytes;
        if (i > 0) {
            report.user_bytes += layers[i]->content_bytes;
        }
    }
    report.efficiency = dive.efficiency;
    report.dive_wasted_bytes = dive.wasted_bytes;
    report.dive_user_wasted_ratio = ratio(dive.wasted_bytes, report.user_bytes);
    for (const auto& item : dive.inefficiencies) {
        report.inefficiencies.push_back(
            {paths.path(item.node), item.count, item.cumulative, item.minimum});
    }

    // hale's own stacking: wasted bytes, ghosts, the final filesystem.
    Overlay overlay(layers, paths);
    report.warnings.insert(report.warnings.end(), overlay.warnings().begin(),
                           overlay.warnings().end());
    report.wasted_bytes = overlay.wasted_bytes();
    report.final_bytes = overlay.shipped_bytes() - overlay.wasted_bytes();
    report.user_wasted_ratio = ratio(report.wasted_bytes, report.user_bytes);
    for (const auto& wasted : overlay.wasted_paths()) {
        PathReport path{paths.path(wasted.node),
                        waste_class_name(wasted.kind),
                        wasted.copies,
                        wasted.layers,
                        std::nullopt,
                        wasted.bytes,
                        wasted.files};
        if (wasted.removed_in != Overlay::kNotRemoved) {
            path.removed_in = wasted.removed_in;
        }
        report.paths.push_back(std::move(path));
    }
    for (const auto& ghost : overlay.ghosts()) {
        report.ghosts.push_back(
            describe_ghost(ghost, paths, report.layers[ghost.from_layer].created_by));
    }
    std::stable_sort(report.ghosts.begin(), report.ghosts.end(),
                     [](const GhostReport& a, const GhostReport& b) { return a.bytes > b.bytes; });

    // What the config and the final filesystem say.
    report.findings = image_findings(image.config, overlay);
    report.runs_as_root = user_is_root(image.config.user, overlay).value_or(false);
    report.shells = shells_present(overlay);
    report.score = image_score(report.findings, report.wasted_bytes, overlay.shipped_bytes());
    return report;
}

}  // namespace hale::image
