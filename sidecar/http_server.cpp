#include "sidecar/http_server.hpp"

#include <httplib.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <thread>
#include <unordered_set>

#include "probes/text.hpp"
#include "sidecar/logging.hpp"

namespace hale::sidecar {
namespace {

// Threads kept while no connection is open, and the most there can be: one per open
// connection, so this also caps the connections served at once; more wait in the queue.
constexpr size_t kMinThreads = 2;
constexpr size_t kMaxThreads = 4096;

// A thread above kMinThreads that has had nothing to do this long exits.
constexpr std::chrono::seconds kIdleThreadLifetime{10};

// After the kernel refused a thread (a pids cgroup limit, RLIMIT_NPROC), how long connections
// queue for the threads there are before another is tried.
constexpr std::chrono::seconds kSpawnRetryAfter{5};

// Slow or silent clients are dropped after these; the kubelet sends its probe at once.
constexpr time_t kReadTimeoutSeconds = 5;
constexpr time_t kWriteTimeoutSeconds = 5;
constexpr time_t kKeepAliveSeconds = 5;
constexpr size_t kKeepAliveMaxRequests = 1000;

// No endpoint takes a body; a request that sends one gets its answer without it being read.
constexpr size_t kPayloadCap = 1024;

// httplib's task queue, grown on demand: a connection never waits for a thread while fewer
// than kMaxThreads connections are open.
class ElasticTaskQueue final : public httplib::TaskQueue {
public:
    ElasticTaskQueue() {
        std::lock_guard lock(mutex_);
        for (size_t i = 0; i < kMinThreads; ++i) {
            spawn_locked();
        }
    }

    bool enqueue(std::function<void()> task) override {
        {
            std::lock_guard lock(mutex_);
            if (shutdown_) {
                return false;
            }
            tasks_.push_back(std::move(task));
            if (idle_ < tasks_.size() && threads_ < kMaxThreads &&
                std::chrono::steady_clock::now() >= spawn_refused_until_) {
                spawn_locked();
            }
        }
        wake_.notify_one();
        return true;
    }

    void shutdown() override {
        std::unique_lock lock(mutex_);
        shutdown_ = true;
        wake_.notify_all();
        done_.wait(lock, [this] { return threads_ == 0; });
    }

private:
    // A refused thread must not take hale down: the task stays queued for the threads that
    // exist, and a pod under a pids limit keeps answering, if more slowly.
    void spawn_locked() {
        try {
            std::thread([this] { work(); }).detach();
            ++threads_;
        } catch (const std::system_error& error) {
            spawn_refused_until_ = std::chrono::steady_clock::now() + kSpawnRetryAfter;
            log_event(LogLevel::Warn, "cannot start a connection thread, connections queue",
                      {{"threads", std::to_string(threads_)},
                       {"error", probes::describe_errno(error.code().value())}});
        }
    }

    void work() {
        std::unique_lock lock(mutex_);
        for (;;) {
            ++idle_;
            bool woke = wake_.wait_for(lock, kIdleThreadLifetime,
                                       [this] { return !tasks_.empty() || shutdown_; });
            --idle_;
            if (tasks_.empty() && (shutdown_ || (!woke && threads_ > kMinThreads))) {
                break;
            }
            if (tasks_.empty()) {
                continue;
            }
            auto task = std::move(tasks_.front());
            tasks_.pop_front();
            lock.unlock();
            task();
            lock.lock();
        }
        // The last thread out lets shutdown() return; after the unlock below it touches
        // nothing of this object.
        if (--threads_ == 0) {
            done_.notify_all();
        }
    }

    std::mutex mutex_;
    std::condition_variable wake_;
    std::condition_variable done_;
    std::deque<std::function<void()>> tasks_;
    size_t threads_ = 0;
    size_t idle_ = 0;
    bool shutdown_ = false;
    std::chrono::steady_clock::time_point spawn_refused_until_{};
};

// A handler's view of an httplib request.
class HttplibRequest final : public handlers::Request {
public:
    explicit HttplibRequest(const httplib::Request& request) : request_(request) {}

    std::string_view method() const override { return request_.method; }
    std::string_view path() const override { return request_.path; }

    bool has_param(std::string_view name) const override {
        return request_.has_param(std::string(name));
    }

    std::vector<std::string> param_values(std::string_view name) const override {
        std::vector<std::string> values;
        auto [first, last] = request_.params.equal_range(std::string(name));
        for (auto it = first; it != last; ++it) {
            values.push_back(it->second);
        }
        return values;
    }

    std::string header(std::string_view name) const override {
        return request_.get_header_value(std::string(name));
    }

private:
    const httplib::Request& request_;
};

void apply(const handlers::Response& from, httplib::Response& to) {
    to.status = from.status;
    for (const auto& [name, value] : from.headers) {
        to.set_header(name, value);
    }
    to.set_content(from.body, from.content_type);
}

void plain(httplib::Response& response, int status, const std::string& body) {
    response.status = status;
    response.set_header("X-Content-Type-Options", "nosniff");
    response.set_content(body, "text/plain; charset=utf-8");
}

// A connection's stream with a buffer each way. httplib's own stream polls before every read
// and polls twice before every write (headers and body are two writes), nine system calls per
// request; this one needs a poll, a recv and a send. Reads are bounded by the SO_RCVTIMEO that
// httplib sets on every accepted socket, writes collect until flush().
class BufferedSocketStream final : public httplib::Stream {
public:
    explicit BufferedSocketStream(int sock) : sock_(sock) {}

    bool is_readable() const override {
        return read_pos_ < read_end_ || poll_in(static_cast<int>(kReadTimeoutSeconds * 1000)) > 0;
    }

    bool is_writable() const override { return true; }

    ssize_t read(char* ptr, size_t size) override {
        if (read_pos_ == read_end_) {
            ssize_t got = 0;
            do {
                got = recv(sock_, input_.data(), input_.size(), 0);
            } while (got < 0 && errno == EINTR);
            if (got <= 0) {
                return got < 0 ? -1 : 0;
            }
            read_pos_ = 0;
            read_end_ = static_cast<size_t>(got);
        }
        size_t count = std::min(size, read_end_ - read_pos_);
        std::memcpy(ptr, input_.data() + read_pos_, count);
        read_pos_ += count;
        return static_cast<ssize_t>(count);
    }

    ssize_t write(const char* ptr, size_t size) override {
        output_.append(ptr, size);
        return static_cast<ssize_t>(size);
    }

    void get_remote_ip_and_port(std::string& ip, int& port) const override {
        httplib::detail::get_remote_ip_and_port(sock_, ip, port);
    }

    void get_local_ip_and_port(std::string& ip, int& port) const override {
        httplib::detail::get_local_ip_and_port(sock_, ip, port);
    }

    int socket() const override { return sock_; }

    // Waits up to `timeout` for the next request, in short slices so that a stop is noticed.
    bool wait_for_request(std::chrono::milliseconds timeout, const std::atomic<bool>& stopping) {
        if (read_pos_ < read_end_) {
            return true;  // pipelined
        }
        constexpr int kSliceMs = 250;
        auto deadline = std::chrono::steady_clock::now() + timeout;
        while (!stopping.load(std::memory_order_relaxed)) {
            int ready = poll_in(kSliceMs);
            if (ready != 0) {
                return ready > 0;
            }
            if (std::chrono::steady_clock::now() >= deadline) {
                return false;
            }
        }
        return false;
    }

    // Sends what the last request's response wrote, in one go.
    bool flush() {
        size_t sent = 0;
        while (sent < output_.size()) {
            ssize_t n = send(sock_, output_.data() + sent, output_.size() - sent, MSG_NOSIGNAL);
            if (n < 0 && errno == EINTR) {
                continue;
            }
            if (n <= 0) {
                return false;
            }
            sent += static_cast<size_t>(n);
        }
        output_.clear();
        return true;
    }

    // Whether the response in the buffer closes the connection (a request body was not read).
    bool response_closes() const {
        auto head_end = output_.find("\r\n\r\n");
        return output_.substr(0, head_end).find("\r\nConnection: close\r\n") != std::string::npos;
    }

private:
    int poll_in(int timeout_ms) const {
        pollfd fd{sock_, POLLIN, 0};
        int ready = 0;
        do {
            ready = ::poll(&fd, 1, timeout_ms);
        } while (ready < 0 && errno == EINTR);
        return ready;
    }

    int sock_;
    std::array<char, 4096> input_{};
    size_t read_pos_ = 0;
    size_t read_end_ = 0;
    std::string output_;
};

// httplib's server with the buffered stream above for every connection.
class BufferedServer final : public httplib::Server {
public:
    std::atomic<bool> stopping{false};

    // Wakes every connection blocked in a read or a write: a client that sends its request a
    // byte at a time must not hold the exit after the drain for read timeout after read timeout.
    void shut_connections() {
        std::lock_guard lock(open_mutex_);
        for (int sock : open_) {
            ::shutdown(sock, SHUT_RDWR);
        }
    }

private:
    bool process_and_close_socket(int sock) override {
        {
            std::lock_guard lock(open_mutex_);
            open_.insert(sock);
        }
        std::string remote_addr;
        int remote_port = 0;
        httplib::detail::get_remote_ip_and_port(sock, remote_addr, remote_port);
        std::string local_addr;
        int local_port = 0;
        httplib::detail::get_local_ip_and_port(sock, local_addr, local_port);

        BufferedSocketStream stream(sock);
        bool ok = true;
        for (size_t left = kKeepAliveMaxRequests; ok && left > 0; --left) {
            if (!stream.wait_for_request(std::chrono::seconds(kKeepAliveSeconds), stopping)) {
                break;
            }
            bool closed = false;
            ok = process_request(stream, remote_addr, remote_port, local_addr, local_port,
                                 left == 1, closed, nullptr);
            bool closes = stream.response_closes();
            ok = stream.flush() && ok && !closed && !closes;
        }

        {
            // Forgotten before the close, so that shut_connections() never touches a descriptor
            // number the kernel has handed to someone else.
            std::lock_guard lock(open_mutex_);
            open_.erase(sock);
        }
        httplib::detail::shutdown_socket(sock);
        httplib::detail::close_socket(sock);
        return ok;
    }

    std::mutex open_mutex_;
    std::unordered_set<int> open_;
};

}  // namespace

struct HttpServer::Impl {
    std::vector<handlers::Endpoint> endpoints;
    handlers::Context context;
    BufferedServer server;
    std::thread listener;

    // Every request goes through here, before httplib reads a body: the table decides.
    httplib::Server::HandlerResponse route(const httplib::Request& request,
                                           httplib::Response& response) {
        auto endpoint =
            std::find_if(endpoints.begin(), endpoints.end(),
                         [&](const handlers::Endpoint& e) { return e.path == request.path; });
        if (endpoint == endpoints.end()) {
            plain(response, 404, "not found\n");
        } else if (request.method != "GET" && request.method != "HEAD") {
            response.set_header("Allow", "GET, HEAD");
            plain(response, 405, "method not allowed\n");
        } else {
            apply(endpoint->handler(HttplibRequest(request), context), response);
        }

        // A body the request announced was not read: close rather than parse it as the next
        // request on this connection.
        if (request.has_header("Content-Length") || request.has_header("Transfer-Encoding")) {
            response.set_header("Connection", "close");
        }
        return httplib::Server::HandlerResponse::Handled;
    }
};

HttpServer::HttpServer(std::vector<handlers::Endpoint> endpoints, handlers::Context context)
    : impl_(std::make_unique<Impl>()) {
    impl_->endpoints = std::move(endpoints);
    impl_->context = std::move(context);
    auto& server = impl_->server;

    server.new_task_queue = [] { return new ElasticTaskQueue(); };
    server.set_pre_routing_handler([impl = impl_.get()](const auto& request, auto& response) {
        return impl->route(request, response);
    });

    // Small answers written in two pieces (head, body) must not wait for a delayed ACK.
    server.set_tcp_nodelay(true);
    server.set_read_timeout(kReadTimeoutSeconds);
    server.set_write_timeout(kWriteTimeoutSeconds);
    server.set_keep_alive_timeout(kKeepAliveSeconds);
    server.set_keep_alive_max_count(kKeepAliveMaxRequests);
    server.set_payload_max_length(kPayloadCap);

    // SO_REUSEADDR only: httplib's default SO_REUSEPORT would let a second hale bind the same
    // port and silently take half of the probes.
    server.set_socket_options([](int sock) {
        int on = 1;
        setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    });

    // Per-request detail at debug only.
    if (log_enabled(LogLevel::Debug)) {
        server.set_logger([](const httplib::Request& request, const httplib::Response& response) {
            log_event(LogLevel::Debug, "request",
                      {{"method", request.method},
                       {"path", request.path},
                       {"status", std::to_string(response.status)},
                       {"remote", request.remote_addr},
                       {"user_agent", request.get_header_value("User-Agent")}});
        });
    }
}

HttpServer::~HttpServer() {
    stop();
}

probes::Result<uint16_t> HttpServer::bind(const ListenAddress& address) {
    errno = 0;
    int port = address.port == 0
                   ? impl_->server.bind_to_any_port(address.host)
                   : (impl_->server.bind_to_port(address.host, address.port) ? address.port : -1);
    if (port < 0) {
        int error = errno;
        return probes::Error{"cannot listen on " + address.text() + ": " +
                             (error != 0 ? probes::describe_errno(error) : "bind failed")};
    }
    return static_cast<uint16_t>(port);
}

void HttpServer::start() {
    impl_->listener = std::thread([this] { impl_->server.listen_after_bind(); });

    // httplib's stop() does nothing until the accept loop runs: without this wait, a stop right
    // after start (an app that exits at once) would leave the loop, and the join, forever.
    impl_->server.wait_until_ready();
}

void HttpServer::stop() {
    if (impl_->listener.joinable()) {
        impl_->server.stopping = true;
        impl_->server.shut_connections();
        impl_->server.stop();
        impl_->listener.join();
    }
}

}  // namespace hale::sidecar
