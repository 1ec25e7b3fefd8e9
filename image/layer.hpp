// One layer blob read from an archive: its sizes and digests, and one compact record per tar
// entry. Nothing of a file's content is kept but half of its sha256 (and the text of the few
// small files that findings read, such as /etc/passwd).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "image/byte_source.hpp"
#include "image/chunked_vector.hpp"
#include "image/path_table.hpp"
#include "image/sha256.hpp"

namespace hale::image {

enum class EntryType : uint8_t {
    Regular,
    Directory,
    Symlink,
    Hardlink,
    CharDevice,
    BlockDevice,
    Fifo,
    Socket
};

enum class Compression : uint8_t { None, Gzip, Zstd };

// Sizes from tar headers are the archive's word, up to 2^63 each: sums of them saturate
// rather than wrap.
inline uint64_t saturating_add(uint64_t a, uint64_t b) {
    return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

const char* compression_name(Compression compression);

struct Entry {
    static constexpr uint32_t kNoLink = UINT32_MAX;

    PathTable::Node node = PathTable::kNone;
    // Hardlink: the node of the path it links to. Symlink: index into Layer::symlink_targets.
    uint32_t link = kNoLink;
    uint64_t size = 0;  // the tar header's size: the content bytes of a regular file
    int64_t mtime = 0;
    uint32_t mode = 0;  // permission bits with setuid, setgid and sticky (07777)
    uint32_t uid = 0;
    uint32_t gid = 0;
    EntryType type = EntryType::Regular;
    bool has_xattrs = false;
    // The first half of the content's sha256: enough to tell identical files apart.
    std::array<uint8_t, 16> content{};
};

struct Layer {
    std::string name;  // the blob's name in the archive
    Compression compression = Compression::None;
    uint64_t blob_bytes = 0;  // as stored (compressed)
    Digest blob_digest{};
    uint64_t tar_bytes = 0;      // the uncompressed tar stream
    Digest diff_digest{};        // sha256 of the uncompressed tar stream: the config's diff_id
    uint64_t content_bytes = 0;  // sum of the entries' header sizes: dive's layer size
    ChunkedVector<Entry> entries;
    std::vector<std::string> symlink_targets;
    // Extended attributes of the entries that have any, by entry index, as
    // "name\0size\0value" records sorted by name.
    std::unordered_map<uint32_t, std::string> xattrs;
    // Text of small files that findings read (/etc/passwd, /etc/group), by entry index.
    std::vector<std::pair<uint32_t, std::string>> captured;
    std::vector<std::string> warnings;
};

struct LayerLimits {
    // Entries over all layers of one archive; beyond it the archive is refused (memory grows
    // with entries, so an endless stream of tiny headers must stop somewhere).
    uint64_t max_entries = 5'000'000;
    // A compressed layer may expand this many times once it is past kBombFloor bytes.
    uint64_t max_ratio = 10'000;
    uint64_t bomb_floor = uint64_t{1} << 30;
    // Files whose text is kept for findings are read up to this size.
    uint64_t capture_cap = 1 << 20;
};

// What the first bytes of a blob say it is.
enum class BlobKind { Gzip, Zstd, Tar, Document, Other };
BlobKind sniff_blob(Chunk head);

// Reads one layer blob (plain, gzip or zstd tar) to its end. `entries_so_far` counts the
// entries of earlier layers of the same archive, for LayerLimits::max_entries.
Result<std::unique_ptr<Layer>> read_layer(PeekSource& blob,
                                          std::string name,
                                          PathTable& paths,
                                          const LayerLimits& limits,
                                          uint64_t& entries_so_far);

// Splits a Layer::xattrs record into (name, value) pairs.
std::vector<std::pair<std::string, std::string>> split_xattrs(const std::string& record);

}  // namespace hale::image
