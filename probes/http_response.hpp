// An incremental reader of one HTTP/1.x response, fed bytes as they arrive. It knows where the
// response ends (RFC 9112 section 6.3: no body for HEAD, 1xx, 204 and 304; chunked; Content-Length;
// otherwise until the peer closes), keeps at most `body_cap` bytes of the body and stops reading
// there, and bounds the header block, so a hostile peer costs bounded memory.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hale::probes {

struct HttpResponse {
    int status = 0;
    int minor_version = 1;  // HTTP/1.<minor>
    std::string reason;
    std::vector<std::pair<std::string, std::string>> headers;  // names lowercased
    size_t body_bytes = 0;                                     // body bytes seen, up to the cap
    std::string body;             // the first body bytes, kept only when asked for
    bool body_truncated = false;  // the cap was reached before the body ended

    // The first value of a header, by lowercase name.
    std::optional<std::string_view> header(std::string_view name) const;
};

class HttpResponseReader {
public:
    enum class Phase { StatusLine, Headers, Body, Done, Failed };

    struct Limits {
        size_t header_bytes = size_t{16} * 1024;
        size_t header_count = 100;
        size_t body_cap = size_t{64} * 1024;
        bool keep_body = false;  // store the first body_cap bytes in HttpResponse::body
    };

    HttpResponseReader(bool head_request, Limits limits)
        : head_request_(head_request), limits_(limits) {}

    // Consumes bytes. Returns the phase after them; Done and Failed are final.
    Phase feed(std::string_view data);

    // The peer closed the connection. A close-delimited body ends here; anything else that
    // was not complete fails.
    Phase finish();

    Phase phase() const { return phase_; }
    const HttpResponse& response() const { return response_; }
    const std::string& error() const { return error_; }

private:
    enum class Framing { None, Length, Chunked, Close };
    enum class ChunkState { Size, Data, DataEnd, Trailers };

    Phase fail(std::string message);
    bool parse_status_line(std::string_view line);
    bool parse_header_line(std::string_view line);
    void start_body();
    void take_body(std::string_view data);
    std::string_view next_line(std::string_view& data, bool& complete);
    void feed_body(std::string_view data);
    void feed_chunked(std::string_view data);

    bool head_request_;
    Limits limits_;
    Phase phase_ = Phase::StatusLine;
    HttpResponse response_;
    std::string error_;
    std::string line_;  // a line not yet complete
    size_t header_bytes_ = 0;
    Framing framing_ = Framing::Close;
    size_t remaining_ = 0;  // body bytes left (Length) or chunk bytes left (Chunked)
    ChunkState chunk_state_ = ChunkState::Size;
};

}  // namespace hale::probes
