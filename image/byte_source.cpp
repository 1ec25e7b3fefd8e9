#include "image/byte_source.hpp"

#include <archive.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

#include "probes/text.hpp"

namespace hale::image {
namespace {

constexpr size_t kReadBlock = 1 << 20;
constexpr size_t kZeroBlock = size_t{64} * 1024;
// Not const, so that it lives in .bss and costs the binary no bytes.
std::array<uint8_t, kZeroBlock> zero_block{};

std::string format_bytes(uint64_t bytes) {
    return std::to_string(bytes) + (bytes == 1 ? " byte" : " bytes");
}

la_ssize_t read_callback(struct archive* reader, void* data, const void** buffer) {
    auto* callbacks = static_cast<SourceCallbacks*>(data);
    auto chunk = callbacks->source->next();
    if (!chunk) {
        callbacks->error = chunk.error();
        return -1;
    }
    if (callbacks->header_start >= 0 &&
        archive_filter_bytes(reader, 0) - callbacks->header_start > kMaxHeaderBytes) {
        callbacks->error =
            "a tar header (sparse map, long names, extended attributes) takes "
            "more than " +
            format_bytes(static_cast<uint64_t>(kMaxHeaderBytes)) + "; real ones take a few KiB";
        return -1;
    }
    if (ExpansionBudget* budget = callbacks->budget) {
        budget->add_stored(chunk->size());
        if (auto charged = budget->charge_filters(reader); !charged) {
            callbacks->error = charged.error();
            return -1;
        }
    }
    *buffer = chunk->data();
    return static_cast<la_ssize_t>(chunk->size());
}

}  // namespace

Result<bool> ExpansionBudget::add_made(uint64_t bytes, Expansion kind) {
    made_ = saturating_add(made_, bytes);
    return check(kind);
}

Result<bool> ExpansionBudget::set_outer_made(uint64_t total) {
    outer_made_ = std::max(outer_made_, total);
    return check(Expansion::Decompression);
}

Result<bool> ExpansionBudget::charge_filters(struct archive* reader) {
    // Only decompression makes bytes; an uncompressed stream has the one filter that reads.
    if (archive_filter_count(reader) <= 1) {
        return check(Expansion::Decompression);
    }
    return set_outer_made(
        static_cast<uint64_t>(std::max<la_int64_t>(archive_filter_bytes(reader, 0), 0)));
}

Result<bool> ExpansionBudget::check(Expansion kind) {
    if (spent_) {
        return Error{error_};
    }
    uint64_t total = made();
    if (total <= floor_ || total / std::max<uint64_t>(stored_, 1) <= ratio_) {
        return true;
    }
    spent_ = true;
    error_ = kind == Expansion::Decompression
                 ? "decompressed data exceeds " + std::to_string(ratio_) + " times the archive's " +
                       format_bytes(stored_) + " (decompression bomb?)"
                 : "holes of sparse files exceed " + std::to_string(ratio_) +
                       " times the archive's " + format_bytes(stored_);
    return Error{error_};
}

Chunk zeros(uint64_t size) {
    return {zero_block.data(), static_cast<size_t>(std::min<uint64_t>(size, zero_block.size()))};
}

int open_reader(struct archive* reader, SourceCallbacks& callbacks) {
    return archive_read_open(reader, &callbacks, nullptr, read_callback, nullptr);
}

int read_next_header(struct archive* reader,
                     SourceCallbacks& callbacks,
                     struct archive_entry** header) {
    callbacks.header_start = archive_filter_bytes(reader, 0);
    int status = archive_read_next_header(reader, header);
    callbacks.header_start = -1;
    return status;
}

FdSource::FdSource(int fd, std::string name, uint64_t limit)
    : fd_(fd), name_(std::move(name)), left_(limit), buffer_(kReadBlock) {}

Result<Chunk> FdSource::next() {
    if (left_ == 0) {
        return Chunk{};
    }
    size_t want = static_cast<size_t>(std::min<uint64_t>(left_, buffer_.size()));
    for (;;) {
        ssize_t got = ::read(fd_, buffer_.data(), want);
        if (got >= 0) {
            left_ -= static_cast<uint64_t>(got);
            return Chunk(buffer_.data(), static_cast<size_t>(got));
        }
        if (errno != EINTR) {
            return Error{"cannot read " + name_ + ": " + probes::describe_errno(errno)};
        }
    }
}

Result<Chunk> EntrySource::next() {
    while (pending_.empty() && !at_end_) {
        const void* data = nullptr;
        size_t size = 0;
        la_int64_t offset = 0;
        int status = archive_read_data_block(reader_, &data, &size, &offset);
        if (status == ARCHIVE_EOF) {
            // libarchive gives the entry's size as the offset of its end; the data blocks of
            // a sparse entry may stop short of it.
            at_end_ = true;
            end_ = offset;
        } else if (status < ARCHIVE_WARN) {
            failed_ = true;
            const char* message = archive_error_string(reader_);
            return Error{message != nullptr ? message : "read failed"};
        } else {
            pending_ = Chunk(static_cast<const uint8_t*>(data), size);
            pending_offset_ = offset;
        }
        if (filters_ == Filters::Charged && budget_ != nullptr) {
            if (auto charged = budget_->charge_filters(reader_); !charged) {
                return Error{charged.error()};
            }
        }
    }
    int64_t next_data = at_end_ ? end_ : pending_offset_;
    if (next_data > position_) {
        Chunk hole = zeros(static_cast<uint64_t>(next_data - position_));
        if (budget_ != nullptr) {
            if (auto charged = budget_->add_made(hole.size(), Expansion::SparseHoles); !charged) {
                return Error{charged.error()};
            }
        }
        position_ += static_cast<int64_t>(hole.size());
        return hole;
    }
    if (at_end_) {
        return Chunk{};
    }
    Chunk chunk = pending_;
    pending_ = {};
    position_ = pending_offset_ + static_cast<int64_t>(chunk.size());
    return chunk;
}

Result<Chunk> HashingSource::next() {
    auto chunk = below_.next();
    if (chunk && !chunk->empty()) {
        sha_.update(chunk->data(), chunk->size());
        bytes_ += chunk->size();
        if (check) {
            if (auto verdict = check(bytes_); !verdict) {
                return Error{verdict.error()};
            }
        }
    }
    return chunk;
}

Result<Chunk> PeekSource::peek(size_t size) {
    if (peeked_) {
        return replay_ ? Chunk(buffer_) : first_.first(std::min(size, first_.size()));
    }
    peeked_ = true;
    auto first = below_.next();
    if (!first) {
        return first;
    }
    if (first->size() >= size || first->empty()) {
        // The common case: the first chunk holds enough and is handed on as it is.
        first_ = *first;
        return first_.first(std::min(size, first_.size()));
    }
    replay_ = true;
    buffer_.assign(first->begin(), first->end());
    while (buffer_.size() < size) {
        auto more = below_.next();
        if (!more) {
            return more;
        }
        if (more->empty()) {
            break;
        }
        buffer_.insert(buffer_.end(), more->begin(), more->end());
    }
    return Chunk(buffer_);
}

Result<Chunk> PeekSource::next() {
    if (replay_) {
        replay_ = false;
        return Chunk(buffer_);
    }
    if (!first_.empty()) {
        Chunk chunk = first_;
        first_ = {};
        return chunk;
    }
    return below_.next();
}

DecompressingSource::DecompressingSource(ByteSource& below)
    : reader_(archive_read_new()), data_(reader_) {
    callbacks_.source = &below;
    archive_read_support_filter_gzip(reader_);
    archive_read_support_filter_zstd(reader_);
    archive_read_support_format_raw(reader_);
}

DecompressingSource::~DecompressingSource() {
    archive_read_free(reader_);
}

Result<bool> DecompressingSource::open() {
    opened_ = true;
    struct archive_entry* entry = nullptr;
    if (open_reader(reader_, callbacks_) != ARCHIVE_OK ||
        archive_read_next_header(reader_, &entry) < ARCHIVE_WARN) {
        if (!callbacks_.error.empty()) {
            return Error{callbacks_.error};
        }
        const char* message = archive_error_string(reader_);
        return Error{std::string("cannot decompress: ") + (message != nullptr ? message : "?")};
    }
    return true;
}

Result<Chunk> DecompressingSource::next() {
    if (!opened_) {
        if (auto opened = open(); !opened) {
            return Error{opened.error()};
        }
    }
    auto chunk = data_.next();
    if (!chunk && !callbacks_.error.empty()) {
        return Error{callbacks_.error};
    }
    if (!chunk) {
        return Error{"cannot decompress: " + chunk.error()};
    }
    return chunk;
}

Result<bool> drain(ByteSource& source) {
    for (;;) {
        auto chunk = source.next();
        if (!chunk) {
            return Error{chunk.error()};
        }
        if (chunk->empty()) {
            return true;
        }
    }
}

}  // namespace hale::image
