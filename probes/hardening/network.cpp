#include "probes/hardening/network.hpp"

#include <dirent.h>

#include <algorithm>
#include <array>
#include <string_view>

#include "probes/hardening/read_file.hpp"

namespace hale::probes::hardening {
namespace {

// Interfaces that exist only in the namespace where a container runtime or a CNI plugin runs.
constexpr std::array<std::string_view, 11> kHostInterfacePrefixes = {
    "docker0", "cni0",  "cbr0",       "flannel.", "cali",        "veth",
    "br-",     "virbr", "kube-ipvs0", "weave",    "vxlan.calico"};

constexpr std::array<std::string_view, 3> kHostSocketMarks = {"/run/systemd/", "/run/user/",
                                                              "@/containerd-shim/"};

constexpr size_t kFindingCap = 16;

}  // namespace

NetworkFacts read_network_facts(const Roots& roots) {
    NetworkFacts facts;

    auto net = join_path(roots.sys, "class/net");
    if (DIR* dir = ::opendir(net.c_str())) {
        facts.interfaces_readable = true;
        size_t entries = 0;
        while (const dirent* entry = ::readdir(dir)) {
            std::string_view name = entry->d_name;
            if (++entries > 4096 || facts.host_interfaces.size() >= kFindingCap) {
                break;
            }
            bool host = std::any_of(kHostInterfacePrefixes.begin(), kHostInterfacePrefixes.end(),
                                    [name](std::string_view p) { return name.starts_with(p); });
            if (host) {
                facts.host_interfaces.emplace_back(name);
            }
        }
        ::closedir(dir);
        std::sort(facts.host_interfaces.begin(), facts.host_interfaces.end());
    }

    // Lines: "Num RefCount Protocol Flags Type St Inode Path"; the path is the last field.
    auto unix_sockets = read_text_file(join_path(roots.proc, "net/unix"), 8 * kTextFileCap);
    if (unix_sockets && *unix_sockets) {
        facts.unix_sockets_readable = true;
        std::string_view text = **unix_sockets;
        while (!text.empty() && facts.host_sockets.size() < kFindingCap) {
            auto newline = text.find('\n');
            auto line = text.substr(0, newline);
            text =
                newline == std::string_view::npos ? std::string_view{} : text.substr(newline + 1);
            auto space = line.rfind(' ');
            auto path = space == std::string_view::npos ? line : line.substr(space + 1);
            bool host = std::any_of(kHostSocketMarks.begin(), kHostSocketMarks.end(),
                                    [path](std::string_view m) { return path.starts_with(m); });
            if (host && std::find(facts.host_sockets.begin(), facts.host_sockets.end(), path) ==
                            facts.host_sockets.end()) {
                facts.host_sockets.emplace_back(path);
            }
        }
    }
    return facts;
}

}  // namespace hale::probes::hardening
