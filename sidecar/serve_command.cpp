// `hale serve`: a probe sidecar. Background probes feed /readyz; /livez says hale itself runs;
// SIGTERM drains; with `-- CMD ARGS...` hale also runs the app, as a container's init.
#include <pthread.h>
#include <sys/resource.h>
#include <unistd.h>

#include <asio/io_context.hpp>
#include <asio/signal_set.hpp>
#include <asio/steady_timer.hpp>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "build_info.hpp"
#include "probes/probe.hpp"
#include "probes/resolve.hpp"
#include "probes/text.hpp"
#include "sidecar/about_cache.hpp"
#include "sidecar/child_process.hpp"
#include "sidecar/commands.hpp"
#include "sidecar/handlers/handler.hpp"
#include "sidecar/health.hpp"
#include "sidecar/http_server.hpp"
#include "sidecar/logging.hpp"
#include "sidecar/probe_loop.hpp"
#include "sidecar/scheduler.hpp"
#include "sidecar/serve_config.hpp"

namespace hale::sidecar {
namespace {

// Server and probe threads touch little stack; 256 KiB instead of glibc's 8 MiB keeps a thousand
// connection threads from reserving 8 GiB of address space on hosts that do not overcommit.
constexpr size_t kThreadStackBytes = size_t{256} * 1024;

std::string signal_name(int signal) {
    const char* name = sigabbrev_np(signal);
    return name != nullptr ? "SIG" + std::string(name) : std::to_string(signal);
}

std::string join(const std::vector<std::string>& parts, const char* separator) {
    std::string joined;
    for (const auto& part : parts) {
        joined += (joined.empty() ? "" : separator) + part;
    }
    return joined;
}

// The hardening report changes rarely while a container runs; collect it at most this often.
constexpr std::chrono::seconds kAboutTimeToLive{30};

// A sidecar may hold many connections: take the hard limit of descriptors, as Go programs do.
void raise_descriptor_limit() {
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
    }
}

void shrink_thread_stacks() {
    pthread_attr_t attr;
    if (pthread_attr_init(&attr) == 0) {
        pthread_attr_setstacksize(&attr, kThreadStackBytes);
        pthread_setattr_default_np(&attr);
        pthread_attr_destroy(&attr);
    }
}

class Sidecar {
public:
    explicit Sidecar(ServeConfig config)
        : config_(std::move(config)),
          signals_(io_),
          drain_timer_(io_),
          scheduler_(config_.probes,
                     config_.interval,
                     config_.thresholds,
                     std::chrono::steady_clock::now()),
          loop_(io_,
                scheduler_,
                probe_options(),
                config_.timeout,
                [this](size_t index, const probes::ProbeResult& result, const auto& change) {
                    on_probe_result(index, result, change);
                }),
          about_(hale_info(), probes::hardening::Roots{}, kAboutTimeToLive),
          server_(handlers::endpoints(),
                  handlers::Context{[this] { return health(); }, [this] { return about_.get(); }}) {
    }

    int run() {
        // A container that breaks the hardening policy never starts serving.
        if (config_.verify && !passes_hardening_policy(*config_.verify)) {
            return 1;
        }

        // Signals first, so that none is lost between here and the app's start.
        watch_signals();

        // Bind before anything runs: a taken port fails the start instead of being retried.
        auto port = server_.bind(config_.listen);
        if (!port) {
            log_event(LogLevel::Error, "cannot start", {{"error", port.error()}});
            return 1;
        }
        log_configuration(*port);

        // The app, when hale runs one.
        if (!config_.command.empty() && !start_app()) {
            return 127;
        }

        // Probes and the server run until the drain (or the app) ends the loop.
        loop_.start();
        server_.start();
        last_ready_ = all_ok(readiness_checks(health()));
        io_.run();

        // Stop serving, then leave: a probe still in flight may hang up to its deadline, and
        // nothing is left for it to report to.
        server_.stop();
        log_event(LogLevel::Info, "exiting", {{"status", std::to_string(exit_code_)}});
        flush_logs();
        if (scheduler_.in_flight_count() > 0) {
            std::_Exit(exit_code_);
        }
        return exit_code_;
    }

private:
    probes::ProbeOptions probe_options() const {
        probes::ProbeOptions options;
        options.http.user_agent = std::string("hale/") + build::kVersion;
        return options;
    }

    bool passes_hardening_policy(const probes::hardening::Policy& policy) {
        auto report = collect_about_report({}, policy.check_options());
        auto verdict = probes::hardening::evaluate_policy(report.findings, policy);
        if (verdict.passed) {
            log_event(LogLevel::Info, "hardening policy passed",
                      {{"checks", std::to_string(report.findings.size())}});
            return true;
        }
        std::fputs(verify_text(verdict, report, policy).c_str(), stderr);
        log_event(LogLevel::Error, "hardening policy failed, not starting",
                  {{"failures", std::to_string(verdict.failures.size())}});
        return false;
    }

    void watch_signals() {
        signals_.add(SIGTERM);
        signals_.add(SIGINT);
        if (!config_.command.empty()) {
            signals_.add(SIGHUP);
            signals_.add(SIGUSR1);
            signals_.add(SIGUSR2);
            signals_.add(SIGCHLD);
        }
        wait_for_signal();
    }

    void wait_for_signal() {
        signals_.async_wait([this](const std::error_code& error, int signal) {
            if (error) {
                return;
            }
            on_signal(signal);
            wait_for_signal();
        });
    }

    bool start_app() {
        auto pid = spawn_child(config_.command);
        if (!pid) {
            log_event(LogLevel::Error, "cannot start app", {{"error", pid.error()}});
            return false;
        }
        app_pid_ = *pid;
        log_event(LogLevel::Info, "app started",
                  {{"pid", std::to_string(app_pid_)}, {"command", join(config_.command, " ")}});
        return true;
    }

    void log_configuration(uint16_t port) {
        ListenAddress bound = config_.listen;
        bound.port = port;
        log_event(LogLevel::Info, "hale serve starting",
                  {{"version", build::kVersion},
                   {"listen", bound.text()},
                   {"interval", probes::format_budget(config_.interval)},
                   {"timeout", probes::format_budget(config_.timeout)},
                   {"failure_threshold", std::to_string(config_.thresholds.failure)},
                   {"success_threshold", std::to_string(config_.thresholds.success)},
                   {"drain", probes::format_budget(config_.drain)},
                   {"pid1", is_pid1_ ? "true" : "false"}});
        for (const auto& spec : config_.probes) {
            log_event(LogLevel::Info, "probe configured",
                      {{"probe", spec.name},
                       {"kind", kind_name(spec.kind)},
                       {"target", spec.target.url()}});
            if (spec.kind == ProbeKind::Liveness) {
                log_event(LogLevel::Warn, "liveness probe configured",
                          {{"probe", spec.name},
                           {"note",
                            "a failing liveness probe restarts the pod; keep "
                            "dependencies in readiness probes"}});
            }
        }
    }

    void on_signal(int signal) {
        log_event(LogLevel::Debug, "signal", {{"signal", signal_name(signal)}});
        if (signal == SIGCHLD) {
            on_children_exited();
            return;
        }
        if (signal == SIGTERM || signal == SIGINT) {
            on_termination_signal(signal);
            return;
        }
        forward(signal);
    }

    void on_termination_signal(int signal) {
        // First signal: drain; the app gets the signal once the drain is over.
        if (!draining_.load()) {
            pending_signal_ = signal;
            begin_drain("signal " + signal_name(signal));
            return;
        }

        // A second one: no more patience. The app gets it now, and hale exits with it.
        log_event(LogLevel::Info, "second termination signal: stopping now",
                  {{"signal", signal_name(signal)}});
        drain_timer_.cancel();
        drain_over_ = true;
        if (app_running()) {
            pending_signal_ = 0;
            forward(signal);
        }
        finish_if_done();
    }

    void forward(int signal) {
        if (!app_running()) {
            return;
        }
        log_event(LogLevel::Info, "forwarding signal",
                  {{"signal", signal_name(signal)}, {"pid", std::to_string(app_pid_)}});
        kill(app_pid_, signal);
    }

    void begin_drain(const std::string& cause) {
        draining_.store(true);
        log_event(LogLevel::Info, "draining",
                  {{"cause", cause}, {"drain", probes::format_budget(config_.drain)}});
        note_readiness();
        drain_timer_.expires_after(config_.drain);
        drain_timer_.async_wait([this](const std::error_code& error) {
            if (!error) {
                on_drain_over();
            }
        });
    }

    void on_drain_over() {
        drain_over_ = true;
        if (app_running() && pending_signal_ != 0) {
            forward(pending_signal_);
            pending_signal_ = 0;
        }
        finish_if_done();
    }

    void on_children_exited() {
        auto status = reap_children(app_pid_, is_pid1_);
        if (!status || app_exited_.load()) {
            return;
        }
        app_exit_ = describe_wait_status(*status);
        app_exited_.store(true, std::memory_order_release);
        exit_code_ = exit_status_of(*status);
        log_event(exit_code_ == 0 ? LogLevel::Info : LogLevel::Warn, "app exited",
                  {{"pid", std::to_string(app_pid_)},
                   {"result", app_exit_},
                   {"exit_status", std::to_string(exit_code_)}});
        if (!draining_.load()) {
            begin_drain("app exited");
        } else {
            note_readiness();
        }
        finish_if_done();
    }

    // Ends the loop once the drain is over and the app, if any, has exited.
    void finish_if_done() {
        if (drain_over_ && !app_running()) {
            loop_.stop();
            signals_.cancel();
            io_.stop();
        }
    }

    bool app_running() const { return app_pid_ > 0 && !app_exited_.load(); }

    void on_probe_result(size_t index,
                         const probes::ProbeResult& result,
                         const std::optional<VerdictChange>& change) {
        const auto& spec = scheduler_.specs()[index];
        log_event(LogLevel::Debug, "probe attempt",
                  {{"probe", spec.name},
                   {"healthy", result.healthy ? "true" : "false"},
                   {"latency_ms", std::to_string(result.elapsed.count())},
                   {"result", result.line}});
        if (change) {
            log_change(spec, result, *change);
        }
        note_readiness();
    }

    void log_change(const ProbeSpec& spec,
                    const probes::ProbeResult& result,
                    const VerdictChange& change) {
        if (change.to == Verdict::Failing) {
            log_event(LogLevel::Warn, "probe failing",
                      {{"probe", spec.name},
                       {"kind", kind_name(spec.kind)},
                       {"reason", result.reason},
                       {"failure_threshold", std::to_string(config_.thresholds.failure)}});
        } else if (change.from == Verdict::Failing) {
            log_event(LogLevel::Info, "probe recovered",
                      {{"probe", spec.name}, {"kind", kind_name(spec.kind)}});
        } else {
            log_event(LogLevel::Info, "probe passing",
                      {{"probe", spec.name}, {"kind", kind_name(spec.kind)}});
        }
    }

    // Logs readiness when it changed since the last look.
    void note_readiness() {
        auto checks = readiness_checks(health());
        bool ready = all_ok(checks);
        if (ready == last_ready_) {
            return;
        }
        last_ready_ = ready;
        if (ready) {
            log_event(LogLevel::Info, "readiness changed", {{"ready", "true"}});
            return;
        }
        std::string failing;
        for (const auto& check : checks) {
            if (!check.ok) {
                failing += (failing.empty() ? "" : ", ") + check.name + ": " + check.reason;
            }
        }
        log_event(LogLevel::Warn, "readiness changed", {{"ready", "false"}, {"failing", failing}});
    }

    // Called from server threads: everything it reads is atomic or published whole.
    HealthView health() const {
        HealthView view;
        view.probes = scheduler_.snapshot();
        view.draining = draining_.load();
        view.since_beat = loop_.since_beat();
        view.supervising = !config_.command.empty();
        if (app_exited_.load(std::memory_order_acquire)) {
            view.app_exit = app_exit_;
        }
        return view;
    }

    ServeConfig config_;
    asio::io_context io_{1};
    asio::signal_set signals_;
    asio::steady_timer drain_timer_;
    Scheduler scheduler_;
    ProbeLoop loop_;
    AboutCache about_;
    HttpServer server_;

    bool is_pid1_ = getpid() == 1;
    pid_t app_pid_ = -1;
    int pending_signal_ = 0;  // SIGTERM or SIGINT, for the app once the drain is over
    bool drain_over_ = false;
    bool last_ready_ = false;
    int exit_code_ = 0;
    std::atomic<bool> draining_{false};
    std::atomic<bool> app_exited_{false};
    std::string app_exit_;  // written once before app_exited_ turns true
};

}  // namespace

int run_serve(const Args& args) {
    // Flags and environment: a usage error exits 1 before anything starts.
    ParsedServe parsed = parse_serve_args(args);
    if (!parsed.config) {
        return parsed.exit_code;
    }

    // The one command with a logger.
    setup_logging(parsed.config->log_level, parsed.config->log_format);

    // Room for many connections, before any thread starts.
    raise_descriptor_limit();
    shrink_thread_stacks();
    probes::init_resolver();

    // Serve until a signal and the drain, or the app's exit, end it. Threads are started here;
    // a kernel that refuses them (a pids limit) ends the start with one clear line.
    try {
        Sidecar sidecar(std::move(*parsed.config));
        return sidecar.run();
    } catch (const std::system_error& error) {
        log_event(LogLevel::Error, "cannot start",
                  {{"error", probes::describe_errno(error.code().value())}});
        return 1;
    }
}

}  // namespace hale::sidecar
