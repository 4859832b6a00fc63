// fleet::plan: the first round of a session, as the session itself makes it.
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
