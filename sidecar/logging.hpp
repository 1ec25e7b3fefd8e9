// hale serve's log: one line per event on stderr through spdlog, either text
// (`2026-01-02T03:04:05.678Z warn probe failing probe=db reason="timeout after 2s"`) or one JSON
// object per line. Events carry key=value fields so that they can be grepped and alerted on.
// Only hale serve sets a logger up; `hale check` prints its one line and nothing else.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

#include "probes/result.hpp"

namespace hale::sidecar {

enum class LogLevel { Debug, Info, Warn, Error, Off };
enum class LogFormat { Text, Json };

// "debug", "info", "warn", "error", "off".
probes::Result<LogLevel> parse_log_level(std::string_view text);
// "text", "json".
probes::Result<LogFormat> parse_log_format(std::string_view text);

// Sets up the process-wide logger. Call once, before any thread logs.
void setup_logging(LogLevel level, LogFormat format);

// Flushes what is buffered; call before exiting.
void flush_logs();

bool log_enabled(LogLevel level);

struct LogField {
    std::string_view key;
    std::string value;
};

// Logs `message` with its fields. Never throws: a failing sink is reported by spdlog's error
// handler, not to the caller.
void log_event(LogLevel level, std::string_view message, std::initializer_list<LogField> fields);

// The text form of fields: `key=value`, the value quoted when it has spaces, quotes or '='.
std::string format_fields_text(std::initializer_list<LogField> fields);

}  // namespace hale::sidecar
