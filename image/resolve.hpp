// Finds the image in an archive: which config, which layer blobs in which order. Reads
// manifest.json (docker-archive, kaniko, podman), index.json with nested indexes (OCI, Docker
// 25+, containerd exports) or both, picks a platform, skips attestation manifests, and matches
// layers to the config's diff_ids by the hash of their content, not by position alone.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "image/blob_store.hpp"
#include "image/image_config.hpp"

namespace hale::image {

// Docker refuses images deeper than 127 layers; far more is not an image anyone built.
constexpr size_t kMaxLayers = 4096;

struct Platform {
    std::string os;
    std::string architecture;
    std::string variant;  // empty matches any
};

// "linux/amd64", "linux/arm64/v8", "amd64" (os linux implied).
probes::Result<Platform> parse_platform(const std::string& text);

struct ResolvedLayer {
    const Layer* blob = nullptr;
    std::string descriptor_digest;  // the manifest's digest for the blob (compressed), if any
    std::string media_type;
};

struct SkippedManifest {
    std::string platform;
    std::string digest;
    std::string reason;
};

struct ResolvedImage {
    // "docker-archive" (manifest.json), "oci" (index.json), "docker-archive+oci" (both, as
    // Docker 25+ writes).
    std::string format;
    std::string reference;  // first RepoTag or ref.name annotation; may be empty
    std::string config_digest;
    std::string manifest_digest;  // OCI manifest; empty for docker-archive
    std::string platform;
    ImageConfig config;
    std::vector<ResolvedLayer> layers;
    std::vector<SkippedManifest> skipped;
    int attestation_manifests = 0;
    std::vector<std::string> warnings;
};

struct ResolveOptions {
    std::optional<Platform> platform;
};

// An error means the archive is not an image, or is inconsistent in a way no choice fixes, or
// lists more than kMaxLayers layers.
probes::Result<ResolvedImage> resolve_image(BlobStore& store, const ResolveOptions& options);

}  // namespace hale::image
