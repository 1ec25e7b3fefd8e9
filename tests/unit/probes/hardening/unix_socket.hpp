// Creates a real unix socket file for the tests that need one (git cannot hold sockets).
#pragma once

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace hale::probes::hardening::test {

// Binds a socket at PATH and closes it; the file stays behind as S_IFSOCK.
inline void make_socket_file(const std::string& path) {
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    if (path.size() >= sizeof address.sun_path) {
        throw std::runtime_error("socket path too long: " + path);
    }
    std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
    int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    int bound = ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
    ::close(fd);
    if (bound != 0) {
        throw std::runtime_error("cannot bind " + path);
    }
}

}  // namespace hale::probes::hardening::test
