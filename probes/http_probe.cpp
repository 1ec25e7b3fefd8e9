#include "probes/http_probe.hpp"

#include <nettle/base64.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>

#include "probes/dial.hpp"
#include "probes/http_response.hpp"
#include "probes/text.hpp"

namespace hale::probes {
namespace {

constexpr size_t kShownLocationCap = 120;

std::string base64(std::string_view data) {
    std::string out(BASE64_ENCODE_RAW_LENGTH(data.size()), '\0');
    base64_encode_raw(out.data(), data.size(), reinterpret_cast<const uint8_t*>(data.data()));
    return out;
}

bool is_redirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

std::string build_request(const Target& target,
                          const std::string& method,
                          const ProbeOptions& options) {
    const HttpOptions& http = options.http;
    const bool via_proxy = http.proxy.has_value();

    std::string request = method + " ";
    request += via_proxy ? target.url() : target.path;
    request += " HTTP/1.1\r\n";

    auto user_value = [&](std::string_view name) -> const std::string* {
        for (const auto& [key, value] : http.headers) {
            if (iequals(key, name)) {
                return &value;
            }
        }
        return nullptr;
    };
    auto add = [&](std::string_view name, const std::string& fallback) {
        const std::string* given = user_value(name);
        const std::string& value = given != nullptr ? *given : fallback;
        if (!value.empty()) {
            request.append(name).append(": ").append(value).append("\r\n");
        }
    };

    add("Host", target.host_header());
    add("User-Agent", http.user_agent);
    add("Accept", "*/*");
    add("Connection", "close");
    if (!target.userinfo.empty() && user_value("Authorization") == nullptr) {
        request += "Authorization: Basic " + base64(target.userinfo) + "\r\n";
    }
    if (via_proxy && !http.proxy->userinfo.empty()) {
        request += "Proxy-Authorization: Basic " + base64(http.proxy->userinfo) + "\r\n";
    }

    for (const auto& [name, value] : http.headers) {
        bool is_default = iequals(name, "Host") || iequals(name, "User-Agent") ||
                          iequals(name, "Accept") || iequals(name, "Connection");
        if (!is_default && !value.empty()) {
            request.append(name).append(": ").append(value).append("\r\n");
        }
    }
    request += "\r\n";
    return request;
}

struct Exchange {
    DialOutcome dial;
    HttpResponse response;
    bool timed_out = false;
    std::string waiting_for;  // where a timeout struck
    std::string error;        // a failure that is not a timeout
};

// Writes all of `data` before the deadline. Returns 0, or the errno that stopped it.
int send_all(int fd, std::string_view data, const Deadline& deadline) {
    while (!data.empty()) {
        pollfd pfd{fd, POLLOUT, 0};
        int ready = poll(&pfd, 1, deadline.remaining_ms());
        if (ready == 0) {
            return ETIMEDOUT;
        }
        if (ready < 0) {
            if (errno == EINTR) {
                continue;
            }
            return errno;
        }
        // MSG_NOSIGNAL: a peer that has gone away must give EPIPE, not kill hale with SIGPIPE.
        ssize_t sent = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
        if (sent < 0) {
            if (errno == EINTR || errno == EAGAIN) {
                continue;
            }
            return errno;
        }
        data.remove_prefix(static_cast<size_t>(sent));
    }
    return 0;
}

std::string describe_wait(const HttpResponseReader& reader) {
    const auto& response = reader.response();
    switch (reader.phase()) {
        case HttpResponseReader::Phase::StatusLine:
            return "connected, no status line";
        case HttpResponseReader::Phase::Headers:
            return "status " + std::to_string(response.status) + ", reading headers";
        default:
            return "status " + std::to_string(response.status) + ", reading body, " +
                   std::to_string(response.body_bytes) + " bytes so far";
    }
}

void trace_response(const ProbeOptions& options, const HttpResponse& response) {
    options.trace("< HTTP/1." + std::to_string(response.minor_version) + " " +
                  std::to_string(response.status) + " " + printable(response.reason, 80));
    for (const auto& [name, value] : response.headers) {
        options.trace("< " + name + ": " + printable(value, 200));
    }
    options.trace("body " + std::to_string(response.body_bytes) + " bytes" +
                  (response.body_truncated ? " (stopped at the cap)" : ""));
}

Exchange exchange(const Target& target,
                  const std::string& method,
                  const ProbeOptions& options,
                  const Deadline& deadline) {
    Exchange ex;
    const Target& dial_target = options.http.proxy ? *options.http.proxy : target;
    ex.dial = dial(dial_target.host, dial_target.port, options, deadline);
    if (ex.dial.timed_out) {
        ex.timed_out = true;
        ex.waiting_for = ex.dial.waiting_for;
        return ex;
    }
    if (!ex.dial.error.empty()) {
        ex.error = ex.dial.error;
        return ex;
    }
    const int fd = ex.dial.socket.get();

    std::string request = build_request(target, method, options);
    if (options.trace) {
        std::string_view head = request;
        head.remove_suffix(4);  // the blank line that ends the head
        size_t start = 0;
        while (start < head.size()) {
            auto end = head.find("\r\n", start);
            options.trace("> " + std::string(head.substr(start, end - start)));
            start = end == std::string_view::npos ? head.size() : end + 2;
        }
    }
    if (int error = send_all(fd, request, deadline); error != 0) {
        if (error == ETIMEDOUT || deadline.expired()) {
            ex.timed_out = true;
            ex.waiting_for = "connected, sending the request";
        } else {
            ex.error = "send: " + describe_errno(error);
        }
        return ex;
    }

    HttpResponseReader::Limits limits;
    limits.body_cap = options.http.body_cap;
    limits.keep_body = options.http.expect_body.has_value();
    HttpResponseReader reader(method == "HEAD", limits);
    std::array<char, size_t{16} * 1024> buffer{};

    using Phase = HttpResponseReader::Phase;
    while (reader.phase() != Phase::Done && reader.phase() != Phase::Failed) {
        pollfd pfd{fd, POLLIN, 0};
        int ready = poll(&pfd, 1, deadline.remaining_ms());
        if (ready == 0) {
            ex.timed_out = true;
            ex.waiting_for = describe_wait(reader);
            ex.response = reader.response();
            return ex;
        }
        if (ready < 0) {
            if (errno == EINTR) {
                continue;
            }
            ex.error = "poll: " + describe_errno(errno);
            return ex;
        }

        ssize_t got = ::recv(fd, buffer.data(), buffer.size(), 0);
        if (got > 0) {
            reader.feed(std::string_view(buffer.data(), static_cast<size_t>(got)));
        } else if (got == 0) {
            reader.finish();
        } else if (errno == ECONNRESET) {
            // A reset ends a close-delimited body like a close; anywhere else it is a failure.
            if (reader.finish() == Phase::Failed) {
                ex.error = "connection reset by peer (" + describe_wait(reader) + ")";
                return ex;
            }
        } else if (errno != EINTR && errno != EAGAIN) {
            ex.error = "recv: " + describe_errno(errno);
            return ex;
        }
    }

    ex.response = reader.response();
    if (reader.phase() == Phase::Failed) {
        ex.error = reader.error();
        if (ex.response.status != 0) {
            ex.error += " (after status " + std::to_string(ex.response.status) + ")";
        }
        return ex;
    }
    if (options.trace) {
        trace_response(options, ex.response);
    }
    return ex;
}

std::string timeout_text(const Deadline& deadline) {
    return "timeout after " + format_budget(deadline.budget());
}

// Says why a 405 or 501 to HEAD is not the end of the story, when the default GET passes.
std::string head_hint(const Target& target, const ProbeOptions& options, const Deadline& deadline) {
    ProbeOptions quiet = options;
    quiet.trace = nullptr;
    quiet.http.expect_body.reset();
    Exchange get = exchange(target, "GET", quiet, deadline);
    if (get.error.empty() && !get.timed_out && options.http.accept.contains(get.response.status)) {
        return " (server has no HEAD; default GET works)";
    }
    return {};
}

}  // namespace

Result<std::pair<std::string, std::string>> parse_header_arg(std::string_view text) {
    auto colon = text.find(':');
    std::string_view name = text.substr(0, colon);
    bool name_ok = !name.empty() && std::all_of(name.begin(), name.end(), is_token_char);
    if (colon == std::string_view::npos || !name_ok) {
        return Error{"invalid header '" + printable(text, 80) +
                     "': expected 'Name: value' with a token as name"};
    }
    std::string_view value = text.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) {
        value.remove_prefix(1);
    }
    if (value.find_first_of("\r\n") != std::string_view::npos) {
        return Error{"invalid header '" + printable(text, 80) + "': value holds a line break"};
    }
    return std::pair{std::string(name), std::string(value)};
}

Result<Target> resolve_location(const Target& base, std::string_view location) {
    auto scheme_end = location.find("://");
    auto first_special = location.find_first_of("/?#");
    bool has_scheme = scheme_end != std::string_view::npos && scheme_end < first_special;

    std::string absolute;
    if (has_scheme) {
        std::string scheme(location.substr(0, scheme_end));
        std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        if (scheme != "http") {
            return Error{"redirect changes scheme"};
        }
        absolute = std::string(location);
    } else if (location.substr(0, 2) == "//") {
        absolute = "http:" + std::string(location);
    } else if (!location.empty() && location.front() == '/') {
        absolute = "http://" + base.host_header() + std::string(location);
    } else {
        // Relative to the directory of the base path, or replacing only its query.
        std::string path = base.path.substr(0, base.path.find('?'));
        if (!location.empty() && location.front() == '?') {
            absolute = "http://" + base.host_header() + path + std::string(location);
        } else {
            absolute = "http://" + base.host_header() + path.substr(0, path.rfind('/') + 1) +
                       std::string(location);
        }
    }
    Target next = base;
    auto parsed = parse_target(absolute);
    if (!parsed) {
        return Error{"redirect to an invalid URL"};
    }
    next = *parsed;
    next.userinfo = base.userinfo;
    return next;
}

ProbeResult probe_http(const Target& target,
                       const ProbeOptions& options,
                       const Deadline& deadline) {
    const HttpOptions& http = options.http;
    ProbeResult result;

    Target current = target;
    std::string method = http.method;
    std::string followed;  // "302 -> /a, 307 -> /a/" for the hops taken
    std::string route;
    Exchange ex;

    for (int hop = 0;; ++hop) {
        ex = exchange(current, method, options, deadline);
        if (hop == 0) {
            route = describe_route(ex.dial);
        }
        if (ex.timed_out || !ex.error.empty()) {
            break;
        }
        auto location = ex.response.header("location");
        if (!http.follow || !is_redirect(ex.response.status) || !location) {
            break;
        }

        // Judge the hop before taking it: only the same host and scheme, and not forever.
        std::string shown = printable(*location, kShownLocationCap);
        auto next = resolve_location(current, *location);
        std::string refusal;
        if (!next) {
            refusal = next.error();
        } else if (next->host != current.host) {
            refusal = "redirect changes host";
        } else if (hop >= http.max_redirects) {
            refusal = "more than " + std::to_string(http.max_redirects) + " redirects";
        }
        if (!refusal.empty()) {
            result.status = ex.response.status;
            result.elapsed = deadline.elapsed();
            result.reason = std::to_string(ex.response.status) + " -> " + shown + ": " + refusal;
            result.line = std::to_string(ex.response.status) + " " + method + " " + target.url() +
                          (followed.empty() ? "" : " (followed " + followed + ")") + " -> " +
                          shown + route + " " + std::to_string(result.elapsed.count()) +
                          "ms: " + refusal + ", not followed";
            return result;
        }

        followed +=
            (followed.empty() ? "" : ", ") + std::to_string(ex.response.status) + " -> " + shown;
        if (ex.response.status == 303 ||
            ((ex.response.status == 301 || ex.response.status == 302) && method == "POST")) {
            method = "GET";
        }
        current = *next;
    }

    result.elapsed = deadline.elapsed();
    const std::string took = " " + std::to_string(result.elapsed.count()) + "ms";
    const std::string asked = method + " " + target.url();

    if (ex.timed_out) {
        result.reason = timeout_text(deadline) + " (" + ex.waiting_for + ")";
        result.line = timeout_text(deadline) + " " + asked + " (" + ex.waiting_for + ")";
        return result;
    }
    if (!ex.dial.error.empty()) {
        result.reason = ex.dial.error;
        result.line = ex.dial.error + took;
        return result;
    }
    if (!ex.error.empty()) {
        result.reason = ex.error;
        result.line = asked + route + took + ": " + ex.error;
        return result;
    }

    const HttpResponse& response = ex.response;
    result.status = response.status;
    result.line = std::to_string(response.status) + " " + asked;
    if (!followed.empty()) {
        result.line += " (followed " + followed + ")";
    }
    auto location = response.header("location");
    if (is_redirect(response.status) && location) {
        result.line += " -> " + printable(*location, kShownLocationCap) + " (not followed)";
    }
    result.line += route + took;

    if (!http.accept.contains(response.status)) {
        result.reason =
            "status " + std::to_string(response.status) + " not in " + http.accept.to_string();
        if (location && is_redirect(response.status)) {
            result.reason += " (Location: " + printable(*location, kShownLocationCap) + ")";
        }
        result.line += ": status not in " + http.accept.to_string();
        if (method == "HEAD" && (response.status == 405 || response.status == 501)) {
            result.line += head_hint(current, options, deadline);
        }
        return result;
    }

    if (http.expect_body && response.body.find(*http.expect_body) == std::string::npos) {
        result.reason = "body does not contain \"" + printable(*http.expect_body, 60) + "\"";
        result.line += ": " + result.reason + " (searched " + std::to_string(response.body_bytes) +
                       " bytes" + (response.body_truncated ? ", the cap" : "") + ")";
        return result;
    }

    result.healthy = true;
    return result;
}

}  // namespace hale::probes
