#include "sidecar/docker_api.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <algorithm>
#include <cerrno>

#include "probes/deadline.hpp"
#include "probes/http_response.hpp"
#include "probes/provenance/json_text.hpp"
#include "probes/text.hpp"
#include "probes/unique_fd.hpp"

namespace hale::sidecar {
namespace {

namespace provenance = probes::provenance;
using provenance::Json;

// A container's inspect output is a few KiB, an image's history a few more per layer.
constexpr size_t kBodyCap = size_t{4} << 20;
constexpr size_t kHistoryCap = 128;
constexpr size_t kCommandCap = 1024;
constexpr size_t kNameCap = 64;

constexpr const char* kDefaultSocket = "/var/run/docker.sock";

// One GET per connection over the engine's Unix socket, all under one deadline. hale's own
// response reader (the one hale check uses) frames the answer and caps it; httplib's client
// would add about 60 KB to the binary for the same three requests.
class Engine {
public:
    Engine(std::string socket, std::chrono::milliseconds budget)
        : socket_(std::move(socket)), deadline_(budget) {}

    // GET PATH as JSON, or why not.
    probes::Result<Json> get(const std::string& path) {
        auto fail = [&](const std::string& reason) {
            return probes::Error{"cannot get " + path + " from " + socket_ + ": " + reason};
        };

        // Connect: a Unix socket connects at once or not at all.
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        if (socket_.size() >= sizeof address.sun_path) {
            return fail("socket path too long");
        }
        std::copy(socket_.begin(), socket_.end(), address.sun_path);
        probes::UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
        if (!fd.valid() ||
            ::connect(fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
            return fail(probes::describe_errno(errno));
        }

        // Send the request, then read the answer until it is complete.
        std::string request = "GET " + path +
                              " HTTP/1.1\r\nHost: docker\r\nAccept: application/json\r\n"
                              "Connection: close\r\n\r\n";
        if (auto sent = send_all(fd.get(), request); !sent.empty()) {
            return fail(sent);
        }
        probes::HttpResponseReader reader(false,
                                          {size_t{16} * 1024, 100, kBodyCap, /*keep_body=*/true});
        if (auto received = receive(fd.get(), reader); !received.empty()) {
            return fail(received);
        }

        const auto& response = reader.response();
        if (response.body_truncated) {
            return fail("answer larger than " + std::to_string(kBodyCap) + " bytes");
        }
        if (response.status != 200) {
            return fail("status " + std::to_string(response.status) + " " +
                        provenance::quote(response.body.substr(0, response.body.find('\n'))));
        }
        return provenance::parse_provenance_json(response.body, "answer to " + path);
    }

private:
    // Waits for EVENTS on FD until the deadline; "" when ready, else why not.
    std::string wait(int fd, short events) const {
        pollfd entry{fd, events, 0};
        for (;;) {
            int ready = ::poll(&entry, 1, deadline_.remaining_ms());
            if (ready > 0) {
                return {};
            }
            if (ready == 0) {
                return "no answer within " + std::to_string(deadline_.budget().count()) + "ms";
            }
            if (errno != EINTR) {
                return probes::describe_errno(errno);
            }
        }
    }

    std::string send_all(int fd, std::string_view data) const {
        while (!data.empty()) {
            ssize_t sent = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
            if (sent >= 0) {
                data.remove_prefix(static_cast<size_t>(sent));
                continue;
            }
            if (errno == EINTR) {
                continue;
            }
            if (errno != EAGAIN) {
                return probes::describe_errno(errno);
            }
            if (auto waited = wait(fd, POLLOUT); !waited.empty()) {
                return waited;
            }
        }
        return {};
    }

    std::string receive(int fd, probes::HttpResponseReader& reader) const {
        using Phase = probes::HttpResponseReader::Phase;
        char buffer[16384];
        for (;;) {
            ssize_t got = ::recv(fd, buffer, sizeof buffer, 0);
            Phase phase = reader.phase();
            if (got > 0) {
                phase = reader.feed(std::string_view(buffer, static_cast<size_t>(got)));
            } else if (got == 0) {
                phase = reader.finish();
            } else if (errno == EAGAIN) {
                if (auto waited = wait(fd, POLLIN); !waited.empty()) {
                    return waited;
                }
                continue;
            } else if (errno != EINTR) {
                return probes::describe_errno(errno);
            }
            if (phase == Phase::Done) {
                return {};
            }
            if (phase == Phase::Failed) {
                return probes::printable(reader.error());  // it may quote the peer's bytes
            }
        }
    }

    std::string socket_;
    probes::Deadline deadline_;
};

std::string string_at(const Json& object, const char* key, size_t cap = kCommandCap) {
    auto found = object.find(key);
    if (found == object.end() || !found->is_string()) {
        return {};
    }
    auto text = found->get<std::string>();
    return text.size() > cap ? text.substr(0, cap) + "..." : text;
}

std::vector<std::string> strings_at(const Json& object, const char* key) {
    std::vector<std::string> out;
    auto found = object.find(key);
    if (found == object.end() || !found->is_array()) {
        return out;
    }
    for (const auto& item : *found) {
        if (item.is_string() && out.size() < kHistoryCap) {
            out.push_back(item.get<std::string>().substr(0, kCommandCap));
        }
    }
    return out;
}

int64_t number_at(const Json& object, const char* key) {
    auto found = object.find(key);
    return found != object.end() && found->is_number_integer() ? found->get<int64_t>() : 0;
}

// Image IDs go into a request path: "sha256:" and hex digits, or another algorithm's.
bool is_image_id(const std::string& id) {
    return !id.empty() && std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || c == ':';
    });
}

provenance::Labels labels_at(const Json& config) {
    provenance::Labels labels;
    auto found = config.find("Labels");
    if (found == config.end() || !found->is_object()) {
        return labels;
    }
    for (const auto& [name, value] : found->items()) {
        if (value.is_string()) {
            labels.emplace_back(name, value.get<std::string>());
        }
    }
    return labels;
}

void read_container(const Json& doc, DockerFacts& facts) {
    facts.container_name = string_at(doc, "Name", kNameCap);
    facts.image.id = string_at(doc, "Image", kNameCap + 16);
    auto config = doc.find("Config");
    if (config != doc.end() && config->is_object()) {
        facts.image_name = string_at(*config, "Image");
        auto labels = provenance::read_labels(labels_at(*config), "docker-api", false);
        facts.labels.fields = std::move(labels.fields);
        facts.labels.warnings.insert(facts.labels.warnings.end(), labels.warnings.begin(),
                                     labels.warnings.end());
    }
}

void read_image(const Json& doc, DockerFacts& facts) {
    facts.repo_tags = strings_at(doc, "RepoTags");
    facts.repo_digests = strings_at(doc, "RepoDigests");
    auto rootfs = doc.find("RootFS");
    if (rootfs != doc.end() && rootfs->is_object()) {
        facts.image.diff_ids = strings_at(*rootfs, "Layers");
    }
}

void read_history(const Json& doc, DockerFacts& facts) {
    if (!doc.is_array()) {
        return;
    }
    for (const auto& item : doc) {
        if (!item.is_object() || facts.history.size() == kHistoryCap) {
            continue;
        }
        facts.history.push_back(DockerHistoryEntry{
            number_at(item, "Created"), string_at(item, "CreatedBy"), number_at(item, "Size")});
    }
}

}  // namespace

probes::Result<std::string> docker_socket_path(const probes::EnvLookup& env) {
    auto host = env("DOCKER_HOST");
    if (!host || host->empty()) {
        return std::string(kDefaultSocket);
    }
    constexpr std::string_view kUnix = "unix://";
    if (host->starts_with(kUnix) && host->size() > kUnix.size()) {
        return host->substr(kUnix.size());
    }
    // Only the scheme: a DOCKER_HOST may carry credentials.
    auto scheme = host->substr(0, host->find("://"));
    return probes::Error{"cannot use DOCKER_HOST with scheme " + provenance::quote(scheme) +
                         ": expected unix:///path/to/docker.sock"};
}

DockerFacts read_docker_api(const std::string& socket,
                            const probes::hardening::Roots& roots,
                            std::chrono::milliseconds budget) {
    DockerFacts facts;
    facts.socket = socket;
    auto& warnings = facts.labels.warnings;

    // Which container to ask about.
    facts.container = provenance::discover_container_id(roots);
    if (!facts.container) {
        warnings.emplace_back(
            "cannot ask the Docker API about this container: no container ID in the hostname, "
            "mountinfo, cgroup or cpuset");
        return facts;
    }

    // The container, then its image: its layers and its history.
    Engine engine(socket, budget);
    auto container = engine.get("/containers/" + facts.container->id + "/json");
    if (!container) {
        warnings.push_back(container.error());
        return facts;
    }
    facts.reached = true;
    read_container(*container, facts);
    if (!is_image_id(facts.image.id)) {
        warnings.push_back("invalid image " + provenance::quote(facts.image.id) + " of container " +
                           facts.container->id +
                           " in the Docker API's answer: expected an image ID");
        facts.image.id.clear();
        return facts;
    }
    auto image = engine.get("/images/" + facts.image.id + "/json");
    if (!image) {
        warnings.push_back(image.error());
        return facts;
    }
    read_image(*image, facts);
    auto history = engine.get("/images/" + facts.image.id + "/history");
    if (!history) {
        warnings.push_back(history.error());
        return facts;
    }
    read_history(*history, facts);
    return facts;
}

}  // namespace hale::sidecar
