// The network of `cloudreboot reboot`: libcurl's multi interface, several exchanges in flight on
// kept-alive connections. It sends the signed request's bytes and nothing else (no Accept, no
// default Content-Type, no Expect: 100-continue), verifies TLS (against --cacert when given),
// takes proxies from libcurl's environment variables (http_proxy, https_proxy, no_proxy), and
// says how an exchange failed below HTTP in the session's terms.
#pragma once

#include <cloudreboot/core/http.hpp>
#include <cloudreboot/fleet/session.hpp>

#include <curl/curl.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace cloudreboot::cli {

struct sender_settings {
    std::string connect_to;  // "HOST:PORT": every connection goes there, URL, Host and SNI unchanged
    std::string cacert;      // PEM file of the CAs to trust instead of the system's
    long timeout_ms = 30'000;
};

// One finished exchange: an answer, or how it failed (with libcurl's words for the progress line).
struct finished_exchange {
    std::uint64_t exchange = 0;
    std::optional<http_response> response;
    fleet::transport_failure failure = fleet::transport_failure::connect;
    std::string why;
};

namespace detail {

// A larger answer is not one of the four clouds' (the library's readers stop at 4 MiB).
inline constexpr std::size_t max_answer_bytes = std::size_t{8} * 1024 * 1024;

struct transfer {
    std::uint64_t exchange = 0;
    std::string url;
    std::string method;
    std::string body;
    curl_slist* headers = nullptr;
    std::string connect_to;
    curl_slist* connect_to_list = nullptr;
    http_response answer;
    bool too_large = false;
    char error_text[CURL_ERROR_SIZE] = {};

    transfer() = default;
    transfer(const transfer&) = delete;
    transfer& operator=(const transfer&) = delete;
    ~transfer() {
        curl_slist_free_all(headers);
        curl_slist_free_all(connect_to_list);
    }
};

inline std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
    auto* into = static_cast<transfer*>(user);
    const std::size_t bytes = size * count;
    if (into->answer.body.size() + bytes > max_answer_bytes) {
        into->too_large = true;
        return 0;  // aborts the transfer
    }
    into->answer.body.append(data, bytes);
    return bytes;
}

inline std::string_view trim_spaces(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r' || text.back() == '\n'))
        text.remove_suffix(1);
    return text;
}

// Header lines one at a time; a status line starts a new answer (an interim 100 Continue's
// headers are not the final answer's).
inline std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
    auto* into = static_cast<transfer*>(user);
    const std::size_t bytes = size * count;
    const std::string_view line(data, bytes);
    if (line.rfind("HTTP/", 0) == 0) {
        into->answer.headers.clear();
        return bytes;
    }
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) return bytes;  // the blank line, a folded line
    into->answer.headers.push_back(
        {std::string(line.substr(0, colon)), std::string(trim_spaces(line.substr(colon + 1)))});
    return bytes;
}

inline bool has_header(const http_request& request, std::string_view name) {
    return std::any_of(request.headers.begin(), request.headers.end(),
                       [name](const field& header) { return cloudreboot::detail::ascii_iequals(header.name, name); });
}

// libcurl's result for a transfer, in the session's terms: nothing left (connect), or it may have
// been applied (timeout, reset). Whatever failed before a byte of the request was written is a
// connect failure: refused, unreachable, no name, the TLS handshake or its verification.
inline fleet::transport_failure classify(CURLcode code, long request_bytes) {
    if (request_bytes <= 0) return fleet::transport_failure::connect;
    switch (code) {
        case CURLE_COULDNT_RESOLVE_PROXY:
        case CURLE_COULDNT_RESOLVE_HOST:
        case CURLE_COULDNT_CONNECT:
        case CURLE_SSL_CONNECT_ERROR:
        case CURLE_PEER_FAILED_VERIFICATION:
        case CURLE_SSL_CACERT_BADFILE: return fleet::transport_failure::connect;
        case CURLE_OPERATION_TIMEDOUT: return fleet::transport_failure::timeout;
        default: return fleet::transport_failure::reset;
    }
}

}  // namespace detail

class curl_sender {
public:
    // nullopt when libcurl cannot start (no memory, a build without HTTP).
    static std::optional<curl_sender> create(sender_settings settings) {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) return std::nullopt;
        CURLM* multi = curl_multi_init();
        if (multi == nullptr) {
            curl_global_cleanup();
            return std::nullopt;
        }
        return curl_sender(multi, std::move(settings));
    }

    curl_sender(curl_sender&& other) noexcept
        : multi_(std::exchange(other.multi_, nullptr)), settings_(std::move(other.settings_)),
          running_(std::move(other.running_)) {}
    curl_sender& operator=(curl_sender&&) = delete;
    curl_sender(const curl_sender&) = delete;
    curl_sender& operator=(const curl_sender&) = delete;
    ~curl_sender() {
        if (multi_ == nullptr) return;
        for (auto& [handle, held] : running_) {
            curl_multi_remove_handle(multi_, handle);
            curl_easy_cleanup(handle);
        }
        running_.clear();
        curl_multi_cleanup(multi_);
        curl_global_cleanup();
    }

    std::size_t in_flight() const noexcept { return running_.size(); }

    // Starts sending `request` as `exchange`; false when libcurl refused to take it (the caller
    // reports it as a connect failure: nothing was sent). A request that must not be sent twice
    // (`once`: a reboot) gets a connection of its own: libcurl sends a request again, unasked, when
    // a kept-alive connection closes before any byte of the answer, and a reboot the server had
    // applied before closing would be applied twice. On a fresh connection it never does.
    bool start(std::uint64_t exchange, const http_request& request, bool once) {
        auto held = std::make_unique<detail::transfer>();
        held->exchange = exchange;
        held->url = request.url();
        held->method = request.method;
        held->body = request.body;
        for (const field& header : request.headers) {
            // libcurl writes Content-Length from the body it is given.
            if (cloudreboot::detail::ascii_iequals(header.name, "Content-Length")) continue;
            // "Name;" sends a header with an empty value ("Name:" would remove it).
            const std::string line = header.value.empty() ? header.name + ";" : header.name + ": " + header.value;
            held->headers = curl_slist_append(held->headers, line.c_str());
        }
        // Headers libcurl would add on its own, which the signature does not cover.
        for (const char* unwanted : {"Accept", "Content-Type", "Expect"}) {
            if (detail::has_header(request, unwanted)) continue;
            held->headers = curl_slist_append(held->headers, (std::string(unwanted) + ":").c_str());
        }
        CURL* handle = curl_easy_init();
        if (handle == nullptr) return false;
        curl_easy_setopt(handle, CURLOPT_URL, held->url.c_str());
        curl_easy_setopt(handle, CURLOPT_CUSTOMREQUEST, held->method.c_str());
        if (!held->body.empty() || held->method == "POST" || held->method == "PUT") {
            curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(held->body.size()));
            curl_easy_setopt(handle, CURLOPT_POSTFIELDS, held->body.data());
        } else if (held->method == "HEAD") {
            curl_easy_setopt(handle, CURLOPT_NOBODY, 1L);
        }
        curl_easy_setopt(handle, CURLOPT_HTTPHEADER, held->headers);
        curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, &detail::on_body);
        curl_easy_setopt(handle, CURLOPT_WRITEDATA, held.get());
        curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, &detail::on_header);
        curl_easy_setopt(handle, CURLOPT_HEADERDATA, held.get());
        curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, held->error_text);
        curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, settings_.timeout_ms);
        curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS, std::min(settings_.timeout_ms, 10'000L));
        curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(handle, CURLOPT_FOLLOWLOCATION, 0L);
        if (once) {
            curl_easy_setopt(handle, CURLOPT_FRESH_CONNECT, 1L);
            curl_easy_setopt(handle, CURLOPT_FORBID_REUSE, 1L);
        }
        curl_easy_setopt(handle, CURLOPT_SSL_VERIFYPEER, 1L);
        curl_easy_setopt(handle, CURLOPT_SSL_VERIFYHOST, 2L);
        if (!settings_.cacert.empty()) curl_easy_setopt(handle, CURLOPT_CAINFO, settings_.cacert.c_str());
        if (!settings_.connect_to.empty()) {
            held->connect_to = "::" + settings_.connect_to;
            held->connect_to_list = curl_slist_append(nullptr, held->connect_to.c_str());
            curl_easy_setopt(handle, CURLOPT_CONNECT_TO, held->connect_to_list);
        }
        curl_easy_setopt(handle, CURLOPT_PRIVATE, held.get());
        if (curl_multi_add_handle(multi_, handle) != CURLM_OK) {
            curl_easy_cleanup(handle);
            return false;
        }
        running_.emplace(handle, std::move(held));
        return true;
    }

    // Moves the transfers on, waiting at most `wait_ms` for something to happen, and returns the
    // exchanges that finished.
    std::vector<finished_exchange> poll(int wait_ms) {
        std::vector<finished_exchange> done;
        int still_running = 0;
        curl_multi_perform(multi_, &still_running);
        collect(done);
        if (!done.empty()) return done;
        curl_multi_poll(multi_, nullptr, 0, std::max(wait_ms, 0), nullptr);
        curl_multi_perform(multi_, &still_running);
        collect(done);
        return done;
    }

private:
    curl_sender(CURLM* multi, sender_settings settings) : multi_(multi), settings_(std::move(settings)) {
        curl_multi_setopt(multi_, CURLMOPT_MAXCONNECTS, 1024L);
    }

    void collect(std::vector<finished_exchange>& done) {
        int queued = 0;
        while (CURLMsg* message = curl_multi_info_read(multi_, &queued)) {
            if (message->msg != CURLMSG_DONE) continue;
            CURL* handle = message->easy_handle;
            const CURLcode code = message->data.result;
            auto found = running_.find(handle);
            curl_multi_remove_handle(multi_, handle);
            if (found == running_.end()) {
                curl_easy_cleanup(handle);
                continue;
            }
            std::unique_ptr<detail::transfer> held = std::move(found->second);
            running_.erase(found);
            finished_exchange one;
            one.exchange = held->exchange;
            if (code == CURLE_OK) {
                long status = 0;
                curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
                held->answer.status = static_cast<int>(status);
                one.response = std::move(held->answer);
            } else {
                long request_bytes = 0;
                curl_easy_getinfo(handle, CURLINFO_REQUEST_SIZE, &request_bytes);
                one.failure = held->too_large ? fleet::transport_failure::reset : detail::classify(code, request_bytes);
                one.why = held->too_large ? std::string("the answer is larger than 8 MiB")
                          : held->error_text[0] != '\0' ? std::string(held->error_text)
                                                        : std::string(curl_easy_strerror(code));
            }
            curl_easy_cleanup(handle);
            done.push_back(std::move(one));
        }
    }

    CURLM* multi_ = nullptr;
    sender_settings settings_;
    std::unordered_map<CURL*, std::unique_ptr<detail::transfer>> running_;
};

}  // namespace cloudreboot::cli
