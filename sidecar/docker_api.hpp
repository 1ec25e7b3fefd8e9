// The Docker Engine API over its Unix socket, for what a container cannot read from inside: the
// image it was created from (ID, layers, history) and its labels. Used only when asked
// (--docker-api): whoever can talk to that socket is root on the host, so the report then
// carries a critical finding.
//
// Three GETs under one deadline: /containers/{id}/json, /images/{id}/json and
// /images/{id}/history. The container ID comes from probes::provenance::discover_container_id.
// Bodies are capped; an unreachable socket or a bad answer is a warning, never a failure.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "probes/expand.hpp"
#include "probes/hardening/roots.hpp"
#include "probes/provenance/container_id.hpp"
#include "probes/provenance/layer_report.hpp"
#include "probes/provenance/provenance.hpp"
#include "probes/result.hpp"

namespace hale::sidecar {

inline constexpr std::chrono::milliseconds kDockerApiBudget{2000};

struct DockerHistoryEntry {
    int64_t created = 0;  // Unix time
    std::string created_by;
    int64_t size = 0;
};

struct DockerFacts {
    std::string socket;  // the socket's path
    bool reached = false;
    std::optional<probes::provenance::ContainerId> container;
    std::string container_name;  // "/app"
    std::string image_name;      // Config.Image: the name the container was created with
    probes::provenance::RunningImage image;
    std::vector<std::string> repo_tags;
    std::vector<std::string> repo_digests;
    std::vector<DockerHistoryEntry> history;  // newest first, as the API lists it
    probes::provenance::Reading labels;       // the container's OCI labels; warnings of all kinds
};

// The socket named by DOCKER_HOST (unix:///path), or /var/run/docker.sock when it is unset; an
// error for other schemes (tcp://, ssh://), which hale does not speak.
probes::Result<std::string> docker_socket_path(const probes::EnvLookup& env);

// Asks the engine at SOCKET about the container found under ROOTS, within BUDGET.
DockerFacts read_docker_api(const std::string& socket,
                            const probes::hardening::Roots& roots,
                            std::chrono::milliseconds budget = kDockerApiBudget);

}  // namespace hale::sidecar
