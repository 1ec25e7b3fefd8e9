#include "probes/target.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "probes/address.hpp"
#include "probes/text.hpp"

namespace hale::probes {
namespace {

constexpr std::string_view kExpected = "expected http://host[:port]/path or tcp://host:port";

Error invalid(std::string_view text, std::string_view why) {
    return Error{"invalid target '" + std::string(text) + "': " + std::string(why)};
}

// Decodes %XX escapes; a malformed escape makes the whole text invalid.
bool percent_decode(std::string_view text, std::string& out) {
    out.clear();
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '%') {
            out += text[i];
            continue;
        }
        if (i + 2 >= text.size()) {
            return false;
        }
        int high = hex_value(text[i + 1]);
        int low = hex_value(text[i + 2]);
        if (high < 0 || low < 0) {
            return false;
        }
        out += static_cast<char>(high * 16 + low);
        i += 2;
    }
    return true;
}

// Characters RFC 3986 allows in a registered name (percent escapes are not accepted in hosts).
bool is_host_char(unsigned char c) {
    return std::isalnum(c) != 0 || c == '-' || c == '.' || c == '_' || c == '~';
}

// Anything that could end the request line or smuggle a header: controls, space, DEL.
bool is_unsafe_in_request_line(unsigned char c) {
    return c <= 0x20 || c == 0x7f;
}

}  // namespace

std::string Target::host_port() const {
    std::string text = host_is_ipv6 ? "[" + host + "]" : host;
    return text + ":" + std::to_string(port);
}

std::string Target::host_header() const {
    std::string text = host_is_ipv6 ? "[" + host + "]" : host;
    if (scheme == Scheme::Http && port == 80) {
        return text;
    }
    return text + ":" + std::to_string(port);
}

std::string Target::url() const {
    if (scheme == Scheme::Tcp) {
        return "tcp://" + host_port();
    }
    return "http://" + host_header() + path;
}

Result<Target> parse_target(std::string_view text) {
    Target target;

    // Scheme.
    auto scheme_end = text.find("://");
    if (scheme_end == std::string_view::npos) {
        return invalid(text, "missing scheme, " + std::string(kExpected));
    }
    std::string scheme = lowercase(text.substr(0, scheme_end));
    if (scheme == "http") {
        target.scheme = Scheme::Http;
        target.port = 80;
    } else if (scheme == "tcp") {
        target.scheme = Scheme::Tcp;
    } else if (scheme == "https") {
        return invalid(text, "https is not supported yet; probe the plain-HTTP port");
    } else {
        return invalid(text, "unknown scheme '" + scheme + "', " + std::string(kExpected));
    }
    std::string_view rest = text.substr(scheme_end + 3);

    // Authority ends at the first '/', '?' or '#'.
    auto authority_end = rest.find_first_of("/?#");
    std::string_view authority = rest.substr(0, authority_end);
    std::string_view tail =
        authority_end == std::string_view::npos ? std::string_view{} : rest.substr(authority_end);

    if (auto at = authority.rfind('@'); at != std::string_view::npos) {
        if (!percent_decode(authority.substr(0, at), target.userinfo)) {
            return invalid(text, "bad percent escape in user information");
        }
        authority = authority.substr(at + 1);
    }

    // Host: a bracketed IPv6 literal, or everything up to the last ':'.
    std::string_view port_text;
    bool has_port = false;
    if (!authority.empty() && authority.front() == '[') {
        auto close = authority.find(']');
        if (close == std::string_view::npos) {
            return invalid(text, "unterminated '[' in IPv6 address");
        }
        std::string literal;
        // RFC 6874 writes the zone separator as "%25".
        if (!percent_decode(authority.substr(1, close - 1), literal)) {
            return invalid(text, "bad zone in IPv6 address");
        }
        auto ip = IpAddress::parse(literal);
        if (!ip || ip->family != AF_INET6) {
            return invalid(text, "'" + literal + "' is not an IPv6 address");
        }
        target.host = literal;
        target.host_is_ip = true;
        target.host_is_ipv6 = true;
        std::string_view after = authority.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':') {
                return invalid(text, "unexpected text after ']'");
            }
            port_text = after.substr(1);
            has_port = true;
        }
    } else {
        auto colon = authority.rfind(':');
        std::string_view host = authority.substr(0, colon);
        if (colon != std::string_view::npos) {
            port_text = authority.substr(colon + 1);
            has_port = true;
        }
        if (host.empty()) {
            return invalid(text, "missing host, " + std::string(kExpected));
        }
        if (!std::all_of(host.begin(), host.end(),
                         [](char c) { return is_host_char(static_cast<unsigned char>(c)); })) {
            return invalid(text, "host '" + std::string(host) + "' has characters not allowed");
        }
        target.host = lowercase(host);
        auto ip = IpAddress::parse(target.host);
        target.host_is_ip = ip.has_value();
    }

    // Port.
    if (has_port) {
        // An empty port is legal URL syntax but here almost always an empty ${PORT}.
        unsigned value = 0;
        auto [end, error] =
            std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
        if (error != std::errc{} || end != port_text.data() + port_text.size() || value == 0 ||
            value > 65535) {
            return invalid(text, "port '" + std::string(port_text) + "' is not in 1-65535");
        }
        target.port = static_cast<uint16_t>(value);
    } else if (target.scheme == Scheme::Tcp) {
        return invalid(text, "tcp targets need a port, e.g. tcp://127.0.0.1:5432");
    }

    // Path and query; a fragment is never sent.
    if (auto hash = tail.find('#'); hash != std::string_view::npos) {
        tail = tail.substr(0, hash);
    }
    if (target.scheme == Scheme::Tcp) {
        if (!tail.empty() && tail != "/") {
            return invalid(text, "tcp targets take no path");
        }
        target.path = "/";
        return target;
    }
    if (std::any_of(tail.begin(), tail.end(), [](char c) {
            return is_unsafe_in_request_line(static_cast<unsigned char>(c));
        })) {
        return invalid(text, "path has a space or control character; percent-encode it");
    }
    target.path = tail.empty() || tail.front() == '?' ? "/" + std::string(tail) : std::string(tail);
    return target;
}

}  // namespace hale::probes
