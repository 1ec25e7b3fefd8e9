// hale serve's HTTP server: cpp-httplib behind the endpoint table of sidecar/handlers/.
//
// httplib gives each connection a thread for as long as it stays open. A fixed pool would let a
// few hundred idle keep-alive connections (or a slow client) starve the kubelet's next probe, so
// the pool here grows with the open connections, up to kMaxThreads, and shrinks when they
// close: an idle hale keeps two threads, and /livez still finds one free while a thousand idle
// connections are held open.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "probes/result.hpp"
#include "sidecar/handlers/handler.hpp"
#include "sidecar/serve_config.hpp"

namespace hale::sidecar {

class HttpServer {
public:
    HttpServer(std::vector<handlers::Endpoint> endpoints, handlers::Context context);
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;
    ~HttpServer();

    // Binds the listening socket; returns the port (the chosen one when the address says 0).
    probes::Result<uint16_t> bind(const ListenAddress& address);

    // Accepts connections on a thread of its own until stop().
    void start();

    // Stops accepting, lets requests in progress finish, and joins every server thread.
    void stop();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace hale::sidecar
