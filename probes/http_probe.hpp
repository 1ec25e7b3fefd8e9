// The HTTP probe: one request per hop, verdict from the status code (and optionally the body).
#pragma once

#include "probes/probe.hpp"

namespace hale::probes {

ProbeResult probe_http(const Target& target, const ProbeOptions& options, const Deadline& deadline);

// Where a Location header points, relative to the URL that returned it. Examples with base
// http://h:8080/a/b?q:
//   /login            -> http://h:8080/login
//   c                 -> http://h:8080/a/c
//   ?x                -> http://h:8080/a/b?x
//   //other/          -> http://other/
//   http://h:9090/z   -> http://h:9090/z
//   https://h/        -> error "redirect changes scheme"
Result<Target> resolve_location(const Target& base, std::string_view location);

}  // namespace hale::probes

namespace hale::probes {

// Parses a "Name: value" request header as given on a command line. Names are HTTP tokens;
// values may be empty (which removes a default header) but never hold CR or LF.
Result<std::pair<std::string, std::string>> parse_header_arg(std::string_view text);

}  // namespace hale::probes
