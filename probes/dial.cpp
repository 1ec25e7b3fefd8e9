#include "probes/dial.hpp"

#include "probes/text.hpp"

namespace hale::probes {
namespace {

std::string source_name(ResolveSource source) {
    switch (source) {
        case ResolveSource::Literal:
            return "literal";
        case ResolveSource::Localhost:
            return "localhost, no lookup";
        case ResolveSource::HostsFile:
            return "hosts file";
        case ResolveSource::Dns:
            return "DNS";
    }
    return "";
}

std::string with_port(const IpAddress& ip, uint16_t port) {
    return ip.to_string() + ":" + std::to_string(port);
}

}  // namespace

DialOutcome dial(const std::string& host,
                 uint16_t port,
                 const ProbeOptions& options,
                 const Deadline& deadline) {
    DialOutcome outcome;

    auto resolution = resolve_host(host, options.resolver, deadline);
    if (!resolution) {
        if (deadline.expired()) {
            outcome.timed_out = true;
            outcome.waiting_for = "resolving " + host;
        } else {
            outcome.error = "resolve " + host + ": " + resolution.error();
        }
        return outcome;
    }
    outcome.source = resolution->source;
    if (options.trace) {
        std::string list;
        for (const auto& ip : resolution->addresses) {
            list += " " + ip.to_string();
        }
        options.trace("resolve " + host + " ->" + list + " (" + source_name(outcome.source) + ")");
    }

    auto connected = connect_any(resolution->addresses, port, deadline);
    outcome.failures = std::move(connected.failures);
    if (options.trace) {
        for (const auto& failure : outcome.failures) {
            options.trace("connect " + with_port(failure.address, port) + ": " +
                          describe_errno(failure.error));
        }
    }
    if (connected.socket.valid()) {
        outcome.socket = std::move(connected.socket);
        outcome.peer = connected.peer;
        if (options.trace) {
            options.trace("connect " + with_port(outcome.peer, port) + ": connected");
        }
        return outcome;
    }

    if (connected.timed_out && outcome.failures.size() == 1) {
        outcome.timed_out = true;
        outcome.waiting_for = "connecting to " + with_port(outcome.failures[0].address, port);
        return outcome;
    }
    if (connected.timed_out && outcome.failures.size() > 1) {
        // Some addresses may have been refused: keep them in the story.
        outcome.timed_out = true;
        outcome.waiting_for = "connecting to " + host + ":" + std::to_string(port) + ";";
        for (const auto& failure : outcome.failures) {
            outcome.waiting_for +=
                " " + failure.address.to_string() + " " + describe_errno(failure.error) + ",";
        }
        outcome.waiting_for.pop_back();
        return outcome;
    }

    // Every address failed on its own: name each with its errno.
    std::string authority = host.find(':') != std::string::npos ? "[" + host + "]" : host;
    outcome.error = "connect " + authority + ":" + std::to_string(port) + ": ";
    if (outcome.source == ResolveSource::Literal && outcome.failures.size() == 1) {
        outcome.error += describe_errno(outcome.failures[0].error);
        return outcome;
    }
    for (size_t i = 0; i < outcome.failures.size(); ++i) {
        if (i > 0) {
            outcome.error += ", ";
        }
        outcome.error += outcome.failures[i].address.to_string() + " " +
                         describe_errno(outcome.failures[i].error);
    }
    return outcome;
}

std::string describe_route(const DialOutcome& outcome) {
    if (outcome.source == ResolveSource::Literal) {
        return {};
    }
    std::string text = " via " + outcome.peer.to_string();
    if (!outcome.failures.empty()) {
        text += " (";
        for (size_t i = 0; i < outcome.failures.size(); ++i) {
            if (i > 0) {
                text += ", ";
            }
            text += outcome.failures[i].address.to_string() + " " +
                    describe_errno(outcome.failures[i].error);
        }
        text += ")";
    }
    return text;
}

}  // namespace hale::probes
