// libFuzzer target: Alibaba's signer. The fuzz bytes give an operation (RebootInstances,
// RebootInstance, DescribeInstanceStatus), credentials, a signing context and options, the
// endpoint included (fuzz_support.hpp read_common, then the fields below). Signing must either
// fail with an input error naming a field, or give a request that is well-formed on the wire and
// that alibaba::verify() accepts as the gateway receives it (alibaba_check.hpp); sign(), explain()
// and the reusable signer must agree byte for byte.
//
// After the common fields: RegionId, the instance ids (a count, then each), ForceReboot/ForceStop
// (0 absent, 1 false, 2 true), BatchOptimization (0 absent, 1 AllTogether, 2 SuccessFirst),
// DryRun, ZoneId, PageNumber and PageSize (a presence byte and 4 bytes each), options.region,
// options.placement (0 query, 1 form body).
#include "alibaba_check.hpp"
#include "fuzz_support.hpp"

#include <cloudreboot/alibaba.hpp>

#include <cstddef>
#include <cstdint>
#include <span>

namespace {

namespace ali = cloudreboot::alibaba;
namespace fz = cloudreboot::fuzz;
constexpr std::string_view target = "alibaba_signer";

template <class Op>
void sign_and_check(const Op& op, const fz::common_fields& in, const ali::signing_options& options) {
    auto signed_once = ali::sign(op, in.creds, in.context, options);
    auto explained = ali::explain(op, in.creds, in.context, options);
    const ali::signer reusable(in.creds);
    auto by_signer = reusable.sign(op, in.context, options);
    if (signed_once.has_value() != explained.has_value() || signed_once.has_value() != by_signer.has_value())
        fz::broken(target, "sign(), explain() and the signer disagree about success");
    if (!signed_once) {
        fz::check_error(target, signed_once.error());
        return;
    }
    if (!(*signed_once == explained->request) || !(*signed_once == *by_signer))
        fz::broken(target, "sign(), explain() and the signer give different requests", signed_once->url());
    fz::check_wire(target, *signed_once);
    const bool rpc = explained->scheme == ali::scheme::rpc_hmac_sha1;
    fz::check_alibaba_request(target, *signed_once, in.creds, in.context.time,
                              rpc ? explained->rpc.canonical_query : explained->acs3.canonical_request,
                              rpc ? explained->rpc.string_to_sign : explained->acs3.string_to_sign);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fz::field_reader in(std::span<const std::uint8_t>(data, size));
    const fz::common_fields common = fz::read_common(in);
    ali::signing_options options;
    options.scheme = common.scheme % 2 == 0 ? ali::scheme::acs3_hmac_sha256 : ali::scheme::rpc_hmac_sha1;
    if (!common.method.empty()) {
        auto method = cloudreboot::parse_method(common.method);
        if (!method) return 0;  // not expressible in the options
        options.method = *method;
    }
    options.endpoint = common.target;

    const std::string region = in.text();
    std::vector<std::string> ids = in.texts();
    const std::optional<bool> force = in.optional_bool();
    const unsigned batch = in.byte() % 3u;
    const std::optional<bool> dry_run = in.optional_bool();
    const std::string zone = in.text();
    const std::optional<std::int64_t> page_number = fz::read_optional_int(in);
    const std::optional<std::int64_t> page_size = fz::read_optional_int(in);
    options.region = in.text();
    options.placement = in.flag() ? ali::acs3_placement::form_body : ali::acs3_placement::query;

    switch (common.operation % 3) {
        case 0: {
            ali::reboot_instances op{.region_id = region, .instance_ids = std::move(ids), .force_reboot = force,
                                     .batch = std::nullopt, .dry_run = dry_run};
            if (batch != 0) op.batch = batch == 1 ? ali::batch_optimization::all_together : ali::batch_optimization::success_first;
            sign_and_check(op, common, options);
            break;
        }
        case 1: {
            const ali::reboot_instance op{.instance_id = ids.empty() ? std::string() : ids.front(), .force_stop = force,
                                          .dry_run = dry_run};
            sign_and_check(op, common, options);
            break;
        }
        default: {
            const ali::describe_instance_status op{.region_id = region, .instance_ids = std::move(ids), .zone_id = zone,
                                                   .page_number = page_number, .page_size = page_size};
            sign_and_check(op, common, options);
            break;
        }
    }
    return 0;
}
