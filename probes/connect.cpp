#include "probes/connect.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>

#include <cctype>
#include <cerrno>
#include <cstring>

namespace hale::probes {
namespace {

struct Attempt {
    size_t index;
    UniqueFd socket;
};

// Starts a non-blocking connect. Returns the socket while the handshake runs; on an immediate
// failure returns an invalid socket and sets `error`.
UniqueFd start_connect(const IpAddress& ip, uint16_t port, int& error) {
    UniqueFd socket(::socket(ip.family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP));
    if (!socket.valid()) {
        error = errno;
        return {};
    }
    auto address = SocketAddress::from(ip, port);
    if (::connect(socket.get(), address.get(), address.length) == 0 || errno == EINPROGRESS) {
        error = 0;
        return socket;
    }
    error = errno;
    return {};
}

}  // namespace

ConnectOutcome connect_any(const std::vector<IpAddress>& addresses,
                           uint16_t port,
                           const Deadline& deadline,
                           std::chrono::milliseconds stagger) {
    ConnectOutcome outcome;
    std::vector<Attempt> pending;
    size_t next = 0;
    auto next_start = Deadline::Clock::now();

    while (true) {
        // Start the next attempt when its turn has come or nothing else is in flight.
        auto now = Deadline::Clock::now();
        while (next < addresses.size() && (pending.empty() || now >= next_start)) {
            int error = 0;
            UniqueFd socket = start_connect(addresses[next], port, error);
            if (socket.valid()) {
                pending.push_back({next, std::move(socket)});
                next_start = now + stagger;
            } else {
                outcome.failures.push_back({addresses[next], error});
            }
            ++next;
        }
        if (pending.empty()) {
            return outcome;  // every address failed at once
        }

        int wait_ms = deadline.remaining_ms();
        if (next < addresses.size()) {
            auto until_next = std::chrono::ceil<std::chrono::milliseconds>(next_start - now);
            wait_ms =
                std::min(wait_ms, static_cast<int>(std::max<long long>(0, until_next.count())));
        }
        if (deadline.expired()) {
            break;
        }

        std::vector<pollfd> fds;
        fds.reserve(pending.size());
        for (const auto& attempt : pending) {
            fds.push_back({attempt.socket.get(), POLLOUT, 0});
        }
        int ready = poll(fds.data(), fds.size(), wait_ms);
        if (ready < 0 && errno != EINTR) {
            break;
        }

        // Collect finished attempts in the order they were started; the first success wins.
        std::vector<Attempt> still_pending;
        for (size_t i = 0; i < fds.size(); ++i) {
            if (fds[i].revents == 0) {
                still_pending.push_back(std::move(pending[i]));
                continue;
            }
            int error = 0;
            socklen_t length = sizeof error;
            if (getsockopt(fds[i].fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0) {
                error = errno;
            }
            if (error == 0) {
                outcome.peer = addresses[pending[i].index];
                outcome.socket = std::move(pending[i].socket);
                return outcome;
            }
            outcome.failures.push_back({addresses[pending[i].index], error});
        }
        pending = std::move(still_pending);
        if (pending.empty() && next >= addresses.size()) {
            return outcome;
        }
    }

    // The deadline ended the attempts still in flight.
    for (const auto& attempt : pending) {
        outcome.failures.push_back({addresses[attempt.index], ETIMEDOUT});
    }
    outcome.timed_out = true;
    return outcome;
}

}  // namespace hale::probes
