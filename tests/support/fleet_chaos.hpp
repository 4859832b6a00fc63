// A fleet session with no cloud behind it: random groups and a random policy, every request answered
// by chance — statuses, the documented answers of tests/data/<provider>/responses/ with their ids,
// states, codes and request ids swapped for others, answers cut short or replaced by garbage, any
// Date header, transport failures, any delay, answers in any order, exchange ids the session never
// gave. There is no ground truth, so what is checked is what must hold whatever the answers: no
// crash or undefined behaviour (run it under the sanitizers), one outcome per instance, attempts
// within the policy and equal to the reboot requests that left, the deadline kept, at most
// policy.in_flight requests out at once, no reboot resent after an accepting answer or while one may
// have been applied, `rebooted` only with the matching evidence in what was fed, an unknown exchange
// refused, the same report from its transcript and from the same choices run again.
//
// Shared by tests/fleet/chaos.cpp (choices from a seed) and fuzz/fleet_session.cpp (choices from the
// fuzzer's bytes); it needs no test framework: broken invariants come back as sentences.
#pragma once

#include <cloudreboot/cloudreboot.hpp>
#include <cloudreboot/fleet/session.hpp>
#include <cloudreboot/fleet/transcript.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cloudreboot::test::chaos {

namespace fl = cloudreboot::fleet;

// Where the driver's choices come from: the given bytes first (a fuzzer's input), then a SplitMix64
// stream seeded from them, so that a short input still makes a whole history and the same input
// always the same one.
class chooser {
public:
    explicit chooser(std::uint64_t seed) : state_(seed) {}
    explicit chooser(std::span<const std::uint8_t> bytes) : bytes_(bytes), state_(0x6A09E667F3BCC909ULL) {
        for (std::uint8_t byte : bytes) state_ = (state_ ^ byte) * 0x100000001B3ULL;
    }

    // Uniform enough in [0, n); 0 when n is 0.
    std::uint64_t below(std::uint64_t n) {
        if (n <= 1) return 0;
        if (at_ < bytes_.size()) {
            std::uint64_t value = 0;
            for (std::uint64_t span = n - 1; span != 0 && at_ < bytes_.size(); span >>= 8) value = value << 8 | bytes_[at_++];
            return value % n;
        }
        return next() % n;
    }
    std::int64_t up_to(std::int64_t bound) { return bound <= 0 ? 0 : static_cast<std::int64_t>(below(static_cast<std::uint64_t>(bound) + 1)); }
    bool percent(unsigned chance) { return below(100) < chance; }
    std::uint64_t next() {
        std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    template <class T>
    const T& pick(std::span<const T> items) {
        return items[static_cast<std::size_t>(below(items.size()))];
    }

private:
    std::span<const std::uint8_t> bytes_;
    std::size_t at_ = 0;
    std::uint64_t state_;
};

enum class answer_kind : std::uint8_t { reboot, read, job, error };

// One documented answer of tests/data/<provider>/responses/.
struct canned_answer {
    cloudreboot::provider provider = cloudreboot::provider::alibaba;
    answer_kind kind = answer_kind::reboot;
    std::string name;
    http_response response;
    bool xml = false;
};

struct answer_book {
    std::vector<canned_answer> answers;

    // The documented answers under `data_dir` (tests/data); an error names the file that is missing
    // or unreadable.
    static result<answer_book> load(std::string_view data_dir) {
        struct listed {
            cloudreboot::provider provider;
            const char* file;
            answer_kind kind;
            int status;  // 0: the file is {"response": {"status", "headers", "body"}}
        };
        using cloudreboot::provider;
        static constexpr listed files[] = {
            {provider::alibaba, "alibaba/responses/reboot_instances_success.json", answer_kind::reboot, 200},
            {provider::alibaba, "alibaba/responses/reboot_instances_success.xml", answer_kind::reboot, 200},
            {provider::alibaba, "alibaba/responses/reboot_instances_success_numeric_code.json", answer_kind::reboot, 200},
            {provider::alibaba, "alibaba/responses/reboot_instance_success.json", answer_kind::reboot, 200},
            {provider::alibaba, "alibaba/responses/dry_run_success.json", answer_kind::reboot, 400},
            {provider::alibaba, "alibaba/responses/describe_instance_status.json", answer_kind::read, 200},
            {provider::alibaba, "alibaba/responses/describe_instance_status.xml", answer_kind::read, 200},
            {provider::alibaba, "alibaba/responses/error.json", answer_kind::error, 400},
            {provider::alibaba, "alibaba/responses/error.xml", answer_kind::error, 403},
            {provider::tencent, "tencent/responses/reboot-success.json", answer_kind::reboot, 200},
            {provider::tencent, "tencent/responses/describe-instances.json", answer_kind::read, 200},
            {provider::tencent, "tencent/responses/describe-instances-status.json", answer_kind::read, 200},
            {provider::tencent, "tencent/responses/error-signature-failure.json", answer_kind::error, 200},
            {provider::huawei, "huawei/responses/reboot_answer.json", answer_kind::reboot, 200},
            {provider::huawei, "huawei/responses/server_detail.json", answer_kind::read, 200},
            {provider::huawei, "huawei/responses/job_success.json", answer_kind::job, 200},
            {provider::huawei, "huawei/responses/job_fail.json", answer_kind::job, 200},
            {provider::huawei, "huawei/responses/error_ecs.json", answer_kind::error, 400},
            {provider::huawei, "huawei/responses/error_gateway.json", answer_kind::error, 401},
            {provider::baidu, "baidu/responses/reboot-ok-empty.json", answer_kind::reboot, 0},
            {provider::baidu, "baidu/responses/reboot-ok-go-sdk-form.json", answer_kind::reboot, 0},
            {provider::baidu, "baidu/responses/reboot-partly-failed.json", answer_kind::reboot, 0},
            {provider::baidu, "baidu/responses/get-instance-running.json", answer_kind::read, 0},
            {provider::baidu, "baidu/responses/get-instance-starting.json", answer_kind::read, 0},
            {provider::baidu, "baidu/responses/error-internal-500.json", answer_kind::error, 0},
            {provider::baidu, "baidu/responses/error-shape-doc.json", answer_kind::error, 0},
            {provider::baidu, "baidu/responses/reboot-forbidden-409.json", answer_kind::error, 0},
        };
        answer_book out;
        for (const listed& one : files) {
            std::string path(data_dir);
            path += '/';
            path += one.file;
            std::ifstream in(path, std::ios::binary);
            if (!in) return invalid_input(path, "cannot be read");
            std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
            canned_answer answer{.provider = one.provider, .kind = one.kind, .name = one.file, .response = {}, .xml = false};
            answer.xml = answer.name.ends_with(".xml");
            if (one.status != 0) {
                answer.response.status = one.status;
                answer.response.body = std::move(text);
            } else {
                auto wrapper = json::parse(text);
                const json::value* response = wrapper ? wrapper->find("response") : nullptr;
                if (response == nullptr) return invalid_input(path, "must hold {\"response\": {\"status\", \"headers\", \"body\"}}");
                auto read = fl::detail::response_of(*response, path);
                if (!read) return std::move(read).error();
                answer.response = std::move(*read);
            }
            out.answers.push_back(std::move(answer));
        }
        return out;
    }
};

struct chaos_outcome {
    std::vector<std::string> broken;  // each invariant broken, as a sentence
    std::string report_json;
    std::string transcript;  // the session's, one line per exchange: replay() reproduces it
    std::size_t exchanges = 0;
    std::size_t instances = 0;
    std::array<std::size_t, 4> outcomes{};   // by fleet::outcome
    std::array<std::size_t, 4> evidences{};  // by fleet::evidence
};

namespace detail {

using cloudreboot::provider;

constexpr std::array<std::string_view, 4> request_id_pool = {
    "6ef60bec-0242-43af-bb20-270359fb54a7", "473469C7-AA6F-4DC5-B3DB-A3DC0DE3C83E", "ed93f3cb-f35e-473f-b9f3-0d451b8b79c6",
    "1214cca7-4ad5-451d-9215-71cb844c0a50"};
constexpr std::array<std::string_view, 3> job_id_pool = {"ff80808288d41e1b018990260955686a", "2c9eb2c5544cbf6101544f0602af2b4f",
                                                          "ff80808288d41e1b01899026095a0001"};
constexpr std::string_view huawei_project = "77b6a44cba5143ab91d13ab9a8ff44fd";

inline std::string_view region_of(provider p) {
    switch (p) {
        case provider::alibaba: return "cn-hangzhou";
        case provider::tencent: return "ap-guangzhou";
        case provider::huawei: return "cn-north-4";
        case provider::baidu: return "bj";
    }
    return "";
}

// Ids a group may hold: valid ones (a few per provider, so that groups share some), the ids the
// documented answers carry, and malformed ones.
inline std::span<const std::string_view> ids_of(provider p) {
    static constexpr std::string_view alibaba[] = {"i-bp67acfmxazb4ph00001", "i-bp67acfmxazb4ph00002", "i-bp1g6zv0ce8oghu7abcd",
                                                   "i-bp1j4i2jdf3owlheabcd", "i-bp67acfmxazb4ph00003", "i-bp67acfmxazb4ph00004"};
    static constexpr std::string_view tencent[] = {"ins-r8hr2upy", "ins-5d8a23rs", "ins-00000001", "ins-abcdefgh", "ins-zzzzzzzz"};
    static constexpr std::string_view huawei[] = {"616fb98f-46ca-475e-917e-2563e5a8cd19", "726fb98f-46ca-475e-917e-2563e5a8cd20",
                                                  "bae51750-0089-41a1-9b18-5c777978ff6d", "616FB98F-46CA-475E-917E-2563E5A8CD19",
                                                  "00000000-0000-0000-0000-000000000001"};
    static constexpr std::string_view baidu[] = {"i-YufwpQAe", "i-00000001", "i-AbCdEfGh", "i-zzzzzzzz"};
    switch (p) {
        case provider::alibaba: return alibaba;
        case provider::tencent: return tencent;
        case provider::huawei: return huawei;
        case provider::baidu: return baidu;
    }
    return {};
}
constexpr std::array<std::string_view, 6> malformed_ids = {"bad id", "", "i-", "ins-", "x\"y", "\xff\xfe"};

inline std::string identity(provider p, std::string_view id) {
    std::string out(id);
    if (p == provider::huawei)
        for (char& c : out)
            if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

template <class Table>
std::string_view pick_name(chooser& choose, const Table& table) {
    return table[static_cast<std::size_t>(choose.below(table.size()))].name;
}

inline std::string_view any_state(chooser& choose, provider p) {
    if (choose.percent(5)) return choose.percent(50) ? "REBOOT_PENDING" : "Rebooting";  // names no library knows
    switch (p) {
        case provider::alibaba: return choose.percent(40) ? "Running" : pick_name(choose, alibaba::instance_states);
        case provider::tencent: return choose.percent(40) ? "RUNNING" : pick_name(choose, tencent::instance_states);
        case provider::huawei: return choose.percent(40) ? "ACTIVE" : pick_name(choose, huawei::instance_states);
        case provider::baidu: return choose.percent(40) ? "Running" : pick_name(choose, baidu::instance_states);
    }
    return "";
}

template <class Table>
std::pair<std::string_view, int> pick_code(chooser& choose, const Table& table) {
    const auto& row = table[static_cast<std::size_t>(choose.below(table.size()))];
    return {row.code, row.http_status};
}

inline std::pair<std::string_view, int> any_error_code(chooser& choose, provider p) {
    switch (p) {
        case provider::alibaba: return pick_code(choose, alibaba::error_table);
        case provider::tencent: return pick_code(choose, tencent::error_table);
        case provider::huawei: return pick_code(choose, huawei::error_table);
        case provider::baidu: return pick_code(choose, baidu::error_table);
    }
    return {"", 0};
}

// IMF-fixdate of an instant (RFC 9110 section 5.6.7).
inline std::string http_date(std::int64_t unix_seconds) {
    static constexpr std::string_view days[] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};
    static constexpr std::string_view months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    auto time = utc_time::from_unix_seconds(unix_seconds);
    if (!time) return "Thu, 01 Jan 1970 00:00:00 GMT";
    const civil_time c = time->civil();
    const std::int64_t day_number = unix_seconds >= 0 ? unix_seconds / 86'400 : (unix_seconds - 86'399) / 86'400;
    const auto two = [](int value) {
        std::string out;
        out += static_cast<char>('0' + value / 10 % 10);
        out += static_cast<char>('0' + value % 10);
        return out;
    };
    std::string out(days[static_cast<std::size_t>(((day_number % 7) + 7) % 7)]);
    out += ", " + two(c.day) + " " + std::string(months[static_cast<std::size_t>(c.month - 1)]) + " " + std::to_string(c.year) +
           " " + two(c.hour) + ":" + two(c.minute) + ":" + two(c.second) + " GMT";
    return out;
}

// What an answer's ids, states, codes and request ids become.
class rewriter {
public:
    rewriter(chooser& choose, provider p, answer_kind kind, const std::vector<std::string>& asked,
             const std::vector<std::string>& group_ids)
        : choose_(choose), provider_(p), kind_(kind), asked_(asked), group_ids_(group_ids) {}

    std::string id() {
        const unsigned roll = static_cast<unsigned>(choose_.below(100));
        if (!asked_.empty() && roll < 80) return asked_[next_asked_++ % asked_.size()];
        if (!group_ids_.empty() && roll < 90) return group_ids_[static_cast<std::size_t>(choose_.below(group_ids_.size()))];
        if (roll < 97) return std::string(choose_.pick(ids_of(provider_)));
        return std::string(malformed_ids[static_cast<std::size_t>(choose_.below(malformed_ids.size()))]);
    }
    std::string state() { return std::string(any_state(choose_, provider_)); }
    std::string job_state() {
        static constexpr std::string_view states[] = {"SUCCESS", "FAIL", "RUNNING", "INIT", "PENDING_PAYMENT", "DONE"};
        return std::string(choose_.pick(std::span<const std::string_view>(states)));
    }
    std::string request_id() {
        if (choose_.percent(5)) return "";
        return std::string(request_id_pool[static_cast<std::size_t>(choose_.below(request_id_pool.size()))]);
    }
    std::string job_id() { return std::string(job_id_pool[static_cast<std::size_t>(choose_.below(job_id_pool.size()))]); }
    std::string error_code() {
        if (choose_.percent(10)) return "Some.UnknownCode";
        auto [code, status] = any_error_code(choose_, provider_);
        error_status_ = status;
        return std::string(code);
    }
    int error_status() const noexcept { return error_status_; }

    // JSON: rebuilds the tree with the values replaced by key, lists of instances grown or shrunk.
    json::value rewrite(const json::value& in, std::string_view key) {
        switch (in.type()) {
            case json::kind::object: {
                json::value out = json::value::make_object();
                for (const json::member& m : in.members()) out.set(m.key, rewrite(m.val, m.key));
                return out;
            }
            case json::kind::array: {
                json::value out = json::value::make_array();
                const bool instances = key == "InstanceStatus" || key == "InstanceSet" || key == "InstanceResponse" ||
                                       key == "sub_jobs" || key == "failedInstanceIdList" || key == "InstanceStatusSet";
                if (instances && !in.items().empty()) {
                    const std::uint64_t copies = choose_.below(asked_.size() + 2);
                    for (std::uint64_t i = 0; i < copies; ++i) out.push_back(rewrite(in.items()[i % in.items().size()], key));
                } else {
                    for (const json::value& item : in.items()) out.push_back(rewrite(item, key));
                }
                return out;
            }
            case json::kind::string: return json::value::make_string(replaced(key, in.as_string()));
            case json::kind::null:
                if (key == "LatestOperationState" || key == "LatestOperation" || key == "LatestOperationRequestId")
                    return choose_.percent(50) ? in : json::value::make_string(replaced(key, ""));
                return in;
            default: return in;
        }
    }

    // XML: the text of each element named like a JSON key above is replaced the same way.
    std::string rewrite_xml(std::string_view text) {
        std::string out;
        std::size_t at = 0;
        while (at < text.size()) {
            const std::size_t open = text.find('<', at);
            if (open == std::string_view::npos) break;
            const std::size_t close = text.find('>', open);
            if (close == std::string_view::npos) break;
            out.append(text.substr(at, close + 1 - at));
            at = close + 1;
            const std::string_view tag = text.substr(open + 1, close - open - 1);
            if (tag.empty() || tag.front() == '/' || tag.front() == '?' || tag.back() == '/') continue;
            const std::size_t end = text.find('<', at);
            if (end == std::string_view::npos || text.substr(end).starts_with("</") == false) continue;
            const std::string_view inner = text.substr(at, end - at);
            out += replaced(tag, inner);
            at = end;
        }
        out.append(text.substr(std::min(at, text.size())));
        return out;
    }

private:
    std::string replaced(std::string_view key, std::string_view value) {
        if (key == "InstanceId" || key == "id" || key == "server_id" || key == "failedInstanceIdList") return id();
        if (key == "Status" || key == "InstanceState" || key == "CurrentStatus" || key == "PreviousStatus")
            return state();
        if (key == "status") return kind_ == answer_kind::job ? job_state() : state();
        if (key == "RequestId" || key == "requestId" || key == "request_id" || key == "LatestOperationRequestId")
            return request_id();
        if (key == "job_id") return job_id();
        if (key == "LatestOperationState") {
            static constexpr std::string_view states[] = {"SUCCESS", "FAILED", "OPERATING", "OTHER"};
            return std::string(choose_.pick(std::span<const std::string_view>(states)));
        }
        if (key == "LatestOperation") return choose_.percent(70) ? "RebootInstances" : "StartInstances";
        if (key == "Code" || key == "code" || key == "error_code") {
            if (kind_ == answer_kind::reboot && value == "200") return choose_.percent(85) ? "200" : error_code();
            if (kind_ == answer_kind::error || choose_.percent(10)) return error_code();
        }
        return std::string(value);
    }

    chooser& choose_;
    provider provider_;
    answer_kind kind_;
    const std::vector<std::string>& asked_;
    const std::vector<std::string>& group_ids_;
    std::size_t next_asked_ = 0;
    int error_status_ = 0;
};

// What the driver knows of one instance from what it sent and fed.
struct instance_story {
    int reboots_sent = 0;        // reboot requests that left (connect failures not counted)
    bool accepted = false;       // an accepting answer to a reboot request naming it was fed (and no job said it failed since)
    bool ever_accepted = false;  // such an answer was fed at some time
    bool uncertain = false;      // a reboot naming it may have been applied, and nothing since says otherwise
    bool cleared = false;        // Tencent: a read since the uncertain reboot shows its operation unchanged
    bool on_path = false;        // a read fed showed it in a state on a reboot's path
    bool confirmed = false;      // a read or job fed said a reboot of it succeeded
    std::set<std::string> baselines;  // Tencent: LatestOperationRequestId read before its first reboot
};

enum class exchange_kind : std::uint8_t { reboot, read, job };

struct flight {
    std::uint64_t exchange = 0;
    std::size_t group = 0;
    exchange_kind kind = exchange_kind::read;
    std::vector<std::string> ids;  // as the session named them
    std::int64_t deliver_at = 0;
};

inline constexpr std::array<int, 16> statuses = {200, 200, 200, 202, 204, 301, 400, 401, 403, 404, 409, 429, 500, 502, 503, 504};

}  // namespace detail

// One history: the groups, policy and seed, then the answers, all from `choose`.
inline chaos_outcome run_chaos(chooser& choose, const answer_book& book) {
    using namespace detail;
    chaos_outcome summary;
    const auto broken = [&summary](std::string what) {
        if (summary.broken.size() < 20) summary.broken.push_back(std::move(what));
    };

    // The groups.
    std::vector<fl::group> groups;
    const std::uint64_t group_count = 1 + choose.below(4);
    for (std::uint64_t i = 0; i < group_count; ++i) {
        fl::group g;
        g.target.provider = static_cast<provider>(choose.below(4));
        g.target.region = std::string(region_of(g.target.provider));
        if (g.target.provider == provider::huawei) g.target.project_id = std::string(huawei_project);
        g.target.credentials = {.access_key_id = "AKIDchaos", .access_key_secret = secret_key(std::string_view("chaos-secret")),
                                .security_token = choose.percent(10) ? "token" : ""};
        g.target.stop = static_cast<fl::stop_mode>(choose.below(g.target.provider == provider::tencent ? 3 : 2));
        const std::uint64_t count = 1 + choose.below(8);
        for (std::uint64_t k = 0; k < count; ++k) {
            if (choose.percent(8)) g.instances.emplace_back(malformed_ids[static_cast<std::size_t>(choose.below(malformed_ids.size()))]);
            else g.instances.emplace_back(choose.pick(ids_of(g.target.provider)));
        }
        groups.push_back(std::move(g));
    }
    // The policy.
    fl::policy rules;
    rules.deadline_ms = (1 + choose.up_to(19)) * 60'000;
    rules.poll.initial_ms = choose.percent(50) ? choose.up_to(2'000) : 5'000 + choose.up_to(10'000);
    rules.poll.interval_ms = choose.percent(50) ? 100 + choose.up_to(1'900) : 10'000 + choose.up_to(20'000);
    rules.poll.max_ms = rules.poll.interval_ms + choose.up_to(30'000);
    rules.retry.attempts = 1 + static_cast<int>(choose.below(6));
    rules.retry.base_ms = 1 + choose.up_to(2'000);
    rules.retry.cap_ms = rules.retry.base_ms + choose.up_to(30'000);
    rules.in_flight = 1 + static_cast<int>(choose.below(16));
    rules.preflight = choose.percent(70);
    rules.dry_run = choose.percent(5);
    rules.presume_after_ms = choose.up_to(300) * 1'000;
    const std::uint64_t seed = choose.next();
    const std::int64_t started = 1'795'338'611'000 + choose.up_to(100'000);

    // The instances the report must hold, in order: one per distinct identity in each group.
    std::vector<std::pair<std::size_t, std::string>> expected;        // group, id as first given
    std::map<std::pair<std::size_t, std::string>, instance_story> story;  // by group and identity
    for (std::size_t g = 0; g < groups.size(); ++g) {
        std::set<std::string> seen;
        for (const std::string& id : groups[g].instances)
            if (seen.insert(identity(groups[g].target.provider, id)).second) {
                expected.emplace_back(g, id);
                story[{g, identity(groups[g].target.provider, id)}];
            }
    }
    summary.instances = expected.size();

    auto made = fl::session::create(groups, rules, seed, {.transcript = true, .unpaced = false});
    if (!made) {
        broken("the session refused valid groups: " + made.error().message());
        return summary;
    }
    fl::session& s = *made;
    std::vector<std::string> transcript;
    std::vector<flight> pending;
    std::set<std::uint64_t> answered;
    std::int64_t now = started;
    bool first_call = true;
    std::int64_t started_at = started;

    const auto story_of = [&](std::size_t g, std::string_view id) -> instance_story* {
        auto found = story.find({g, identity(groups[g].target.provider, id)});
        return found == story.end() ? nullptr : &found->second;
    };

    // What a fed answer says, read with the library's public parsers (not the session's drivers).
    const auto note_fed = [&](const flight& f, const http_response* response, std::optional<fl::transport_failure> failure) {
        const provider p = groups[f.group].target.provider;
        if (f.kind == exchange_kind::reboot) {
            bool uncertain = failure && *failure != fl::transport_failure::connect;
            std::set<std::string> accepted;
            if (response != nullptr) {
                const int status = response->status;
                // What the session must look into before sending again: a success it cannot read,
                // a gateway's 500/502/504 page without a provider's code (a coded answer is the
                // provider's word, which the session may take).
                const auto unreadable_success = [&](const error& e) {
                    if (status >= 200 && status < 300 && e.code == errc::malformed_response) return true;
                    return (status == 500 || status == 502 || status == 504) && e.code == errc::provider_error &&
                           e.provider.code.starts_with("HTTP ");
                };
                switch (p) {
                    case provider::alibaba: {
                        auto answer = alibaba::parse_reboot_instances(*response);
                        if (answer && !answer->dry_run_passed) {
                            std::set<std::string> refused;
                            for (const auto& item : answer->instances)
                                if (!item.ok()) refused.insert(item.instance_id);
                            for (const std::string& id : f.ids)
                                if (refused.count(id) == 0) accepted.insert(id);
                        } else if (!answer) {
                            uncertain = uncertain || unreadable_success(answer.error());
                        }
                        break;
                    }
                    case provider::tencent: {
                        auto answer = tencent::parse_reboot_instances(*response);
                        if (answer) accepted.insert(f.ids.begin(), f.ids.end());
                        else uncertain = uncertain || unreadable_success(answer.error());
                        break;
                    }
                    case provider::huawei: {
                        auto answer = huawei::parse_batch_reboot_servers(*response);
                        if (answer) accepted.insert(f.ids.begin(), f.ids.end());
                        else uncertain = uncertain || unreadable_success(answer.error());
                        break;
                    }
                    case provider::baidu: {
                        auto answer = baidu::parse_reboot_instance(*response);
                        if (answer) {
                            for (const std::string& id : f.ids) {
                                bool failed = false;
                                for (const std::string& other : answer->failed_instance_ids) failed = failed || other == id;
                                if (!failed) accepted.insert(id);
                            }
                        } else {
                            uncertain = uncertain || unreadable_success(answer.error());
                        }
                        break;
                    }
                }
            }
            for (const std::string& id : f.ids) {
                instance_story* one = story_of(f.group, id);
                if (one == nullptr) continue;
                if (failure == fl::transport_failure::connect) --one->reboots_sent;
                if (accepted.count(id) != 0) one->accepted = one->ever_accepted = true;
                if (uncertain) {
                    one->uncertain = true;
                    one->cleared = false;
                }
            }
            return;
        }
        if (response == nullptr) return;
        const auto seen_state = [&](std::string_view id, reboot_progress progress) {
            instance_story* one = story_of(f.group, id);
            if (one != nullptr && progress == reboot_progress::rebooting) one->on_path = true;
            return one;
        };
        switch (p) {
            case provider::alibaba:
                if (auto page = alibaba::parse_describe_instance_status(*response))
                    for (const auto& item : page->instances)
                        seen_state(item.instance_id, item.state ? alibaba::progress_of(*item.state) : reboot_progress::unknown);
                break;
            case provider::tencent:
                if (auto page = tencent::parse_describe_instances(*response)) {
                    for (const auto& item : page->instances) {
                        const reboot_progress progress = item.state ? tencent::progress_of(*item.state) : reboot_progress::unknown;
                        instance_story* one = seen_state(item.instance_id, progress);
                        if (one == nullptr) continue;
                        if (item.latest_operation_state == tencent::operation_state::success) one->confirmed = true;
                        if (one->reboots_sent == 0) one->baselines.insert(item.latest_operation_request_id);
                        if (one->uncertain && progress == reboot_progress::running &&
                            item.latest_operation_state != tencent::operation_state::operating &&
                            one->baselines.count(item.latest_operation_request_id) != 0)
                            one->cleared = true;
                    }
                }
                break;
            case provider::huawei:
                if (f.kind == exchange_kind::job) {
                    if (auto job = huawei::parse_show_job(*response)) {
                        for (const auto& sub : job->sub_jobs) {
                            instance_story* one = story_of(f.group, sub.server_id);
                            if (one == nullptr) continue;
                            if (sub.state == huawei::job_state::success) one->confirmed = true;
                            if (sub.state == huawei::job_state::fail) one->accepted = false;  // ECS says it did not reboot
                        }
                    }
                } else if (auto server = huawei::parse_show_server(*response)) {
                    seen_state(server->id, server->state ? huawei::progress_of(*server->state) : reboot_progress::unknown);
                }
                break;
            case provider::baidu:
                if (auto instance = baidu::parse_get_instance(*response))
                    seen_state(instance->id, instance->state ? baidu::progress_of(*instance->state) : reboot_progress::unknown);
                break;
        }
    };

    // An answer for `f`, by chance.
    const auto make_answer = [&](const flight& f) -> http_response {
        const provider p = groups[f.group].target.provider;
        const answer_kind natural = f.kind == exchange_kind::reboot ? answer_kind::reboot
                                    : f.kind == exchange_kind::job  ? answer_kind::job
                                                                    : answer_kind::read;
        const unsigned roll = static_cast<unsigned>(choose.below(100));
        const answer_kind wanted = roll < 60 ? natural : roll < 92 ? answer_kind::error : static_cast<answer_kind>(choose.below(4));
        std::vector<const canned_answer*> candidates;
        const bool any_provider = choose.percent(3);
        for (const canned_answer& one : book.answers)
            if ((any_provider || one.provider == p) && one.kind == wanted) candidates.push_back(&one);
        if (candidates.empty())
            for (const canned_answer& one : book.answers)
                if (one.provider == p) candidates.push_back(&one);
        const canned_answer& base = *candidates[static_cast<std::size_t>(choose.below(candidates.size()))];
        http_response out = base.response;
        std::vector<std::string> group_ids;
        for (const std::string& id : groups[f.group].instances) group_ids.push_back(id);
        rewriter change(choose, base.provider, base.kind, f.ids, group_ids);
        if (base.xml) {
            out.body = change.rewrite_xml(out.body);
        } else if (!out.body.empty()) {
            if (auto tree = json::parse(out.body)) out.body = json::dump(change.rewrite(*tree, ""));
        }
        if (change.error_status() != 0 && choose.percent(70)) out.status = change.error_status();
        if (choose.percent(15)) out.status = statuses[static_cast<std::size_t>(choose.below(statuses.size()))];
        // Bodies cut short, garbage, a byte order mark.
        const unsigned damage = static_cast<unsigned>(choose.below(100));
        if (damage < 6 && !out.body.empty()) out.body.resize(static_cast<std::size_t>(choose.below(out.body.size())));
        else if (damage < 9) out.body = "<html><body>upstream error</body></html>";
        else if (damage < 11) {
            out.body.clear();
            for (std::uint64_t i = choose.below(64); i > 0; --i) out.body += static_cast<char>(choose.below(256));
        } else if (damage < 12) {
            out.body.insert(0, "\xEF\xBB\xBF");
        }
        // Headers.
        std::vector<field> headers;
        for (const field& h : out.headers)
            if (!cloudreboot::detail::ascii_iequals(h.name, "date")) headers.push_back(h);
        const unsigned dated = static_cast<unsigned>(choose.below(100));
        if (dated < 70) {
            static constexpr std::int64_t offsets[] = {0, 0, 0, 0, 45, -45, 400, -400, 1'200, -1'200, 2'000, -2'000};
            std::int64_t offset = offsets[static_cast<std::size_t>(choose.below(std::size(offsets)))];
            if (choose.percent(5)) offset = static_cast<std::int64_t>(choose.below(2'000'000'000)) - 1'000'000'000;
            headers.push_back({"Date", http_date(now / 1000 + offset)});
        } else if (dated < 80) {
            headers.push_back({"Date", choose.percent(50) ? "yesterday" : "Sun, 06 Nov 1994 08:49:37 GMT"});
        }
        if (choose.percent(10))
            headers.push_back({"Retry-After", choose.percent(70) ? std::to_string(choose.below(120)) : http_date(now / 1000 + 30)});
        if (p == provider::alibaba && choose.percent(5)) headers.push_back({"x-acs-retry-after", std::to_string(choose.below(60'000))});
        if (p == provider::baidu && choose.percent(50)) headers.push_back({"x-bce-request-id", change.request_id()});
        out.headers = std::move(headers);
        return out;
    };

    const auto deliver = [&](const flight& f, bool after_finish) {
        const unsigned fate = static_cast<unsigned>(choose.below(100));
        const std::int64_t at = choose.percent(2) ? now - choose.up_to(5'000) : now;  // a clock that ran back
        const std::string before = after_finish ? fl::to_json(s.report()) : std::string();
        result<void> fed;
        if (fate < 10) {
            const auto how = static_cast<fl::transport_failure>(choose.below(3));
            if (!after_finish) note_fed(f, nullptr, how);
            fed = s.transport_failed(f.exchange, how, at);
        } else {
            const http_response response = make_answer(f);
            if (!after_finish) note_fed(f, &response, std::nullopt);
            fed = s.receive(f.exchange, response, at);
        }
        if (!fed) broken("an answer to exchange " + std::to_string(f.exchange) + " was refused: " + fed.error().message());
        answered.insert(f.exchange);
        if (after_finish && fl::to_json(s.report()) != before) broken("an answer after the end changed the report");
    };

    const auto check_refused = [&](std::uint64_t exchange) {
        const bool as_answer = choose.percent(50);
        const result<void> fed = as_answer ? s.receive(exchange, http_response{.status = 200, .headers = {}, .body = "{}"}, now)
                                           : s.transport_failed(exchange, fl::transport_failure::reset, now);
        if (fed) broken("exchange " + std::to_string(exchange) + ", not in flight, was accepted");
        else if (fed.error().code != errc::invalid_input || fed.error().field != "exchange")
            broken("exchange " + std::to_string(exchange) + " was refused as " + fed.error().message());
    };

    std::size_t steps = 0;
    for (; steps < 400'000; ++steps) {
        const std::int64_t asked_at = !first_call && choose.percent(1) ? now - choose.up_to(10'000) : now;
        const fl::action next = s.next(asked_at);
        if (first_call) {
            started_at = asked_at;
            first_call = false;
        }
        if (next.what == fl::action::kind::finished) break;
        if (next.what == fl::action::kind::send) {
            ++summary.exchanges;
            flight f;
            f.exchange = next.exchange;
            const auto group = s.group_of(next.exchange);
            if (!group) {
                broken("a sent exchange has no group");
                break;
            }
            f.group = *group;
            for (std::string_view id : s.instances_of(next.exchange)) f.ids.emplace_back(id);
            f.kind = !s.is_read(next.exchange) ? exchange_kind::reboot : f.ids.empty() ? exchange_kind::job : exchange_kind::read;
            if (f.kind == exchange_kind::reboot) {
                for (const std::string& id : f.ids) {
                    instance_story* one = story_of(f.group, id);
                    if (one == nullptr) {
                        broken("a reboot names " + id + ", which no group holds");
                        continue;
                    }
                    if (one->accepted) broken("a reboot of " + id + " was sent again after an answer accepted one");
                    else if (one->uncertain && !one->cleared)
                        broken("a reboot of " + id + " was sent again while the last one may have been applied");
                    ++one->reboots_sent;
                    one->uncertain = false;
                    one->cleared = false;
                }
            }
            const unsigned delay = static_cast<unsigned>(choose.below(100));
            f.deliver_at = now + (delay < 30 ? 0 : delay < 80 ? choose.up_to(2'000) : delay < 97 ? choose.up_to(60'000)
                                                                                                 : choose.up_to(1'500'000));
            pending.push_back(std::move(f));
            if (pending.size() > static_cast<std::size_t>(rules.in_flight))
                broken(std::to_string(pending.size()) + " requests in flight, above policy.in_flight " + std::to_string(rules.in_flight));
            if (choose.percent(3)) check_refused(choose.percent(50) ? next.exchange + 1 + choose.below(5) : 0);
            continue;
        }
        std::int64_t until = next.until_ms;
        for (const flight& f : pending) until = std::min(until, f.deliver_at);
        if (until < now) until = now;
        now = until;
        // Everything due now, in an order of its own.
        std::vector<flight> due;
        for (std::size_t i = 0; i < pending.size();) {
            if (pending[i].deliver_at <= now) {
                due.push_back(std::move(pending[i]));
                pending.erase(pending.begin() + static_cast<std::ptrdiff_t>(i));
            } else {
                ++i;
            }
        }
        while (!due.empty()) {
            const std::size_t pick = static_cast<std::size_t>(choose.below(due.size()));
            const flight f = std::move(due[pick]);
            due.erase(due.begin() + static_cast<std::ptrdiff_t>(pick));
            deliver(f, false);
            if (choose.percent(3) && !answered.empty()) check_refused(*answered.begin());
        }
        for (std::string& line : s.take_transcript()) transcript.push_back(std::move(line));
    }
    if (!s.finished()) {
        broken("the session did not finish in " + std::to_string(steps) + " steps");
        return summary;
    }
    // Answers after the end are taken and change nothing.
    for (const flight& f : pending)
        if (choose.percent(50)) deliver(f, true);
    for (std::string& line : s.take_transcript()) transcript.push_back(std::move(line));

    const fl::report& report = s.report();
    summary.report_json = fl::to_json(report);
    if (report.instances.size() != expected.size()) {
        broken("the report holds " + std::to_string(report.instances.size()) + " instances, not " +
               std::to_string(expected.size()));
        return summary;
    }
    fl::outcome_counts counts;
    if (report.started_at_ms != started_at) broken("started_at is not the first call's time");
    if (report.finished_at_ms > report.started_at_ms + rules.deadline_ms) broken("finished after the deadline");
    for (std::size_t i = 0; i < expected.size(); ++i) {
        const fl::instance_report& one = report.instances[i];
        const auto& [g, id] = expected[i];
        const std::string who = "instance " + std::to_string(i) + " (" + one.id + ")";
        if (one.id != id || one.provider != groups[g].target.provider || one.region != groups[g].target.region)
            broken(who + " is not the instance given in its place");
        const instance_story& known = story.at({g, identity(groups[g].target.provider, id)});
        ++summary.outcomes[static_cast<std::size_t>(one.outcome)];
        ++summary.evidences[static_cast<std::size_t>(one.evidence)];
        switch (one.outcome) {
            case fl::outcome::rebooted: ++counts.rebooted; break;
            case fl::outcome::failed: ++counts.failed; break;
            case fl::outcome::not_attempted: ++counts.not_attempted; break;
            case fl::outcome::unknown: ++counts.unknown; break;
        }
        if (one.attempts > rules.retry.attempts) broken(who + " has more attempts than policy.retry.attempts");
        if (one.attempts != (rules.dry_run ? 0 : known.reboots_sent))
            broken(who + " reports " + std::to_string(one.attempts) + " attempts; " + std::to_string(known.reboots_sent) +
                   " reboot requests left");
        if ((one.outcome == fl::outcome::rebooted) != (one.evidence != fl::evidence::none))
            broken(who + " has evidence " + std::string(fl::to_string(one.evidence)) + " with outcome " +
                   std::string(fl::to_string(one.outcome)));
        if (one.outcome == fl::outcome::rebooted) {
            if (one.error) broken(who + " is rebooted with an error");
            if (one.evidence == fl::evidence::confirmed && !known.confirmed)
                broken(who + " is confirmed, but no answer fed said its reboot succeeded");
            if (one.evidence == fl::evidence::observed && !known.on_path)
                broken(who + " is observed, but no read fed showed it on a reboot's path");
            if (one.evidence == fl::evidence::presumed && !(known.ever_accepted && one.accepted_at_ms))
                broken(who + " is presumed, but no answer fed accepted its reboot");
        }
        if ((one.outcome == fl::outcome::failed || one.outcome == fl::outcome::not_attempted) && !one.error)
            broken(who + " is " + std::string(fl::to_string(one.outcome)) + " without an error");
        if (one.outcome == fl::outcome::not_attempted && one.attempts != 0) broken(who + " is not_attempted with attempts");
    }
    if (!(counts == report.counts)) broken("the counts do not add up to the outcomes");

    // The transcript replays to the same report.
    std::string& text = summary.transcript;
    for (const std::string& line : transcript) text += line + "\n";
    auto replayed = fl::replay(text);
    // Compared as JSON values: an id that is not UTF-8 reads back as U+FFFD, which the report's
    // writer spells raw where the first report wrote "\ufffd".
    if (!replayed) broken("the transcript does not replay: " + replayed.error().message());
    else if (!(json::parse(fl::to_json(*replayed)).value_or(json::value{}) == json::parse(summary.report_json).value_or(json::value{})))
        broken("the transcript replays to another report");
    return summary;
}

}  // namespace cloudreboot::test::chaos
