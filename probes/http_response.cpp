#include "probes/http_response.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "probes/text.hpp"

namespace hale::probes {
namespace {

// A chunk-size line longer than this is an attack, not an extension.
constexpr size_t kChunkLineCap = 1024;

// Content-Length may repeat, or be a comma list, as long as every value is the same number.
std::optional<size_t> parse_content_length(const HttpResponse& response) {
    std::optional<size_t> length;
    for (const auto& [name, value] : response.headers) {
        if (name != "content-length") {
            continue;
        }
        std::string_view rest = value;
        while (true) {
            auto comma = rest.find(',');
            std::string_view item = trim(rest.substr(0, comma));
            size_t parsed = 0;
            auto [end, error] = std::from_chars(item.data(), item.data() + item.size(), parsed);
            if (item.empty() || error != std::errc{} || end != item.data() + item.size() ||
                (length && *length != parsed)) {
                return std::nullopt;
            }
            length = parsed;
            if (comma == std::string_view::npos) {
                break;
            }
            rest = rest.substr(comma + 1);
        }
    }
    return length;
}

}  // namespace

std::optional<std::string_view> HttpResponse::header(std::string_view name) const {
    for (const auto& [key, value] : headers) {
        if (key == name) {
            return std::string_view(value);
        }
    }
    return std::nullopt;
}

HttpResponseReader::Phase HttpResponseReader::fail(std::string message) {
    error_ = std::move(message);
    phase_ = Phase::Failed;
    return phase_;
}

// Takes the next line out of `data`, without its CRLF or LF. An incomplete line is kept in
// line_ and `complete` is false.
std::string_view HttpResponseReader::next_line(std::string_view& data, bool& complete) {
    auto newline = data.find('\n');
    if (newline == std::string_view::npos) {
        line_.append(data);
        data = {};
        complete = false;
        return {};
    }
    line_.append(data.substr(0, newline));
    data.remove_prefix(newline + 1);
    if (!line_.empty() && line_.back() == '\r') {
        line_.pop_back();
    }
    complete = true;
    return line_;
}

bool HttpResponseReader::parse_status_line(std::string_view line) {
    // HTTP/1.1 200 OK
    if (line.size() < 12 || line.substr(0, 7) != "HTTP/1." ||
        std::isdigit(static_cast<unsigned char>(line[7])) == 0 || line[8] != ' ') {
        return false;
    }
    std::string_view code = line.substr(9, 3);
    if (!std::all_of(code.begin(), code.end(),
                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; })) {
        return false;
    }
    if (line.size() > 12 && line[12] != ' ') {
        return false;
    }
    response_.minor_version = line[7] - '0';
    response_.status = (code[0] - '0') * 100 + (code[1] - '0') * 10 + (code[2] - '0');
    response_.reason = line.size() > 13 ? std::string(line.substr(13)) : std::string();
    return response_.status >= 100 && response_.status <= 599;
}

bool HttpResponseReader::parse_header_line(std::string_view line) {
    // An obsolete folded continuation belongs to the previous header's value.
    if (line.front() == ' ' || line.front() == '\t') {
        if (response_.headers.empty()) {
            return false;
        }
        response_.headers.back().second += ' ';
        response_.headers.back().second += trim(line);
        return true;
    }
    auto colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) {
        return false;
    }
    std::string_view name = line.substr(0, colon);
    if (!std::all_of(name.begin(), name.end(), [](char c) { return is_token_char(c); })) {
        return false;
    }
    if (response_.headers.size() >= limits_.header_count) {
        return false;
    }
    response_.headers.emplace_back(lowercase(name), std::string(trim(line.substr(colon + 1))));
    return true;
}

void HttpResponseReader::start_body() {
    int status = response_.status;
    if (head_request_ || status < 200 || status == 204 || status == 304) {
        framing_ = Framing::None;
        phase_ = Phase::Done;
        return;
    }

    if (auto coding = response_.header("transfer-encoding")) {
        // Only a final "chunked" coding frames the body; anything else runs to the close.
        std::string codings = lowercase(*coding);
        auto last_comma = codings.rfind(',');
        std::string_view last = trim(
            std::string_view(codings).substr(last_comma == std::string::npos ? 0 : last_comma + 1));
        framing_ = last == "chunked" ? Framing::Chunked : Framing::Close;
        chunk_state_ = ChunkState::Size;
        phase_ = Phase::Body;
        return;
    }

    if (response_.header("content-length")) {
        auto length = parse_content_length(response_);
        if (!length) {
            fail("invalid Content-Length '" + printable(*response_.header("content-length"), 64) +
                 "'");
            return;
        }
        framing_ = Framing::Length;
        remaining_ = *length;
        phase_ = remaining_ == 0 ? Phase::Done : Phase::Body;
        return;
    }

    framing_ = Framing::Close;
    phase_ = Phase::Body;
}

void HttpResponseReader::take_body(std::string_view data) {
    size_t room = limits_.body_cap - response_.body_bytes;
    size_t taken = std::min(room, data.size());
    if (limits_.keep_body) {
        response_.body.append(data.substr(0, taken));
    }
    response_.body_bytes += taken;
    if (taken < data.size()) {
        response_.body_truncated = true;
    }
}

void HttpResponseReader::feed_body(std::string_view data) {
    if (framing_ == Framing::Chunked) {
        feed_chunked(data);
        return;
    }

    size_t usable = framing_ == Framing::Length ? std::min(remaining_, data.size()) : data.size();
    take_body(data.substr(0, usable));
    if (framing_ == Framing::Length) {
        remaining_ -= usable;
        if (remaining_ == 0) {
            phase_ = Phase::Done;
            return;
        }
    }
    if (response_.body_truncated) {
        phase_ = Phase::Done;
    }
}

void HttpResponseReader::feed_chunked(std::string_view data) {
    while (!data.empty() && phase_ == Phase::Body) {
        if (chunk_state_ == ChunkState::Data) {
            size_t usable = std::min(remaining_, data.size());
            take_body(data.substr(0, usable));
            data.remove_prefix(usable);
            remaining_ -= usable;
            if (response_.body_bytes >= limits_.body_cap && remaining_ > 0) {
                response_.body_truncated = true;
                phase_ = Phase::Done;
                return;
            }
            if (remaining_ == 0) {
                chunk_state_ = ChunkState::DataEnd;
            }
            continue;
        }

        bool complete = false;
        std::string_view line = next_line(data, complete);
        if (!complete) {
            if (line_.size() > kChunkLineCap) {
                fail("chunk header longer than 1 KiB");
            }
            return;
        }

        switch (chunk_state_) {
            case ChunkState::Size: {
                std::string_view size_text = trim(line.substr(0, line.find(';')));
                size_t size = 0;
                auto [end, error] = std::from_chars(size_text.data(),
                                                    size_text.data() + size_text.size(), size, 16);
                if (size_text.empty() || error != std::errc{} ||
                    end != size_text.data() + size_text.size()) {
                    fail("malformed chunk size '" + printable(size_text, 32) + "'");
                    return;
                }
                remaining_ = size;
                chunk_state_ = size == 0 ? ChunkState::Trailers : ChunkState::Data;
                if (size > 0 && response_.body_bytes >= limits_.body_cap) {
                    response_.body_truncated = true;
                    phase_ = Phase::Done;
                    return;
                }
                break;
            }
            case ChunkState::DataEnd:
                if (!line.empty()) {
                    fail("chunk data longer than its size");
                    return;
                }
                chunk_state_ = ChunkState::Size;
                break;
            case ChunkState::Trailers:
                header_bytes_ += line.size();
                if (header_bytes_ > limits_.header_bytes) {
                    fail("trailers larger than the header limit");
                    return;
                }
                if (line.empty()) {
                    phase_ = Phase::Done;
                }
                break;
            case ChunkState::Data:
                break;
        }
        line_.clear();
    }
}

HttpResponseReader::Phase HttpResponseReader::feed(std::string_view data) {
    while (!data.empty() && (phase_ == Phase::StatusLine || phase_ == Phase::Headers)) {
        // Something that is not HTTP at all fails on its first bytes, not at the deadline.
        if (phase_ == Phase::StatusLine) {
            std::string seen = line_ + std::string(data.substr(0, 5));
            size_t compare = std::min<size_t>(seen.size(), 5);
            if (seen.compare(0, compare, std::string_view("HTTP/").substr(0, compare)) != 0) {
                return fail("not an HTTP response");
            }
        }

        bool complete = false;
        std::string_view line = next_line(data, complete);
        if (header_bytes_ + line_.size() > limits_.header_bytes) {
            return fail("response headers larger than " +
                        std::to_string(limits_.header_bytes / 1024) + " KiB");
        }
        if (!complete) {
            return phase_;
        }
        header_bytes_ += line.size() + 2;

        if (phase_ == Phase::StatusLine) {
            if (!parse_status_line(line)) {
                return fail("malformed status line '" + printable(line, 64) + "'");
            }
            phase_ = Phase::Headers;
        } else if (!line.empty()) {
            if (!parse_header_line(line)) {
                return fail(response_.headers.size() >= limits_.header_count
                                ? "more than " + std::to_string(limits_.header_count) + " headers"
                                : "malformed header line '" + printable(line, 64) + "'");
            }
        } else if (response_.status >= 100 && response_.status < 200 && response_.status != 101) {
            // An interim response (100 Continue, 103 Early Hints): the real one follows.
            response_ = HttpResponse{};
            phase_ = Phase::StatusLine;
        } else {
            start_body();
        }
        line_.clear();
    }

    if (phase_ == Phase::Body && !data.empty()) {
        feed_body(data);
    }
    return phase_;
}

HttpResponseReader::Phase HttpResponseReader::finish() {
    switch (phase_) {
        case Phase::StatusLine:
            return fail(line_.empty() && header_bytes_ == 0
                            ? "connection closed before a status line"
                            : "connection closed inside the status line");
        case Phase::Headers:
            return fail("connection closed inside the headers");
        case Phase::Body:
            if (framing_ == Framing::Close) {
                phase_ = Phase::Done;
                return phase_;
            }
            if (framing_ == Framing::Length) {
                return fail("connection closed after " + std::to_string(response_.body_bytes) +
                            " of " + std::to_string(response_.body_bytes + remaining_) +
                            " body bytes");
            }
            return fail("connection closed inside a chunked body");
        case Phase::Done:
        case Phase::Failed:
            break;
    }
    return phase_;
}

}  // namespace hale::probes
