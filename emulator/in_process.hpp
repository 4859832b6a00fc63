// cloudreboot-emulator's simulation in process: the four clouds answering the library's
// http_request values directly, on a clock the caller sets, for unit tests that must touch neither
// a network nor a machine clock (the fleet session's). It is the program's own core, not a second
// simulation: the same routing by Host, authentication, handlers, faults, ground truth and log,
// fed the request the server would have received (received_form). docs/emulator.md, "In process".
//
//   auto cloud = em::in_process_cloud::create({.instances = 3, .start_ms = t0, .faults = "throttle=0.2"});
//   auto answer = cloud->answer(*cloudreboot::tencent::sign(op, key, at), t0 + 1500);
//   if (answer && !answer->dropped) parse(answer->response);
//   cloud->state();  // the ground truth at the clock's time
//
// One thread at a time: the clock is the caller's.
#pragma once

#include "common.hpp"
#include "world.hpp"

#include <cloudreboot/core/http.hpp>
#include <cloudreboot/core/result.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace cloudreboot::emulator {

// The command line's options that shape the simulation (docs/emulator.md), held in memory.
struct in_process_options {
    // The instances: the --fleet file's JSON text, or, when it is empty, `instances` per provider
    // as --instances N makes them (0 to 100000).
    std::string fleet_json = {};
    std::int64_t instances = 0;
    // The --keys file's JSON text; empty: emulator-<provider>-ak / emulator-<provider>-sk.
    std::string keys_json = {};
    std::uint64_t seed = 1;
    double time_scale = 1;
    // --start-time: the caller's time at creation, in milliseconds since the Unix epoch. There is
    // no machine time to default to; 0 is 1970-01-01T00:00:00Z.
    std::int64_t start_ms = 0;
    // --faults SPEC, e.g. "throttle=0.1,slow=0.2,skew=120".
    std::string faults = {};
    // Keep the --log lines in memory (log_lines()).
    bool keep_log = false;
};

// What a client gets for one request: an answer, or, with --faults drop-after-apply, a connection
// closed after the request without one (`dropped`; the reboot *was* applied; `response` is empty).
struct in_process_answer {
    bool dropped = false;
    http_response response = {};
};

class in_process_cloud {
public:
    // A cloud made from the options; an error names the option as the command line spells it
    // (--faults throttle, --time-scale) or the fleet or keys field (instances[2].id).
    static result<in_process_cloud> create(const in_process_options& settings);

    // An empty shell (result<> needs one; so is a moved-from cloud): answer() and advance_to()
    // refuse, state() is empty.
    in_process_cloud() noexcept;
    in_process_cloud(in_process_cloud&&) noexcept;
    in_process_cloud& operator=(in_process_cloud&&) noexcept;
    ~in_process_cloud();

    // The answer to `request` received at the caller's time `now_ms` (the cloud's clock then reads
    // now_ms plus the skew): what the program answers the same request sent over HTTP or HTTPS,
    // headers (Date, Content-Length) included. Refused (errc::invalid_input, field "now_ms") when
    // now_ms is earlier than a time given before: the simulation's time never runs back.
    result<in_process_answer> answer(const http_request& request, std::int64_t now_ms);
    // Moves the clock to `now_ms` without a request (the same rule).
    result<void> advance_to(std::int64_t now_ms);
    // The caller's time last given (start_ms at first).
    std::int64_t now_ms() const noexcept;

    // The ground truth at the cloud's clock: the data of GET /_emulator/state as values, and as
    // that call's JSON text.
    ground_truth state() const;
    std::string state_json() const;
    // The --log lines so far (with keep_log), one JSON object each, without the newline.
    std::vector<std::string> log_lines() const;

    // The request the server receives when a client sends `request` (what answer() hands the
    // service): the method; the target path?query; a Host header with request.authority() first
    // unless the request carries its own; the headers as given (values without surrounding
    // spaces, as HTTP parsers read them); Content-Length for a body unless given; the body; TLS
    // when the scheme is https.
    static incoming received_form(const http_request& request);

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

}  // namespace cloudreboot::emulator
