// Builds the archives the image tests read: tar streams written byte by byte (so that tests
// can also write broken ones), gzip and zstd, image configs, docker-archive and OCI layouts.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "image/byte_source.hpp"
#include "image/inspect.hpp"

namespace hale::test {

struct TarEntry {
    std::string name;
    char type = '0';  // '0' file, '5' dir, '2' symlink, '1' hardlink
    std::string content;
    uint32_t mode = 0644;
    uint32_t uid = 0;
    uint32_t gid = 0;
    int64_t mtime = 0;
    std::string link;
    std::map<std::string, std::string> xattrs;  // written as PAX SCHILY.xattr records
    std::optional<uint64_t> header_size;        // a size to claim instead of the content's
    // A sparse file (PAX GNU.sparse 0.1): its data blocks by offset, and its size with the
    // holes; `content` is then ignored.
    std::vector<std::pair<uint64_t, std::string>> sparse_blocks;
    uint64_t sparse_size = 0;
};

class TarBuilder {
public:
    TarBuilder& file(const std::string& name,
                     const std::string& content,
                     uint32_t mode = 0644,
                     uint32_t uid = 0,
                     uint32_t gid = 0);
    TarBuilder& dir(const std::string& name, uint32_t mode = 0755, uint32_t uid = 0);
    TarBuilder& symlink(const std::string& name, const std::string& target);
    TarBuilder& hardlink(const std::string& name, const std::string& target);
    TarBuilder& add(const TarEntry& entry);
    // The tar stream; without the end-of-archive blocks when `end` is false.
    std::string build(bool end = true) const;

private:
    std::vector<TarEntry> entries_;
};

std::string gzip(const std::string& data);
std::string zstd(const std::string& data);
// "sha256:<hex>" of `data`.
std::string sha256_digest(const std::string& data);
std::string hex_of(const std::string& digest);

struct HistorySpec {
    std::string created_by;
    bool empty_layer = false;
};

struct LayerSpec {
    std::string tar;  // uncompressed
    std::string created_by = "RUN something";
    std::string compression = "none";  // none, gzip, zstd (OCI layouts only)
};

struct ImageSpec {
    std::vector<LayerSpec> layers;
    // History as written; empty means one entry per layer from LayerSpec::created_by.
    std::optional<std::vector<HistorySpec>> history;
    std::string user;
    std::optional<std::vector<std::string>> healthcheck;
    std::vector<std::string> cmd;
    std::string architecture = "amd64";
    // diff_ids as written; empty means the real ones.
    std::optional<std::vector<std::string>> diff_ids;
};

std::string config_json(const ImageSpec& image);

// A file or symlink of an archive or layout directory.
struct ArchiveItem {
    std::string name;
    std::string content;
    std::string symlink;  // non-empty: a symlink entry with this target
};

struct DockerArchiveOptions {
    bool manifest_last = true;  // else first
    // podman's layout: layers stored once as <sha>.tar, <id>/layer.tar symlinks to them.
    bool symlinked_layers = false;
};
std::vector<ArchiveItem> docker_archive(const ImageSpec& image,
                                        const DockerArchiveOptions& options = {});

struct ExtraPlatform {
    std::string platform;        // "linux/arm64"
    bool blobs_present = false;  // false: the manifest blob is left out
};

struct OciOptions {
    bool docker_manifest = false;  // add manifest.json as Docker 25+ does
    bool nested_index = false;     // index.json -> index -> manifests, as containerd exports
    bool attestation = false;      // an unknown/unknown attestation manifest
    std::vector<ExtraPlatform> extra_platforms;
    std::vector<size_t> drop_layers;  // layer blobs left out of the archive
    bool empty_manifest_layers = false;
    bool reverse_manifest_layers = false;
    std::string platform = "linux/amd64";
};
std::vector<ArchiveItem> oci_layout(const ImageSpec& image, const OciOptions& options = {});

// The items as a tar stream (entries in the given order).
std::string tar_of(const std::vector<ArchiveItem>& items);
// The items as files and symlinks below `dir`.
void write_directory(const std::string& dir, const std::vector<ArchiveItem>& items);

// A fresh empty directory under the system's temporary directory.
std::string temp_directory(const std::string& label);

// Hands out a string in chunks of `chunk` bytes, to exercise every split of the stream.
class MemorySource : public image::ByteSource {
public:
    explicit MemorySource(std::string data, size_t chunk = 1 << 16)
        : data_(std::move(data)), chunk_(chunk) {}
    image::Result<image::Chunk> next() override;

private:
    std::string data_;
    size_t chunk_;
    size_t at_ = 0;
};

// Reads `tar` as a stream handed out in `chunk`-byte pieces, and inspects it.
probes::Result<image::ImageReport> inspect_tar(const std::string& tar,
                                               size_t chunk = 1 << 16,
                                               const image::InspectOptions& options = {});

// The error of a result for a test message: "" when there is none.
template <class T>
std::string why(const probes::Result<T>& result) {
    return result.ok() ? std::string() : result.error();
}

// Strings joined by ", ", so that lists compare (and print) as one string in tests.
std::string joined(const std::vector<std::string>& items);

// The report's wasted path entry for `path`, or nullptr.
const image::PathReport* find_path(const image::ImageReport& report, const std::string& path);

}  // namespace hale::test
