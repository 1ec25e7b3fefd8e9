// Where the documents (manifests, configs, indexes) and layer blobs of an image come from: a
// tar stream read once from start to end, or an OCI layout directory read file by file.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "image/layer.hpp"
#include "image/path_table.hpp"

namespace hale::image {

struct ReadOptions {
    LayerLimits limits;
    // Documents larger than this are not kept (configs and manifests are a few KiB).
    uint64_t document_cap = 16 << 20;
    // Documents kept in total; an archive holding more is refused.
    uint64_t document_budget = 64 << 20;
};

class BlobStore {
public:
    virtual ~BlobStore() = default;

    // The text of a small file ("manifest.json", "blobs/sha256/<hex>"), or nullptr.
    virtual const std::string* document(const std::string& name) = 0;
    // A layer blob; a null value when the store has no blob by that name; an error when the
    // blob is there but is not a readable layer.
    virtual Result<const Layer*> layer(const std::string& name) = 0;
    // Whether the store holds a file by that name, whatever it is.
    virtual bool contains(const std::string& name) = 0;
    // Every layer blob read so far, to find one by its diff_id when a manifest is wrong.
    virtual std::vector<const Layer*> layers_read() const = 0;

    PathTable& paths() { return paths_; }
    // "tar" for a stream, "directory" for an OCI layout directory.
    const std::string& container() const { return container_; }
    // Compression of the outer stream ("none", "gzip", "zstd").
    const std::string& outer_compression() const { return outer_compression_; }
    const std::vector<std::string>& warnings() const { return warnings_; }
    // The limit a store that reads on demand ran into, which explains whatever failed after
    // it; empty when none did.
    const std::string& limit_error() const { return limit_error_; }

protected:
    PathTable paths_;
    std::string container_;
    std::string outer_compression_ = "none";
    std::vector<std::string> warnings_;
    std::string limit_error_;
};

// Reads a tar stream (plain, gzip or zstd, found by magic bytes) to its end: documents are
// kept, layer blobs are summarised as they pass, symlinked and hardlinked entries are resolved
// inside the archive. Fails only when the stream itself cannot be read.
Result<std::unique_ptr<BlobStore>> read_tar_stream(ByteSource& input, const ReadOptions& options);

// An OCI image layout directory (oci-layout, index.json, blobs/).
Result<std::unique_ptr<BlobStore>> open_layout_directory(const std::string& root,
                                                         const ReadOptions& options);

// "-" reads stdin, a directory is an OCI layout, anything else is a tar stream.
Result<std::unique_ptr<BlobStore>> open_image(const std::string& path, const ReadOptions& options);

// Archive entry names compared as cleaned relative paths: "./blobs//sha256/x" -> "blobs/sha256/x".
std::string normalize_name(std::string_view raw);

}  // namespace hale::image
