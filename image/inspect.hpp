// `hale inspect`'s analysis of one image archive: read it in one pass, find the image, stack
// its layers both as dive does (for comparable numbers) and as the OCI spec says (for hale's
// own wasted bytes, ghost files and the final filesystem), and collect findings.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "image/blob_store.hpp"
#include "image/findings.hpp"
#include "image/resolve.hpp"

namespace hale::image {

struct InspectOptions {
    ReadOptions read;
    ResolveOptions resolve;
};

struct LayerReport {
    uint32_t index = 0;
    std::string diff_id;  // from the config; the computed one when the config has none
    std::string digest;   // of the blob as stored
    std::string media_type;
    std::string compression;
    uint64_t compressed_bytes = 0;
    uint64_t uncompressed_bytes = 0;  // the tar stream
    uint64_t size_bytes = 0;          // content bytes: dive's layer size
    uint64_t entries = 0;
    uint64_t files = 0;  // entries that are neither directories nor whiteouts
    uint64_t directories = 0;
    uint64_t whiteouts = 0;
    uint64_t tree_nodes = 0;  // dive's node count, implicit directories included
    std::optional<std::string> created_by;
    std::optional<std::string> command;  // created_by without "/bin/sh -c ", as dive shows it
    std::optional<std::string> created;
};

struct PathReport {
    std::string path;
    std::string kind;  // ghost, overwritten, deleted
    uint32_t copies = 0;
    std::vector<uint32_t> layers;
    std::optional<uint32_t> removed_in;
    uint64_t bytes = 0;
    uint64_t files = 0;
};

struct GhostReport {
    std::string path;
    uint32_t from_layer = 0;
    uint32_t to_layer = 0;
    uint64_t bytes = 0;
    std::string mode_before;
    std::string mode_after;
    uint32_t uid_before = 0;
    uint32_t uid_after = 0;
    uint32_t gid_before = 0;
    uint32_t gid_after = 0;
    std::string reason;  // "owner 0:0->1000:1000, identical sha256"
    std::string hint;    // "COPY --chown=1000:1000"
};

struct InefficiencyReport {
    std::string path;
    uint32_t count = 0;
    uint64_t cumulative_bytes = 0;
    uint64_t minimum_bytes = 0;
};

struct ImageReport {
    std::string source;
    std::string format;       // docker-archive, docker-archive+oci, oci-archive, oci-layout
    std::string compression;  // of the outer stream
    std::string reference;
    std::string config_digest;
    std::string manifest_digest;
    std::string platform;
    std::string created;
    std::string user;
    bool runs_as_root = false;
    std::vector<std::string> shells;
    std::vector<SkippedManifest> skipped;
    int attestation_manifests = 0;

    uint64_t total_bytes = 0;       // dive's sizeBytes: content bytes of every layer
    uint64_t user_bytes = 0;        // the same without layer 0, as dive counts it
    uint64_t compressed_bytes = 0;  // the layer blobs as stored
    uint64_t final_bytes = 0;       // regular-file bytes the final filesystem shows
    uint64_t wasted_bytes = 0;      // shipped but not shown (copies kept are not waste)
    uint64_t dive_wasted_bytes = 0;
    double efficiency = 1.0;
    std::optional<double> user_wasted_ratio;       // wasted_bytes / user_bytes
    std::optional<double> dive_user_wasted_ratio;  // dive_wasted_bytes / user_bytes
    int score = 100;

    std::vector<LayerReport> layers;
    std::vector<PathReport> paths;
    std::vector<GhostReport> ghosts;
    std::vector<InefficiencyReport> inefficiencies;
    std::vector<Finding> findings;
    std::vector<std::string> warnings;
};

// An error is unreadable or inconsistent input, in one line. `source` is a path, an OCI layout
// directory or "-" for stdin.
probes::Result<ImageReport> inspect_image(const std::string& source, const InspectOptions& options);

// The same over a store already read; `source` only names it in the report.
probes::Result<ImageReport> inspect_store(BlobStore& store,
                                          const std::string& source,
                                          const InspectOptions& options);

// The command dive shows for a history entry: created_by without a leading "/bin/sh -c ".
std::string dive_command(const std::string& created_by);

}  // namespace hale::image
