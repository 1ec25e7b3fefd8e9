// The hardening report of `hale about`, `hale verify` and `hale serve`'s /about, built from the
// facts under a set of roots. Rendering lives here, not in probes/, so every surface shows the
// same JSON and the same text.
//
// For a server: compute HaleInfo once (hashing the binary takes milliseconds) and keep the
// collected report for a while (sidecar/about_cache.hpp), since collecting walks the
// filesystem; for `serve --verify`, evaluate_policy() on the report's findings and refuse to
// start when the verdict has failures.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "probes/hardening/check.hpp"
#include "probes/hardening/facts.hpp"
#include "probes/hardening/policy.hpp"
#include "probes/hardening/roots.hpp"
#include "sidecar/image_info.hpp"

namespace hale::sidecar {

// hale's own build, for the report's "hale" section.
struct HaleInfo {
    std::string version;
    std::string revision;
    std::string build_time;
    std::string compiler;
    bool is_static = false;
    std::string sha256;        // of the running binary; "" when it could not be read
    std::string sha256_error;  // why not
};

// Build information plus the sha256 of the file at EXE_PATH (the running binary by default).
HaleInfo hale_info(const std::string& exe_path = "/proc/self/exe");

// The sha256 of a file as 64 hex digits, read in blocks (memory stays flat).
probes::Result<std::string> file_sha256(const std::string& path);

struct AboutReport {
    probes::hardening::Facts facts;
    std::vector<probes::hardening::Finding> findings;
    std::optional<ImageInfo> image;  // hale about and /about; hale verify leaves it out
};

// Reads the facts under ROOTS and runs every check.
AboutReport collect_about_report(const probes::hardening::Roots& roots = {},
                                 const probes::hardening::CheckOptions& options = {});

// The report as JSON: status, summary, hale, identity, capabilities, fs, sockets,
// docker_host_env, runtime, image (null without one), checks[]. No environment value, token or
// secret is in it.
nlohmann::ordered_json about_json(const AboutReport& report, const HaleInfo& info);

// JSON text with invalid UTF-8 (file names from the image) replaced instead of throwing.
std::string dump_json(const nlohmann::ordered_json& json, int indent = 2);

// The report as readable text: a header, the image section, then failures, warnings, skips and
// passes.
std::string about_text(const AboutReport& report, const HaleInfo& info);

// The report as one self-contained HTML page for a browser (no script, no external resource):
// the same header, a table of checks with failures first, and the image section. Every value
// from the container or the image is escaped.
std::string about_html(const AboutReport& report, const HaleInfo& info);

// What `hale verify` prints: one verdict line, then each failing check with its fix.
std::string verify_text(const probes::hardening::PolicyVerdict& verdict,
                        const AboutReport& report,
                        const probes::hardening::Policy& policy);

// Paths of mounts the process can write to besides the root (tmpfs, volumes, binds), leaving
// out kernel interfaces (/proc, /sys, devpts, mqueue), the runtime's /dev and its /etc/hosts,
// /etc/hostname, /etc/resolv.conf and /dev/termination-log binds.
std::vector<std::string> writable_mount_points(const probes::hardening::MountTable& table);

}  // namespace hale::sidecar
