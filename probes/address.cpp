#include "probes/address.hpp"

#include <arpa/inet.h>
#include <net/if.h>

#include <charconv>
#include <cstring>

namespace hale::probes {

IpAddress IpAddress::loopback_v4() {
    IpAddress ip;
    ip.family = AF_INET;
    ip.v4.s_addr = htonl(INADDR_LOOPBACK);
    return ip;
}

IpAddress IpAddress::loopback_v6() {
    IpAddress ip;
    ip.family = AF_INET6;
    ip.v6 = in6addr_loopback;
    return ip;
}

std::optional<IpAddress> IpAddress::parse(std::string_view text) {
    // inet_pton needs a NUL-terminated string; no valid address is longer than this.
    if (text.empty() || text.size() > INET6_ADDRSTRLEN + IF_NAMESIZE) {
        return std::nullopt;
    }
    std::string copy(text);

    IpAddress ip;
    if (inet_pton(AF_INET, copy.c_str(), &ip.v4) == 1) {
        ip.family = AF_INET;
        return ip;
    }

    std::string zone;
    if (auto percent = copy.find('%'); percent != std::string::npos) {
        zone = copy.substr(percent + 1);
        copy.resize(percent);
        if (zone.empty()) {
            return std::nullopt;
        }
    }
    if (inet_pton(AF_INET6, copy.c_str(), &ip.v6) != 1) {
        return std::nullopt;
    }
    ip.family = AF_INET6;
    if (!zone.empty()) {
        uint32_t index = 0;
        auto [end, error] = std::from_chars(zone.data(), zone.data() + zone.size(), index);
        if (error != std::errc{} || end != zone.data() + zone.size()) {
            index = if_nametoindex(zone.c_str());
            if (index == 0) {
                return std::nullopt;
            }
        }
        ip.scope_id = index;
    }
    return ip;
}

bool IpAddress::is_unspecified() const {
    if (family == AF_INET) {
        return v4.s_addr == htonl(INADDR_ANY);
    }
    return IN6_IS_ADDR_UNSPECIFIED(&v6);
}

std::string IpAddress::to_string() const {
    char buffer[INET6_ADDRSTRLEN] = {};
    if (family == AF_INET) {
        inet_ntop(AF_INET, &v4, buffer, sizeof buffer);
        return buffer;
    }
    inet_ntop(AF_INET6, &v6, buffer, sizeof buffer);
    std::string text = "[";
    text += buffer;
    if (scope_id != 0) {
        text += '%';
        text += std::to_string(scope_id);
    }
    text += ']';
    return text;
}

bool IpAddress::operator==(const IpAddress& other) const {
    if (family != other.family) {
        return false;
    }
    if (family == AF_INET) {
        return v4.s_addr == other.v4.s_addr;
    }
    return std::memcmp(&v6, &other.v6, sizeof v6) == 0 && scope_id == other.scope_id;
}

SocketAddress SocketAddress::from(const IpAddress& ip, uint16_t port) {
    SocketAddress address;
    if (ip.family == AF_INET) {
        sockaddr_in in{};
        in.sin_family = AF_INET;
        in.sin_port = htons(port);
        in.sin_addr = ip.v4;
        std::memcpy(&address.storage, &in, sizeof in);
        address.length = sizeof in;
    } else {
        sockaddr_in6 in6{};
        in6.sin6_family = AF_INET6;
        in6.sin6_port = htons(port);
        in6.sin6_addr = ip.v6;
        in6.sin6_scope_id = ip.scope_id;
        std::memcpy(&address.storage, &in6, sizeof in6);
        address.length = sizeof in6;
    }
    return address;
}

}  // namespace hale::probes
