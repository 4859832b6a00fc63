// fleet::plan and fleet::planner: the first round of a session, as the session itself makes it.
#include <cloudreboot/fleet/plan.hpp>

#include <doctest/doctest.h>

#include <cstddef>
#include <string>
#include <vector>

namespace cr = cloudreboot;
namespace fl = cloudreboot::fleet;

namespace {

constexpr std::int64_t t0 = 1'795'338'611'000;  // 2026-11-22T09:10:11Z

fl::group group_of(cr::provider provider, std::vector<std::string> ids) {
    fl::group g;
    g.target.provider = provider;
    g.target.region = provider == cr::provider::tencent   ? "ap-guangzhou"
                      : provider == cr::provider::huawei  ? "cn-north-4"
                      : provider == cr::provider::baidu   ? "bj"
                                                          : "cn-hangzhou";
    if (provider == cr::provider::huawei) g.target.project_id = "77b6a44cba5143ab91d13ab9a8ff44fd";
    g.target.credentials = {.access_key_id = "AKIDEXAMPLE", .access_key_secret = cr::secret_key("secretEXAMPLE")};
    g.instances = std::move(ids);
    return g;
}

std::string tencent_id(std::size_t n) {
    std::string digits = std::to_string(n);
    return "ins-" + std::string(8 - digits.size(), '0') + digits;
}

std::vector<std::string> planned_ids(const std::vector<fl::planned_request>& planned) {
    std::vector<std::string> out;
    for (const fl::planned_request& one : planned) out.insert(out.end(), one.instances.begin(), one.instances.end());
    return out;
}

}  // namespace

TEST_CASE("fleet plan: malformed and repeated ids are not planned, in any group, the first included") {
    // A malformed id ended its instance before its group was added, and reached into the group
    // list at the group's index: out of bounds, a crash for the first group.
    for (bool preflight : {true, false}) {
        CAPTURE(preflight);
        fl::policy rules;
        rules.preflight = preflight;
        const std::vector<fl::group> groups = {
            group_of(cr::provider::tencent, {"bad id", "ins-00000001", "ins-00000001", "INS-00000002"}),
            group_of(cr::provider::baidu, {"i-Yu000001", "x-Yu000002", "i-Yu000001"}),
            group_of(cr::provider::huawei, {"616fb98f-46ca-475e-917e-2563e5a8cd19", "616FB98F-46CA-475E-917E-2563E5A8CD19",
                                            "not a uuid"}),
        };
        auto planned = fl::plan(groups, rules, 1, t0);
        REQUIRE_MESSAGE(planned.has_value(), (planned ? std::string() : planned.error().message()));
        CHECK(planned_ids(*planned) ==
              std::vector<std::string>{"ins-00000001", "i-Yu000001", "616fb98f-46ca-475e-917e-2563e5a8cd19"});
        for (const fl::planned_request& one : *planned) CHECK(one.is_read == preflight);
    }
}

TEST_CASE("fleet plan: every chunk at once, pacing and the in-flight limit aside; the planner hands out the same requests") {
    std::vector<std::string> ids;
    for (std::size_t n = 0; n < 1'050; ++n) ids.push_back(tencent_id(n));
    fl::policy rules;
    rules.preflight = false;
    rules.in_flight = 1;
    const std::vector<fl::group> groups = {group_of(cr::provider::tencent, ids)};
    auto planned = fl::plan(groups, rules, 9, t0);
    REQUIRE(planned.has_value());
    REQUIRE(planned->size() == 11);  // ten chunks of 100 and one of 50, though a session sends one at a time
    CHECK(planned->back().instances.size() == 50);
    CHECK(planned_ids(*planned) == ids);

    auto planner = fl::planner::create(groups, rules, 9, t0);
    REQUIRE(planner.has_value());
    std::size_t index = 0;
    while (auto one = planner->next()) {
        REQUIRE(index < planned->size());
        CHECK(one->request.url() == (*planned)[index].request.url());
        CHECK(one->request.headers == (*planned)[index].request.headers);
        CHECK(one->request.body == (*planned)[index].request.body);
        ++index;
    }
    CHECK(index == planned->size());
    CHECK_FALSE(planner->next().has_value());  // and stays done
}

TEST_CASE("fleet plan: a document the session refuses is refused with the field named") {
    fl::group soft_then_hard = group_of(cr::provider::baidu, {"i-Yu000001"});
    soft_then_hard.target.stop = fl::stop_mode::soft_then_hard;
    auto refused = fl::planner::create({group_of(cr::provider::tencent, {"ins-00000001"}), soft_then_hard}, fl::policy{}, 1, t0);
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error().field == "groups[1].stop");
}
