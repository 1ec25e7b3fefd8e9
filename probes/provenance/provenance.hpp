// An image's provenance (where it comes from: source, revision, version, build time, base image)
// as a running container can learn it. It cannot read its own image config, so the values come
// from sources that were baked in at build time or handed in at deploy time, merged in this
// order, later ones overriding earlier ones field by field:
//
//   1. hale's own build (compiled in): used only when no other source gives anything, since it
//      describes hale, not the image around it (hale's own image then needs nothing else);
//   2. the baked file, /etc/hale/image.json (hale stamp writes it);
//   3. OCI_IMAGE_* environment variables;
//   4. the Kubernetes Downward API: pod annotations named org.opencontainers.image.*;
//   5. the Docker Engine API, only when enabled.
//
// Every field keeps the name of the source it came from ("file:/etc/hale/image.json",
// "env:OCI_IMAGE_REVISION", ...), and values of two builds (two revisions) are never mixed. Readers
// never fail: what they cannot use becomes a one-line warning, and the rest is still served.
#pragma once

#include <cstddef>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "probes/expand.hpp"

namespace hale::probes::provenance {

// One of the pre-defined annotation keys of the OCI image spec (annotations.md).
struct Key {
    std::string_view field;         // its name in /about's JSON: "revision", "base_name"
    std::string_view annotation;    // "org.opencontainers.image.revision"
    std::string_view env;           // "OCI_IMAGE_REVISION"
    std::string_view label_schema;  // its Label Schema equivalent, or "" when there is none
};

// The 14 keys, in the order /about shows them.
std::span<const Key> keys();

const Key* find_key_by_field(std::string_view field);

// The schema name a baked file carries.
inline constexpr std::string_view kImageFileSchema = "hale.image/v1";

// Values longer than this are not provenance; they are left out with a warning.
inline constexpr size_t kValueCap = 1024;

// Baked files larger than this are refused (they hold a few short strings).
inline constexpr size_t kImageFileCap = size_t{64} * 1024;

struct Field {
    std::string value;
    std::string source;  // "build", "file:PATH", "env:NAME", "downward-api:PATH", "docker-api"
};

// Fields by their JSON name ("revision").
using Fields = std::map<std::string, Field, std::less<>>;

// What one source gave, and what it could not use, one line per problem.
struct Reading {
    Fields fields;
    std::vector<std::string> warnings;
};

using Labels = std::vector<std::pair<std::string, std::string>>;

// Labels as `docker inspect --format '{{json .Config.Labels}}'` prints them, read into fields
// tagged SOURCE: org.opencontainers.image.* keys, and org.label-schema.* keys for fields that no
// OCI key of the same labels gives. Empty values are left out (a LABEL from an unset build
// argument). Other names are ignored, with one warning naming them when WARN_UNKNOWN is set.
Reading read_labels(const Labels& labels, const std::string& source, bool warn_unknown);

// hale's own build information as a reading tagged "build": title, version, revision, created.
Reading build_reading(std::string_view version,
                      std::string_view revision,
                      std::string_view build_time);

// The baked file at PATH: a flat JSON object of annotation names to strings plus
// "schema": "hale.image/v1". A missing file is a warning only when its path was given
// explicitly (EXPLICIT_PATH); invalid JSON, a file over kImageFileCap, a value that is not a
// string and an unknown key are each a warning.
Reading read_image_file(const std::string& path, bool explicit_path);

// OCI_IMAGE_<KEY> variables, the key upper-cased with dots as underscores: OCI_IMAGE_REVISION,
// OCI_IMAGE_BASE_NAME, ...
Reading read_env(const EnvLookup& env);

// Whether TEXT is an RFC 3339 date-time: 2026-01-02T03:04:05Z, 2026-01-02T03:04:05.5+01:00.
bool is_rfc3339(std::string_view text);

struct Provenance {
    Fields fields;
    bool build_only = false;  // no image source gave a field: these are hale's own build values
    std::vector<std::string> warnings;
};

// BUILD first, then SOURCES in increasing precedence; a later source overrides a field of an
// earlier one. A later source that names another revision than the values so far describes
// another build: those values are dropped (with a warning) rather than mixed with its own. The
// warnings of every reading come first, then one naming the usual fields (revision, version,
// created, source) that no source gave.
Provenance merge(const Reading& build, const std::vector<Reading>& sources);

}  // namespace hale::probes::provenance
