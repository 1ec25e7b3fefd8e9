#include "image/byte_source.hpp"

#include <archive.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

namespace hale::image {
namespace {

constexpr size_t kReadBlock = 1 << 20;
constexpr size_t kZeroBlock = size_t{64} * 1024;
// Not const, so that it lives in .bss and costs the binary no bytes.
std::array<uint8_t, kZeroBlock> zero_block{};

la_ssize_t read_callback(struct archive* /*reader*/, void* data, const void** buffer) {
    auto* callbacks = static_cast<SourceCallbacks*>(data);
    auto chunk = callbacks->source->next();
    if (!chunk) {
        callbacks->error = chunk.error();
        return -1;
    }
    *buffer = chunk->data();
    return static_cast<la_ssize_t>(chunk->size());
}

// Shared by the two readers of libarchive data blocks: turns holes between blocks into zeros.
Result<Chunk> next_block(struct archive* reader,
                         int64_t& position,
                         Chunk& pending,
                         int64_t& pending_offset) {
    if (pending.empty()) {
        const void* data = nullptr;
        size_t size = 0;
        la_int64_t offset = 0;
        int status = archive_read_data_block(reader, &data, &size, &offset);
        if (status == ARCHIVE_EOF) {
            return Chunk{};
        }
        if (status < ARCHIVE_WARN) {
            const char* message = archive_error_string(reader);
            return Error{message != nullptr ? message : "read failed"};
        }
        pending = Chunk(static_cast<const uint8_t*>(data), size);
        pending_offset = offset;
        if (pending.empty()) {
            return next_block(reader, position, pending, pending_offset);
        }
    }
    if (pending_offset > position) {
        auto gap = static_cast<uint64_t>(pending_offset - position);
        Chunk hole = zeros(gap);
        position += static_cast<int64_t>(hole.size());
        return hole;
    }
    Chunk chunk = pending;
    pending = {};
    position = pending_offset + static_cast<int64_t>(chunk.size());
    return chunk;
}

}  // namespace

Chunk zeros(uint64_t size) {
    return {zero_block.data(), static_cast<size_t>(std::min<uint64_t>(size, zero_block.size()))};
}

int open_reader(struct archive* reader, SourceCallbacks& callbacks) {
    return archive_read_open(reader, &callbacks, nullptr, read_callback, nullptr);
}

FdSource::FdSource(int fd, uint64_t limit) : fd_(fd), left_(limit), buffer_(kReadBlock) {}

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
            return Error{std::strerror(errno)};
        }
    }
}

Result<Chunk> EntrySource::next() {
    auto chunk = next_block(reader_, position_, pending_, pending_offset_);
    if (!chunk) {
        failed_ = true;
    }
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

DecompressingSource::DecompressingSource(ByteSource& below) : reader_(archive_read_new()) {
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
    auto chunk = next_block(reader_, position_, pending_, pending_offset_);
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
