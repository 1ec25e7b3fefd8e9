#include "image/blob_store.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

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

Result<std::string> read_document(ByteSource& source, uint64_t cap) {
    std::string text;
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
    explicit StreamStore(const ReadOptions& options) : options_(options) { container_ = "tar"; }

    Result<bool> read(ByteSource& input) {
        struct archive* reader = archive_read_new();
        archive_read_support_filter_gzip(reader);
        archive_read_support_filter_zstd(reader);
        archive_read_support_format_tar(reader);
        archive_read_support_format_empty(reader);
        SourceCallbacks callbacks;
        callbacks.source = &input;
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

    Result<bool> fail(struct archive* reader, const SourceCallbacks& callbacks) {
        if (!callbacks.error.empty()) {
            return Error{"cannot read archive: " + callbacks.error};
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
            int status = archive_read_next_header(reader, &header);
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

    // False when the outer stream itself failed (the caller reports libarchive's or the
    // input's reason); an error for a limit that ends the whole read.
    Result<bool> read_entry(struct archive* reader, struct archive_entry* header) {
        const char* raw = archive_entry_pathname(header);
        std::string name = normalize_name(raw != nullptr ? raw : "");
        if (name.empty()) {
            return true;
        }
        const char* hardlink = archive_entry_hardlink(header);
        if (hardlink != nullptr && archive_entry_size(header) == 0) {
            links_[name] = normalize_name(hardlink);
            return true;
        }
        auto type = archive_entry_filetype(header);
        if (type == AE_IFLNK) {
            const char* target = archive_entry_symlink(header);
            links_[name] = link_target_name(name, target != nullptr ? target : "");
            return true;
        }
        if (type != AE_IFREG) {
            return true;
        }
        names_.insert(name);
        bool document_name = is_document_name(name);
        if (!document_name && !is_blob_name(name)) {
            return true;  // VERSION, legacy <id>/json, files of a plain root filesystem
        }

        EntrySource entry(reader);
        PeekSource blob(entry);
        auto head = blob.peek(512);
        if (!head) {
            return false;
        }
        BlobKind kind = sniff_blob(*head);
        if (kind == BlobKind::Document || (document_name && kind == BlobKind::Other)) {
            auto text = read_document(blob, options_.document_cap);
            if (!text) {
                if (entry.failed()) {
                    return false;
                }
                warnings_.push_back("skipped " + name + ": " + text.error());
                return true;
            }
            documents_[name] = std::move(*text);
            return true;
        }
        if (kind == BlobKind::Other) {
            return true;
        }
        // TODO: skip blobs no manifest will reference (other platforms of a multi-platform
        // export) when index.json has been seen already; containerd writes it after the blobs,
        // so a single pass has to read every layer blob anyway.
        auto layer = read_layer(blob, name, paths_, options_.limits, entries_);
        if (!layer) {
            if (entry.failed()) {
                return false;
            }
            if (entries_ > options_.limits.max_entries) {
                return Error{name + ": " + layer.error()};
            }
            failures_[name] = layer.error();
            return true;
        }
        layers_[name] = std::move(*layer);
        return true;
    }

    ReadOptions options_;
    std::map<std::string, std::string> documents_;
    std::map<std::string, std::unique_ptr<Layer>> layers_;
    std::map<std::string, std::string> failures_;
    std::map<std::string, std::string> links_;
    std::set<std::string> names_;
    uint64_t entries_ = 0;
};

// Opens a regular file below `root` for reading; symlinks are followed, but only a regular
// file is read, so a link to a device or a fifo cannot make a read endless.
Result<int> open_regular(const std::string& path, struct stat& info) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return Error{std::strerror(errno)};
    }
    if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
        ::close(fd);
        return Error{"not a regular file"};
    }
    return fd;
}

class DirectoryStore : public BlobStore {
public:
    DirectoryStore(std::string root, const ReadOptions& options)
        : root_(std::move(root)), options_(options) {
        container_ = "directory";
    }

    const std::string* document(const std::string& raw) override {
        std::string name = normalize_name(raw);
        if (auto found = documents_.find(name); found != documents_.end()) {
            return &found->second;
        }
        struct stat info {};
        auto fd = open_regular(root_ + "/" + name, info);
        if (!fd) {
            return nullptr;
        }
        FdSource source(*fd, static_cast<uint64_t>(info.st_size));
        auto text = read_document(source, options_.document_cap);
        ::close(*fd);
        if (!text) {
            warnings_.push_back("skipped " + name + ": " + text.error());
            return nullptr;
        }
        return &(documents_[name] = std::move(*text));
    }

    Result<const Layer*> layer(const std::string& raw) override {
        std::string name = normalize_name(raw);
        if (auto found = layers_.find(name); found != layers_.end()) {
            return static_cast<const Layer*>(found->second.get());
        }
        struct stat info {};
        auto fd = open_regular(root_ + "/" + name, info);
        if (!fd) {
            if (!contains(name)) {
                return static_cast<const Layer*>(nullptr);
            }
            return Error{"cannot open " + name + ": " + fd.error()};
        }
        FdSource file(*fd, static_cast<uint64_t>(info.st_size));
        PeekSource blob(file);
        // TODO: skip blobs no manifest will reference (other platforms of a multi-platform
        // export) when index.json has been seen already; containerd writes it after the blobs,
        // so a single pass has to read every layer blob anyway.
        auto layer = read_layer(blob, name, paths_, options_.limits, entries_);
        ::close(*fd);
        if (!layer) {
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
    std::string root_;
    ReadOptions options_;
    std::map<std::string, std::string> documents_;
    std::map<std::string, std::unique_ptr<Layer>> layers_;
    uint64_t entries_ = 0;
};

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
        FdSource input(STDIN_FILENO);
        return read_tar_stream(input, options);
    }
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0) {
        return Error{std::string("cannot open ") + path + ": " + std::strerror(errno)};
    }
    if (S_ISDIR(info.st_mode)) {
        return open_layout_directory(path, options);
    }
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return Error{std::string("cannot open ") + path + ": " + std::strerror(errno)};
    }
    FdSource input(fd);
    auto store = read_tar_stream(input, options);
    ::close(fd);
    return store;
}

}  // namespace hale::image
