// Alibaba operations: every documented rule, checked before signing, with the API's field names.
#include <cloudreboot/alibaba/api.hpp>

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace {

namespace ali = cloudreboot::alibaba;
using cloudreboot::errc;

std::vector<std::string> ids(std::size_t count) {
    std::vector<std::string> out;
    for (std::size_t i = 1; i <= count; ++i) out.push_back("i-bp67acfmxazb4ph" + std::to_string(10000 + i));
    return out;
}

ali::reboot_instances batch(std::vector<std::string> instance_ids) {
    ali::reboot_instances op;
    op.region_id = "cn-hangzhou";
    op.instance_ids = std::move(instance_ids);
    return op;
}

void check_refused(const cloudreboot::result<void>& outcome, const std::string& field, const std::string& fragment) {
    REQUIRE_FALSE(outcome);
    CHECK(outcome.error().code == errc::invalid_input);
    CHECK(outcome.error().field == field);
    CHECK_MESSAGE(outcome.error().rule.find(fragment) != std::string::npos, outcome.error().rule);
}

[[maybe_unused]] constexpr bool constexpr_validation() {
    ali::reboot_instances ok;
    ok.region_id = "cn-hangzhou";
    ok.instance_ids.push_back("i-bp67acfmxazb4ph00001");
    ali::reboot_instances duplicate = ok;
    duplicate.instance_ids.push_back("i-bp67acfmxazb4ph00001");
    return ali::validate(ok).has_value() && !ali::validate(duplicate).has_value() &&
           ali::validate(duplicate).error().field == "InstanceId.2";
}

}  // namespace

#if CLOUDREBOOT_HAS_CONSTEXPR_STRING
static_assert(constexpr_validation());
static_assert(ali::parse_batch_optimization("SuccessFirst").value() == ali::batch_optimization::success_first);
static_assert(!ali::validate_region("cn_hangzhou"));
#endif

TEST_CASE("alibaba api: 1 to 100 ids") {
    CHECK(ali::validate(batch(ids(1))));
    CHECK(ali::validate(batch(ids(100))));
    check_refused(ali::validate(batch({})), "InstanceId", "at least 1 id");
    check_refused(ali::validate(batch(ids(101))), "InstanceId.101", "at most 100 ids (got 101)");
    check_refused(ali::validate(batch(ids(250))), "InstanceId.101", "(got 250)");
}

TEST_CASE("alibaba api: no empty or duplicate id") {
    check_refused(ali::validate(batch({"i-a", ""})), "InstanceId.2", "must not be empty");
    check_refused(ali::validate(batch({"i-a", "i-b", "i-a"})), "InstanceId.3", "duplicate of InstanceId.1");
    ali::reboot_instance single;
    check_refused(ali::validate(single), "InstanceId", "must not be empty");
}

TEST_CASE("alibaba api: id syntax") {
    // Every real shape: i- ids, the documentation's masked samples, other prefixes.
    for (const char* good : {"i-bp67acfmxazb4ph00001", "i-bp67acfmxazb4ph****", "i-bp1g6zv0ce8oghu7****", "hbm-123",
                             "ecs_sample.1", "i-2ze0y8xnr1cj5nn3a1ab"}) {
        CAPTURE(std::string(good));
        CHECK(ali::validate(batch({good})));
        CHECK(ali::validate(ali::reboot_instance{.instance_id = good}));
    }
    for (const char* control : {"i-a\nb", "i-a\tb", "i-a\rb", "\x7f"}) {
        CAPTURE(std::string(control));
        check_refused(ali::validate(batch({control})), "InstanceId.1", "control characters");
    }
    check_refused(ali::validate(batch({"i-a", std::string("i-\0b", 4)})), "InstanceId.2", "control characters");
    for (const char* separator : {"i-a,i-b", "i-a;b", "i-a&b=c", "i a", "i-a/b", "i-a?b", "i-a#b", "i-a%20", "i-a+b",
                                  "\"i-a\"", "[i-a]", "i-a|b"}) {
        CAPTURE(std::string(separator));
        check_refused(ali::validate(batch({separator})), "InstanceId.1", "separators");
        check_refused(ali::validate(ali::reboot_instance{.instance_id = separator}), "InstanceId", "separators");
    }
    check_refused(ali::validate(batch({"i-\xC3\xA9"})), "InstanceId.1", "must be ASCII");
    check_refused(ali::validate(batch({std::string(129, 'a')})), "InstanceId.1", "at most 128 bytes");
    CHECK(ali::validate(batch({std::string(128, 'a')})));
}

TEST_CASE("alibaba api: region id syntax") {
    for (const char* good : {"cn-hangzhou", "ap-southeast-1", "cn-north-2-gov-1", "rus-west-1-pop", "ap-southeast-6",
                             "eu-central-1", "cn-wulanchabu", "us-east-1"}) {
        CAPTURE(std::string(good));
        CHECK(ali::validate_region(good));
    }
    ali::reboot_instances op = batch(ids(1));
    op.region_id = "";
    check_refused(ali::validate(op), "RegionId", "is required");
    op.region_id = "CN-HANGZHOU";
    check_refused(ali::validate(op), "RegionId", "lowercase letters, digits and '-'");
    op.region_id = "cn hangzhou";
    check_refused(ali::validate(op), "RegionId", "lowercase letters");
    op.region_id = "cn-hangzhou\n";
    check_refused(ali::validate(op), "RegionId", "lowercase letters");
    op.region_id = "-cn";
    check_refused(ali::validate(op), "RegionId", "must start with a lowercase letter");
    op.region_id = "cn-";
    check_refused(ali::validate(op), "RegionId", "must not end with '-'");
    op.region_id = std::string(65, 'a');
    check_refused(ali::validate(op), "RegionId", "at most 64 bytes");
}

TEST_CASE("alibaba api: BatchOptimization values") {
    CHECK(ali::parse_batch_optimization("AllTogether").value() == ali::batch_optimization::all_together);
    CHECK(ali::parse_batch_optimization("SuccessFirst").value() == ali::batch_optimization::success_first);
    auto bad = ali::parse_batch_optimization("successfirst");
    REQUIRE_FALSE(bad);
    CHECK(bad.error().field == "BatchOptimization");
    CHECK(ali::to_string(ali::batch_optimization::all_together) == "AllTogether");
}

TEST_CASE("alibaba api: the DryRun + SuccessFirst caveat is a warning note") {
    ali::reboot_instances op = batch(ids(2));
    CHECK(ali::notes(op).empty());
    op.dry_run = true;
    CHECK(ali::notes(op).empty());
    op.batch = ali::batch_optimization::success_first;
    const auto notes = ali::notes(op);
    REQUIRE(notes.size() == 1);
    CHECK(notes[0].starts_with("warning:"));
    CHECK(notes[0].find("DRYRUN.SUCCESS") != std::string::npos);
    CHECK(ali::validate(op));  // a warning, not an error
    op.dry_run = false;
    CHECK(ali::notes(op).empty());
}

TEST_CASE("alibaba api: wire parameters") {
    ali::reboot_instances op = batch({"i-a", "i-b"});
    auto plain = ali::parameters(op);
    REQUIRE(plain.size() == 3);
    CHECK(plain[0].name == "RegionId");
    CHECK(plain[1].name == "InstanceId.1");
    CHECK(plain[2].name == "InstanceId.2");
    CHECK(plain[2].value == "i-b");
    op.force_reboot = true;
    op.batch = ali::batch_optimization::all_together;
    op.dry_run = false;
    auto full = ali::parameters(op);
    REQUIRE(full.size() == 6);
    CHECK(full[3].name == "ForceReboot");
    CHECK(full[3].value == "true");
    CHECK(full[4].value == "AllTogether");
    CHECK(full[5].value == "false");

    auto single = ali::parameters(ali::reboot_instance{.instance_id = "i-a", .force_stop = false});
    REQUIRE(single.size() == 2);
    CHECK(single[0].name == "InstanceId");
    CHECK(single[1].name == "ForceStop");
    CHECK(single[1].value == "false");
    CHECK(ali::action_name(op) == "RebootInstances");
    CHECK(ali::action_name(ali::reboot_instance{}) == "RebootInstance");
}

TEST_CASE("alibaba api: endpoints") {
    CHECK(ali::default_endpoint("cn-hangzhou").value().host == "ecs.cn-hangzhou.aliyuncs.com");
    CHECK(ali::default_endpoint("cn-hangzhou").value().scheme == "https");
    CHECK(ali::vpc_endpoint("cn-shanghai").value().host == "ecs-vpc.cn-shanghai.aliyuncs.com");
    CHECK(ali::central_endpoint().host == "ecs.aliyuncs.com");
    auto bad = ali::default_endpoint("");
    REQUIRE_FALSE(bad);
    CHECK(bad.error().field == "RegionId");
}
