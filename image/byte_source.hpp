// Streams of bytes that feed each other without copies: a file or stdin, the current entry of
// a tar being read, a decompressed stream, and a pass-through that hashes and counts. A layer
// inside a gzipped archive is read as file -> outer tar entry -> gunzip -> inner tar, all in
// one pass, each stage pulling chunks from the one below it.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "image/sha256.hpp"
#include "probes/result.hpp"

struct archive;

namespace hale::image {

using Chunk = std::span<const uint8_t>;
using probes::Error;
using probes::Result;

class ByteSource {
public:
    virtual ~ByteSource() = default;
    // The next bytes, valid until the next call; an empty chunk means the end of the stream.
    virtual Result<Chunk> next() = 0;
};

// Reads a file descriptor (a file, a pipe, stdin) in large blocks. Does not own the fd.
class FdSource : public ByteSource {
public:
    // `limit` stops reading after that many bytes (a regular file's size), so that a file that
    // grows while being read cannot make the read endless.
    explicit FdSource(int fd, uint64_t limit = UINT64_MAX);
    Result<Chunk> next() override;

private:
    int fd_;
    uint64_t left_;
    std::vector<uint8_t> buffer_;
};

// The data of the entry a libarchive reader is positioned on. Holes of sparse entries come
// back as zeros, so that what is hashed is the entry's logical content.
class EntrySource : public ByteSource {
public:
    explicit EntrySource(struct archive* reader) : reader_(reader) {}
    Result<Chunk> next() override;
    // True when the reader below failed, as opposed to a stage above it.
    bool failed() const { return failed_; }

private:
    struct archive* reader_;
    int64_t position_ = 0;
    Chunk pending_;
    int64_t pending_offset_ = 0;
    bool failed_ = false;
};

// Passes chunks through, keeping a SHA-256 and a byte count of everything that passed.
class HashingSource : public ByteSource {
public:
    explicit HashingSource(ByteSource& below) : below_(below) {}
    Result<Chunk> next() override;
    uint64_t bytes() const { return bytes_; }
    Digest digest() { return sha_.finish(); }
    // Called after every chunk with the running count; an error stops the stream.
    std::function<Result<bool>(uint64_t bytes)> check;

private:
    ByteSource& below_;
    Sha256 sha_;
    uint64_t bytes_ = 0;
};

// Lets the first bytes of a stream be looked at before anything consumes them.
class PeekSource : public ByteSource {
public:
    explicit PeekSource(ByteSource& below) : below_(below) {}
    // Up to `size` bytes from the start (fewer only when the stream is shorter).
    Result<Chunk> peek(size_t size);
    Result<Chunk> next() override;

private:
    ByteSource& below_;
    std::vector<uint8_t> buffer_;
    Chunk first_;
    bool replay_ = false;
    bool peeked_ = false;
};

// A ByteSource handed to a libarchive reader as its input. An error of the source is kept in
// `error`: libarchive itself only learns that the read failed.
struct SourceCallbacks {
    ByteSource* source = nullptr;
    std::string error;
};

// archive_read_open() on `reader` reading from `callbacks.source`; libarchive's status.
int open_reader(struct archive* reader, SourceCallbacks& callbacks);

// Decompresses gzip (multi-member, as estargz writes it) or zstd, found by magic bytes; any
// other stream passes through unchanged.
class DecompressingSource : public ByteSource {
public:
    explicit DecompressingSource(ByteSource& below);
    ~DecompressingSource() override;
    DecompressingSource(const DecompressingSource&) = delete;
    DecompressingSource& operator=(const DecompressingSource&) = delete;
    Result<Chunk> next() override;

private:
    Result<bool> open();

    struct archive* reader_ = nullptr;
    SourceCallbacks callbacks_;
    bool opened_ = false;
    int64_t position_ = 0;
    Chunk pending_;
    int64_t pending_offset_ = 0;
};

// Reads a ByteSource to its end, so that hashes and counts cover every byte.
Result<bool> drain(ByteSource& source);

// Zero-filled bytes for holes in sparse streams.
Chunk zeros(uint64_t size);

}  // namespace hale::image
