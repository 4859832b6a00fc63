// The fleet session over libcurl's multi interface: every request the session hands out is started
// at once (the session itself keeps to its in-flight limit), one curl_multi_poll waits for the
// first of "an answer arrived" and "the session's next time", and answers are fed back as they
// complete. Options and exit status: fleet_example.hpp; running it: examples/README.md.
//
// What matters when a reboot is not idempotent:
// - A reboot never goes out on a reused connection (CURLOPT_FRESH_CONNECT). libcurl sends a request
//   again by itself when a reused connection dies before any answer byte (Curl_retry_request,
//   "Connection died, retrying a fresh connect"): harmless for a read, a second reboot for a reboot
//   that was applied before the connection closed.
// - A failure is `connect` only when not one byte of the request was written (CURLINFO_REQUEST_SIZE
//   is 0): then the session may send it again. Anything later may have been applied: `timeout` or
//   `reset`, and the session looks for evidence instead.
#include "fleet_example.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <map>
#include <memory>

namespace {

namespace cr = cloudreboot;
namespace fl = cloudreboot::fleet;
using fleet_example::options;

// One exchange in flight: the easy handle and everything its options point into.
struct transfer {
    std::uint64_t exchange = 0;
    cr::http_request request;  // owns the body curl sends (CURLOPT_POSTFIELDS does not copy)
    CURL* easy = curl_easy_init();
    curl_slist* headers = nullptr;
    curl_slist* connect_to = nullptr;
    cr::http_response response;
    char error[CURL_ERROR_SIZE] = {};

    transfer() = default;
    transfer(const transfer&) = delete;
    transfer& operator=(const transfer&) = delete;
    ~transfer() {
        curl_easy_cleanup(easy);
        curl_slist_free_all(headers);
        curl_slist_free_all(connect_to);
    }
};

// A header line of the answer. Every status line starts a new header block: a proxy's answer to
// CONNECT comes first, and only the last block is the server's.
std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
    auto& response = static_cast<transfer*>(user)->response;
    std::string_view line(data, size * count);
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
    if (line.starts_with("HTTP/")) {
        response.headers.clear();
    } else if (const std::size_t colon = line.find(':'); colon != std::string_view::npos) {
        std::string_view value = line.substr(colon + 1);
        while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
        while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
        response.headers.push_back(cr::field{std::string(line.substr(0, colon)), std::string(value)});
    }
    return size * count;
}

// The body, kept up to one byte past the library's size cap: enough for its parsers to refuse an
// oversized answer by name, without holding whatever a broken server keeps sending.
std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
    std::string& body = static_cast<transfer*>(user)->response.body;
    const std::size_t room = cr::max_document_size + 1 - std::min(body.size(), cr::max_document_size + 1);
    body.append(data, std::min(size * count, room));
    return size * count;
}

// The easy handle for one request, sent byte for byte as the library signed it.
std::unique_ptr<transfer> make_transfer(const options& given, fl::action& next, bool reboot) {
    auto out = std::make_unique<transfer>();
    out->exchange = next.exchange;
    out->request = std::move(next.request);
    const cr::http_request& request = out->request;
    CURL* easy = out->easy;
    if (easy == nullptr) return nullptr;

    const std::string url = request.url();  // curl copies strings it is given
    curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
    curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    if (request.method != "GET") {
        // The body with its size, even when empty: without it curl reads a POST body from stdin.
        curl_easy_setopt(easy, CURLOPT_POSTFIELDS, request.body.data());
        curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    }
    // The signed headers as signed, and none of curl's own: "Name:" removes one curl would add
    // (Expect: 100-continue before a larger body, Accept: */*, a form Content-Type for POSTFIELDS).
    for (const cr::field& header : request.headers) {
        const std::string line = header.value.empty() ? header.name + ";" : header.name + ": " + header.value;
        out->headers = curl_slist_append(out->headers, line.c_str());
    }
    // Host stays curl's when the request has none: the URL's authority, which is what was signed.
    for (const char* name : {"Expect", "Accept", "Content-Type"}) {
        if (request.find_header(name) == nullptr)
            out->headers = curl_slist_append(out->headers, (std::string(name) + ":").c_str());
    }
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, out->headers);

    // Connect elsewhere, but keep the URL's host for Host, SNI and the certificate check.
    if (!given.connect_host.empty()) {
        const std::string rule = "::" + given.connect_host + ":" + std::to_string(given.connect_port);
        out->connect_to = curl_slist_append(nullptr, rule.c_str());
        curl_easy_setopt(easy, CURLOPT_CONNECT_TO, out->connect_to);
    }
    if (!given.cacert.empty()) curl_easy_setopt(easy, CURLOPT_CAINFO, given.cacert.c_str());
    if (!given.proxy.empty()) {
        curl_easy_setopt(easy, CURLOPT_PROXY, given.proxy.c_str());
        // A tunnel for http:// too, so that the proxy is asked for the --connect-to address.
        curl_easy_setopt(easy, CURLOPT_HTTPPROXYTUNNEL, 1L);
    }
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, given.timeout_ms);
    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, given.timeout_ms);
    curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    if (reboot) curl_easy_setopt(easy, CURLOPT_FRESH_CONNECT, 1L);

    curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(easy, CURLOPT_HEADERDATA, out.get());
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, out.get());
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, out->error);
    curl_easy_setopt(easy, CURLOPT_PRIVATE, out.get());
    return out;
}

// How a failed transfer failed, in the session's terms.
fl::transport_failure failure_of(const transfer& done, CURLcode code) {
    switch (code) {
        // Failures that come before the request is written, whatever a proxy's CONNECT counted.
        case CURLE_COULDNT_RESOLVE_PROXY:
        case CURLE_COULDNT_RESOLVE_HOST:
        case CURLE_COULDNT_CONNECT:
        case CURLE_SSL_CONNECT_ERROR:
        case CURLE_PEER_FAILED_VERIFICATION:
        case CURLE_SSL_CACERT_BADFILE: return fl::transport_failure::connect;
        default: break;
    }
    long request_bytes = 0;
    curl_easy_getinfo(done.easy, CURLINFO_REQUEST_SIZE, &request_bytes);
    if (request_bytes == 0) return fl::transport_failure::connect;  // timed out or closed before sending
    if (code == CURLE_OPERATION_TIMEDOUT) return fl::transport_failure::timeout;
    return fl::transport_failure::reset;  // closed or broken after the request went out
}

}  // namespace

int main(int argc, char** argv) {
    const std::optional<options> given = fleet_example::parse_command_line(argc, argv);
    if (!given) return 2;
    std::optional<fl::session> session = fleet_example::make_session(*given);
    if (!session) return 2;
    fleet_example::transcript_writer transcript(given->transcript_file);
    if (transcript.open_failed(given->transcript_file)) {
        std::cerr << given->transcript_file << ": cannot be written\n";
        return 2;
    }

    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) return 1;
    CURLM* multi = curl_multi_init();
    std::map<std::uint64_t, std::unique_ptr<transfer>> in_flight;

    // Feeds the session every transfer that completed, at `now`; returns how many.
    const auto feed_completed = [&](std::int64_t now) {
        int fed = 0;
        int left = 0;
        while (CURLMsg* message = curl_multi_info_read(multi, &left)) {
            if (message->msg != CURLMSG_DONE) continue;
            transfer* done = nullptr;
            curl_easy_getinfo(message->easy_handle, CURLINFO_PRIVATE, &done);
            const CURLcode code = message->data.result;
            cr::result<void> answered;
            if (code == CURLE_OK) {
                long http_status = 0;
                curl_easy_getinfo(done->easy, CURLINFO_RESPONSE_CODE, &http_status);
                done->response.status = static_cast<int>(http_status);
                answered = session->receive(done->exchange, done->response, now);
            } else {
                answered = session->transport_failed(done->exchange, failure_of(*done, code), now);
            }
            if (!answered) std::cerr << "exchange " << done->exchange << ": " << answered.error().message() << '\n';
            curl_multi_remove_handle(multi, done->easy);
            in_flight.erase(done->exchange);
            ++fed;
        }
        return fed;
    };

    int status = 0;
    // The session is asked what next only when something changed: answers came (it is given their
    // time), or the time it said to wait for has come.
    std::int64_t now = fleet_example::now_ms();
    for (;;) {
        fl::action next = session->next(now);
        while (next.what == fl::action::kind::send) {
            const bool reboot = !session->is_read(next.exchange);
            std::unique_ptr<transfer> started = make_transfer(*given, next, reboot);
            if (started == nullptr || curl_multi_add_handle(multi, started->easy) != CURLM_OK) {
                std::cerr << "libcurl: cannot start a transfer\n";
                status = 1;
                break;
            }
            in_flight.emplace(started->exchange, std::move(started));
            next = session->next(now);
        }
        transcript.drain(*session);
        if (status != 0 || next.what == fl::action::kind::finished) break;

        // Let curl work until an answer completes or the session's time comes. curl_multi_poll
        // returns on socket activity, or sooner when one of curl's own timers (a timeout) is due.
        for (;;) {
            int running = 0;
            curl_multi_perform(multi, &running);
            now = fleet_example::now_ms();
            if (feed_completed(now) > 0 || now >= next.until_ms) break;
            const std::int64_t wait_ms = std::min<std::int64_t>(next.until_ms - now, 60'000);
            curl_multi_poll(multi, nullptr, 0, static_cast<int>(wait_ms), nullptr);
        }
    }
    // What is still in flight at the deadline is abandoned: the session has written it off.
    for (auto& [exchange, left] : in_flight) curl_multi_remove_handle(multi, left->easy);
    in_flight.clear();
    curl_multi_cleanup(multi);
    curl_global_cleanup();
    transcript.drain(*session);
    return status != 0 ? status : fleet_example::finish(*session);
}
