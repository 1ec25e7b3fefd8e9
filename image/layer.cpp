#include "image/layer.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <cstring>

namespace hale::image {
namespace {

constexpr size_t kTarBlock = 512;

// A tar header block: its checksum field matches the sum of its bytes (the field itself counted
// as spaces), computed unsigned as POSIX says or signed as some old tars did.
bool is_tar_header(Chunk block) {
    if (block.size() < kTarBlock) {
        return false;
    }
    if (std::all_of(block.begin(), block.begin() + kTarBlock, [](uint8_t b) { return b == 0; })) {
        return true;  // an empty tar: the end-of-archive blocks only
    }
    uint64_t stored = 0;
    bool digits = false;
    for (size_t i = 148; i < 156; ++i) {
        uint8_t c = block[i];
        if (c >= '0' && c <= '7') {
            stored = stored * 8 + (c - '0');
            digits = true;
        } else if (c != ' ' && c != 0) {
            return false;
        } else if (digits) {
            break;
        }
    }
    uint64_t unsigned_sum = 0;
    int64_t signed_sum = 0;
    for (size_t i = 0; i < kTarBlock; ++i) {
        uint8_t c = (i >= 148 && i < 156) ? uint8_t{' '} : block[i];
        unsigned_sum += c;
        signed_sum += static_cast<int8_t>(c);
    }
    return digits && (stored == unsigned_sum || static_cast<int64_t>(stored) == signed_sum);
}

EntryType entry_type(struct archive_entry* entry) {
    if (archive_entry_hardlink(entry) != nullptr && archive_entry_size(entry) == 0) {
        return EntryType::Hardlink;
    }
    switch (archive_entry_filetype(entry)) {
        case AE_IFDIR:
            return EntryType::Directory;
        case AE_IFLNK:
            return EntryType::Symlink;
        case AE_IFCHR:
            return EntryType::CharDevice;
        case AE_IFBLK:
            return EntryType::BlockDevice;
        case AE_IFIFO:
            return EntryType::Fifo;
        case AE_IFSOCK:
            return EntryType::Socket;
        default:
            return EntryType::Regular;
    }
}

uint32_t clamp_id(la_int64_t id) {
    return id < 0 ? 0 : static_cast<uint32_t>(std::min<la_int64_t>(id, UINT32_MAX));
}

std::string xattr_record(struct archive_entry* entry) {
    std::vector<std::pair<std::string, std::string>> pairs;
    const char* name = nullptr;
    const void* value = nullptr;
    size_t size = 0;
    archive_entry_xattr_reset(entry);
    while (archive_entry_xattr_next(entry, &name, &value, &size) == ARCHIVE_OK) {
        pairs.emplace_back(name != nullptr ? name : "",
                           std::string(static_cast<const char*>(value), size));
    }
    std::sort(pairs.begin(), pairs.end());
    std::string record;
    for (const auto& [key, data] : pairs) {
        record += key;
        record += '\0';
        record += std::to_string(data.size());
        record += '\0';
        record += data;
    }
    return record;
}

// Reads the entries of an uncompressed tar stream into `layer`.
class TarReader {
public:
    TarReader(ByteSource& source,
              Layer& layer,
              PathTable& paths,
              const LayerLimits& limits,
              uint64_t& entries_so_far)
        : reader_(archive_read_new()),
          layer_(layer),
          paths_(paths),
          limits_(limits),
          entries_so_far_(entries_so_far) {
        callbacks_.source = &source;
        archive_read_support_format_tar(reader_);
        archive_read_support_format_empty(reader_);
        passwd_ = paths_.child(paths_.child(PathTable::kRoot, "etc"), "passwd");
        group_ = paths_.child(paths_.child(PathTable::kRoot, "etc"), "group");
    }
    ~TarReader() { archive_read_free(reader_); }
    TarReader(const TarReader&) = delete;
    TarReader& operator=(const TarReader&) = delete;

    Result<bool> read_all() {
        if (open_reader(reader_, callbacks_) != ARCHIVE_OK) {
            return failure("cannot read layer tar");
        }
        uint64_t skipped_long = 0;
        for (;;) {
            struct archive_entry* header = nullptr;
            int status = archive_read_next_header(reader_, &header);
            if (status == ARCHIVE_EOF) {
                break;
            }
            if (status < ARCHIVE_WARN) {
                return failure("cannot read layer tar");
            }
            const char* name = archive_entry_pathname(header);
            if (name == nullptr) {
                name = archive_entry_pathname_utf8(header);
            }
            if (name == nullptr) {
                layer_.warnings.emplace_back("skipped an entry whose name cannot be read");
                continue;
            }
            layer_.content_bytes = saturating_add(
                layer_.content_bytes,
                static_cast<uint64_t>(std::max<la_int64_t>(archive_entry_size(header), 0)));
            auto node = paths_.intern(name);
            if (!node) {
                if (std::strlen(name) > PathTable::kMaxPath) {
                    ++skipped_long;
                }
                continue;  // the root itself ("./"), as dive skips "."
            }
            if (++entries_so_far_ > limits_.max_entries) {
                return Error{"more than " + std::to_string(limits_.max_entries) +
                             " entries (raise --max-entries if the image is genuine)"};
            }
            if (auto added = add_entry(header, *node); !added) {
                return added;
            }
        }
        if (skipped_long > 0) {
            layer_.warnings.push_back("skipped " + std::to_string(skipped_long) +
                                      " entries with names longer than " +
                                      std::to_string(PathTable::kMaxPath) + " bytes");
        }
        return true;
    }

private:
    Result<bool> failure(const std::string& what) {
        if (!callbacks_.error.empty()) {
            return Error{callbacks_.error};
        }
        const char* message = archive_error_string(reader_);
        return Error{what + ": " + (message != nullptr ? message : "unknown error")};
    }

    Result<bool> add_entry(struct archive_entry* header, PathTable::Node node) {
        Entry entry;
        entry.node = node;
        entry.type = entry_type(header);
        entry.size = static_cast<uint64_t>(std::max<la_int64_t>(archive_entry_size(header), 0));
        entry.mtime = archive_entry_mtime(header);
        entry.mode = archive_entry_perm(header) & 07777;
        entry.uid = clamp_id(archive_entry_uid(header));
        entry.gid = clamp_id(archive_entry_gid(header));
        auto index = static_cast<uint32_t>(layer_.entries.size());

        if (entry.type == EntryType::Symlink) {
            const char* target = archive_entry_symlink(header);
            entry.link = static_cast<uint32_t>(layer_.symlink_targets.size());
            layer_.symlink_targets.emplace_back(target != nullptr ? target : "");
        } else if (entry.type == EntryType::Hardlink) {
            auto target = paths_.intern(archive_entry_hardlink(header));
            entry.link = target ? *target : Entry::kNoLink;
        }
        if (archive_entry_xattr_count(header) > 0) {
            entry.has_xattrs = true;
            layer_.xattrs.emplace(index, xattr_record(header));
        }
        if (entry.type == EntryType::Regular && entry.size > 0) {
            bool capture = (node == passwd_ || node == group_) && entry.size <= limits_.capture_cap;
            auto hashed = hash_content(entry, capture ? &captured_text_ : nullptr);
            if (!hashed) {
                return hashed;
            }
            if (capture) {
                layer_.captured.emplace_back(index, std::move(captured_text_));
                captured_text_.clear();
            }
        }
        layer_.entries.push_back(entry);
        return true;
    }

    Result<bool> hash_content(Entry& entry, std::string* capture) {
        EntrySource content(reader_);
        Sha256 sha;
        for (;;) {
            auto chunk = content.next();
            if (!chunk) {
                return failure("cannot read layer tar");
            }
            if (chunk->empty()) {
                break;
            }
            sha.update(chunk->data(), chunk->size());
            if (capture != nullptr) {
                capture->append(reinterpret_cast<const char*>(chunk->data()), chunk->size());
            }
        }
        Digest digest = sha.finish();
        std::copy_n(digest.begin(), entry.content.size(), entry.content.begin());
        return true;
    }

    struct archive* reader_;
    SourceCallbacks callbacks_;
    Layer& layer_;
    PathTable& paths_;
    const LayerLimits& limits_;
    uint64_t& entries_so_far_;
    PathTable::Node passwd_;
    PathTable::Node group_;
    std::string captured_text_;
};

}  // namespace

const char* compression_name(Compression compression) {
    switch (compression) {
        case Compression::Gzip:
            return "gzip";
        case Compression::Zstd:
            return "zstd";
        case Compression::None:
            break;
    }
    return "none";
}

BlobKind sniff_blob(Chunk head) {
    if (head.size() >= 2 && head[0] == 0x1f && head[1] == 0x8b) {
        return BlobKind::Gzip;
    }
    if (head.size() >= 4 && head[0] == 0x28 && head[1] == 0xb5 && head[2] == 0x2f &&
        head[3] == 0xfd) {
        return BlobKind::Zstd;
    }
    if (is_tar_header(head)) {
        return BlobKind::Tar;
    }
    auto first = std::find_if(head.begin(), head.end(), [](uint8_t c) {
        return c != ' ' && c != '\t' && c != '\n' && c != '\r';
    });
    if (first != head.end() && (*first == '{' || *first == '[')) {
        return BlobKind::Document;
    }
    return BlobKind::Other;
}

Result<std::unique_ptr<Layer>> read_layer(PeekSource& blob,
                                          std::string name,
                                          PathTable& paths,
                                          const LayerLimits& limits,
                                          uint64_t& entries_so_far) {
    auto layer = std::make_unique<Layer>();
    layer->name = std::move(name);
    auto head = blob.peek(kTarBlock);
    if (!head) {
        return Error{head.error()};
    }
    BlobKind kind = sniff_blob(*head);
    layer->compression = kind == BlobKind::Gzip   ? Compression::Gzip
                         : kind == BlobKind::Zstd ? Compression::Zstd
                                                  : Compression::None;

    HashingSource stored(blob);
    if (layer->compression == Compression::None) {
        TarReader tar(stored, *layer, paths, limits, entries_so_far);
        if (auto read = tar.read_all(); !read) {
            return Error{read.error()};
        }
        if (auto rest = drain(stored); !rest) {
            return Error{rest.error()};
        }
        layer->blob_bytes = layer->tar_bytes = stored.bytes();
        layer->blob_digest = layer->diff_digest = stored.digest();
        return layer;
    }

    // A compressed blob: hash what is stored and what it expands to, and stop a blob that
    // expands far beyond what real layers do before it eats minutes of CPU.
    DecompressingSource expanded(stored);
    HashingSource tar_stream(expanded);
    tar_stream.check = [&stored, &limits](uint64_t bytes) -> Result<bool> {
        if (bytes > limits.bomb_floor &&
            bytes / std::max<uint64_t>(stored.bytes(), 1) > limits.max_ratio) {
            return Error{"layer expands more than " + std::to_string(limits.max_ratio) +
                         " times its compressed size (decompression bomb?)"};
        }
        return true;
    };
    TarReader tar(tar_stream, *layer, paths, limits, entries_so_far);
    if (auto read = tar.read_all(); !read) {
        return Error{read.error()};
    }
    if (auto rest = drain(tar_stream); !rest) {
        return Error{rest.error()};
    }
    if (auto rest = drain(stored); !rest) {
        return Error{rest.error()};
    }
    layer->blob_bytes = stored.bytes();
    layer->blob_digest = stored.digest();
    layer->tar_bytes = tar_stream.bytes();
    layer->diff_digest = tar_stream.digest();
    return layer;
}

std::vector<std::pair<std::string, std::string>> split_xattrs(const std::string& record) {
    std::vector<std::pair<std::string, std::string>> pairs;
    size_t at = 0;
    while (at < record.size()) {
        size_t name_end = record.find('\0', at);
        size_t size_end = record.find('\0', name_end + 1);
        if (name_end == std::string::npos || size_end == std::string::npos) {
            break;
        }
        size_t size = std::stoul(record.substr(name_end + 1, size_end - name_end - 1));
        pairs.emplace_back(record.substr(at, name_end - at), record.substr(size_end + 1, size));
        at = size_end + 1 + size;
    }
    return pairs;
}

}  // namespace hale::image
