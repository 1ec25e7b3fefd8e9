// IP addresses and the socket addresses built from them.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hale::probes {

struct IpAddress {
    int family = AF_INET;  // AF_INET or AF_INET6
    in_addr v4{};
    in6_addr v6{};
    uint32_t scope_id = 0;  // IPv6 zone, e.g. the interface of a link-local address

    static IpAddress loopback_v4();
    static IpAddress loopback_v6();

    // Parses "127.0.0.1", "::1" or "fe80::1%eth0" (no brackets). Interface names in a zone are
    // looked up; numeric zones are taken as they are.
    static std::optional<IpAddress> parse(std::string_view text);

    bool is_unspecified() const;

    // "127.0.0.1", or "[::1]" with brackets so that a port can follow.
    std::string to_string() const;

    bool operator==(const IpAddress& other) const;
};

// A socket address for connect(); `length` is what connect() takes.
struct SocketAddress {
    sockaddr_storage storage{};
    socklen_t length = 0;

    static SocketAddress from(const IpAddress& ip, uint16_t port);
    const sockaddr* get() const { return reinterpret_cast<const sockaddr*>(&storage); }
};

}  // namespace hale::probes
