#include "image/resolve.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <unordered_map>

namespace hale::image {
namespace {

using probes::Error;
using probes::Result;

// Nested indexes deeper than this are refused; real exports nest two levels.
constexpr int kMaxIndexDepth = 8;

#if defined(__aarch64__)
constexpr const char* kHostPlatform = "linux/arm64";
#else
constexpr const char* kHostPlatform = "linux/amd64";
#endif

struct Candidate {
    std::string label;  // "manifest.json" or "manifest sha256:..."
    std::string manifest_digest;
    std::string reference;
    std::string platform;
    std::string config_name;
    std::vector<std::string> layer_names;
    std::vector<std::string> layer_digests;
    std::vector<std::string> media_types;
    std::string missing;  // why the candidate cannot be read; empty when complete
};

// "sha256:<hex>" -> "blobs/sha256/<hex>"; "" when the digest is malformed (which also keeps
// names such as "sha256:../../x" from pointing anywhere but into blobs/).
std::string blob_name(const std::string& digest) {
    auto colon = digest.find(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == digest.size()) {
        return "";
    }
    auto algorithm_ok =
        std::all_of(digest.begin(), digest.begin() + static_cast<long>(colon),
                    [](unsigned char c) { return std::islower(c) || std::isdigit(c); });
    auto hex_ok = std::all_of(digest.begin() + static_cast<long>(colon) + 1, digest.end(),
                              [](unsigned char c) { return std::isxdigit(c); });
    if (!algorithm_ok || !hex_ok) {
        return "";
    }
    return "blobs/" + digest.substr(0, colon) + "/" + digest.substr(colon + 1);
}

std::string short_digest(const std::string& digest) {
    return digest.substr(0, 19);
}

std::string too_many_layers(const std::string& what, size_t count) {
    return what + " lists " + std::to_string(count) + " layers; more than the " +
           std::to_string(kMaxLayers) + " hale analyses";
}

bool is_index_type(const std::string& media_type) {
    return media_type.find("image.index") != std::string::npos ||
           media_type.find("manifest.list") != std::string::npos;
}

std::string descriptor_platform(const Json& descriptor) {
    const Json* platform = member(descriptor, "platform");
    if (platform == nullptr) {
        return "";
    }
    return platform_string(string_member(*platform, "os"), string_member(*platform, "architecture"),
                           string_member(*platform, "variant"));
}

bool platform_matches(const std::string& have, const Platform& want) {
    auto parsed = parse_platform(have);
    return parsed && parsed->os == want.os && parsed->architecture == want.architecture &&
           (want.variant.empty() || parsed->variant == want.variant);
}

// Walks index.json and the indexes it nests, collecting image manifests.
class IndexWalker {
public:
    explicit IndexWalker(BlobStore& store) : store_(store) {}

    Result<bool> walk(const Json& index, int depth, const std::string& reference) {
        if (depth > kMaxIndexDepth) {
            return Error{"invalid index.json: indexes nested deeper than " +
                         std::to_string(kMaxIndexDepth) + " levels"};
        }
        const Json* manifests = member(index, "manifests");
        if (manifests == nullptr || !manifests->is_array()) {
            return true;
        }
        for (const auto& descriptor : *manifests) {
            if (auto added = visit(descriptor, depth, reference); !added) {
                return added;
            }
        }
        return true;
    }

    std::vector<Candidate> candidates;
    std::vector<SkippedManifest> skipped;
    int attestations = 0;

private:
    Result<bool> visit(const Json& descriptor, int depth, std::string reference) {
        std::string digest = string_member(descriptor, "digest");
        std::string platform = descriptor_platform(descriptor);
        const Json* annotations = member(descriptor, "annotations");
        if (annotations != nullptr) {
            if (string_member(*annotations, "vnd.docker.reference.type") ==
                "attestation-manifest") {
                ++attestations;
                return true;
            }
            for (const char* key :
                 {"io.containerd.image.name", "org.opencontainers.image.ref.name"}) {
                if (reference.empty()) {
                    reference = string_member(*annotations, key);
                }
            }
        }
        std::string name = blob_name(digest);
        if (name.empty()) {
            return Error{"invalid index: manifest digest '" + digest +
                         "': expected <algorithm>:<hex>"};
        }
        if (!visited_.insert(digest).second) {
            return true;  // listed twice, or an index that includes itself
        }
        const std::string* text = store_.document(name);
        if (text == nullptr) {
            skipped.push_back({platform.empty() ? "unknown" : platform, digest, "blobs missing"});
            return true;
        }
        auto document = parse_json(*text, "manifest " + short_digest(digest));
        if (!document) {
            return Error{document.error()};
        }
        std::string media_type = string_member(descriptor, "mediaType");
        if (media_type.empty()) {
            media_type = string_member(*document, "mediaType");
        }
        if (is_index_type(media_type) || member(*document, "manifests") != nullptr) {
            return walk(*document, depth + 1, reference);
        }
        add_manifest(*document, digest, platform, reference);
        return true;
    }

    void add_manifest(const Json& manifest,
                      const std::string& digest,
                      std::string platform,
                      const std::string& reference) {
        Candidate candidate;
        candidate.label = "manifest " + digest;
        candidate.manifest_digest = digest;
        candidate.reference = reference;
        const Json* config = member(manifest, "config");
        std::string config_digest = config != nullptr ? string_member(*config, "digest") : "";
        candidate.config_name = blob_name(config_digest);
        auto need = [&](const std::string& blob_digest, const std::string& blob) {
            if (candidate.missing.empty() && (blob.empty() || !store_.contains(blob))) {
                candidate.missing =
                    "blob " + blob_digest + " referenced by manifest " + digest + " not in archive";
            }
        };
        need(config_digest, candidate.config_name);
        const Json* layers = member(manifest, "layers");
        if (layers != nullptr && layers->is_array() && layers->size() > kMaxLayers) {
            candidate.missing = too_many_layers("manifest " + digest, layers->size());
        } else if (layers != nullptr && layers->is_array()) {
            for (const auto& layer : *layers) {
                std::string layer_digest = string_member(layer, "digest");
                candidate.layer_digests.push_back(layer_digest);
                candidate.layer_names.push_back(blob_name(layer_digest));
                candidate.media_types.push_back(string_member(layer, "mediaType"));
                need(layer_digest, candidate.layer_names.back());
            }
        }
        if (platform.empty() && candidate.missing.empty()) {
            // Manifests listed without a platform: the config says which one it is.
            platform = config_platform(candidate.config_name);
        }
        candidate.platform = platform.empty() ? "unknown" : platform;
        candidates.push_back(std::move(candidate));
    }

    // The platform a config names, parsed once per config however many manifests share it.
    const std::string& config_platform(const std::string& config_name) {
        auto [known, added] = config_platforms_.try_emplace(config_name);
        if (!added) {
            return known->second;
        }
        if (const std::string* text = store_.document(config_name)) {
            if (auto parsed = parse_json(*text, "config"); parsed) {
                known->second = platform_string(string_member(*parsed, "os"),
                                                string_member(*parsed, "architecture"),
                                                string_member(*parsed, "variant"));
            }
        }
        return known->second;
    }

    BlobStore& store_;
    std::set<std::string> visited_;
    std::map<std::string, std::string> config_platforms_;
};

Result<Candidate> legacy_candidate(BlobStore& store,
                                   const std::string& text,
                                   std::vector<std::string>& warnings) {
    auto document = parse_json(text, "manifest.json");
    if (!document) {
        return Error{document.error()};
    }
    if (!document->is_array() || document->empty() || !(*document)[0].is_object()) {
        return Error{"invalid manifest.json: expected a list of images"};
    }
    const Json& image = (*document)[0];
    Candidate candidate;
    candidate.label = "manifest.json";
    candidate.config_name = normalize_name(string_member(image, "Config"));
    candidate.layer_names = string_array(image, "Layers");
    if (candidate.layer_names.size() > kMaxLayers) {
        return Error{too_many_layers("manifest.json", candidate.layer_names.size())};
    }
    candidate.layer_digests.resize(candidate.layer_names.size());
    candidate.media_types.resize(candidate.layer_names.size());
    auto tags = string_array(image, "RepoTags");
    if (!tags.empty()) {
        candidate.reference = tags.front();
    }
    // TODO: let the user pick an image of a multi-image archive (by tag); dive takes the first
    // too, and `docker save` of one image, the common case, holds only one.
    if (document->size() > 1) {
        warnings.push_back("manifest.json lists " + std::to_string(document->size()) +
                           " images; analysed the first" +
                           (candidate.reference.empty() ? "" : " (" + candidate.reference + ")"));
    }
    if (candidate.config_name.empty() || store.document(candidate.config_name) == nullptr) {
        candidate.missing =
            "config " + candidate.config_name + " referenced by manifest.json not in archive";
    }
    for (const auto& name : candidate.layer_names) {
        if (candidate.missing.empty() && !store.contains(name)) {
            candidate.missing = "blob " + name + " referenced by manifest.json not in archive";
        }
    }
    return candidate;
}

Result<Candidate> choose_platform(IndexWalker& walker,
                                  const ResolveOptions& options,
                                  std::vector<std::string>& warnings) {
    auto& candidates = walker.candidates;
    std::vector<size_t> eligible;
    for (size_t i = 0; i < candidates.size(); ++i) {
        bool wanted = options.platform ? platform_matches(candidates[i].platform, *options.platform)
                                       : candidates[i].platform != "unknown/unknown";
        if (wanted) {
            eligible.push_back(i);
        }
    }
    if (eligible.empty()) {
        // Each platform once, and a handful at most: the error stays one short line.
        constexpr size_t kPlatformsNamed = 8;
        std::set<std::string> platforms;
        for (const auto& candidate : candidates) {
            platforms.insert(candidate.platform);
        }
        std::string found;
        size_t named = 0;
        for (const auto& platform : platforms) {
            if (named++ == kPlatformsNamed) {
                found += ", ...";
                break;
            }
            found += (found.empty() ? "" : ", ") + platform;
        }
        if (options.platform) {
            return Error{"platform " +
                         platform_string(options.platform->os, options.platform->architecture,
                                         options.platform->variant) +
                         " not in archive (found: " + (found.empty() ? "none" : found) + ")"};
        }
        return Error{"not an image archive: index.json lists no image manifest"};
    }

    // The only complete platform; among several, the host's; else the first complete one.
    std::vector<size_t> complete;
    std::copy_if(eligible.begin(), eligible.end(), std::back_inserter(complete),
                 [&](size_t i) { return candidates[i].missing.empty(); });
    if (complete.empty()) {
        return Error{candidates[eligible.front()].missing};
    }
    size_t chosen = complete.front();
    if (complete.size() > 1) {
        for (size_t i : complete) {
            if (candidates[i].platform == kHostPlatform) {
                chosen = i;
                break;
            }
        }
        warnings.push_back("archive holds " + std::to_string(complete.size()) +
                           " complete images; analysed " + candidates[chosen].platform +
                           " (choose with --platform)");
    }
    for (size_t i = 0; i < candidates.size(); ++i) {
        if (i != chosen) {
            walker.skipped.push_back(
                {candidates[i].platform, candidates[i].manifest_digest,
                 candidates[i].missing.empty() ? "not selected" : "blobs missing"});
        }
    }
    return candidates[chosen];
}

std::string diff_id_of(const Layer& layer) {
    return digest_string(layer.diff_digest);
}

// Whether the manifest's layers, read in order, hash to the config's diff_ids.
bool matches_diff_ids(BlobStore& store, const Candidate& candidate, const ImageConfig& config) {
    if (candidate.layer_names.size() != config.diff_ids.size()) {
        return false;
    }
    for (size_t i = 0; i < config.diff_ids.size(); ++i) {
        auto layer = store.layer(candidate.layer_names[i]);
        if (!layer || *layer == nullptr || diff_id_of(**layer) != config.diff_ids[i]) {
            return false;
        }
    }
    return true;
}

// The layers in config order: each diff_id is matched to the manifest's layer at the same
// position when its content hashes to it, else to any layer blob of the archive that does.
Result<std::vector<ResolvedLayer>> match_layers(BlobStore& store,
                                                const Candidate& candidate,
                                                const ImageConfig& config,
                                                std::vector<std::string>& warnings) {
    std::vector<ResolvedLayer> manifest_layers;
    for (size_t i = 0; i < candidate.layer_names.size(); ++i) {
        const auto& name = candidate.layer_names[i];
        std::string shown = candidate.layer_digests[i].empty() ? name : candidate.layer_digests[i];
        auto layer = store.layer(name);
        if (!layer) {
            return Error{"layer " + shown + ": " + layer.error()};
        }
        if (*layer == nullptr) {
            return Error{"blob " + shown + " referenced by " + candidate.label + " not in archive"};
        }
        const std::string& claimed = candidate.layer_digests[i];
        if (!claimed.empty() && claimed.starts_with("sha256:") &&
            claimed != digest_string((*layer)->blob_digest)) {
            warnings.push_back("blob " + claimed + " content hashes to " +
                               digest_string((*layer)->blob_digest));
        }
        manifest_layers.push_back({*layer, claimed, candidate.media_types[i]});
    }
    if (config.diff_ids.empty()) {
        if (!manifest_layers.empty()) {
            warnings.emplace_back("config has no rootfs.diff_ids; layers taken in manifest order");
        }
        return manifest_layers;
    }
    // Layers and diff_ids pair one for one: with more of either, some layer would be shown
    // under another's history, or a diff_id matched to whatever blob happens to hash to it.
    if (manifest_layers.size() != config.diff_ids.size()) {
        return Error{candidate.label + " lists " + std::to_string(manifest_layers.size()) +
                     " layers, but the image config lists " +
                     std::to_string(config.diff_ids.size()) + " diff_ids"};
    }

    std::vector<ResolvedLayer> layers;
    // Every layer blob read, by diff_id: made once, at the first diff_id the manifest's layer
    // at its position does not hash to.
    std::unordered_map<std::string, const Layer*> by_diff_id;
    bool indexed = false;
    for (size_t i = 0; i < config.diff_ids.size(); ++i) {
        const std::string& diff_id = config.diff_ids[i];
        if (diff_id_of(*manifest_layers[i].blob) == diff_id) {
            layers.push_back(manifest_layers[i]);
            continue;
        }
        if (!indexed) {
            for (const Layer* layer : store.layers_read()) {
                by_diff_id.try_emplace(diff_id_of(*layer), layer);
            }
            indexed = true;
        }
        if (auto found = by_diff_id.find(diff_id); found != by_diff_id.end()) {
            layers.push_back({found->second, "", ""});
            continue;
        }
        warnings.push_back("layer " + std::to_string(i) + " content hashes to " +
                           diff_id_of(*manifest_layers[i].blob) + ", config diff_id is " + diff_id);
        layers.push_back(manifest_layers[i]);
    }
    return layers;
}

Result<ImageConfig> load_config(BlobStore& store, const Candidate& candidate, std::string& digest) {
    const std::string* text = store.document(candidate.config_name);
    if (text == nullptr) {
        return Error{"config " + candidate.config_name + " referenced by " + candidate.label +
                     " not in archive"};
    }
    Sha256 sha;
    sha.update(text->data(), text->size());
    digest = digest_string(sha.finish());
    auto document = parse_json(*text, "image config");
    if (!document) {
        return Error{document.error()};
    }
    auto config = parse_image_config(*document);
    if (config && config->diff_ids.size() > kMaxLayers) {
        return Error{"image config lists " + std::to_string(config->diff_ids.size()) +
                     " diff_ids; more than the " + std::to_string(kMaxLayers) +
                     " layers hale analyses"};
    }
    return config;
}

Result<ResolvedImage> resolve_in(BlobStore& store, const ResolveOptions& options) {
    ResolvedImage image;
    const std::string* legacy_text = store.document("manifest.json");
    const std::string* index_text = store.document("index.json");
    if (legacy_text == nullptr && index_text == nullptr) {
        return Error{"not an image archive: no manifest.json or index.json"};
    }

    // Both layouts describe the image when present; the index is walked in any case, for the
    // platforms and attestations it lists.
    std::optional<Candidate> legacy;
    if (legacy_text != nullptr) {
        auto candidate = legacy_candidate(store, *legacy_text, image.warnings);
        if (!candidate) {
            return Error{candidate.error()};
        }
        legacy = std::move(*candidate);
    }
    std::optional<Candidate> oci;
    std::string oci_error;
    IndexWalker walker(store);
    if (index_text != nullptr) {
        auto index = parse_json(*index_text, "index.json");
        if (!index) {
            return Error{index.error()};
        }
        if (auto walked = walker.walk(*index, 0, ""); !walked) {
            return Error{walked.error()};
        }
        auto chosen = choose_platform(walker, options, image.warnings);
        if (chosen) {
            oci = std::move(*chosen);
        } else {
            oci_error = chosen.error();
        }
        image.skipped = walker.skipped;
        image.attestation_manifests = walker.attestations;
    }

    // Which description to follow.
    Candidate chosen;
    if (oci && legacy) {
        image.format = "docker-archive+oci";
        chosen = *oci;
        if (!options.platform) {
            std::string digest;
            auto config = load_config(store, *oci, digest);
            if (!config || !matches_diff_ids(store, *oci, *config)) {
                image.warnings.emplace_back(
                    "OCI manifest inconsistent with config diff_ids; used manifest.json");
                chosen = *legacy;
            }
        }
    } else if (legacy) {
        image.format = index_text != nullptr ? "docker-archive+oci" : "docker-archive";
        if (options.platform && index_text != nullptr) {
            return Error{oci_error};
        }
        if (!oci_error.empty() && oci_error.find("not an image archive") == std::string::npos) {
            image.warnings.push_back("index.json unusable (" + oci_error + "); used manifest.json");
        }
        chosen = *legacy;
    } else if (oci) {
        image.format = "oci";
        chosen = *oci;
    } else {
        return Error{oci_error};
    }
    if (!chosen.missing.empty()) {
        return Error{chosen.missing};
    }

    auto config = load_config(store, chosen, image.config_digest);
    if (!config) {
        return Error{config.error()};
    }
    image.config = std::move(*config);
    auto layers = match_layers(store, chosen, image.config, image.warnings);
    if (!layers) {
        return Error{layers.error()};
    }
    image.layers = std::move(*layers);
    image.reference = chosen.reference;
    image.manifest_digest = chosen.manifest_digest;
    image.platform =
        platform_string(image.config.os, image.config.architecture, image.config.variant);
    return image;
}

}  // namespace

Result<Platform> parse_platform(const std::string& text) {
    std::vector<std::string> parts;
    size_t start = 0;
    while (start <= text.size()) {
        size_t slash = std::min(text.find('/', start), text.size());
        parts.push_back(text.substr(start, slash - start));
        start = slash + 1;
    }
    if (parts.size() == 1) {
        parts.insert(parts.begin(), "linux");
    }
    if (parts.size() > 3 ||
        std::any_of(parts.begin(), parts.end(), [](const auto& p) { return p.empty(); })) {
        return Error{"invalid platform '" + text +
                     "': expected os/arch[/variant], e.g. linux/amd64"};
    }
    return Platform{parts[0], parts[1], parts.size() == 3 ? parts[2] : ""};
}

Result<ResolvedImage> resolve_image(BlobStore& store, const ResolveOptions& options) {
    auto image = resolve_in(store, options);
    // A limit the store ran into while reading on demand explains whatever failed after it.
    if (!store.limit_error().empty()) {
        return Error{store.limit_error()};
    }
    return image;
}

}  // namespace hale::image
