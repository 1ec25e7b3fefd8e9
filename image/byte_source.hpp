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
struct archive_entry;

namespace hale::image {

using Chunk = std::span<const uint8_t>;
using probes::Error;
using probes::Result;

// Sizes from tar headers are the archive's word, up to 2^63 each: sums of them saturate
// rather than wrap.
inline uint64_t saturating_add(uint64_t a, uint64_t b) {
    return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

// What makes bytes that the archive does not store.
enum class Expansion : uint8_t { Decompression, SparseHoles };

// The bytes reading one archive may make beyond those it stores: the output of decompression
// (of the outer stream and of each layer) and the zeros of sparse files' holes. Once more than
// `floor` bytes were made, more than `ratio` times the bytes stored ends the read: a
// decompression bomb, or a sparse file whose holes alone would take hours to hash. One budget
// for the whole archive, so that many small bombs add up like one large one.
class ExpansionBudget {
public:
    ExpansionBudget(uint64_t floor, uint64_t ratio) : floor_(floor), ratio_(ratio) {}
    // Bytes as stored: read from the file, the pipe or the layout directory.
    void add_stored(uint64_t bytes) { stored_ = saturating_add(stored_, bytes); }
    // Bytes made from fewer stored ones; an error once the budget is spent, and from then on.
    Result<bool> add_made(uint64_t bytes, Expansion kind);
    // What decompressing the outer stream has made so far, as a running total.
    Result<bool> set_outer_made(uint64_t total);
    // Charges what the filters of `reader` (the outer stream's gzip or zstd) have made so far.
    Result<bool> charge_filters(struct archive* reader);
    bool spent() const { return spent_; }
    uint64_t stored() const { return stored_; }
    uint64_t made() const { return saturating_add(made_, outer_made_); }

private:
    Result<bool> check(Expansion kind);

    uint64_t floor_;
    uint64_t ratio_;
    uint64_t stored_ = 0;
    uint64_t made_ = 0;
    uint64_t outer_made_ = 0;
    bool spent_ = false;
    std::string error_;
};

class ByteSource {
public:
    virtual ~ByteSource() = default;
    // The next bytes, valid until the next call; an empty chunk means the end of the stream.
    virtual Result<Chunk> next() = 0;
};

// Reads a file descriptor (a file, a pipe, stdin) in large blocks. Does not own the fd.
class FdSource : public ByteSource {
public:
    // `name` says what is read in errors ("cannot read <name>: <reason>"). `limit` stops
    // reading after that many bytes (a regular file's size), so that a file that grows while
    // being read cannot make the read endless.
    FdSource(int fd, std::string name, uint64_t limit = UINT64_MAX);
    Result<Chunk> next() override;

private:
    int fd_;
    std::string name_;
    uint64_t left_;
    std::vector<uint8_t> buffer_;
};

// Whether reading an entry also charges what the reader's filters decompress.
enum class Filters : uint8_t { Uncharged, Charged };

// The data of the entry a libarchive reader is positioned on. Holes of sparse entries, the
// one after the last data block up to the entry's size included, come back as zeros, so that
// what is hashed is the entry's logical content: a sparse and a plain copy of one file hash
// alike. Every hole is charged to `budget` (when there is one) before it is produced, and with
// Filters::Charged what the reader has decompressed after every block.
class EntrySource : public ByteSource {
public:
    explicit EntrySource(struct archive* reader,
                         ExpansionBudget* budget = nullptr,
                         Filters filters = Filters::Uncharged)
        : reader_(reader), budget_(budget), filters_(filters) {}
    Result<Chunk> next() override;
    // True when the reader below failed, as opposed to a stage above it or the budget.
    bool failed() const { return failed_; }

private:
    struct archive* reader_;
    ExpansionBudget* budget_;
    Filters filters_;
    int64_t position_ = 0;
    Chunk pending_;
    int64_t pending_offset_ = 0;
    int64_t end_ = 0;  // the entry's size, known at the end of its data
    bool at_end_ = false;
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
// `error`: libarchive itself only learns that the read failed. With a `budget`, the source is
// the bytes as stored and what the reader's filters decompress is charged to it.
struct SourceCallbacks {
    ByteSource* source = nullptr;
    std::string error;
    ExpansionBudget* budget = nullptr;
    // Where the header being read began (bytes the reader had consumed), or -1 outside
    // read_next_header.
    int64_t header_start = -1;
};

// Bytes one tar header may take, with its pax records, long names and sparse map. libarchive
// holds a header whole while it reads it, a GNU sparse map at about 12 times its size in
// lists of blocks; real headers take a few KiB, and libarchive refuses pax records and long
// names over 1 MiB anyway.
constexpr int64_t kMaxHeaderBytes = int64_t{2} << 20;

// archive_read_open() on `reader` reading from `callbacks.source`; libarchive's status.
int open_reader(struct archive* reader, SourceCallbacks& callbacks);

// archive_read_next_header(), stopped (ARCHIVE_FATAL, the reason in `callbacks.error`) once the
// header has taken more than kMaxHeaderBytes. The entry before must have been read or skipped
// already, or its data would count as header. The check runs when libarchive asks for more
// input, so it can overshoot by what one chunk of the source expands to in the reader's
// filters.
// TODO: decompress the outer stream in a DecompressingSource, as layers are, so that the
// overshoot is one chunk there too; now one chunk of a gzip or zstd outer stream can expand to
// a huge sparse map before the check runs again.
int read_next_header(struct archive* reader,
                     SourceCallbacks& callbacks,
                     struct archive_entry** header);

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
    EntrySource data_;
    bool opened_ = false;
};

// Reads a ByteSource to its end, so that hashes and counts cover every byte.
Result<bool> drain(ByteSource& source);

// Zero-filled bytes for holes in sparse streams.
Chunk zeros(uint64_t size);

}  // namespace hale::image
