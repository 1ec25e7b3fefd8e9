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
    TarReader(ByteSource& source, Layer& layer, PathTable& paths, ReadBudget& budget)
        : reader_(archive_read_new()), layer_(layer), paths_(paths), budget_(budget) {
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
        uint64_t skipped_deep = 0;
        for (;;) {
            // Data not hashed (of entries skipped, of links) is skipped here, so that the
            // header's own bytes are all that read_next_header counts.
            if (data_unread_ && archive_read_data_skip(reader_) < ARCHIVE_WARN) {
                return failure("cannot read layer tar");
            }
            struct archive_entry* header = nullptr;
            int status = read_next_header(reader_, callbacks_, &header);
            if (status == ARCHIVE_EOF) {
                break;
            }
            if (status < ARCHIVE_WARN) {
                return failure("cannot read layer tar");
            }
            // A damaged header (ARCHIVE_RETRY) has no data: the next one is tried.
            data_unread_ = status != ARCHIVE_RETRY;
            if (auto counted = budget_.add_entry(); !counted) {
                return counted;
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
                } else if (clean_components(name).size() > PathTable::kMaxDepth) {
                    ++skipped_deep;
                }
                continue;  // else the root itself ("./"), as dive skips "."
            }
            if (auto added = add_entry(header, *node); !added) {
                return added;
            }
            if (auto within = budget_.check_memory(paths_); !within) {
                return within;
            }
        }
        if (skipped_long > 0) {
            layer_.warnings.push_back("skipped " + std::to_string(skipped_long) +
                                      " entries with names longer than " +
                                      std::to_string(PathTable::kMaxPath) + " bytes");
        }
        if (skipped_deep > 0) {
            layer_.warnings.push_back("skipped " + std::to_string(skipped_deep) +
                                      " entries with names deeper than " +
                                      std::to_string(PathTable::kMaxDepth) + " components");
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
        if (entry.type == EntryType::Symlink) {
            budget_.add_text(layer_.symlink_targets.back().size());
        }
        if (archive_entry_xattr_count(header) > 0) {
            entry.has_xattrs = true;
            auto record = layer_.xattrs.emplace(index, xattr_record(header)).first;
            budget_.add_text(record->second.size());
        }
        if (entry.type == EntryType::Regular && entry.size > 0) {
            bool capture =
                (node == passwd_ || node == group_) && entry.size <= budget_.limits().capture_cap;
            auto hashed = hash_content(entry, capture ? &captured_text_ : nullptr);
            if (!hashed) {
                return hashed;
            }
            if (capture) {
                budget_.add_text(captured_text_.size());
                layer_.captured.emplace_back(index, std::move(captured_text_));
                captured_text_.clear();
            }
        }
        layer_.entries.push_back(entry);
        return true;
    }

    Result<bool> hash_content(Entry& entry, std::string* capture) {
        EntrySource content(reader_, &budget_.bytes());
        Sha256 sha;
        for (;;) {
            auto chunk = content.next();
            if (!chunk) {
                return content.failed() ? failure("cannot read layer tar") : Error{chunk.error()};
            }
            if (chunk->empty()) {
                data_unread_ = false;
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
    ReadBudget& budget_;
    PathTable::Node passwd_;
    PathTable::Node group_;
    std::string captured_text_;
    // Whether the current entry has data libarchive has not handed out yet.
    bool data_unread_ = false;
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

Result<bool> ReadBudget::add_entry() {
    if (++entries_ > limits_.max_entries) {
        spent_ = true;
        return Error{"more than " + std::to_string(limits_.max_entries) +
                     " entries (raise --max-entries if the image is genuine)"};
    }
    return true;
}

Result<bool> ReadBudget::check_memory(const PathTable& paths) {
    uint64_t nodes_allowed = std::min(
        saturating_add(limits_.path_nodes_slack,
                       limits_.path_nodes_per_entry * std::min<uint64_t>(entries_, UINT32_MAX)),
        PathTable::kMaxNodes);
    if (paths.size() > nodes_allowed) {
        spent_ = true;
        return Error{"names of " + std::to_string(entries_) + " entries hold " +
                     std::to_string(paths.size()) + " path components, more than the " +
                     std::to_string(nodes_allowed) + " allowed (" +
                     std::to_string(limits_.path_nodes_per_entry) + " per entry)"};
    }
    uint64_t text = saturating_add(text_, paths.name_bytes());
    uint64_t text_allowed =
        std::min(saturating_add(limits_.text_slack,
                                limits_.text_per_entry * std::min<uint64_t>(entries_, UINT32_MAX)),
                 PathTable::kMaxNameBytes);
    if (text > text_allowed) {
        spent_ = true;
        return Error{"names, link targets and attributes of " + std::to_string(entries_) +
                     " entries take " + std::to_string(text) + " bytes, more than the " +
                     std::to_string(text_allowed) + " allowed (" +
                     std::to_string(limits_.text_per_entry) + " per entry)"};
    }
    return true;
}

Result<std::unique_ptr<Layer>> read_layer(PeekSource& blob,
                                          std::string name,
                                          PathTable& paths,
                                          ReadBudget& budget) {
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
        TarReader tar(stored, *layer, paths, budget);
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

    // A compressed blob: hash what is stored and what it expands to, and charge the expansion
    // to the archive's budget, which stops a bomb before it eats minutes of CPU.
    DecompressingSource expanded(stored);
    HashingSource tar_stream(expanded);
    uint64_t charged = 0;
    tar_stream.check = [&budget, &charged](uint64_t bytes) -> Result<bool> {
        auto made = budget.bytes().add_made(bytes - charged, Expansion::Decompression);
        charged = bytes;
        return made;
    };
    TarReader tar(tar_stream, *layer, paths, budget);
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
