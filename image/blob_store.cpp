#include "image/blob_store.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "probes/text.hpp"

namespace hale::image {
namespace {

std::string_view base_name(std::string_view name) {
    auto slash = name.rfind('/');
    return slash == std::string_view::npos ? name : name.substr(slash + 1);
}

// Names of the small JSON files of docker-archive, OCI and kaniko layouts.
bool is_document_name(std::string_view name) {
    auto base = base_name(name);
    return base == "manifest.json" || base == "index.json" || base == "oci-layout" ||
           base == "repositories" || base.ends_with(".json") || base.starts_with("sha256:");
}

// Names under which layer blobs are stored: legacy <id>/layer.tar, kaniko <sha>.tar.gz, podman
// <sha>.tar, and OCI blobs/<alg>/<hex> (which may also be configs and manifests).
bool is_blob_name(std::string_view name) {
    return name.starts_with("blobs/") || name.ends_with(".tar") || name.ends_with(".tar.gz") ||
           name.ends_with(".tgz") || name.ends_with(".tar.zst") || name.ends_with(".tzst");
}

// Reads a document of up to `cap` bytes; `size` (the entry's, when known) is reserved up
// front, so that the text does not briefly take twice its size while it grows.
Result<std::string> read_document(ByteSource& source, uint64_t cap, uint64_t size = 0) {
    std::string text;
    text.reserve(static_cast<size_t>(std::min(size, cap)));
    for (;;) {
        auto chunk = source.next();
        if (!chunk) {
            return Error{chunk.error()};
        }
        if (chunk->empty()) {
            return text;
        }
        if (text.size() + chunk->size() > cap) {
            return Error{"larger than " + std::to_string(cap) + " bytes"};
        }
        text.append(reinterpret_cast<const char*>(chunk->data()), chunk->size());
    }
}

std::string documents_over_budget(uint64_t budget) {
    return "documents (manifests, configs, indexes) exceed " + std::to_string(budget) +
           " bytes in total; real ones take a few KiB";
}

// A symlink's target as an archive name: relative to the link's directory, or to the root.
std::string link_target_name(const std::string& link, std::string_view target) {
    if (!target.empty() && target.front() == '/') {
        return normalize_name(target);
    }
    auto slash = link.rfind('/');
    std::string dir = slash == std::string::npos ? "" : link.substr(0, slash + 1);
    return normalize_name(dir + std::string(target));
}

class StreamStore : public BlobStore {
public:
    explicit StreamStore(const ReadOptions& options) : options_(options), budget_(options.limits) {
        container_ = "tar";
    }

    Result<bool> read(ByteSource& input) {
        struct archive* reader = archive_read_new();
        archive_read_support_filter_gzip(reader);
        archive_read_support_filter_zstd(reader);
        archive_read_support_format_tar(reader);
        archive_read_support_format_empty(reader);
        SourceCallbacks callbacks;
        callbacks.source = &input;
        callbacks.budget = &budget_.bytes();
        auto result = read_entries(reader, callbacks);
        archive_read_free(reader);
        return result;
    }

    const std::string* document(const std::string& name) override {
        auto found = documents_.find(resolve(name));
        return found == documents_.end() ? nullptr : &found->second;
    }

    Result<const Layer*> layer(const std::string& name) override {
        std::string real = resolve(name);
        if (auto found = layers_.find(real); found != layers_.end()) {
            return static_cast<const Layer*>(found->second.get());
        }
        if (auto failed = failures_.find(real); failed != failures_.end()) {
            return Error{failed->second};
        }
        if (documents_.count(real) > 0) {
            return Error{"is not a layer tar"};
        }
        if (names_.count(real) > 0) {
            return Error{"is not a layer tar (neither tar, gzip nor zstd)"};
        }
        return static_cast<const Layer*>(nullptr);
    }

    bool contains(const std::string& name) override { return names_.count(resolve(name)) > 0; }

    std::vector<const Layer*> layers_read() const override {
        std::vector<const Layer*> all;
        for (const auto& [name, layer] : layers_) {
            all.push_back(layer.get());
        }
        return all;
    }

private:
    // Follows symlink and hardlink entries (podman links repeated layers), at most 16 hops.
    std::string resolve(const std::string& raw) const {
        std::string name = normalize_name(raw);
        for (int hop = 0; hop < 16; ++hop) {
            auto link = links_.find(name);
            if (link == links_.end()) {
                break;
            }
            name = link->second;
        }
        return name;
    }

    // The input's own errors (a failed read, the expansion budget) are whole messages.
    Result<bool> fail(struct archive* reader, const SourceCallbacks& callbacks) {
        if (!callbacks.error.empty()) {
            return Error{callbacks.error};
        }
        const char* message = archive_error_string(reader);
        return Error{std::string("cannot read archive: ") +
                     (message != nullptr ? message : "unknown error")};
    }

    Result<bool> read_entries(struct archive* reader, SourceCallbacks& callbacks) {
        if (open_reader(reader, callbacks) != ARCHIVE_OK) {
            return fail(reader, callbacks);
        }
        for (;;) {
            struct archive_entry* header = nullptr;
            int status = read_next_header(reader, callbacks, &header);
            if (status == ARCHIVE_EOF) {
                break;
            }
            if (status < ARCHIVE_WARN) {
                return fail(reader, callbacks);
            }
            if (outer_compression_ == "none" && archive_filter_count(reader) > 1) {
                int code = archive_filter_code(reader, 0);
                outer_compression_ = code == ARCHIVE_FILTER_GZIP   ? "gzip"
                                     : code == ARCHIVE_FILTER_ZSTD ? "zstd"
                                                                   : "none";
            }
            auto read = read_entry(reader, header);
            if (!read) {
                return Error{read.error()};
            }
            if (!*read) {
                return fail(reader, callbacks);
            }
        }
        return true;
    }

    // Charges text kept for an entry of the archive; an error once memory outgrows entries.
    Result<bool> keep_text(const std::string& name, uint64_t bytes) {
        budget_.add_text(bytes);
        if (auto within = budget_.check_memory(paths_); !within) {
            return Error{name + ": " + within.error()};
        }
        return true;
    }

    // False when the outer stream itself failed (the caller reports libarchive's or the
    // input's reason); an error for a limit that ends the whole read.
    Result<bool> read_entry(struct archive* reader, struct archive_entry* header) {
        const char* raw = archive_entry_pathname(header);
        std::string name = normalize_name(raw != nullptr ? raw : "");
        if (auto counted = budget_.add_entry(); !counted) {
            return Error{name + ": " + counted.error()};
        }
        EntrySource entry(reader, &budget_.bytes(), Filters::Charged);
        if (auto kept = keep_entry(header, name, entry); !kept || !*kept) {
            return kept;
        }
        // Whatever was not read (a file that is neither a document nor a blob, the rest of one
        // skipped) is read here rather than skipped inside libarchive, so that what the outer
        // stream's decompression makes of it is charged as it is made.
        if (auto rest = drain(entry); !rest) {
            return stop(entry, name, rest.error());
        }
        return true;
    }

    // Records links and names, keeps documents and layers.
    Result<bool> keep_entry(struct archive_entry* header,
                            const std::string& name,
                            EntrySource& entry) {
        if (name.empty()) {
            return true;
        }
        const char* hardlink = archive_entry_hardlink(header);
        if (hardlink != nullptr && archive_entry_size(header) == 0) {
            std::string& target = links_[name] = normalize_name(hardlink);
            return keep_text(name, name.size() + target.size());
        }
        auto type = archive_entry_filetype(header);
        if (type == AE_IFLNK) {
            const char* target_text = archive_entry_symlink(header);
            std::string& target = links_[name] =
                link_target_name(name, target_text != nullptr ? target_text : "");
            return keep_text(name, name.size() + target.size());
        }
        if (type != AE_IFREG) {
            return true;
        }
        names_.insert(name);
        if (auto kept = keep_text(name, name.size()); !kept) {
            return kept;
        }
        return keep_blob(
            entry, name,
            static_cast<uint64_t>(std::max<la_int64_t>(archive_entry_size(header), 0)));
    }

    // Keeps a document's text or a layer's summary, or a layer's failure to read.
    Result<bool> keep_blob(EntrySource& entry, const std::string& name, uint64_t size) {
        bool document_name = is_document_name(name);
        if (!document_name && !is_blob_name(name)) {
            return true;  // VERSION, legacy <id>/json, files of a plain root filesystem
        }
        PeekSource blob(entry);
        auto head = blob.peek(512);
        if (!head) {
            return stop(entry, name, head.error());
        }
        BlobKind kind = sniff_blob(*head);
        if (kind == BlobKind::Document || (document_name && kind == BlobKind::Other)) {
            return keep_document(entry, blob, name, size);
        }
        if (kind == BlobKind::Other) {
            return true;
        }
        // Every layer blob is read, also those of platforms that will not be chosen: which
        // blobs a manifest references is known only once index.json and the manifests have been
        // read, and Docker and containerd write them after the blobs (names sorted, blobs/
        // first). TODO: skip blobs no chosen manifest references when the index and manifests
        // came first (hand-made or re-packed archives); not done as no exporter seen does that.
        auto layer = read_layer(blob, name, paths_, budget_);
        if (!layer) {
            if (entry.failed() || budget_.spent()) {
                return stop(entry, name, layer.error());
            }
            failures_[name] = layer.error();
            return true;
        }
        layers_[name] = std::move(*layer);
        return true;
    }

    // After an entry failed to read: false when the outer stream failed, the error when a
    // limit of the archive ended the read.
    static Result<bool> stop(const EntrySource& entry,
                             const std::string& name,
                             const std::string& error) {
        if (entry.failed()) {
            return false;
        }
        return Error{name + ": " + error};
    }

    Result<bool> keep_document(const EntrySource& entry,
                               PeekSource& blob,
                               const std::string& name,
                               uint64_t size) {
        // Refused before it is read when its header says it will not fit.
        if (size <= options_.document_cap && document_bytes_ + size > options_.document_budget) {
            return Error{name + ": " + documents_over_budget(options_.document_budget)};
        }
        auto text = read_document(blob, options_.document_cap, size);
        if (!text) {
            if (entry.failed() || budget_.spent()) {
                return stop(entry, name, text.error());
            }
            warnings_.push_back("skipped " + name + ": " + text.error());
            return true;
        }
        document_bytes_ += text->size();
        if (document_bytes_ > options_.document_budget) {
            return Error{name + ": " + documents_over_budget(options_.document_budget)};
        }
        documents_[name] = std::move(*text);
        return true;
    }

    ReadOptions options_;
    ReadBudget budget_;
    std::map<std::string, std::string> documents_;
    uint64_t document_bytes_ = 0;
    std::map<std::string, std::unique_ptr<Layer>> layers_;
    std::map<std::string, std::string> failures_;
    std::map<std::string, std::string> links_;
    std::set<std::string> names_;
};

// Opens a regular file below `root` for reading; symlinks are followed, but only a regular
// file is read, so a link to a device or a fifo cannot make a read endless.
Result<int> open_regular(const std::string& path, const std::string& name, struct stat& info) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return Error{"cannot open " + name + ": " + probes::describe_errno(errno)};
    }
    if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
        ::close(fd);
        return Error{"cannot open " + name + ": not a regular file"};
    }
    return fd;
}

class DirectoryStore : public BlobStore {
public:
    DirectoryStore(std::string root, const ReadOptions& options)
        : root_(std::move(root)), options_(options), budget_(options.limits) {
        container_ = "directory";
    }

    const std::string* document(const std::string& raw) override {
        std::string name = normalize_name(raw);
        if (auto found = documents_.find(name); found != documents_.end()) {
            return &found->second;
        }
        if (!limit_error_.empty()) {
            return nullptr;
        }
        struct stat info {};
        auto fd = open_regular(root_ + "/" + name, name, info);
        if (!fd) {
            return nullptr;
        }
        auto size = static_cast<uint64_t>(info.st_size);
        if (size <= options_.document_cap && document_bytes_ + size > options_.document_budget) {
            limit_error_ = name + ": " + documents_over_budget(options_.document_budget);
        }
        if (!limit_error_.empty() || !charge(name, info)) {
            ::close(*fd);
            return nullptr;
        }
        FdSource source(*fd, name, static_cast<uint64_t>(info.st_size));
        auto text =
            read_document(source, options_.document_cap, static_cast<uint64_t>(info.st_size));
        ::close(*fd);
        if (!text) {
            warnings_.push_back("skipped " + name + ": " + text.error());
            return nullptr;
        }
        document_bytes_ += text->size();
        if (document_bytes_ > options_.document_budget) {
            limit_error_ = name + ": " + documents_over_budget(options_.document_budget);
            return nullptr;
        }
        return &(documents_[name] = std::move(*text));
    }

    Result<const Layer*> layer(const std::string& raw) override {
        std::string name = normalize_name(raw);
        if (auto found = layers_.find(name); found != layers_.end()) {
            return static_cast<const Layer*>(found->second.get());
        }
        if (!limit_error_.empty()) {
            return Error{limit_error_};
        }
        struct stat info {};
        auto fd = open_regular(root_ + "/" + name, name, info);
        if (!fd) {
            if (!contains(name)) {
                return static_cast<const Layer*>(nullptr);
            }
            return Error{fd.error()};
        }
        if (!charge(name, info)) {
            ::close(*fd);
            return Error{limit_error_};
        }
        FdSource file(*fd, name, static_cast<uint64_t>(info.st_size));
        PeekSource blob(file);
        auto layer = read_layer(blob, name, paths_, budget_);
        ::close(*fd);
        if (!layer) {
            if (budget_.spent()) {
                limit_error_ = name + ": " + layer.error();
            }
            return Error{layer.error()};
        }
        return static_cast<const Layer*>((layers_[name] = std::move(*layer)).get());
    }

    bool contains(const std::string& raw) override {
        struct stat info {};
        return ::stat((root_ + "/" + normalize_name(raw)).c_str(), &info) == 0;
    }

    std::vector<const Layer*> layers_read() const override {
        std::vector<const Layer*> all;
        for (const auto& [name, layer] : layers_) {
            all.push_back(layer.get());
        }
        return all;
    }

private:
    // Each file read is an entry of the archive, its size the bytes it stores; false (with
    // limit_error_ set) when that passes a limit.
    bool charge(const std::string& name, const struct stat& info) {
        budget_.bytes().add_stored(static_cast<uint64_t>(info.st_size));
        auto counted = budget_.add_entry();
        if (!counted) {
            limit_error_ = name + ": " + counted.error();
        }
        return counted.ok();
    }

    std::string root_;
    ReadOptions options_;
    ReadBudget budget_;
    std::map<std::string, std::string> documents_;
    uint64_t document_bytes_ = 0;
    std::map<std::string, std::unique_ptr<Layer>> layers_;
};

// A file or stdin read as a tar stream: a regular file up to the size it has now, a pipe or a
// socket to its end; anything else (a terminal, a device) is refused rather than read forever.
Result<uint64_t> stream_limit(int fd, const std::string& name) {
    struct stat info {};
    if (::fstat(fd, &info) != 0) {
        return Error{"cannot read " + name + ": " + probes::describe_errno(errno)};
    }
    if (S_ISREG(info.st_mode)) {
        off_t at = ::lseek(fd, 0, SEEK_CUR);
        auto size = static_cast<uint64_t>(info.st_size);
        return at > 0 ? size - std::min(size, static_cast<uint64_t>(at)) : size;
    }
    if (S_ISFIFO(info.st_mode) || S_ISSOCK(info.st_mode)) {
        return UINT64_MAX;
    }
    return Error{"cannot read " + name + ": not a regular file or a pipe"};
}

}  // namespace

std::string normalize_name(std::string_view raw) {
    std::string name;
    for (auto part : clean_components(raw)) {
        if (!name.empty()) {
            name += '/';
        }
        name += part;
    }
    return name;
}

Result<std::unique_ptr<BlobStore>> read_tar_stream(ByteSource& input, const ReadOptions& options) {
    auto store = std::make_unique<StreamStore>(options);
    if (auto read = store->read(input); !read) {
        return Error{read.error()};
    }
    return std::unique_ptr<BlobStore>(std::move(store));
}

Result<std::unique_ptr<BlobStore>> open_layout_directory(const std::string& root,
                                                         const ReadOptions& options) {
    return std::unique_ptr<BlobStore>(std::make_unique<DirectoryStore>(root, options));
}

Result<std::unique_ptr<BlobStore>> open_image(const std::string& path, const ReadOptions& options) {
    if (path == "-") {
        auto limit = stream_limit(STDIN_FILENO, "stdin");
        if (!limit) {
            return Error{limit.error()};
        }
        FdSource input(STDIN_FILENO, "stdin", *limit);
        return read_tar_stream(input, options);
    }
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return Error{"cannot open " + path + ": " + probes::describe_errno(errno)};
    }
    struct stat info {};
    if (::fstat(fd, &info) == 0 && S_ISDIR(info.st_mode)) {
        ::close(fd);
        return open_layout_directory(path, options);
    }
    auto limit = stream_limit(fd, path);
    if (!limit) {
        ::close(fd);
        return Error{limit.error()};
    }
    FdSource input(fd, path, *limit);
    auto store = read_tar_stream(input, options);
    ::close(fd);
    return store;
}

}  // namespace hale::image
