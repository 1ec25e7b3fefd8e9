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

const char* compression_name(Compression compression);

struct Entry {
    static constexpr uint32_t kNoLink = UINT32_MAX;

    PathTable::Node node = PathTable::kNone;
    // Hardlink: the node of the path it links to. Symlink: index into Layer::symlink_targets.
    uint32_t link = kNoLink;
    // A regular file's content bytes as libarchive gives them: the header's size field, or
    // for a sparse file its size with the holes (GNU.sparse.size or .realsize), which is
    // larger than the bytes the tar stores for it.
    uint64_t size = 0;
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
    uint64_t content_bytes = 0;  // sum of the entries' sizes (as Entry::size): dive's layer size
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
    // Entries of one archive: its own (files of a docker-archive, blobs of a layout) and
    // those of its layers; beyond it the archive is refused (memory grows with entries, so
    // an endless stream of tiny headers must stop somewhere).
    uint64_t max_entries = 5'000'000;
    // Once reading the archive has made more than bomb_floor bytes it does not store
    // (decompressed, or holes of sparse files), it may make at most max_ratio times the bytes
    // it stores (see ExpansionBudget).
    uint64_t max_ratio = 10'000;
    uint64_t bomb_floor = uint64_t{1} << 30;
    // Files whose text is kept for findings are read up to this size.
    uint64_t capture_cap = 1 << 20;
    // Path components interned per entry read, beyond a slack for the first entries: real
    // layers add about one per entry (the entry's own name), tars that leave out their
    // directories a few more.
    uint64_t path_nodes_per_entry = 4;
    uint64_t path_nodes_slack = 1 << 16;
    // Text kept per entry read (path names, link targets, extended attributes, captured
    // files, the archive's own entry names), beyond a slack: real entries keep about 20 bytes,
    // and Linux allows 255 bytes for one name.
    uint64_t text_per_entry = 256;
    uint64_t text_slack = 16 << 20;
};

// What reading one archive has used of its LayerLimits: shared by the archive's own entries
// and by every layer read from it, so that memory stays proportional to the entries read and
// the work to the bytes stored, however the archive splits them.
class ReadBudget {
public:
    explicit ReadBudget(const LayerLimits& limits)
        : limits_(limits), bytes_(limits.bomb_floor, limits.max_ratio) {}

    const LayerLimits& limits() const { return limits_; }
    ExpansionBudget& bytes() { return bytes_; }
    uint64_t entries() const { return entries_; }

    // Counts one entry; an error past max_entries.
    Result<bool> add_entry();
    // Counts text kept outside the path table: link targets, extended attributes, captured
    // files, the archive's own entry names.
    void add_text(uint64_t bytes) { text_ = saturating_add(text_, bytes); }
    // An error once the path table or the text kept outgrow what the entries read allow.
    Result<bool> check_memory(const PathTable& paths);
    // Whether a limit ended the read: the error is the archive's, not one blob's.
    bool spent() const { return spent_ || bytes_.spent(); }

private:
    LayerLimits limits_;
    ExpansionBudget bytes_;
    uint64_t entries_ = 0;
    uint64_t text_ = 0;
    bool spent_ = false;
};

// What the first bytes of a blob say it is.
enum class BlobKind { Gzip, Zstd, Tar, Document, Other };
BlobKind sniff_blob(Chunk head);

// Reads one layer blob (plain, gzip or zstd tar) to its end, charging its entries, text and
// decompressed bytes to the archive's `budget`. The caller charges the bytes as stored.
Result<std::unique_ptr<Layer>> read_layer(PeekSource& blob,
                                          std::string name,
                                          PathTable& paths,
                                          ReadBudget& budget);

// Splits a Layer::xattrs record into (name, value) pairs.
std::vector<std::pair<std::string, std::string>> split_xattrs(const std::string& record);

}  // namespace hale::image
