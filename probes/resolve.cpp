#include "probes/resolve.hpp"

#include <ares.h>
#include <poll.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>
#include <fstream>
#include <mutex>

#include "probes/text.hpp"

namespace hale::probes {
namespace {

// A hosts file larger than this is not a hosts file; reading stops there.
constexpr std::streamsize kHostsFileCap = 1 << 20;

std::string_view without_trailing_dot(std::string_view name) {
    if (!name.empty() && name.back() == '.') {
        name.remove_suffix(1);
    }
    return name;
}

std::string read_capped(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return {};
    }
    // Read in blocks up to the cap: a probe reads this file on every attempt, and a typical
    // hosts file is a few hundred bytes.
    std::string contents;
    std::array<char, 4096> block{};
    while (in && static_cast<std::streamsize>(contents.size()) < kHostsFileCap) {
        in.read(block.data(), block.size());
        contents.append(block.data(), static_cast<size_t>(in.gcount()));
    }
    if (static_cast<std::streamsize>(contents.size()) > kHostsFileCap) {
        contents.resize(static_cast<size_t>(kHostsFileCap));
    }
    return contents;
}

struct DnsQuery {
    bool done = false;
    int status = ARES_SUCCESS;
    std::vector<IpAddress> addresses;
};

void on_dns_answer(void* arg, int status, int /*timeouts*/, ares_addrinfo* result) {
    auto* query = static_cast<DnsQuery*>(arg);
    query->done = true;
    query->status = status;
    if (result == nullptr) {
        return;
    }
    for (auto* node = result->nodes; node != nullptr; node = node->ai_next) {
        IpAddress ip;
        if (node->ai_family == AF_INET && node->ai_addr != nullptr) {
            ip.family = AF_INET;
            std::memcpy(&ip.v4, &reinterpret_cast<sockaddr_in*>(node->ai_addr)->sin_addr,
                        sizeof ip.v4);
        } else if (node->ai_family == AF_INET6 && node->ai_addr != nullptr) {
            auto* in6 = reinterpret_cast<sockaddr_in6*>(node->ai_addr);
            ip.family = AF_INET6;
            ip.v6 = in6->sin6_addr;
            ip.scope_id = in6->sin6_scope_id;
        } else {
            continue;
        }
        if (std::find(query->addresses.begin(), query->addresses.end(), ip) ==
            query->addresses.end()) {
            query->addresses.push_back(ip);
        }
    }
    ares_freeaddrinfo(result);
}

std::string dns_error(int status) {
    switch (status) {
        case ARES_ENOTFOUND:
            return "name not found";
        case ARES_ENODATA:
            return "no address records";
        case ARES_ECONNREFUSED:
            return "DNS server refused the connection";
        case ARES_ETIMEOUT:
            return "DNS server did not answer";
        case ARES_ESERVFAIL:
            return "DNS server failure";
        case ARES_EREFUSED:
            return "DNS server refused the query";
        default:
            return ares_strerror(status);
    }
}

// Runs one c-ares query to completion or to the deadline, polling its sockets ourselves so
// that the one deadline bounds the lookup whatever resolv.conf says about timeouts.
Result<std::vector<IpAddress>> query_dns(const std::string& host,
                                         const ResolverConfig& config,
                                         const Deadline& deadline) {
    ares_options options{};
    std::string lookups = "b";  // DNS only: the hosts file has been read already
    options.lookups = lookups.data();
    std::string resolv_conf = config.resolv_conf;
    options.resolvconf_path = resolv_conf.data();

    ares_channel channel = nullptr;
    int status = ares_init_options(&channel, &options, ARES_OPT_LOOKUPS | ARES_OPT_RESOLVCONF);
    if (status != ARES_SUCCESS) {
        return Error{"cannot set up DNS: " + std::string(ares_strerror(status))};
    }

    DnsQuery query;
    ares_addrinfo_hints hints{};
    hints.ai_family = AF_UNSPEC;
    ares_getaddrinfo(channel, host.c_str(), nullptr, &hints, on_dns_answer, &query);

    while (!query.done && !deadline.expired()) {
        std::array<ares_socket_t, ARES_GETSOCK_MAXNUM> sockets{};
        int mask = ares_getsock(channel, sockets.data(), ARES_GETSOCK_MAXNUM);
        std::vector<pollfd> fds;
        for (int i = 0; i < ARES_GETSOCK_MAXNUM; ++i) {
            short events = 0;
            if (ARES_GETSOCK_READABLE(mask, i)) {
                events |= POLLIN;
            }
            if (ARES_GETSOCK_WRITABLE(mask, i)) {
                events |= POLLOUT;
            }
            if (events != 0) {
                fds.push_back({sockets[static_cast<size_t>(i)], events, 0});
            }
        }

        timeval max_wait{};
        int remaining = deadline.remaining_ms();
        max_wait.tv_sec = remaining / 1000;
        max_wait.tv_usec = static_cast<suseconds_t>(remaining % 1000) * 1000;
        timeval wait{};
        ares_timeout(channel, &max_wait, &wait);
        int wait_ms = static_cast<int>(wait.tv_sec * 1000 + (wait.tv_usec + 999) / 1000);

        int ready = poll(fds.data(), fds.size(), wait_ms);
        if (ready <= 0) {
            // Timed out (or interrupted): let c-ares retry or move to the next server.
            ares_process_fd(channel, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
            continue;
        }
        for (const auto& fd : fds) {
            ares_socket_t readable =
                (fd.revents & (POLLIN | POLLERR | POLLHUP)) != 0 ? fd.fd : ARES_SOCKET_BAD;
            ares_socket_t writable = (fd.revents & POLLOUT) != 0 ? fd.fd : ARES_SOCKET_BAD;
            if (readable != ARES_SOCKET_BAD || writable != ARES_SOCKET_BAD) {
                ares_process_fd(channel, readable, writable);
            }
        }
    }
    if (!query.done) {
        ares_cancel(channel);
    }
    ares_destroy(channel);

    if (query.status != ARES_SUCCESS) {
        return Error{dns_error(query.status)};
    }
    if (query.addresses.empty()) {
        return Error{"no address records"};
    }
    return query.addresses;
}

}  // namespace

void init_resolver() {
    static std::once_flag once;
    std::call_once(once, [] { ares_library_init(ARES_LIB_INIT_ALL); });
}

bool is_localhost_name(std::string_view host) {
    host = without_trailing_dot(host);
    constexpr std::string_view kLocalhost = "localhost";
    if (iequals(host, kLocalhost)) {
        return true;
    }
    return host.size() > kLocalhost.size() + 1 &&
           host[host.size() - kLocalhost.size() - 1] == '.' &&
           iequals(host.substr(host.size() - kLocalhost.size()), kLocalhost);
}

std::vector<IpAddress> find_in_hosts_file(std::string_view contents, std::string_view name) {
    name = without_trailing_dot(name);
    std::vector<IpAddress> found;

    size_t start = 0;
    while (start < contents.size()) {
        auto end = contents.find('\n', start);
        std::string_view line = contents.substr(start, end - start);
        start = end == std::string_view::npos ? contents.size() : end + 1;

        if (auto hash = line.find('#'); hash != std::string_view::npos) {
            line = line.substr(0, hash);
        }

        std::vector<std::string_view> fields;
        size_t pos = 0;
        while (pos < line.size()) {
            while (pos < line.size() && std::isspace(static_cast<unsigned char>(line[pos])) != 0) {
                ++pos;
            }
            size_t field_start = pos;
            while (pos < line.size() && std::isspace(static_cast<unsigned char>(line[pos])) == 0) {
                ++pos;
            }
            if (pos > field_start) {
                fields.push_back(line.substr(field_start, pos - field_start));
            }
        }
        if (fields.size() < 2) {
            continue;
        }

        bool matches = std::any_of(fields.begin() + 1, fields.end(), [&](std::string_view alias) {
            return iequals(without_trailing_dot(alias), name);
        });
        if (!matches) {
            continue;
        }
        auto ip = IpAddress::parse(fields[0]);
        if (ip && std::find(found.begin(), found.end(), *ip) == found.end()) {
            found.push_back(*ip);
        }
    }
    return found;
}

Result<Resolution> resolve_host(std::string_view host,
                                const ResolverConfig& config,
                                const Deadline& deadline) {
    Resolution resolution;

    if (auto ip = IpAddress::parse(host)) {
        resolution.addresses.push_back(*ip);
        resolution.source = ResolveSource::Literal;
        return resolution;
    }

    if (is_localhost_name(host)) {
        resolution.addresses = {IpAddress::loopback_v4(), IpAddress::loopback_v6()};
        resolution.source = ResolveSource::Localhost;
        return resolution;
    }

    auto from_file = find_in_hosts_file(read_capped(config.hosts_file), host);
    if (!from_file.empty()) {
        resolution.addresses = std::move(from_file);
        resolution.source = ResolveSource::HostsFile;
        return resolution;
    }

    init_resolver();
    auto from_dns = query_dns(std::string(host), config, deadline);
    if (!from_dns) {
        return Error{from_dns.error()};
    }
    resolution.addresses = std::move(*from_dns);
    resolution.source = ResolveSource::Dns;
    return resolution;
}

}  // namespace hale::probes
