#include <cloudreboot/huawei/api.hpp>

#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace hw = cloudreboot::huawei;
namespace cr = cloudreboot;

namespace {

constexpr std::string uuid_of(std::size_t i) {
    std::string out = "00000000-0000-4000-8000-000000000000";
    for (std::size_t pos = out.size(); i != 0 && pos > 24; i /= 16) out[--pos] = "0123456789abcdef"[i % 16];
    return out;
}

constexpr hw::batch_reboot_servers batch(std::size_t count) {
    hw::batch_reboot_servers op;
    op.project_id = "77b6a44cba5143ab91d13ab9a8ff44fd";
    op.region = "cn-north-4";
    op.type = hw::reboot_type::hard;
    for (std::size_t i = 0; i < count; ++i) op.server_ids.push_back(uuid_of(i));
    return op;
}

[[maybe_unused]] constexpr std::string field_of(const cr::result<void>& checked) {
    if (checked) return {};
    std::string out = checked.error().field;
    return out;
}

}  // namespace

#if CLOUDREBOOT_HAS_CONSTEXPR_STRING
static_assert(hw::validate(batch(1)).has_value());
static_assert(hw::validate(batch(20)).has_value());  // (larger batches exceed the default constexpr budget; run time checks 1000)
static_assert(field_of(hw::validate(batch(0))) == "servers");
static_assert(field_of(hw::validate(batch(1001))) == "servers");  // the count is checked first
static_assert(hw::detail::is_uuid("616fb98f-46ca-475e-917e-2563e5a8cd19"));
static_assert(!hw::detail::is_uuid("616fb98f46ca-475e-917e-2563e5a8cd19a"));
static_assert(hw::body_of(batch(1)) == R"({"reboot":{"servers":[{"id":"00000000-0000-4000-8000-000000000000"}],"type":"HARD"}})");
static_assert(hw::body_of(batch(1), hw::body_order::documentation) ==
              R"({"reboot":{"type":"HARD","servers":[{"id":"00000000-0000-4000-8000-000000000000"}]}})");
static_assert(hw::path_of(batch(1)) == "/v1/77b6a44cba5143ab91d13ab9a8ff44fd/cloudservers/action");
static_assert(hw::default_endpoint("cn-north-4")->host == "ecs.cn-north-4.myhuaweicloud.com");
#endif
// The spellings the CLI's `order` option takes (cli/huawei.hpp).
static_assert(hw::to_string(hw::body_order::sdk) == "sdk");
static_assert(hw::to_string(hw::body_order::documentation) == "documentation");
static_assert(hw::to_string(static_cast<hw::body_order>(7)).empty());
static_assert(hw::max_restarts_per_minute == 1000);
static_assert(hw::max_servers_per_call == 1000);

TEST_CASE("huawei api: batch limits") {
    CHECK(hw::validate(batch(1)));
    CHECK(hw::validate(batch(1000)));
    auto none = hw::validate(batch(0));
    REQUIRE_FALSE(none);
    CHECK(none.error().field == "servers");
    CHECK(none.error().code == cr::errc::invalid_input);
    auto many = hw::validate(batch(1001));
    REQUIRE_FALSE(many);
    CHECK(many.error().rule == "at most 1000 ids per call (got 1001)");
}

TEST_CASE("huawei api: server id syntax and duplicates") {
    auto op = batch(3);
    op.server_ids[2] = "i-bp67acfmxazb4ph00001";
    auto bad = hw::validate(op);
    REQUIRE_FALSE(bad);
    CHECK(bad.error().field == "servers[2].id");

    op = batch(3);
    op.server_ids[2] = op.server_ids[0];
    auto duplicate = hw::validate(op);
    REQUIRE_FALSE(duplicate);
    CHECK(duplicate.error().field == "servers[2].id");
    CHECK(duplicate.error().rule == "duplicate of servers[0].id");

    op = batch(2);
    op.server_ids[1] = "00000000-0000-4000-8000-00000000000A";
    CHECK(hw::validate(op));
    CHECK(hw::detail::is_uuid("616FB98F-46CA-475E-917E-2563E5A8CD19"));
}

TEST_CASE("huawei api: project id, job id, region") {
    auto op = batch(1);
    op.project_id = "";
    CHECK(hw::validate(op).error().field == "project_id");
    op.project_id = "77b6a44cba5143ab91d13ab9a8ff44f";
    CHECK(hw::validate(op).error().rule.find("got 31") != std::string::npos);
    op.project_id = "77b6a44cba5143ab91d13ab9a8ff44fg";
    CHECK(hw::validate(op).error().field == "project_id");

    hw::show_job job{"77b6a44cba5143ab91d13ab9a8ff44fd", "cn-north-4", "ff80808288d41e1b018990260955686a"};
    CHECK(hw::validate(job));
    job.job_id = "a/b";
    CHECK(hw::validate(job).error().field == "job_id");
    job.job_id = "";
    CHECK(hw::validate(job).error().field == "job_id");

    hw::show_server server{"77b6a44cba5143ab91d13ab9a8ff44fd", "cn-north-4", "616fb98f-46ca-475e-917e-2563e5a8cd19"};
    CHECK(hw::validate(server));
    CHECK(hw::path_of(server) == "/v1/77b6a44cba5143ab91d13ab9a8ff44fd/cloudservers/616fb98f-46ca-475e-917e-2563e5a8cd19");
    server.server_id = "x";
    CHECK(hw::validate(server).error().field == "server_id");

    CHECK(hw::default_endpoint("ap-southeast-1")->host == "ecs.ap-southeast-1.myhuaweicloud.com");
    CHECK(hw::default_endpoint("new-region-99"));
    CHECK(hw::default_endpoint("").error().field == "region");
    CHECK(hw::default_endpoint("cn north").error().field == "region");
    CHECK(hw::default_endpoint("-cn").error().field == "region");
}

TEST_CASE("huawei api: reboot type") {
    CHECK(hw::parse_reboot_type("SOFT").value() == hw::reboot_type::soft);
    CHECK(hw::parse_reboot_type("HARD").value() == hw::reboot_type::hard);
    CHECK(hw::parse_reboot_type("soft").error().field == "type");
    CHECK(hw::to_string(hw::reboot_type::hard) == "HARD");
}

namespace {

// The rule validate_instance_ids() has always followed, written the slow way: the first malformed
// id anywhere wins; otherwise the first id equal (ASCII case-insensitively) to an earlier one,
// named with the earliest of them.
std::string expected_error(const std::vector<std::string>& ids) {
    for (std::size_t i = 0; i < ids.size(); ++i)
        if (!hw::detail::is_uuid(ids[i])) return "servers[" + std::to_string(i) + "].id: malformed";
    for (std::size_t i = 0; i < ids.size(); ++i)
        for (std::size_t j = 0; j < i; ++j)
            if (cr::text::iequals(ids[j], ids[i]))
                return "servers[" + std::to_string(i) + "].id: duplicate of servers[" + std::to_string(j) + "].id";
    return {};
}

std::string actual_error(const std::vector<std::string>& ids) {
    const auto checked = hw::validate_instance_ids(ids);
    if (checked) return {};
    if (checked.error().rule.starts_with("duplicate of ")) return checked.error().field + ": " + checked.error().rule;
    return checked.error().field + ": malformed";
}

}  // namespace

TEST_CASE("huawei api: the first error of a batch is the one a left-to-right reader meets") {
    // A malformed id after a duplicate is still reported first (rules before repeats).
    std::vector<std::string> ids{uuid_of(1), uuid_of(2), uuid_of(1), "not-a-uuid"};
    CHECK(actual_error(ids) == "servers[3].id: malformed");
    ids.pop_back();
    CHECK(actual_error(ids) == "servers[2].id: duplicate of servers[0].id");
    // Case-insensitive: hex case is the only way two valid ids can differ and still be equal.
    ids = {"616fb98f-46ca-475e-917e-2563e5a8cd19", "616FB98F-46CA-475E-917E-2563E5A8CD19"};
    CHECK(actual_error(ids) == "servers[1].id: duplicate of servers[0].id");
    ids.push_back("");
    CHECK(actual_error(ids) == "servers[2].id: malformed");

    // Short (pairwise) and long (hashed) lists, with repeats of every multiplicity and case,
    // against the slow rule.
    std::uint64_t state = 0x2545F4914F6CDD1DULL;
    const auto next = [&state] {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        return state;
    };
    for (const std::size_t size : {1u, 2u, 5u, 12u, 13u, 40u, 300u, 1000u}) {
        for (int trial = 0; trial < 40; ++trial) {
            std::vector<std::string> batch_ids;
            for (std::size_t i = 0; i < size; ++i) batch_ids.push_back(uuid_of(static_cast<std::size_t>(next() % 1000000)));
            const std::uint64_t what = next() % 4;
            if (what >= 1 && size > 1) {  // a repeat, sometimes in the other case
                const std::size_t from = static_cast<std::size_t>(next() % size);
                const std::size_t to = static_cast<std::size_t>(next() % size);
                batch_ids[to] = batch_ids[from];
                if (next() % 2 == 0)
                    for (char& c : batch_ids[to]) c = cr::text::to_upper(c);
            }
            if (what >= 2) batch_ids[static_cast<std::size_t>(next() % size)] = "616fb98f-46ca-475e-917e-2563e5a8cd1";
            if (what == 3 && size > 2) batch_ids[static_cast<std::size_t>(next() % size)][8] = 'x';
            CAPTURE(size);
            CAPTURE(trial);
            CHECK(actual_error(batch_ids) == expected_error(batch_ids));
        }
    }
}

TEST_CASE("huawei api: ids are copied into the body whole only when JSON needs no escape") {
    // Every byte value at every position of strings spanning one word, two, and a tail.
    for (std::size_t size = 1; size <= 17; ++size) {
        for (std::size_t at = 0; at < size; ++at) {
            for (unsigned value = 0; value < 256; ++value) {
                std::string text(size, 'a');
                text[at] = static_cast<char>(value);
                const bool plain = value >= 0x20 && value != '"' && value != '\\';
                CAPTURE(size);
                CAPTURE(at);
                CAPTURE(value);
                CHECK(hw::detail::json_plain(text) == plain);
            }
        }
    }
    hw::batch_reboot_servers op = batch(2);
    op.server_ids[1] = "a\"b\\c\n\x7F\xC3\xA9-0123456789";
    std::string expected = R"({"reboot":{"servers":[{"id":")" + op.server_ids[0] + R"("},{"id":)";
    cr::json::append_quoted(expected, op.server_ids[1]);
    expected += R"(}],"type":"HARD"}})";
    CHECK(hw::body_of(op) == expected);
}

TEST_CASE("huawei api: the word-at-a-time UUID check agrees with the byte rule for every byte at every position") {
    // The rule written plainly: 8-4-4-4-12 hex digits of either case.
    const auto plain_rule = [](std::string_view id) {
        if (id.size() != 36) return false;
        for (std::size_t i = 0; i < 36; ++i) {
            const auto c = static_cast<unsigned char>(id[i]);
            const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
            const bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (dash ? c != '-' : !hex) return false;
        }
        return true;
    };
    const std::string base = "616fb98f-46CA-475e-917e-2563e5a8cd19";
    std::size_t disagreements = 0;
    for (std::size_t position = 0; position < base.size(); ++position) {
        for (int byte = 0; byte < 256; ++byte) {
            std::string id = base;
            id[position] = static_cast<char>(byte);
            if (cloudreboot::huawei::detail::is_uuid(id) != plain_rule(id)) ++disagreements;
        }
    }
    CHECK(disagreements == 0);
    CHECK(cloudreboot::huawei::detail::is_uuid(base));
    CHECK_FALSE(cloudreboot::huawei::detail::is_uuid(base.substr(1)));
    static_assert(cloudreboot::huawei::detail::is_uuid("616fb98f-46ca-475e-917e-2563e5a8cd19"));
    static_assert(!cloudreboot::huawei::detail::is_uuid("616fb98f-46ca-475e-917e-2563e5a8cd1\x19"));
}

TEST_CASE("huawei api: list_projects asks IAM for the project named after a region") {
    const hw::list_projects op{.region = "ap-southeast-1"};
    CHECK(hw::validate(op));
    CHECK(hw::method_of(op) == "GET");
    CHECK(hw::path_of(op) == "/v3/projects");
    CHECK(hw::query_of(op) == "name=ap-southeast-1");
    CHECK(hw::project_of(op).empty());
    CHECK(hw::project_of(hw::show_job{.project_id = "p", .region = "r", .job_id = "j"}) == "p");
    CHECK(hw::default_endpoint_of(op)->host == "iam.myhuaweicloud.com");
    CHECK(hw::iam_endpoint("cn-north-4")->host == "iam.cn-north-4.myhuaweicloud.com");
    CHECK(hw::validate(hw::list_projects{}).error().field == "name");
    for (std::string_view bad : {"-cn", "cn_north", "CN", "cn north"}) {
        CAPTURE(bad);
        CHECK(hw::validate(hw::list_projects{.region = std::string(bad)}).error().field == "name");
    }
}
